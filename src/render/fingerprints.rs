//! What each page is made of. A page's fingerprint changes whenever something
//! it shows could have changed: the build cache renders again only the pages
//! whose fingerprint differs from the last build's.
//!
//! | page | made of |
//! |---|---|
//! | person | the record, the biographies in every language (a page links the others) |
//! | person data (JSON) | the record |
//! | region index page | the region's people in the language's order, and their records |
//! | essay, page | the document in every language (a missing translation lists the others) |
//! | merged record | the redirect and its target's record |
//! | withdrawn record | the withdrawal (id, date, reason) |
//! | everything | the *global* fingerprint: the binary, config, theme, reference tables, build date, the footer's page titles |
//!
//! Home, region list, essay list, search, data and 404 pages show counts and
//! lists of the whole site: they are rendered on every build (a handful of
//! pages), and written only when their bytes changed.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::site::{Site, Translations};
use crate::util::hash::{fingerprint, Fingerprinter};

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Fingerprints {
    global: u64,
    /// Each person's record.
    records: Vec<u64>,
    /// Each person's record and biographies.
    people: Vec<u64>,
    /// `regions[language][region]`: the region's index in that language.
    regions: Vec<Vec<u64>>,
    essays: Vec<u64>,
    pages: Vec<u64>,
    redirects: Vec<u64>,
    withdrawals: Vec<u64>,
}

fn combine(parts: &[u64]) -> u64 {
    fingerprint(&parts)
}

/// Documents have no `Hash`; their `Debug` text holds every field (and no
/// unordered map), so it stands in.
fn debug_fingerprint(value: &impl std::fmt::Debug) -> u64 {
    let mut h = Fingerprinter::new();
    std::io::Write::write_fmt(&mut h, format_args!("{value:?}")).expect("hashing does not fail");
    h.finish()
}

/// A person's pages show the record and the biographies in every language.
fn with_biographies(record: u64, bios: &std::collections::BTreeMap<String, crate::content::Document>) -> u64 {
    if bios.is_empty() {
        record
    } else {
        combine(&[record, debug_fingerprint(bios)])
    }
}

/// A region's index in one language: its people in order, and their records.
fn region_fingerprint(index: &crate::site::RegionIndex, records: &[u64]) -> u64 {
    let mut h = Fingerprinter::new();
    for e in &index.entries {
        (records[e.person as usize], e.letter_rank).hash(&mut h);
    }
    index.entries.len().hash(&mut h);
    h.finish()
}

/// A merged record's page: the redirect and its target's record (None: no
/// such person).
fn redirect_fingerprint(r: &crate::records::redirects::Redirect, target: Option<u64>) -> u64 {
    fingerprint(&(&r.from, &r.to, target.unwrap_or(0)))
}

fn translations(groups: &[Translations]) -> Vec<u64> {
    groups.iter().map(|g| debug_fingerprint(&g.docs)).collect()
}

impl Fingerprints {
    /// `global`: the fingerprint of the build's global inputs (see the build's
    /// `inputs`).
    pub fn new(site: &Site, global: u64) -> Fingerprints {
        // The footer of every page lists the pages' titles in every language.
        let mut h = Fingerprinter::new();
        global.hash(&mut h);
        for p in &site.pages {
            p.slug.hash(&mut h);
            for (lang, doc) in &p.docs {
                (lang, doc.title()).hash(&mut h);
            }
        }
        let global = h.finish();
        let records: Vec<u64> = site.people.par_iter().map(fingerprint).collect();
        let people =
            records.par_iter().zip(site.biographies.par_iter()).map(|(r, bios)| with_biographies(*r, bios)).collect();
        let regions = site
            .indexes
            .iter()
            .map(|by_region| by_region.iter().map(|index| region_fingerprint(index, &records)).collect())
            .collect();
        let by_id: std::collections::HashMap<&str, usize> = if site.redirects.is_empty() {
            Default::default()
        } else {
            site.people.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect()
        };
        let redirects = site
            .redirects
            .iter()
            .map(|r| redirect_fingerprint(r, by_id.get(r.to.as_str()).map(|i| records[*i])))
            .collect();
        Fingerprints {
            global,
            records,
            people,
            regions,
            essays: translations(&site.essays),
            pages: translations(&site.pages),
            redirects,
            withdrawals: site.withdrawn.iter().map(fingerprint).collect(),
        }
    }

    /// After an edit of a person's biographies.
    pub fn refresh_biographies(&mut self, site: &Site, p: usize) {
        self.people[p] = with_biographies(self.records[p], &site.biographies[p]);
    }

    /// After an edit of people's records ([`Site::replace_person`]), which
    /// moved them within the region indexes `regions` (language, region).
    pub fn refresh_records(&mut self, site: &Site, people: &[usize], regions: &[(usize, usize)]) {
        for &p in people {
            self.records[p] = fingerprint(&site.people[p]);
            self.people[p] = with_biographies(self.records[p], &site.biographies[p]);
        }
        for &(l, r) in regions {
            self.regions[l][r] = region_fingerprint(&site.indexes[l][r], &self.records);
        }
        for (k, r) in site.redirects.iter().enumerate() {
            if let Ok(p) = site.people.binary_search_by(|p| p.id.as_str().cmp(&r.to)) {
                if people.contains(&p) {
                    self.redirects[k] = redirect_fingerprint(r, Some(self.records[p]));
                }
            }
        }
    }

    /// A page's fingerprint: the global one, the page kind's `tag` and the
    /// fingerprints of what the page shows (see the page kinds' `inputs`).
    pub fn page(&self, tag: u64, parts: &[u64]) -> u64 {
        let mut all = vec![self.global, tag];
        all.extend_from_slice(parts);
        combine(&all)
    }

    /// A person's record and biographies.
    pub fn person(&self, p: usize) -> u64 {
        self.people[p]
    }

    /// A person's record.
    pub fn record(&self, p: usize) -> u64 {
        self.records[p]
    }

    /// Every person's record, parallel to the site's people.
    pub fn records(&self) -> &[u64] {
        &self.records
    }

    /// A region's index in one language.
    pub fn region(&self, lang: usize, region: usize) -> u64 {
        self.regions[lang][region]
    }

    /// An essay in every language.
    pub fn essay(&self, e: usize) -> u64 {
        self.essays[e]
    }

    /// A page (about, methodology…) in every language.
    pub fn document_page(&self, p: usize) -> u64 {
        self.pages[p]
    }

    /// A withdrawal.
    pub fn withdrawal(&self, w: usize) -> u64 {
        self.withdrawals[w]
    }

    /// A merged record and its target's record.
    pub fn redirect(&self, r: usize) -> u64 {
        self.redirects[r]
    }

    /// The people's search index: what it shows of every person.
    pub fn search_people(&self, site: &Site) -> u64 {
        let people: Vec<u64> = site.people.par_iter().map(crate::search::index::person_fingerprint).collect();
        combine(&[self.global, fingerprint(&people)])
    }

    /// The texts' search index: essays, pages, and biographies under their
    /// people's names.
    pub fn search_texts(&self, site: &Site) -> u64 {
        let mut h = Fingerprinter::new();
        (self.global, &self.essays, &self.pages).hash(&mut h);
        for (i, bios) in site.biographies.iter().enumerate() {
            if !bios.is_empty() {
                (i, self.people[i]).hash(&mut h);
            }
        }
        h.finish()
    }

    /// The open data files: every record.
    pub fn open_data(&self) -> u64 {
        combine(&[self.global, fingerprint(&self.records)])
    }

    /// The sitemap: every page's route (the people's ids, the regions' page
    /// counts, the documents' languages).
    pub fn sitemap(&self, site: &Site) -> u64 {
        let mut h = Fingerprinter::new();
        self.global.hash(&mut h);
        site.people.iter().for_each(|p| p.id.hash(&mut h));
        (0..site.regions.list.len()).for_each(|r| site.region_count(r).hash(&mut h));
        for g in site.essays.iter().chain(&site.pages) {
            g.slug.hash(&mut h);
            g.docs.keys().for_each(|l| l.hash(&mut h));
        }
        h.finish()
    }

    /// The resized images: each source image's path, size and modification time.
    pub fn images(&self, site: &Site) -> u64 {
        let mut h = Fingerprinter::new();
        self.global.hash(&mut h);
        for (person, bios) in site.people.iter().zip(&site.biographies) {
            for img in bios.values().flat_map(|d| &d.images) {
                (&person.id, &img.source, &img.file, img.width).hash(&mut h);
                if let Ok(meta) = std::fs::metadata(&img.source) {
                    meta.len().hash(&mut h);
                    meta.modified().ok().hash(&mut h);
                }
            }
        }
        h.finish()
    }

    /// The global fingerprint (with the footer's page titles).
    pub fn global(&self) -> u64 {
        self.global
    }
}
