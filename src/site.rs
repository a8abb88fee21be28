//! Resolve: the whole site as plain data. People are grouped with their
//! biographies, essays and pages with their translations, and every regional
//! index is sorted in each language's alphabet. Nothing here knows about HTML.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::{Content, Document};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Language;
use crate::ledger::Ledger;
use crate::model::{Form, Person};
use crate::records::redirects::Redirect;
use crate::records::withdrawn::Withdrawal;
use crate::reference::{Regions, Vocabulary};
use crate::urls::Urls;

/// A document in its available languages (essays, pages).
#[derive(Debug)]
pub struct Translations {
    pub slug: String,
    pub weight: i64,
    /// Language code → the document in that language.
    pub docs: BTreeMap<String, Document>,
}

impl Translations {
    /// The document in `lang`, else in the first language of the site that has it.
    pub fn best<'a>(&'a self, lang: &str, languages: &[Language]) -> &'a Document {
        self.docs
            .get(lang)
            .or_else(|| languages.iter().find_map(|l| self.docs.get(&l.code)))
            .or_else(|| self.docs.values().next())
            .expect("a translation group has at least one document")
    }
}

/// One entry of an alphabetical index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexEntry {
    pub person: u32,
    /// Rank of the initial letter in the language's alphabet (the letter itself
    /// is [`crate::names::collate::Collator::letter`] of it).
    pub letter_rank: u32,
}

/// A region's people sorted for one language.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RegionIndex {
    pub entries: Vec<IndexEntry>,
}

/// Where the people came from: the record files, and the file that holds
/// each person's rows ([`crate::records::Records::file_of`]), parallel to
/// [`Site::people`]. A long-running build reads an edited file again and
/// replaces the people it holds (see [`Site::replace_person`]).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Origins {
    pub files: Vec<std::path::PathBuf>,
    pub file_of: Vec<u32>,
    /// The record file of each withdrawn person whose record is still there.
    pub withdrawn: HashMap<String, u32>,
    /// [`crate::records::Records::shared`]: the people whose rows are in
    /// several files, with the fingerprint of their rows in each.
    pub shared: HashMap<String, Vec<(u32, u64)>>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub urls: Urls,
    pub languages: Vec<Language>,
    pub regions: Regions,
    pub vocabulary: Vocabulary,
    pub people: Vec<Person>,
    pub origins: Origins,
    /// For each person, the biography per language code.
    pub biographies: Vec<BTreeMap<String, Document>>,
    pub essays: Vec<Translations>,
    pub pages: Vec<Translations>,
    /// `indexes[language][region]`: the region's people in that language's order.
    pub indexes: Vec<Vec<RegionIndex>>,
    /// Merged records whose pages forward to the surviving person.
    pub redirects: Vec<Redirect>,
    /// Withdrawn people (not among [`Site::people`]): their pages say so.
    pub withdrawn: Vec<Withdrawal>,
    pub published: Ledger,
}

impl Site {
    pub fn language(&self, code: &str) -> &Language {
        self.languages.iter().find(|l| l.code == code).expect("a site language")
    }

    /// The index of the default language in [`Site::languages`].
    pub fn default_language(&self) -> u8 {
        self.languages.iter().position(|l| l.code == self.config.default_language).unwrap_or(0) as u8
    }

    /// The pages of a region's index (at least one, even when it is empty).
    pub fn region_pages(&self, region: usize) -> usize {
        self.region_count(region).div_ceil(self.config.build.people_per_page).max(1)
    }

    /// The regions in a language's own alphabetical order, with the region
    /// "not established" (a country code without a subdivision) last: it is
    /// not a place a reader looks for by name.
    pub fn regions_in_order(&self, l: &Language) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.regions.list.len()).collect();
        order.sort_by_cached_key(|&r| {
            let region = &self.regions.list[r];
            (!region.code.contains('-'), l.collator.key(&region.names[&l.code]), r)
        });
        order
    }

    /// People listed in a region (in any language: the counts are the same).
    pub fn region_count(&self, region: usize) -> usize {
        self.indexes.first().map(|l| l[region].entries.len()).unwrap_or(0)
    }
}

pub struct Inputs {
    pub config: Config,
    pub languages: Vec<Language>,
    pub regions: Regions,
    pub vocabulary: Vocabulary,
    pub people: Vec<Person>,
    pub origins: Origins,
    pub content: Content,
    pub redirects: Vec<Redirect>,
    /// Withdrawn people, whose records are no longer among `people`.
    pub withdrawn: Vec<Withdrawal>,
    /// The ledger of published ids, with their lines.
    pub published: Ledger,
}

pub fn resolve(inputs: Inputs, diags: &mut Diagnostics) -> Site {
    let mut site = resolve_unsorted(inputs, diags);
    site.indexes = site.sorted_indexes();
    site
}

/// [`resolve`] without sorting the regions' indexes: for a site whose
/// indexes were kept (see `build::state`), which puts them in place.
pub fn resolve_unsorted(inputs: Inputs, diags: &mut Diagnostics) -> Site {
    let Inputs { config, languages, regions, vocabulary, people, origins, content, redirects, withdrawn, published } =
        inputs;
    let biographies = attach_biographies(&people, without_withdrawn(content.biographies, &withdrawn), diags);
    let essays = group_translations(content.essays);
    let pages = group_translations(content.pages);
    Site {
        urls: Urls::new(&config.base_url),
        config,
        languages,
        regions,
        vocabulary,
        people,
        origins,
        biographies,
        essays,
        pages,
        indexes: Vec::new(),
        redirects,
        withdrawn,
        published,
    }
}

/// A withdrawn person's biographies stay in `content/people/` (lifting the
/// withdrawal shows them again) but are shown nowhere.
fn without_withdrawn(docs: Vec<Document>, withdrawn: &[Withdrawal]) -> Vec<Document> {
    if withdrawn.is_empty() {
        return docs;
    }
    let ids: std::collections::HashSet<&str> = withdrawn.iter().map(|w| w.id.as_str()).collect();
    docs.into_iter().filter(|d| !ids.contains(d.slug.as_str())).collect()
}

fn attach_biographies(
    people: &[Person],
    docs: Vec<Document>,
    diags: &mut Diagnostics,
) -> Vec<BTreeMap<String, Document>> {
    let by_id: HashMap<&str, usize> = people.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let mut out: Vec<BTreeMap<String, Document>> = vec![BTreeMap::new(); people.len()];
    for doc in docs {
        match by_id.get(doc.slug.as_str()) {
            Some(&i) => {
                out[i].insert(doc.lang.clone(), doc);
            }
            None => diags.push(Diagnostic::file(
                &doc.path,
                format!("biography of an unknown person {:?}: no record in data/records/ has this id", doc.slug),
            )),
        }
    }
    out
}

fn group_translations(docs: Vec<Document>) -> Vec<Translations> {
    let mut groups: BTreeMap<String, Translations> = BTreeMap::new();
    for doc in docs {
        let group = groups.entry(doc.slug.clone()).or_insert_with(|| Translations {
            slug: doc.slug.clone(),
            weight: i64::MAX,
            docs: BTreeMap::new(),
        });
        group.weight = group.weight.min(doc.meta.weight.unwrap_or(i64::MAX));
        group.docs.insert(doc.lang.clone(), doc);
    }
    let mut list: Vec<Translations> = groups.into_values().collect();
    list.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    list
}

/// A person's place in a region's index in `lang`: the collation key of
/// surname, given name and patronymic (then the id breaks ties), and the
/// rank of the surname's initial.
fn index_key(p: &Person, lang: &Language) -> (Vec<u32>, u32) {
    let c = &lang.collator;
    let name = p.name_in(Form::for_language(&lang.code));
    let mut key = c.key(&name.surname);
    key.push(0);
    key.extend(c.key(&name.given));
    key.push(0);
    key.extend(c.key(&name.patronymic));
    let (rank, _) = c.initial(&name.surname);
    (key, rank)
}

/// The regions a person is listed in, each once.
fn regions_of(p: &Person) -> Vec<u16> {
    let mut regions: Vec<u16> = Vec::new();
    for case in &p.cases {
        if !regions.contains(&case.region) {
            regions.push(case.region);
        }
    }
    regions
}

/// Sorts each region's people by name in `lang`'s alphabet: surname, then given
/// name, then patronymic, then id (so that the order is total and stable).
fn sort_regions(people: &[Person], region_count: usize, lang: &Language) -> Vec<RegionIndex> {
    let mut keyed: Vec<(Vec<u32>, u32, u32)> = people
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let (key, rank) = index_key(p, lang);
            (key, i as u32, rank)
        })
        .collect();
    keyed.par_sort_by(|a, b| (&a.0, &people[a.1 as usize].id).cmp(&(&b.0, &people[b.1 as usize].id)));
    let mut indexes: Vec<RegionIndex> = (0..region_count).map(|_| RegionIndex::default()).collect();
    for (_, person, rank) in keyed {
        for region in regions_of(&people[person as usize]) {
            indexes[region as usize].entries.push(IndexEntry { person, letter_rank: rank });
        }
    }
    indexes
}

impl Site {
    /// Every region's index sorted anew from the people, as [`resolve`]
    /// sorts them.
    pub fn sorted_indexes(&self) -> Vec<Vec<RegionIndex>> {
        self.languages.par_iter().map(|lang| sort_regions(&self.people, self.regions.list.len(), lang)).collect()
    }

    /// Whether `person` is listed in the same regions as the `i`th person:
    /// then replacing one by the other keeps every region's page count, and
    /// with it the site's pages.
    pub fn same_regions(&self, i: usize, person: &Person) -> bool {
        regions_of(&self.people[i]) == regions_of(person)
    }

    /// Replaces the `i`th person (the same id) by an edited record, and moves
    /// them within each region's index to where the edited name sorts: the
    /// order of [`resolve`] without sorting again. Returns the (language,
    /// region) indexes that list them. The person must keep their regions
    /// ([`Site::same_regions`]).
    pub fn replace_person(&mut self, i: usize, person: Person) -> Vec<(usize, usize)> {
        debug_assert!(self.people[i].id == person.id && self.same_regions(i, &person));
        self.people[i] = person;
        let Site { people, indexes, languages, .. } = self;
        let regions = regions_of(&people[i]);
        let mut touched = Vec::new();
        for (l, lang) in languages.iter().enumerate() {
            let (key, rank) = index_key(&people[i], lang);
            let id = people[i].id.as_str();
            for &region in &regions {
                let entries = &mut indexes[l][region as usize].entries;
                if let Some(at) = entries.iter().position(|e| e.person == i as u32) {
                    entries.remove(at);
                }
                let at = entries.partition_point(|e| {
                    let other = &people[e.person as usize];
                    (index_key(other, lang).0.as_slice(), other.id.as_str()) < (key.as_slice(), id)
                });
                entries.insert(at, IndexEntry { person: i as u32, letter_rank: rank });
                touched.push((l, region as usize));
            }
        }
        touched
    }
}
