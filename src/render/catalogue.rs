//! The page catalogue: every kind of page the site has, each one entry that
//! says which pages it has, their routes (from [`crate::urls::route`]), the
//! templates they render, what they are made of (their fingerprint) and
//! whether the sitemap lists them.
//!
//! **Adding a page kind** is one type implementing [`PageKind`] (in
//! `render/pages/`), one line in [`CATALOGUE`], its route in `urls.rs` and its
//! template in the theme. Everything else (the job list, rendering, the
//! templates the theme must have, the sitemap, incremental builds, the sample
//! of `esim check`) follows from the catalogue.

use super::pages;
use super::{Fingerprints, Renderer};
use crate::site::Site;

/// Which page of its kind: an index into the site's lists and a page number
/// (region pages); (0, 0) for kinds with one page.
pub type Item = (u32, u32);

/// One kind of page.
pub trait PageKind: Sync {
    /// Every template its pages may render; the theme must have them.
    fn templates(&self) -> &'static [&'static str];
    /// False for kinds with one file for the whole site (rendered in the
    /// default language).
    fn per_language(&self) -> bool {
        true
    }
    /// Whether its pages are HTML (minified; counted as pages): open data is not.
    fn is_html(&self) -> bool {
        true
    }
    /// Its pages (the same in every language).
    fn items(&self, site: &Site) -> Vec<Item>;
    /// The route of one page in a language.
    fn route(&self, site: &Site, lang: &str, item: Item) -> String;
    /// Whether the page exists in `lang`, for the sitemap. (A page missing a
    /// translation is still rendered: it says so and links the others.)
    fn exists(&self, _site: &Site, _lang: &str, _item: Item) -> bool {
        true
    }
    /// Whether the sitemap lists its pages.
    fn in_sitemap(&self) -> bool;
    /// Whether its pages read the search index's manifest: they are rendered
    /// after the index is written; every other page while it is written.
    fn reads_search_index(&self) -> bool {
        false
    }
    /// The fingerprint of what one page is made of; None for pages that show
    /// the whole site (counts, lists) and are rendered on every build.
    fn inputs(&self, _fps: &Fingerprints, _lang: u8, _item: Item) -> Option<u64> {
        None
    }
    /// Appends the page's HTML (or other text) to `out`.
    fn render(&self, r: &Renderer, lang: u8, item: Item, out: &mut Vec<u8>) -> Result<(), String>;
}

/// Every kind of page, in the order of the sitemap.
pub static CATALOGUE: [&dyn PageKind; 13] = [
    &pages::Root,
    &pages::NotFound,
    &pages::Home,
    &pages::RegionList,
    &pages::EssayList,
    &pages::DataPage,
    &pages::SearchPage,
    &pages::RegionPage,
    &pages::Essay,
    &pages::Page,
    &pages::Redirect,
    &pages::Person,
    &pages::Withdrawn,
];

/// The index in [`CATALOGUE`] of person pages (the warm builder renders those
/// of edited biographies).
pub const PERSON: u8 = 11;

/// One page to render: 12 bytes, so that a million of them stay small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// The index of its kind in [`CATALOGUE`].
    pub kind: u8,
    /// The index of its language in the site's languages.
    pub lang: u8,
    pub item: Item,
}

impl Job {
    pub fn kind(&self) -> &'static dyn PageKind {
        CATALOGUE[self.kind as usize]
    }

    /// The person shown by a person page.
    pub fn person(&self) -> Option<usize> {
        (self.kind == PERSON).then_some(self.item.0 as usize)
    }

    /// The fingerprint of what the page is made of (see [`PageKind::inputs`]).
    pub fn inputs(&self, fps: &Fingerprints) -> Option<u64> {
        self.kind().inputs(fps, self.lang, self.item)
    }
}

/// Every page of the site, kind by kind.
pub fn jobs(site: &Site) -> Vec<Job> {
    let languages = site.languages.len() as u8;
    let mut jobs = Vec::new();
    for (k, kind) in CATALOGUE.iter().enumerate() {
        for item in kind.items(site) {
            if kind.per_language() {
                jobs.extend((0..languages).map(|lang| Job { kind: k as u8, lang, item }));
            } else {
                jobs.push(Job { kind: k as u8, lang: site.default_language(), item });
            }
        }
    }
    jobs
}

pub fn route(site: &Site, job: Job) -> String {
    job.kind().route(site, &site.languages[job.lang as usize].code, job.item)
}

/// Every template some page kind renders, with the base template they extend.
pub fn required_templates() -> Vec<&'static str> {
    let mut names = vec!["base.html"];
    for name in CATALOGUE.iter().flat_map(|k| k.templates()) {
        if !names.contains(name) {
            names.push(name);
        }
    }
    names
}

/// The first page of each kind in each language: enough to try every template.
pub fn one_of_each_kind(jobs: &[Job]) -> Vec<Job> {
    let mut seen = std::collections::HashSet::new();
    jobs.iter().filter(|j| seen.insert((j.kind, j.lang))).copied().collect()
}

/// Receives the (language, route) of each translation of one page.
pub type SitemapGroup<'a> = dyn FnMut(Vec<(&str, String)>) -> Result<(), String> + 'a;

/// Every page the sitemap lists, a page with its translations at a time:
/// `group` receives (language, route) of each language the page exists in.
pub fn sitemap_groups(site: &Site, group: &mut SitemapGroup) -> Result<(), String> {
    for kind in CATALOGUE.iter().filter(|k| k.in_sitemap()) {
        for item in kind.items(site) {
            let routes = site
                .languages
                .iter()
                .filter(|l| kind.exists(site, &l.code, item))
                .map(|l| (l.code.as_str(), kind.route(site, &l.code, item)))
                .collect();
            group(routes)?;
        }
    }
    Ok(())
}
