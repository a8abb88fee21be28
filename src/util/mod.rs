//! Small helpers every stage shares: hashing, escaping, walking and copying
//! file trees. Nothing here knows about the site.

pub mod compress;
pub mod escape;
pub mod fs;
pub mod hash;
pub mod pieces;
