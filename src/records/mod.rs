//! Records: every `data/records/*.csv` read in parallel, each row validated, then
//! rows grouped into people (one row is one case; a person repressed twice has two
//! rows with the same id). People are kept as compact structs: codes become small
//! indices into the reference tables, dates become [`PartialDate`]s.

pub mod columns;
pub mod date;
pub mod redirects;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::reference::{Regions, Vocabulary};
use columns::Column;
pub use date::PartialDate;

/// Free text of a record. Places, charges, sources, bodies and occupations
/// repeat across thousands of rows (every row of a list names the same
/// source), so equal texts share one allocation: see [`Interner`].
pub type Text = Arc<str>;

/// Gives equal texts one shared allocation.
#[derive(Default)]
pub struct Interner {
    seen: HashSet<Arc<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Text {
        if let Some(t) = self.seen.get(s) {
            return t.clone();
        }
        let t: Arc<str> = Arc::from(s);
        self.seen.insert(t.clone());
        t
    }
}

/// Longest value accepted in one field: longer ones are almost always a broken
/// quote that swallowed the rest of the file.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// Largest record file accepted. All of the commission's 311,000 people fit in
/// about 150 MB; a larger single file is an export gone wrong, and reading it
/// would hold gigabytes of rows in memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Sex {
    #[default]
    Unknown,
    Male,
    Female,
}

/// A name in three parts. Empty parts are unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Name {
    pub surname: String,
    pub given: String,
    pub patronymic: String,
}

impl Name {
    pub fn is_empty(&self) -> bool {
        self.surname.is_empty() && self.given.is_empty() && self.patronymic.is_empty()
    }
}

/// One repression episode of a person: one CSV row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Case {
    pub occupation: Text,
    pub residence: Text,
    pub region: u16,
    pub district: Text,
    pub arrest_date: Option<PartialDate>,
    pub charge: Text,
    pub sentenced_by: Option<u16>,
    pub sentence_date: Option<PartialDate>,
    pub sentence: Option<u16>,
    pub sentence_years: Option<u16>,
    pub fate: Option<u16>,
    pub rehabilitation_date: Option<PartialDate>,
    pub rehabilitated_by: Text,
    pub archive: Text,
    pub source: Text,
    pub status: u16,
}

impl Case {
    /// The date that places the case in time, for ordering a person's cases.
    fn first_date(&self) -> Option<PartialDate> {
        self.arrest_date.or(self.sentence_date).or(self.rehabilitation_date)
    }
}

/// A person with every case, as the records give them.
#[derive(Debug, Clone, Default, Hash)]
pub struct Person {
    pub id: String,
    /// The name as written in the archive record.
    pub archive_name: Name,
    pub kk_name: Name,
    pub en_name: Name,
    pub name_variants: Vec<String>,
    pub sex: Sex,
    pub birth_date: Option<PartialDate>,
    pub birth_place: Text,
    pub nationality: Text,
    pub death_date: Option<PartialDate>,
    pub death_place: Text,
    pub cases: Vec<Case>,
}

/// Where a row came from, for messages that name both rows of a conflict.
#[derive(Debug, Clone)]
struct RowOrigin {
    file: usize,
    line: usize,
    /// Byte offset of the record in its file, to find a field's column again.
    byte: u64,
}

/// One validated row before grouping: the raw person fields (compared across rows
/// of the same id) and the parsed case.
struct Row {
    origin: RowOrigin,
    id: String,
    /// (column, value, index of the field in the record)
    person_fields: Vec<(Column, String, usize)>,
    case: Case,
}

/// All records of the site.
#[derive(Debug, Default)]
pub struct Records {
    /// People sorted by id, so that every later stage is deterministic.
    pub people: Vec<Person>,
    /// The record files that were read (for the summary and for watchers).
    pub files: Vec<PathBuf>,
    /// Ids of rows that were rejected: the person exists but their row has an
    /// error, so later checks (ledger, redirects) must not report them missing.
    pub rejected_ids: HashSet<String>,
}

/// Reads every `*.csv` under `dir` (recursively).
pub fn load(dir: &Path, regions: &Regions, vocabulary: &Vocabulary, diags: &mut Diagnostics) -> Records {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    if files.is_empty() {
        diags.push(Diagnostic::file(dir, "no record file (*.csv) found"));
    }
    let parsed: Vec<FileRows> =
        files.par_iter().enumerate().map(|(i, path)| read_file(i, path, regions, vocabulary)).collect();
    let mut rows = Vec::new();
    let mut rejected_ids = HashSet::new();
    for file in parsed {
        diags.extend(file.diags);
        rows.extend(file.rows);
        rejected_ids.extend(file.rejected_ids);
    }
    let people = group(rows, &files, diags);
    Records { people, files, rejected_ids }
}

/// What one record file gave: its valid rows, the ids of its rejected rows, and
/// its problems.
struct FileRows {
    rows: Vec<Row>,
    rejected_ids: Vec<String>,
    diags: Diagnostics,
}

/// Reads one record file as a stream (a file may be larger than memory allows
/// to hold twice), validating each row.
fn read_file(file: usize, path: &Path, regions: &Regions, vocabulary: &Vocabulary) -> FileRows {
    let mut out = FileRows { rows: Vec::new(), rejected_ids: Vec::new(), diags: Diagnostics::new() };
    let mut input = match File::open(path) {
        Ok(f) if f.metadata().is_ok_and(|m| m.len() > MAX_FILE_BYTES) => {
            let mb = f.metadata().map(|m| m.len() >> 20).unwrap_or(0);
            out.diags.push(Diagnostic::file(
                path,
                format!("the file is {mb} MB, more than the {} MB a record file may have: split it into several files (every *.csv under data/records/ is read)", MAX_FILE_BYTES >> 20),
            ));
            return out;
        }
        Ok(f) => BufReader::with_capacity(1 << 16, f),
        Err(e) => {
            out.diags.push(Diagnostic::file(path, format!("cannot read: {e}")));
            return out;
        }
    };
    let bom = match input.fill_buf() {
        Ok(buf) if buf.starts_with(b"\xEF\xBB\xBF") => 3,
        _ => 0,
    };
    input.consume(bom);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<Option<Column>>> = None;
    let mut interner = Interner::default();
    let diags = &mut out.diags;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                diags.error(path, line, 0, format!("cannot parse CSV: {e}"));
                break;
            }
        }
        let pos = record.position().cloned().unwrap_or_else(csv::Position::new);
        let line = pos.line() as usize;
        let at = |field: usize| field_position(path, bom as u64 + pos.byte(), line, field);
        match &header {
            None => header = Some(read_header(&record, path, &at, diags)),
            Some(columns) => {
                if record.iter().all(|f| f.iter().all(|b| b.is_ascii_whitespace())) {
                    continue; // a blank line, as spreadsheets leave at the end
                }
                let id_of = |record: &csv::ByteRecord| {
                    let i = columns.iter().position(|c| *c == Some(Column::Id))?;
                    let id = std::str::from_utf8(record.get(i)?).ok()?.trim();
                    is_valid_id(id).then(|| id.to_string())
                };
                if record.len() != columns.len() {
                    diags.error(
                        path,
                        line,
                        1,
                        format!(
                            "this row has {} fields but the header has {}: check for a missing or extra comma, or an unclosed quote",
                            record.len(),
                            columns.len()
                        ),
                    );
                    out.rejected_ids.extend(id_of(&record));
                    continue;
                }
                let origin = RowOrigin { file, line, byte: bom as u64 + pos.byte() };
                match read_row(&record, columns, origin, path, &at, regions, vocabulary, diags, &mut interner) {
                    Some(row) => out.rows.push(row),
                    None => out.rejected_ids.extend(id_of(&record)),
                }
            }
        }
    }
    if header.is_none() {
        diags.push(Diagnostic::file(path, "the file is empty: expected a header row"));
    }
    out
}

fn read_header(
    record: &csv::ByteRecord,
    path: &Path,
    at: &dyn Fn(usize) -> (usize, usize),
    diags: &mut Diagnostics,
) -> Vec<Option<Column>> {
    let mut columns = Vec::new();
    for (i, raw) in record.iter().enumerate() {
        let (line, col) = at(i);
        let name = String::from_utf8_lossy(raw);
        let name = name.trim();
        match Column::from_name(name) {
            Some(c) if columns.contains(&Some(c)) => {
                diags.error(path, line, col, format!("column {name:?} appears twice in the header"));
                columns.push(None);
            }
            Some(c) => columns.push(Some(c)),
            None => {
                diags.error(
                    path,
                    line,
                    col,
                    format!("unknown column {name:?} (is it a typo? known columns: {})", known_columns()),
                );
                columns.push(None);
            }
        }
    }
    for required in columns::REQUIRED {
        if !columns.contains(&Some(required)) {
            diags.error(path, 1, 1, format!("the header has no {:?} column, which is required", required.name()));
        }
    }
    columns
}

fn known_columns() -> String {
    columns::ALL.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    record: &csv::ByteRecord,
    columns: &[Option<Column>],
    origin: RowOrigin,
    path: &Path,
    at: &dyn Fn(usize) -> (usize, usize),
    regions: &Regions,
    vocabulary: &Vocabulary,
    diags: &mut Diagnostics,
    interner: &mut Interner,
) -> Option<Row> {
    let before = diags.len();
    // Field texts by column, with the field's index: its position is computed
    // only for a message, as it means reading the record again.
    let mut values: HashMap<Column, (String, usize)> = HashMap::new();
    for (i, raw) in record.iter().enumerate() {
        let Some(column) = columns[i] else { continue };
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t.trim().to_string(),
            Err(_) => {
                let position = at(i);
                diags.error(path, position.0, position.1, "this field is not valid UTF-8: the file may be in a legacy encoding such as CP1251; save it as UTF-8 (e.g. iconv -f CP1251 -t UTF-8 in.csv > out.csv)");
                continue;
            }
        };
        if text.len() > MAX_FIELD_BYTES {
            let position = at(i);
            diags.error(
                path,
                position.0,
                position.1,
                format!(
                    "{} is {} bytes long (at most {MAX_FIELD_BYTES}): is a quote left open?",
                    column.name(),
                    text.len()
                ),
            );
            continue;
        }
        values.insert(column, (text, i));
    }
    let get = |c: Column| values.get(&c).map(|(t, _)| t.as_str()).unwrap_or("");
    let pos = |c: Column| values.get(&c).map(|(_, i)| at(*i)).unwrap_or((origin.line, 1));
    let mut err = |c: Column, msg: String| {
        let (l, col) = pos(c);
        diags.error(path, l, col, msg);
    };

    let id = get(Column::Id).to_string();
    if !is_valid_id(&id) {
        err(Column::Id, format!("id {id:?} must be 1–32 characters of 0-9 A-Z a-z -"));
    }
    let mut case = Case::default();
    match regions.index_of(get(Column::Region)) {
        Some(r) => case.region = r,
        None if get(Column::Region).is_empty() => err(Column::Region, "region is required".into()),
        None => err(
            Column::Region,
            format!("unknown region {:?}: expected a code from data/regions.toml", get(Column::Region)),
        ),
    }
    match vocabulary.status.index_of(get(Column::Status)) {
        Some(s) => case.status = s,
        None => err(
            Column::Status,
            format!("status {:?} must be one of {:?}", get(Column::Status), vocabulary.status.codes()),
        ),
    }
    let mut code = |c: Column, table: &crate::reference::TermTable, name: &str| -> Option<u16> {
        let v = get(c);
        if v.is_empty() {
            return None;
        }
        let found = table.index_of(v);
        if found.is_none() {
            err(
                c,
                format!(
                    "unknown {} code {v:?}: expected one of data/vocabulary.toml [{name}]: {:?}",
                    c.name(),
                    table.codes()
                ),
            );
        }
        found
    };
    case.sentenced_by = code(Column::SentencedBy, &vocabulary.bodies, "bodies");
    case.sentence = code(Column::Sentence, &vocabulary.sentences, "sentences");
    case.fate = code(Column::Fate, &vocabulary.fates, "fates");
    let mut date = |c: Column| -> Option<PartialDate> {
        PartialDate::parse_optional(get(c)).unwrap_or_else(|e| {
            let (l, col) = pos(c);
            diags.error(path, l, col, format!("{}: {e}", c.name()));
            None
        })
    };
    case.arrest_date = date(Column::ArrestDate);
    case.sentence_date = date(Column::SentenceDate);
    case.rehabilitation_date = date(Column::RehabilitationDate);
    // Person dates are checked here for their syntax; they are kept as text until
    // rows are grouped.
    date(Column::BirthDate);
    date(Column::DeathDate);
    let years = get(Column::SentenceYears);
    if !years.is_empty() {
        match years.parse::<u16>() {
            Ok(y) if y <= 100 => case.sentence_years = Some(y),
            _ => {
                let (l, col) = pos(Column::SentenceYears);
                diags.error(path, l, col, format!("sentence_years {years:?} must be a whole number of years (0–100)"));
            }
        }
    }
    if !matches!(get(Column::Sex), "" | "m" | "f") {
        let (l, col) = pos(Column::Sex);
        diags.error(path, l, col, format!("sex {:?} must be m, f or empty", get(Column::Sex)));
    }
    case.occupation = interner.intern(get(Column::Occupation));
    case.residence = interner.intern(get(Column::Residence));
    case.district = interner.intern(get(Column::District));
    case.charge = interner.intern(get(Column::Charge));
    case.rehabilitated_by = interner.intern(get(Column::RehabilitatedBy));
    case.archive = interner.intern(get(Column::Archive));
    case.source = interner.intern(get(Column::Source));
    if diags.len() > before {
        return None;
    }
    let person_fields = columns::PERSON.iter().filter_map(|c| values.remove(c).map(|(t, p)| (*c, t, p))).collect();
    Some(Row { origin, id, person_fields, case })
}

pub fn is_valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Groups rows into people by id, in file order, checking that person fields agree.
fn group(rows: Vec<Row>, files: &[PathBuf], diags: &mut Diagnostics) -> Vec<Person> {
    let mut index: HashMap<String, usize> = HashMap::new();
    // For each person: the field values seen so far and where each came from.
    let mut seen: Vec<HashMap<Column, (String, RowOrigin)>> = Vec::new();
    let mut first_rows: Vec<RowOrigin> = Vec::new();
    // Where each case of each person came from, to name the first of two
    // identical rows.
    let mut case_rows: Vec<Vec<RowOrigin>> = Vec::new();
    let mut people: Vec<Person> = Vec::new();
    let mut interner = Interner::default();
    for row in rows {
        let path = &files[row.origin.file];
        let slot = *index.entry(row.id.clone()).or_insert_with(|| {
            people.push(Person { id: row.id.clone(), ..Person::default() });
            seen.push(HashMap::new());
            first_rows.push(row.origin.clone());
            case_rows.push(Vec::new());
            people.len() - 1
        });
        for (column, value, field) in row.person_fields {
            if value.is_empty() {
                continue;
            }
            match seen[slot].get(&column) {
                Some((existing, origin)) if *existing != value => diags.error(
                    path,
                    row.origin.line,
                    field_position(path, row.origin.byte, row.origin.line, field).1,
                    format!(
                        "{} {value:?} of person {} conflicts with {:?} at {}:{}: person fields on a second case must be empty or equal",
                        column.name(),
                        row.id,
                        existing,
                        files[origin.file].display(),
                        origin.line
                    ),
                ),
                Some(_) => {}
                None => {
                    set_person_field(&mut people[slot], column, &value, &mut interner);
                    seen[slot].insert(column, (value, row.origin.clone()));
                }
            }
        }
        if let Some(i) = people[slot].cases.iter().position(|c| *c == row.case) {
            let first = &case_rows[slot][i];
            diags.error(
                path,
                row.origin.line,
                1,
                format!(
                    "duplicate row: person {} has the same case at {}:{} (a second case of the same person must differ)",
                    row.id,
                    files[first.file].display(),
                    first.line
                ),
            );
            continue;
        }
        people[slot].cases.push(row.case);
        case_rows[slot].push(row.origin);
    }
    for (person, origin) in people.iter_mut().zip(&first_rows) {
        let path = &files[origin.file];
        if person.archive_name.surname.is_empty() {
            diags.error(path, origin.line, 1, format!("person {} has no surname", person.id));
        }
        if person.archive_name.given.is_empty() {
            diags.error(path, origin.line, 1, format!("person {} has no given_name", person.id));
        }
        // Stable sort: cases without a date keep their file order.
        person.cases.sort_by_key(|c| c.first_date().map(|d| (d.year, d.month, d.day)).unwrap_or((u16::MAX, 0, 0)));
    }
    people.sort_by(|a, b| a.id.cmp(&b.id));
    people
}

fn set_person_field(p: &mut Person, column: Column, value: &str, interner: &mut Interner) {
    let v = value.to_string();
    match column {
        Column::Surname => p.archive_name.surname = v,
        Column::GivenName => p.archive_name.given = v,
        Column::Patronymic => p.archive_name.patronymic = v,
        Column::SurnameKk => p.kk_name.surname = v,
        Column::GivenNameKk => p.kk_name.given = v,
        Column::PatronymicKk => p.kk_name.patronymic = v,
        Column::SurnameEn => p.en_name.surname = v,
        Column::GivenNameEn => p.en_name.given = v,
        Column::PatronymicEn => p.en_name.patronymic = v,
        Column::NameVariants => {
            p.name_variants = value.split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
        }
        Column::Sex => {
            p.sex = match value {
                "m" => Sex::Male,
                "f" => Sex::Female,
                _ => Sex::Unknown,
            }
        }
        // Syntax was checked when the row was read.
        Column::BirthDate => p.birth_date = PartialDate::parse(value).ok(),
        Column::DeathDate => p.death_date = PartialDate::parse(value).ok(),
        Column::BirthPlace => p.birth_place = interner.intern(value),
        Column::Nationality => p.nationality = interner.intern(value),
        Column::DeathPlace => p.death_place = interner.intern(value),
        _ => {}
    }
}

/// The (line, column) of field `field` of the record starting at byte `start`.
/// The CSV reader reports only where records start, so the record's bytes are
/// read again from the file — only when there is a problem to report.
fn field_position(path: &Path, start: u64, line: usize, field: usize) -> (usize, usize) {
    let mut bytes = Vec::new();
    let read = File::open(path).and_then(|mut f| {
        f.seek(SeekFrom::Start(start))?;
        f.take(MAX_FIELD_BYTES as u64 * 4).read_to_end(&mut bytes)
    });
    match read {
        Ok(_) => field_position_in(&bytes, line, field),
        Err(_) => (line, 0),
    }
}

/// The (line, column) of field `field` of the record at the start of `record`.
fn field_position_in(record: &[u8], line: usize, field: usize) -> (usize, usize) {
    let mut line = line;
    let mut line_start = 0;
    let mut in_quotes = false;
    let mut current = 0;
    let mut i = 0;
    while i < record.len() && current < field {
        match record[i] {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => current += 1,
            b'\n' if in_quotes => {
                line += 1;
                line_start = i + 1;
            }
            b'\n' if !in_quotes => break,
            _ => {}
        }
        i += 1;
    }
    let column = String::from_utf8_lossy(&record[line_start..i.min(record.len())]).chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_positions_follow_quotes_and_characters() {
        let record = "ab,\"Ж,ж\",x\n".as_bytes();
        assert_eq!(field_position_in(record, 2, 0), (2, 1));
        assert_eq!(field_position_in(record, 2, 1), (2, 4));
        assert_eq!(field_position_in(record, 2, 2), (2, 10));
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("kz-1937-000123"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(&"a".repeat(33)));
        assert!(!is_valid_id("ж"));
    }
}
