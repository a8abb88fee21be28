//! esim — a static site generator for a trilingual memorial book.
//!
//! The pipeline runs one way, each stage a module that imports only the ones
//! before it (`tests/layers.rs` checks this):
//!
//! | layer | modules |
//! |---|---|
//! | shared leaves | [`util`], [`diagnostics`], [`names`], [`urls`] |
//! | domain model | [`model`]: person, case, name forms, partial dates |
//! | settings | [`config`], [`i18n`] |
//! | reference tables | [`reference`] |
//! | load + validate | [`records`], [`content`], [`ledger`] |
//! | resolve | [`site`] |
//! | produce | [`search`], [`export`], then [`render`] (the page catalogue) and [`duplicates`] (a report for editors) |
//! | publish | [`publish`]: the one writer, the cache of what it wrote |
//! | conduct | [`build`]: `build()`, `check()`, the warm builder |
//! | tools | [`serve`], [`scaffold`], [`fixture`] |

pub mod build;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod duplicates;
pub mod export;
pub mod fixture;
pub mod i18n;
pub mod ledger;
pub mod model;
pub mod names;
pub mod publish;
pub mod records;
pub mod reference;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod urls;
pub mod util;

pub use build::{
    build, build_date, check, load_site, BrokenLink, BuildKind, Checked, Error, Options, Summary, Timings,
};
pub use serve::{serve, ServeOptions};
