//! The report as editors read it: a table on the terminal (two lines per pair,
//! then the evidence in words) and a CSV file for a spreadsheet, one pair a row.

use std::io::{self, Write};

use super::{Pair, Report, Side};

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 14] = [
    "score",
    "id_a",
    "id_b",
    "name_a",
    "name_b",
    "birth_a",
    "birth_b",
    "regions_a",
    "regions_b",
    "birth_place_a",
    "birth_place_b",
    "source_a",
    "source_b",
    "evidence",
];

/// Longest name and birthplace shown in the table (the CSV has them whole).
const NAME_WIDTH: usize = 44;
const PLACE_WIDTH: usize = 28;

impl Report {
    /// Writes the table of pairs and the summary line.
    pub fn write_table(&self, out: &mut impl Write) -> io::Result<()> {
        let sides = || self.pairs.iter().flat_map(|p| [&p.a, &p.b]);
        let width =
            |f: fn(&Side) -> &str, cap: usize| sides().map(|s| f(s).chars().count()).max().unwrap_or(0).min(cap);
        let w = Widths {
            id: width(|s| &s.id, 32).max(2),
            name: width(|s| &s.name, NAME_WIDTH).max(4),
            birth: width(|s| &s.birth, 11).max(4),
            regions: width(|s| &s.regions, 24).max(6),
            place: width(|s| &s.birth_place, PLACE_WIDTH).max(10),
        };
        if !self.pairs.is_empty() {
            let head = Side {
                id: "id".into(),
                name: "name".into(),
                birth: "born".into(),
                regions: "region".into(),
                birth_place: "birthplace".into(),
                row: "row".into(),
            };
            writeln!(out, "{}", w.line("score", &head))?;
        }
        for pair in &self.pairs {
            write_pair(out, pair, &w)?;
        }
        writeln!(out, "{}", self.summary())
    }

    /// One line: how many pairs, among how many people, and what was left out.
    pub fn summary(&self) -> String {
        let mut left_out = Vec::new();
        if self.reviewed > 0 {
            left_out.push(format!("{} reviewed as two people in data/not-duplicates.csv", self.reviewed));
        }
        if self.below_min_score > 0 {
            left_out.push(format!("{} scoring below {}", self.below_min_score, self.min_score));
        }
        if self.withdrawn > 0 {
            left_out.push(format!("{} withdrawn people not compared", self.withdrawn));
        }
        let left_out = if left_out.is_empty() { String::new() } else { format!(" ({} left out)", left_out.join("; ")) };
        let pairs = self.pairs.len();
        format!(
            "esim: {pairs} probable duplicate pair{} among {} people{left_out}",
            if pairs == 1 { "" } else { "s" },
            self.people
        )
    }

    /// Writes every pair as a CSV row under [`CSV_COLUMNS`].
    pub fn write_csv(&self, out: impl Write) -> Result<(), csv::Error> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(CSV_COLUMNS)?;
        for p in &self.pairs {
            let (a, b) = (&p.a, &p.b);
            let score = p.score.to_string();
            let evidence = p.evidence.describe();
            writer.write_record([
                score.as_str(),
                &a.id,
                &b.id,
                &a.name,
                &b.name,
                &a.birth,
                &b.birth,
                &a.regions,
                &b.regions,
                &a.birth_place,
                &b.birth_place,
                &a.row,
                &b.row,
                &evidence,
            ])?;
        }
        writer.flush()?;
        Ok(())
    }
}

struct Widths {
    id: usize,
    name: usize,
    birth: usize,
    regions: usize,
    place: usize,
}

impl Widths {
    fn line(&self, score: &str, s: &Side) -> String {
        let line = format!(
            "{score:>5}  {}  {}  {}  {}  {}  {}",
            fit(&s.id, self.id),
            fit(&s.name, self.name),
            fit(&s.birth, self.birth),
            fit(&s.regions, self.regions),
            fit(&s.birth_place, self.place),
            s.row
        );
        line.trim_end().to_string()
    }
}

fn write_pair(out: &mut impl Write, pair: &Pair, w: &Widths) -> io::Result<()> {
    writeln!(out, "{}", w.line(&pair.score.to_string(), &pair.a))?;
    writeln!(out, "{}", w.line("", &pair.b))?;
    writeln!(out, "{:>5}  {}", "", pair.evidence.describe())?;
    writeln!(out)
}

/// `text` padded to `width` characters, or cut with an ellipsis.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text}{}", " ".repeat(width - count))
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts_by_characters() {
        assert_eq!(fit("Ақан", 6), "Ақан  ");
        assert_eq!(fit("Байтұрсынұлы", 6), "Байтұ…");
    }
}
