//! `esim duplicates`: pairs of records that are probably one person, for editors
//! building one book out of many lists. [`rules`] says when two records may be
//! one person and scores the evidence; [`blocks`] chooses which records are
//! compared at all (namesakes only, never every pair); [`reviewed`] reads the
//! pairs editors found to be two people; [`output`] writes the table and the CSV.
//!
//! It is a report, not a check: finding pairs is not an error. Inputs that
//! cannot be read are (the records, the redirects, the withdrawals, the reviewed
//! pairs), as everywhere in esim. Merging stays a redirect in
//! `data/redirects.csv`: a merged record has no row left to pair, and a
//! withdrawn one is left out.

pub mod blocks;
pub mod output;
pub mod reviewed;
pub mod rules;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Person;
use crate::reference::Regions;
use crate::{config, records, reference};

use rules::{Evidence, Keys};

/// The score below which `esim duplicates` leaves pairs out unless told
/// otherwise: 50 is the two names and at least one more fact that agrees
/// (a birth year, a patronymic, a region), so that namesakes of whom nothing
/// else is known are not listed. See bench/README.md for the precision and
/// recall it gives on planted duplicates.
pub const DEFAULT_MIN_SCORE: u8 = 50;

/// What to look at.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's root directory, holding config.toml and data/.
    pub root: PathBuf,
    /// Pairs scoring less are left out of the report (0–100).
    pub min_score: u8,
}

/// One probable duplicate: two records and the evidence.
#[derive(Debug, Clone)]
pub struct Pair {
    pub score: u8,
    pub evidence: Evidence,
    pub a: Side,
    pub b: Side,
}

/// One record of a pair, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub id: String,
    /// The archive form, and the Kazakh form where it differs.
    pub name: String,
    pub birth: String,
    /// The region codes of the person's cases.
    pub regions: String,
    pub birth_place: String,
    /// The person's first row: `data/records/file.csv:LINE`.
    pub row: String,
}

/// What `esim duplicates` found.
#[derive(Debug, Default)]
pub struct Report {
    /// People with a record.
    pub people: usize,
    /// Of them, left out as withdrawn (`data/withdrawn.csv`).
    pub withdrawn: usize,
    /// Probable duplicates, best score first.
    pub pairs: Vec<Pair>,
    /// Pairs found but reviewed as two people (`data/not-duplicates.csv`).
    pub reviewed: usize,
    /// Pairs found but scoring below [`Options::min_score`].
    pub below_min_score: usize,
    pub min_score: u8,
    /// Problems that do not stop the report (an unknown id among the reviewed pairs).
    pub warnings: Vec<Diagnostic>,
}

/// Reads the site's records and finds the probable duplicates; the problems of
/// the inputs, each with its place, when they cannot be read.
pub fn find(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let root = &options.root;
    let config = config::Config::load(&root.join("config.toml"), None)?;
    let mut diags = Diagnostics::new();
    let data = root.join("data");
    let regions = reference::load_regions(&data.join("regions.toml"), &config.languages, &mut diags);
    let vocabulary = reference::load_vocabulary(&data.join("vocabulary.toml"), &config.languages, &mut diags);
    let recs = records::load(&data.join("records"), &regions, &vocabulary, &mut diags);
    let ids: HashSet<&str> =
        recs.people.iter().map(|p| p.id.as_str()).chain(recs.rejected_ids.iter().map(String::as_str)).collect();
    records::redirects::load(&data.join("redirects.csv"), &ids, &mut diags);
    let withdrawn = records::withdrawn::load(&data.join("withdrawn.csv"), &vocabulary, &mut diags);
    let mut warnings = Vec::new();
    let reviewed = reviewed::load(&data.join(reviewed::FILE), &ids, &mut diags, &mut warnings);
    if !diags.is_empty() {
        return Err(diags.into_sorted());
    }
    let withdrawn: HashSet<&str> = withdrawn.iter().map(|w| w.id.as_str()).collect();
    // A withdrawn record has no blocks, so it is compared with no one.
    let keys: Vec<Keys> = recs
        .people
        .par_iter()
        .map(|p| if withdrawn.contains(p.id.as_str()) { Keys::default() } else { Keys::of(p) })
        .collect();
    let found = blocks::candidates(&keys);
    drop(keys);
    let mut report = Report {
        people: recs.people.len(),
        withdrawn: recs.people.iter().filter(|p| withdrawn.contains(p.id.as_str())).count(),
        min_score: options.min_score,
        warnings,
        ..Report::default()
    };
    let shown = Shown { root, records: &recs, regions: &regions };
    for (i, j, evidence) in found {
        let (a, b) = (&recs.people[i as usize], &recs.people[j as usize]);
        let score = evidence.score();
        if reviewed.contains(&a.id, &b.id) {
            report.reviewed += 1;
        } else if score < options.min_score {
            report.below_min_score += 1;
        } else {
            report.pairs.push(Pair { score, evidence, a: shown.side(i as usize), b: shown.side(j as usize) });
        }
    }
    report.pairs.sort_by(|x, y| y.score.cmp(&x.score).then_with(|| (&x.a.id, &x.b.id).cmp(&(&y.a.id, &y.b.id))));
    Ok(report)
}

/// What a side of a pair shows, from the records.
struct Shown<'a> {
    root: &'a Path,
    records: &'a records::Records,
    regions: &'a Regions,
}

impl Shown<'_> {
    fn side(&self, index: usize) -> Side {
        let p: &Person = &self.records.people[index];
        let forms = p.name_forms();
        let name = if forms.kazakh != forms.archive && !p.kk_name.is_empty() {
            format!("{} / {}", forms.archive, forms.kazakh)
        } else {
            forms.archive
        };
        let mut regions: Vec<&str> = p.cases.iter().map(|c| self.regions.get(c.region).code.as_str()).collect();
        regions.dedup();
        let row = &self.records.rows[index];
        let file = &self.records.files[row.file];
        let file = file.strip_prefix(self.root).unwrap_or(file);
        Side {
            id: p.id.clone(),
            name,
            birth: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            regions: regions.join(" "),
            birth_place: p.birth_place.to_string(),
            row: row.describe(file),
        }
    }
}
