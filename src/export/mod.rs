//! The site's outputs other than pages, produced as bytes for publish to
//! write: the open data (CSV, JSON Lines, one JSON per person), the sitemaps,
//! the redirect rules for hosts that have them, the resized images, and the
//! editors' report of `esim check`. (The
//! search index is [`crate::search::index`].)

pub mod assets;
pub mod images;
pub mod opendata;
pub mod redirects;
pub mod report;
pub mod sitemap;
