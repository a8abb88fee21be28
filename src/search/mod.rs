//! Search: the keys the index is built on. The browser half lives in the theme
//! (`themes/default/static/search/`) and computes the very same keys; the golden
//! vectors in `tests/data/name-keys.tsv` keep the two equal.

pub mod index;
pub mod keys;
mod memo;
pub mod postings;
