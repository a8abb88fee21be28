//! Open data under `/data/`: the full published dataset as CSV (the input
//! columns, one row per case, so the file is itself valid input for `esim
//! check`) and as JSON Lines (one person per line), and one JSON file per person.

use std::io::Write;

use serde_json::{json, Value};

use crate::model::columns::{Column, ALL};
use crate::model::{Case, Name, PartialDate, Person, Sex};
use crate::site::Site;
use crate::urls::route;

fn date(d: &Option<PartialDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The value of `column` for one case of a person, as the input has it.
fn field(site: &Site, p: &Person, c: &Case, column: Column) -> String {
    let v = &site.vocabulary;
    let code =
        |table: &crate::reference::TermTable, i: Option<u16>| i.map(|i| table.get(i).code.clone()).unwrap_or_default();
    use Column::*;
    match column {
        Id => p.id.clone(),
        Surname => p.archive_name.surname.clone(),
        GivenName => p.archive_name.given.clone(),
        Patronymic => p.archive_name.patronymic.clone(),
        SurnameKk => p.kk_name.surname.clone(),
        GivenNameKk => p.kk_name.given.clone(),
        PatronymicKk => p.kk_name.patronymic.clone(),
        SurnameEn => p.en_name.surname.clone(),
        GivenNameEn => p.en_name.given.clone(),
        PatronymicEn => p.en_name.patronymic.clone(),
        NameVariants => p.name_variants.join("|"),
        Sex => match p.sex {
            crate::model::Sex::Male => "m".into(),
            crate::model::Sex::Female => "f".into(),
            crate::model::Sex::Unknown => String::new(),
        },
        BirthDate => date(&p.birth_date),
        BirthPlace => p.birth_place.to_string(),
        Nationality => p.nationality.to_string(),
        Occupation => c.occupation.to_string(),
        Residence => c.residence.to_string(),
        Region => site.regions.get(c.region).code.clone(),
        District => c.district.to_string(),
        ArrestDate => date(&c.arrest_date),
        Charge => c.charge.to_string(),
        SentencedBy => code(&v.bodies, c.sentenced_by),
        SentenceDate => date(&c.sentence_date),
        Sentence => code(&v.sentences, c.sentence),
        SentenceYears => c.sentence_years.map(|y| y.to_string()).unwrap_or_default(),
        Fate => code(&v.fates, c.fate),
        DeathDate => date(&p.death_date),
        DeathPlace => p.death_place.to_string(),
        RehabilitationDate => date(&c.rehabilitation_date),
        RehabilitatedBy => c.rehabilitated_by.to_string(),
        Archive => c.archive.to_string(),
        Note => c.note.to_string(),
        Source => c.source.to_string(),
        Status => v.status.get(c.status).code.clone(),
    }
}

/// Writes every case of every person as CSV with the input's columns, each
/// cell made inert for spreadsheet programs (see [`inert_cell`]). Returns
/// the length of each block of [`BLOCK`] people after the header.
pub fn write_csv(site: &Site, mut out: impl Write) -> std::io::Result<Vec<u64>> {
    write_header(&mut out)?;
    in_parallel(site, out, csv_rows)
}

/// The CSV header: the input's column names.
fn write_header(out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(ALL.iter().map(|c| c.name())).map_err(std::io::Error::other)?;
    w.flush()
}

/// The CSV rows of `people` (one per case), without the header.
fn csv_rows(site: &Site, people: &[Person]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for p in people {
        for c in &p.cases {
            w.write_record(ALL.iter().map(|&col| inert_cell(col, field(site, p, c, col))))
                .map_err(std::io::Error::other)?;
        }
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
}

/// Blocks made at once by [`in_parallel`].
const WINDOW: usize = 16;

/// Writes `make` of every person, in order: [`BLOCK`] people a piece,
/// [`WINDOW`] pieces made at once on every core, so that the memory held
/// stays a few megabytes whatever the number of people. Returns the length
/// of each piece.
fn in_parallel(
    site: &Site,
    mut out: impl Write,
    make: impl Fn(&Site, &[Person]) -> std::io::Result<Vec<u8>> + Sync,
) -> std::io::Result<Vec<u64>> {
    use rayon::prelude::*;
    let mut lengths = Vec::with_capacity(site.people.len().div_ceil(BLOCK));
    for window in site.people.chunks(BLOCK * WINDOW) {
        let pieces: Vec<Vec<u8>> =
            window.par_chunks(BLOCK).map(|people| make(site, people)).collect::<Result<_, _>>()?;
        for piece in &pieces {
            out.write_all(piece)?;
            lengths.push(piece.len() as u64);
        }
    }
    out.flush()?;
    Ok(lengths)
}

/// A cell as a spreadsheet program may open it without running it: one that
/// begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
/// programs skip before looking) is read as a formula, so an archive text such
/// as `=HYPERLINK(…)` would become a live link or a command. As OWASP's CSV
/// injection guidance says, such a cell gets a `'` before it, which makes it
/// text. Ids are left as they are: they are permanent, and their characters
/// (0-9 A-Z a-z -) cannot call a function or another program.
fn inert_cell(column: Column, value: String) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if column != Column::Id => format!("'{value}"),
        _ => value,
    }
}

fn name(n: &Name) -> Value {
    json!({"surname": n.surname, "given_name": n.given, "patronymic": n.patronymic})
}

/// One person as JSON: names, person fields, cases, and page URLs per language.
pub fn person_json(site: &Site, p: &Person) -> Value {
    let v = &site.vocabulary;
    let code = |table: &crate::reference::TermTable, i: Option<u16>| i.map(|i| table.get(i).code.clone());
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let cases: Vec<Value> = p
        .cases
        .iter()
        .map(|c| {
            json!({
                "occupation": opt(&c.occupation),
                "residence": opt(&c.residence),
                "region": site.regions.get(c.region).code,
                "district": opt(&c.district),
                "arrest_date": c.arrest_date.map(|d| d.to_string()),
                "charge": opt(&c.charge),
                "sentenced_by": code(&v.bodies, c.sentenced_by),
                "sentence_date": c.sentence_date.map(|d| d.to_string()),
                "sentence": code(&v.sentences, c.sentence),
                "sentence_years": c.sentence_years,
                "fate": code(&v.fates, c.fate),
                "rehabilitation_date": c.rehabilitation_date.map(|d| d.to_string()),
                "rehabilitated_by": opt(&c.rehabilitated_by),
                "archive": opt(&c.archive),
                "note": opt(&c.note),
                "source": opt(&c.source),
                "status": v.status.get(c.status).code,
            })
        })
        .collect();
    let urls: serde_json::Map<String, Value> = site
        .languages
        .iter()
        .map(|l| (l.code.clone(), site.urls.absolute(&route::person(&l.code, &p.id)).into()))
        .collect();
    json!({
        "id": p.id,
        "name": name(&p.archive_name),
        "name_kk": (!p.kk_name.is_empty()).then(|| name(&p.kk_name)),
        "name_en": (!p.en_name.is_empty()).then(|| name(&p.en_name)),
        "name_variants": p.name_variants,
        "sex": match p.sex { Sex::Male => Some("m"), Sex::Female => Some("f"), Sex::Unknown => None },
        "birth_date": p.birth_date.map(|d| d.to_string()),
        "birth_place": opt(&p.birth_place),
        "nationality": opt(&p.nationality),
        "death_date": p.death_date.map(|d| d.to_string()),
        "death_place": opt(&p.death_place),
        "cases": cases,
        "urls": urls,
    })
}

/// Writes one person per line. Returns the length of each block of
/// [`BLOCK`] people.
pub fn write_jsonl(site: &Site, out: impl Write) -> std::io::Result<Vec<u64>> {
    in_parallel(site, out, jsonl_lines)
}

fn jsonl_lines(site: &Site, people: &[Person]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    for p in people {
        serde_json::to_writer(&mut out, &person_json(site, p))?;
        out.push(b'\n');
    }
    Ok(out)
}

/// The fingerprint of each block's records, from each person's.
fn block_fingerprints(records: &[u64]) -> Vec<u64> {
    records.chunks(BLOCK).map(|c| crate::util::hash::fingerprint(&c)).collect()
}

/// People in a block of [`Blocks`].
const BLOCK: usize = 1024;

/// Both files in blocks of [`BLOCK`] people, kept by a long-running build
/// (`esim serve`): after an edit only the blocks of the people whose records
/// changed are made again, and the files are the blocks joined — the bytes
/// [`write_csv`] and [`write_jsonl`] write.
#[derive(Default)]
pub struct Blocks {
    blocks: Vec<Block>,
}

struct Block {
    /// The fingerprint of its people's records.
    records: u64,
    csv: Vec<u8>,
    jsonl: Vec<u8>,
}

impl Blocks {
    /// Makes again the blocks whose records changed; `records`: each
    /// person's record fingerprint, parallel to the site's people.
    pub fn update(&mut self, site: &Site, records: &[u64]) -> std::io::Result<()> {
        use rayon::prelude::*;
        let fps = block_fingerprints(records);
        self.blocks.truncate(fps.len());
        let stale: Vec<usize> =
            (0..fps.len()).filter(|&b| self.blocks.get(b).is_none_or(|block| block.records != fps[b])).collect();
        let made: Vec<(usize, Block)> = stale
            .par_iter()
            .map(|&b| {
                let people = &site.people[b * BLOCK..((b + 1) * BLOCK).min(site.people.len())];
                Ok((b, Block { records: fps[b], csv: csv_rows(site, people)?, jsonl: jsonl_lines(site, people)? }))
            })
            .collect::<std::io::Result<_>>()?;
        for (b, block) in made {
            match self.blocks.get_mut(b) {
                Some(old) => *old = block,
                None => self.blocks.push(block),
            }
        }
        Ok(())
    }

    /// `records.csv`: the header, then the blocks.
    pub fn write_csv(&self, mut out: impl Write) -> std::io::Result<()> {
        write_header(&mut out)?;
        self.blocks.iter().try_for_each(|b| out.write_all(&b.csv))?;
        out.flush()
    }

    /// `records.jsonl`: the blocks.
    pub fn write_jsonl(&self, mut out: impl Write) -> std::io::Result<()> {
        self.blocks.iter().try_for_each(|b| out.write_all(&b.jsonl))?;
        out.flush()
    }

    /// What a saved state keeps of the blocks: each one's records'
    /// fingerprint and its lengths in `records.csv` and `records.jsonl`. The
    /// bytes are the published files' ([`Blocks::from_files`]).
    pub fn lengths(&self) -> Vec<(u64, u64, u64)> {
        self.blocks.iter().map(|b| (b.records, b.csv.len() as u64, b.jsonl.len() as u64)).collect()
    }

    /// [`Blocks::lengths`] of the files [`write_csv`] and [`write_jsonl`]
    /// wrote, from the lengths they returned; `records` as for
    /// [`Blocks::update`].
    pub fn lengths_of(records: &[u64], csv: &[u64], jsonl: &[u64]) -> Vec<(u64, u64, u64)> {
        block_fingerprints(records).into_iter().zip(csv).zip(jsonl).map(|((r, &c), &j)| (r, c, j)).collect()
    }

    /// The blocks cut again out of the files written from them; None when
    /// the files are not what the lengths describe.
    pub fn from_files(lengths: &[(u64, u64, u64)], csv: &[u8], jsonl: &[u8]) -> Option<Blocks> {
        let mut header = Vec::new();
        write_header(&mut header).ok()?;
        let mut csv = csv.strip_prefix(header.as_slice())?;
        let mut jsonl = jsonl;
        let mut blocks = Vec::with_capacity(lengths.len());
        for &(records, c, j) in lengths {
            let (block_csv, rest_csv) = csv.split_at_checked(c as usize)?;
            let (block_jsonl, rest_jsonl) = jsonl.split_at_checked(j as usize)?;
            blocks.push(Block { records, csv: block_csv.to_vec(), jsonl: block_jsonl.to_vec() });
            (csv, jsonl) = (rest_csv, rest_jsonl);
        }
        (csv.is_empty() && jsonl.is_empty()).then_some(Blocks { blocks })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_made_inert() {
        let cell = |v: &str| inert_cell(Column::Archive, v.to_string());
        assert_eq!(cell("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        for v in ["+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(cell(v), format!("'{v}"));
        }
        for v in ["", "ф. 1, оп. 2", "1937-11-05", "'=already text", "a=b"] {
            assert_eq!(cell(v), v);
        }
        assert_eq!(inert_cell(Column::Id, "-1".into()), "-1", "ids are permanent");
    }
}
