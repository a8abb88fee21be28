//! The page kinds of the [`super::catalogue`]: each says which pages it has,
//! where they go and what they show.

mod data;
mod documents;
mod home;
mod not_found;
mod person;
mod regions;
mod search;
mod withdrawn;

pub use data::DataPage;
pub use documents::{Essay, EssayList, Page};
pub use home::{Home, Root};
pub use not_found::NotFound;
pub use person::{Person, Redirect};
pub use regions::{RegionList, RegionPage};
pub use search::SearchPage;
pub use withdrawn::Withdrawn;

use super::catalogue::Item;

/// The items of a kind with one page per site or language.
fn one() -> Vec<Item> {
    vec![(0, 0)]
}

/// The items of a kind with one page per element of a list of `n`.
fn each(n: usize) -> Vec<Item> {
    (0..n as u32).map(|i| (i, 0)).collect()
}
