//! What the people's index needs of each person — their place in the search
//! order, their words, their row — kept by a long-running build (`esim
//! serve`) between builds: after an edit only the edited people's are
//! computed again, and the index is assembled from the rest as they were.
//! Computing them is most of the index's time (about 20 µs a person: every
//! name form folded, stemmed and reduced to its skeleton).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::index::{order_key, person_fingerprint, person_words, row, OrderKey};
use crate::site::Site;

/// Kept by the warm builder, and on disk with its state
/// (`build::state`) between processes.
#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PeopleMemo {
    people: Vec<Memo>,
}

#[derive(Serialize, Deserialize)]
struct Memo {
    /// [`person_fingerprint`] of the record it was computed from.
    fingerprint: u64,
    key: OrderKey,
    /// The person's words, each ended by a newline (a newline is never in a
    /// folded word).
    words: Box<str>,
    /// The row's JSON.
    row: Box<str>,
}

impl PeopleMemo {
    /// Computes again what the site's people changed (all of it the first
    /// time). People are matched by position: the site's people are sorted by
    /// id, and a long-running build replaces them in place.
    pub fn update(&mut self, site: &Site) {
        self.people.truncate(site.people.len());
        let old = std::mem::take(&mut self.people);
        let mut old = old.into_iter().map(Some).collect::<Vec<_>>();
        old.resize_with(site.people.len(), || None);
        self.people = old
            .into_par_iter()
            .enumerate()
            .map(|(i, memo)| {
                let p = &site.people[i];
                let fingerprint = person_fingerprint(p);
                match memo {
                    Some(m) if m.fingerprint == fingerprint => m,
                    _ => Memo {
                        fingerprint,
                        key: order_key(p),
                        words: person_words(site, i).into_iter().flat_map(|w| [w, "\n".to_string()]).collect(),
                        row: serde_json::to_string(&row(site, i)).unwrap_or_default().into(),
                    },
                }
            })
            .collect();
    }

    pub(super) fn order_key(&self, i: usize) -> &OrderKey {
        &self.people[i].key
    }

    pub(super) fn words(&self, i: usize) -> Vec<String> {
        self.people[i].words.lines().map(str::to_string).collect()
    }

    pub(super) fn row(&self, i: usize) -> &[u8] {
        self.people[i].row.as_bytes()
    }

    /// Writes the memo in pieces of `n` people (see [`crate::util::pieces`]),
    /// for the saved state; returns the number of pieces.
    pub fn write_pieces(&self, n: usize, write: &mut dyn FnMut(&[u8]) -> Result<(), String>) -> Result<usize, String> {
        crate::util::pieces::write(&self.people, n, write)
    }

    /// The memo read back from [`PeopleMemo::write_pieces`].
    pub fn from_pieces(parts: &[&[u8]]) -> Result<PeopleMemo, String> {
        use crate::util::pieces;
        Ok(PeopleMemo { people: pieces::read(parts, pieces::decode)? })
    }
}
