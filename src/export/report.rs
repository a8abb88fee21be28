//! The editors' report that `esim check` ends with: per region, how many
//! people the book has, by status, and what their records still lack (a
//! Kazakh name form, a birth year, a source) or have (a biography). `--report
//! FILE.csv` writes the same table for a spreadsheet.
//!
//! A person with cases in several regions counts in each of them (as in the
//! regional indexes) and once in the total. A person's status is the least
//! certain of their cases' there: disputed, else unverified, else verified.

use std::io::Write;

use crate::model::Person;
use crate::site::Site;

/// The report's columns, after the region's code and name.
pub const COLUMNS: [&str; 8] = [
    "people",
    "verified",
    "unverified",
    "disputed",
    "without_kazakh_name",
    "without_birth_year",
    "without_source",
    "with_biography",
];

/// One line of the report: a region, or the whole book (code `all`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub code: String,
    pub name: String,
    pub counts: [usize; COLUMNS.len()],
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every region of `data/regions.toml` in its order, then the total.
    pub lines: Vec<Line>,
}

/// The report of a loaded site; region names in the default language.
pub fn report(site: &Site) -> Report {
    let lang = &site.config.default_language;
    let status = |code: &str| site.vocabulary.status.index_of(code);
    let (unverified, disputed) = (status("unverified"), status("disputed"));
    let mut regions = vec![[0usize; COLUMNS.len()]; site.regions.list.len()];
    let mut total = [0usize; COLUMNS.len()];
    for (p, person) in site.people.iter().enumerate() {
        let has_biography = !site.biographies[p].is_empty();
        let mut seen: Vec<u16> = Vec::new();
        for case in &person.cases {
            if !seen.contains(&case.region) {
                seen.push(case.region);
                let statuses: Vec<u16> =
                    person.cases.iter().filter(|c| c.region == case.region).map(|c| c.status).collect();
                count(&mut regions[case.region as usize], person, &statuses, (unverified, disputed), has_biography);
            }
        }
        let statuses: Vec<u16> = person.cases.iter().map(|c| c.status).collect();
        count(&mut total, person, &statuses, (unverified, disputed), has_biography);
    }
    let mut lines: Vec<Line> = site
        .regions
        .list
        .iter()
        .zip(regions)
        .map(|(r, counts)| Line { code: r.code.clone(), name: r.names.get(lang).cloned().unwrap_or_default(), counts })
        .collect();
    lines.push(Line { code: "all".into(), name: String::new(), counts: total });
    Report { lines }
}

/// Adds a person to a line's counts; `statuses` are those of their cases there.
fn count(
    counts: &mut [usize; COLUMNS.len()],
    person: &Person,
    statuses: &[u16],
    (unverified, disputed): (Option<u16>, Option<u16>),
    has_biography: bool,
) {
    let is = |s: Option<u16>| s.is_some_and(|s| statuses.contains(&s));
    let status_column = if is(disputed) {
        3
    } else if is(unverified) {
        2
    } else {
        1
    };
    let flags = [
        true,
        status_column == 1,
        status_column == 2,
        status_column == 3,
        person.kk_name.surname.is_empty(),
        person.birth_date.is_none(),
        person.cases.iter().all(|c| c.source.trim().is_empty()),
        has_biography,
    ];
    for (n, flag) in counts.iter_mut().zip(flags) {
        *n += flag as usize;
    }
}

impl Report {
    /// The report as CSV, one line per region and the total.
    pub fn write_csv(&self, out: impl Write) -> csv::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["region", "name"].iter().chain(COLUMNS.iter()))?;
        for line in &self.lines {
            let mut record = vec![line.code.clone(), line.name.clone()];
            record.extend(line.counts.iter().map(usize::to_string));
            w.write_record(&record)?;
        }
        w.flush()?;
        Ok(())
    }

    /// The report as an aligned text table, leaving out regions without people.
    pub fn table(&self) -> String {
        let header: Vec<String> =
            ["region"].iter().chain(COLUMNS.iter()).map(|c| c.replace('_', " ").replace("without ", "no ")).collect();
        let rows: Vec<Vec<String>> = self
            .lines
            .iter()
            .filter(|l| l.counts[0] > 0 || l.code == "all")
            .map(|l| std::iter::once(l.code.clone()).chain(l.counts.iter().map(usize::to_string)).collect())
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
            .collect();
        let mut text = String::new();
        for row in std::iter::once(&header).chain(&rows) {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| if i == 0 { format!("{c:<w$}") } else { format!("{c:>w$}") })
                .collect();
            text.push_str(cells.join("  ").trim_end());
            text.push('\n');
        }
        text
    }
}
