//! Which records are compared: only those that share a block, so that the work
//! grows with the number of namesakes, not with the square of the book.
//!
//! A record's blocks are its (surname skeleton, given-name skeleton) pairs, for
//! every spelling it has, plus the same pairs with one character of the surname
//! skeleton deleted, or one of the given name's: two skeletons one edit apart
//! share such a key (a substitution deletes the same place in both; an insertion
//! is the other's whole skeleton). So every pair [`super::rules::compare`] can
//! accept — a Sound or better match in one name and at worst a one-letter slip
//! in the other — meets in some block. Skeletons shorter than 3 characters get
//! no deletion keys: one letter less would leave a key shared by half the book.
//! One more key is the skeleton of the whole surname, suffix included, with
//! the given name's: a slip in a suffix (Лисовский / Лисовсгий, Макаров /
//! Макарав) changes the stem but not the whole word's sound.
//!
//! Keys are 64-bit hashes; a collision only adds a comparison that the rules
//! then reject.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::rules::{compare, Evidence, Keys};

/// The block keys of one record, without repeats.
pub fn block_keys(k: &Keys) -> Vec<u64> {
    let mut out = Vec::new();
    for s in &k.surnames {
        for g in &k.givens {
            out.push(key(&s.skeleton, &g.skeleton));
            // Marked, so that it does not meet a stem's skeleton by chance.
            out.push(key(&format!("+{}", s.whole), &g.skeleton));
            for d in deletions(&s.skeleton) {
                out.push(key(&d, &g.skeleton));
            }
            for d in deletions(&g.skeleton) {
                out.push(key(&s.skeleton, &d));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A separator that no skeleton contains keeps (ab, c) apart from (a, bc).
fn key(surname: &str, given: &str) -> u64 {
    let mut bytes = Vec::with_capacity(surname.len() + given.len() + 1);
    bytes.extend_from_slice(surname.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(given.as_bytes());
    xxh3_64(&bytes)
}

/// `skeleton` with each one of its characters left out in turn (skeletons are
/// ASCII); none for skeletons shorter than 3.
fn deletions(skeleton: &str) -> Vec<String> {
    if skeleton.len() < 3 {
        return Vec::new();
    }
    (0..skeleton.len()).map(|i| format!("{}{}", &skeleton[..i], &skeleton[i + 1..])).collect()
}

/// Every pair of records (indices into `keys`, the smaller first) that share a
/// block and that the rules accept, sorted, each once.
pub fn candidates(keys: &[Keys]) -> Vec<(u32, u32, Evidence)> {
    let mut entries: Vec<(u64, u32)> = keys
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, k)| block_keys(k).into_iter().map(move |b| (b, i as u32)))
        .collect();
    entries.par_sort_unstable();
    let blocks = runs(&entries);
    let mut pairs: Vec<(u32, u32, Evidence)> = blocks
        .par_iter()
        .flat_map_iter(|&(start, end)| {
            let block = &entries[start..end];
            block.iter().enumerate().flat_map(move |(n, &(_, i))| {
                block[n + 1..].iter().filter_map(move |&(_, j)| {
                    compare(&keys[i as usize], &keys[j as usize]).map(|e| (i.min(j), i.max(j), e))
                })
            })
        })
        .collect();
    pairs.par_sort_unstable_by_key(|&(i, j, _)| (i, j));
    pairs.dedup_by_key(|&mut (i, j, _)| (i, j));
    pairs
}

/// The ranges of `entries` (sorted by key) that hold two records or more.
fn runs(entries: &[(u64, u32)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in 1..=entries.len() {
        if end == entries.len() || entries[end].0 != entries[start].0 {
            if end - start > 1 {
                out.push((start, end));
            }
            start = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::rules::within_one_edit;
    use super::*;

    #[test]
    fn skeletons_one_edit_apart_share_a_deletion_key() {
        for (a, b) in [("shmp", "shnp"), ("ptrsn", "ptrn"), ("ptrsn", "ptrsnk"), ("akmt", "akmt")] {
            assert!(within_one_edit(a.as_bytes(), b.as_bytes()));
            let ka: Vec<String> = std::iter::once(a.to_string()).chain(deletions(a)).collect();
            let kb: Vec<String> = std::iter::once(b.to_string()).chain(deletions(b)).collect();
            assert!(ka.iter().any(|x| kb.contains(x)), "{a} {b}");
        }
        assert!(deletions("pk").is_empty());
    }

    #[test]
    fn runs_of_equal_keys() {
        let entries = [(1, 0), (2, 1), (2, 2), (3, 3), (4, 4), (4, 5), (4, 6)];
        assert_eq!(runs(&entries), vec![(1, 3), (4, 7)]);
        assert!(runs(&[]).is_empty());
    }
}
