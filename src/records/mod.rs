//! Records: every `data/records/*.csv` (and every spreadsheet, `*.xlsx` and
//! `*.ods`, see [`sheets`]) read in parallel, each row validated, then
//! rows grouped into people (one row is one case; a person repressed twice has two
//! rows with the same id). People are kept as compact structs: codes become small
//! indices into the reference tables, dates become [`PartialDate`]s.

mod chronology;
mod place;
pub mod redirects;
mod reload;
pub mod sheets;
mod sniff;
pub mod withdrawn;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::columns::{self, Column};
pub use crate::model::is_valid_id;
use crate::model::{Case, Interner, PartialDate, Person, Sex};
use crate::reference::{Regions, Vocabulary};
pub use place::SourceRow;
use place::{RowOrigin, Sources, Table};
use reload::shared_rows;
pub use reload::{reload, Reloaded};

/// The bytes of a small optional table (`data/redirects.csv`,
/// `data/withdrawn.csv`); None when there is none or it cannot be read (then
/// reported).
pub(crate) fn read_optional_table(path: &Path, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            diags.push(Diagnostic::file(path, format!("cannot read: {e}")));
            None
        }
    }
}

/// A reader of a small table's rows, header included, a UTF-8 BOM skipped.
pub(crate) fn table_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body)
}

/// Longest value accepted in one field: longer ones are almost always a broken
/// quote that swallowed the rest of the file.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// Largest record file accepted. All of the commission's 311,000 people fit in
/// about 150 MB; a larger single file is an export gone wrong, and reading it
/// would hold gigabytes of rows in memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

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
    /// Whether a record file was refused whole (UTF-16, another delimiter, too
    /// large): the ids it holds are unknown, so checks that need every id
    /// (the ledger) would report its people missing.
    pub incomplete: bool,
    /// Where each person's first row is, parallel to `people`: reports that
    /// send an editor back to the record (`esim duplicates`) name it.
    pub rows: Vec<SourceRow>,
    /// The file (an index into `files`) that holds all of each person's rows,
    /// or [`SEVERAL_FILES`], parallel to `people`: an edit of one file changes
    /// only the people it holds whole (see [`reload`]).
    pub file_of: Vec<u32>,
    /// For each person whose rows are in several files: the fingerprint of
    /// their rows in each of these files (see [`shared_rows`]). An edit of
    /// one of the files that leaves their rows there as they were leaves them
    /// as they were.
    pub shared: HashMap<String, Vec<(u32, u64)>>,
}

/// [`Records::file_of`] of a person whose rows are in more than one file.
pub const SEVERAL_FILES: u32 = u32::MAX;

/// Extensions of files that hold records in a format esim does not read: a
/// file with one of them in data/records/ is an export that was forgotten.
const NOT_READ: [&str; 3] = ["xls", "tsv", "txt"];

/// Reads every `*.csv`, `*.xlsx` and `*.ods` under `dir` (recursively; the
/// extension in any case).
pub fn load(dir: &Path, regions: &Regions, vocabulary: &Vocabulary, diags: &mut Diagnostics) -> Records {
    let files = record_files(dir, diags);
    if files.is_empty() {
        diags.push(Diagnostic::file(dir, "no record file (*.csv, *.xlsx or *.ods) found"));
    }
    let parsed: Vec<FileRows> =
        files.par_iter().enumerate().map(|(i, path)| read_file(i, path, regions, vocabulary)).collect();
    // Each file's rows stay in their own list: one list of all of them
    // would be copied as it grows, doubling the largest structure of the load.
    let mut rows = Vec::new();
    let mut rejected_ids = HashSet::new();
    let mut tables = Vec::new();
    let incomplete = parsed.iter().any(|f| f.refused);
    for file in parsed {
        diags.extend(file.diags);
        rows.push(file.rows);
        rejected_ids.extend(file.rejected_ids);
        tables.push(file.tables);
    }
    let shared = shared_rows(&rows);
    let (people, rows, file_of) = group(rows, &Sources { files: &files, tables: &tables }, diags);
    Records { people, files, rejected_ids, incomplete, rows, file_of, shared }
}

/// Whether `path` is a spreadsheet read with [`sheets`].
fn is_spreadsheet(path: &Path) -> bool {
    let extension = path.extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
    extension.is_some_and(|x| sheets::EXTENSIONS.contains(&x.as_str()))
}

/// Whether a file under data/records/ is one that a spreadsheet program keeps
/// while a workbook is open (Excel's `~$akmola.xlsx`, LibreOffice's
/// `.~lock.akmola.ods#`): not records.
pub fn is_lock_file(name: &str) -> bool {
    name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#'))
}

/// The record files under `dir`, sorted; a file in a format esim does not read
/// beside them is an error, as it would otherwise be silently left out of the
/// site.
fn record_files(dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
        let extension = entry.path().extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            _ if !entry.file_type().is_file() || is_lock_file(&entry.file_name().to_string_lossy()) => {}
            Some("csv") => files.push(entry.into_path()),
            Some(x) if sheets::EXTENSIONS.contains(&x) => files.push(entry.into_path()),
            Some(x) if NOT_READ.contains(&x) => diags.push(Diagnostic::file(
                entry.path(),
                format!("this .{x} file is not read: esim reads the *.csv, *.xlsx and *.ods files of data/records/; save it in one of these formats, or move it out of data/records/"),
            )),
            _ => {}
        }
    }
    files.sort();
    files
}

/// What one record file gave: its valid rows, the ids of its rejected rows, and
/// its problems.
struct FileRows {
    rows: Vec<Row>,
    rejected_ids: Vec<String>,
    diags: Diagnostics,
    /// The file was refused whole: none of its rows was read.
    refused: bool,
    /// Its tables: one for a CSV file, one per sheet read of a workbook.
    tables: Vec<Table>,
}

/// Reads one record file, validating each row.
fn read_file(file: usize, path: &Path, regions: &Regions, vocabulary: &Vocabulary) -> FileRows {
    let out = FileRows {
        rows: Vec::new(),
        rejected_ids: Vec::new(),
        diags: Diagnostics::new(),
        refused: true,
        tables: Vec::new(),
    };
    let mut reader = FileReader { file, path, regions, vocabulary, interner: Interner::default(), out };
    let limit = if is_spreadsheet(path) { sheets::MAX_FILE_BYTES } else { MAX_FILE_BYTES };
    match std::fs::metadata(path) {
        Ok(m) if m.len() > limit => {
            reader.out.diags.push(Diagnostic::file(
                path,
                format!("the file is {} MB, more than the {} MB a record file of its kind may have: split it into several files (every *.csv, *.xlsx and *.ods under data/records/ is read)", m.len() >> 20, limit >> 20),
            ));
        }
        Err(e) => reader.out.diags.push(Diagnostic::file(path, format!("cannot read: {e}"))),
        Ok(_) if is_spreadsheet(path) => reader.workbook(),
        Ok(_) => reader.csv(),
    }
    reader.out
}

/// The reader of one record file: its tables' headers and rows go through
/// the same validation whether they come from CSV or from a sheet.
struct FileReader<'a> {
    file: usize,
    path: &'a Path,
    regions: &'a Regions,
    vocabulary: &'a Vocabulary,
    interner: Interner,
    out: FileRows,
}

/// Makes a message at a field of a row (None: the row itself).
type At<'a> = &'a dyn Fn(Option<usize>, String) -> Diagnostic;

impl FileReader<'_> {
    /// Reads a CSV file as a stream (a file may be larger than memory allows
    /// to hold twice).
    fn csv(&mut self) {
        let path = self.path;
        let mut input = match File::open(path) {
            Ok(f) => BufReader::with_capacity(1 << 16, f),
            Err(e) => return self.out.diags.push(Diagnostic::file(path, format!("cannot read: {e}"))),
        };
        let (bom, encoding) = match input.fill_buf() {
            Ok(buf) if buf.starts_with(b"\xEF\xBB\xBF") => (3, None),
            Ok(buf) => match sniff::utf16(buf) {
                Some(message) => return self.out.diags.push(Diagnostic::file(path, message)),
                None => (0, sniff::legacy_encoding(buf)),
            },
            Err(_) => (0, None),
        };
        input.consume(bom);
        self.out.refused = false;
        self.out.tables.push(Table::default());
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
        let mut record = csv::ByteRecord::new();
        let mut header: Option<Vec<Option<Column>>> = None;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                    self.out.diags.error(path, line, 0, format!("cannot parse CSV: {e}"));
                    break;
                }
            }
            let pos = record.position().cloned().unwrap_or_else(csv::Position::new);
            let origin =
                RowOrigin { file: self.file, table: 0, line: pos.line() as usize, byte: bom as u64 + pos.byte() };
            let table = Table::default();
            let at = |field: Option<usize>, message: String| table.diagnostic(path, &origin, field, message);
            match &header {
                None => {
                    let names: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
                    if let Some(message) = sniff::other_delimiter(&names, &|n| Column::from_name(n).is_some(), encoding)
                    {
                        self.out.diags.error(path, origin.line, 1, message);
                        self.out.refused = true;
                        return;
                    }
                    header = Some(self.header(&record, &at));
                }
                // A blank line, as spreadsheets leave at the end.
                Some(_) if record.iter().all(|f| f.iter().all(|b| b.is_ascii_whitespace())) => {}
                Some(columns) if record.len() != columns.len() => {
                    self.out.diags.error(
                        path,
                        origin.line,
                        1,
                        format!(
                            "this row has {} fields but the header has {}: check for a missing or extra comma, or an unclosed quote",
                            record.len(),
                            columns.len()
                        ),
                    );
                    self.out.rejected_ids.extend(id_of(&record, columns));
                }
                Some(columns) => self.row(&record, columns, origin.clone(), &at, &[]),
            }
        }
        match header {
            Some(columns) => self.out.tables[0].header = columns,
            None => self.out.diags.push(Diagnostic::file(path, "the file is empty: expected a header row")),
        }
    }

    /// Reads the sheets of a workbook that hold records, each a table with
    /// its own header.
    fn workbook(&mut self) {
        let path = self.path;
        let sheets = match sheets::read(path) {
            Ok(sheets) => sheets,
            Err(message) => return self.out.diags.push(Diagnostic::file(path, message)),
        };
        self.out.refused = false;
        for (index, sheet) in sheets.into_iter().enumerate() {
            let table = Table { sheet: Some((sheet.name, sheet.first_column)), header: Vec::new() };
            let mut header: Option<Vec<Option<Column>>> = None;
            for row in sheet.rows {
                let origin = RowOrigin { file: self.file, table: index as u16, line: row.row, byte: 0 };
                let at = |field: Option<usize>, message: String| table.diagnostic(path, &origin, field, message);
                match &header {
                    None => {
                        for (field, message) in &row.bad {
                            self.out.diags.push(at(Some(*field), message.clone()));
                        }
                        header = Some(self.header(&row.record, &at));
                    }
                    Some(columns) => self.row(&row.record, columns, origin.clone(), &at, &row.bad),
                }
            }
            self.out.tables.push(Table { header: header.unwrap_or_default(), ..table });
        }
    }

    fn header(&mut self, record: &csv::ByteRecord, at: At) -> Vec<Option<Column>> {
        read_header(record, at, &mut self.out.diags)
    }

    /// Validates one row; `bad` are its fields whose cells have no text form
    /// (reported here; the row is then rejected).
    fn row(
        &mut self,
        record: &csv::ByteRecord,
        columns: &[Option<Column>],
        origin: RowOrigin,
        at: At,
        bad: &[(usize, String)],
    ) {
        for (field, message) in bad {
            self.out.diags.push(at(Some(*field), message.clone()));
        }
        let skip: Vec<usize> = bad.iter().map(|(field, _)| *field).collect();
        let (regions, vocabulary) = (self.regions, self.vocabulary);
        let checked =
            read_row(record, columns, origin, at, &skip, regions, vocabulary, &mut self.out.diags, &mut self.interner);
        match checked {
            Some(row) if bad.is_empty() => self.out.rows.push(row),
            _ => self.out.rejected_ids.extend(id_of(record, columns)),
        }
    }
}

/// The id of a rejected row, when it is one: the person exists, so later
/// checks must not report them missing.
fn id_of(record: &csv::ByteRecord, columns: &[Option<Column>]) -> Option<String> {
    let i = columns.iter().position(|c| *c == Some(Column::Id))?;
    let id = std::str::from_utf8(record.get(i)?).ok()?.trim();
    is_valid_id(id).then(|| id.to_string())
}

/// At most this many problems of a header are reported one by one: a header
/// of thousands of columns is one mistake, not thousands.
const MAX_HEADER_PROBLEMS: usize = 20;

fn read_header(record: &csv::ByteRecord, at: At, diags: &mut Diagnostics) -> Vec<Option<Column>> {
    let mut columns = Vec::new();
    let mut problems = 0;
    for (i, raw) in record.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        let name = name.trim();
        let message = match Column::from_name(name) {
            Some(c) if columns.contains(&Some(c)) => format!("column {name:?} appears twice in the header"),
            Some(c) => {
                columns.push(Some(c));
                continue;
            }
            None => format!("unknown column {name:?} (is it a typo? known columns: {})", known_columns()),
        };
        columns.push(None);
        problems += 1;
        // Positions are found by reading the record again: only for those shown.
        if problems <= MAX_HEADER_PROBLEMS {
            diags.push(at(Some(i), message));
        }
    }
    if problems > MAX_HEADER_PROBLEMS {
        let more = problems - MAX_HEADER_PROBLEMS;
        diags.push(at(None, format!("… and {more} more unknown or repeated columns in the header")));
    }
    for required in columns::REQUIRED {
        if !columns.contains(&Some(required)) {
            diags.push(at(None, format!("the header has no {:?} column, which is required", required.name())));
        }
    }
    columns
}

fn known_columns() -> String {
    columns::ALL.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
}

/// The checks of one row: its field texts by column, and the messages about
/// them. Fields in `skip` (cells without a text form, already reported) are
/// read as empty and no further message is given about them.
struct RowCheck<'a> {
    values: FxHashMap<Column, (String, usize)>,
    skip: Vec<Column>,
    at: At<'a>,
    diags: &'a mut Diagnostics,
    failed: bool,
}

impl RowCheck<'_> {
    fn get(&self, c: Column) -> &str {
        self.values.get(&c).map(|(t, _)| t.as_str()).unwrap_or("")
    }

    /// A problem with column `c`, at its field (at the row when it has none).
    fn err(&mut self, c: Column, message: String) {
        self.failed = true;
        if !self.skip.contains(&c) {
            self.diags.push((self.at)(self.values.get(&c).map(|(_, i)| *i), message));
        }
    }

    /// The code of `c`'s value in `table`; None (reported) when it has none.
    fn code(&mut self, c: Column, table: &crate::reference::TermTable, name: &str) -> Option<u16> {
        let v = self.get(c).to_string();
        if v.is_empty() {
            return None;
        }
        let found = table.index_of(&v);
        if found.is_none() {
            let message = format!(
                "unknown {} code {v:?}: expected one of data/vocabulary.toml [{name}]: {:?}",
                c.name(),
                table.codes()
            );
            self.err(c, message);
        }
        found
    }

    fn date(&mut self, c: Column) -> Option<PartialDate> {
        PartialDate::parse_optional(self.get(c)).unwrap_or_else(|e| {
            self.err(c, format!("{}: {e}", c.name()));
            None
        })
    }
}

/// The field texts of a record by column, with their index; a field that is
/// no text (invalid UTF-8, a control character, too long) is reported.
fn field_values(
    record: &csv::ByteRecord,
    columns: &[Option<Column>],
    skip: &[usize],
    at: At,
    diags: &mut Diagnostics,
) -> FxHashMap<Column, (String, usize)> {
    let mut values = FxHashMap::default();
    for (i, raw) in record.iter().enumerate() {
        let Some(column) = columns[i] else { continue };
        if skip.contains(&i) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(raw) else {
            diags.push(at(Some(i), "this field is not valid UTF-8: the file may be in a legacy encoding such as CP1251; save it as UTF-8 (e.g. iconv -f CP1251 -t UTF-8 in.csv > out.csv)".into()));
            continue;
        };
        if let Some((index, c)) = sniff::control_character(text) {
            diags.push(at(
                Some(i),
                format!(
                    "{} contains the control character {} (character {} of the field), which is not text: remove it; a file full of them is UTF-16, to be saved as UTF-8",
                    column.name(),
                    sniff::describe(c),
                    index + 1
                ),
            ));
            continue;
        }
        let text = text.trim().to_string();
        if text.len() > MAX_FIELD_BYTES {
            diags.push(at(
                Some(i),
                format!(
                    "{} is {} bytes long (at most {MAX_FIELD_BYTES}): is a quote left open?",
                    column.name(),
                    text.len()
                ),
            ));
            continue;
        }
        values.insert(column, (text, i));
    }
    values
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    record: &csv::ByteRecord,
    columns: &[Option<Column>],
    origin: RowOrigin,
    at: At,
    skip: &[usize],
    regions: &Regions,
    vocabulary: &Vocabulary,
    diags: &mut Diagnostics,
    interner: &mut Interner,
) -> Option<Row> {
    let before = diags.len();
    let values = field_values(record, columns, skip, at, diags);
    let skip = skip.iter().filter_map(|i| columns.get(*i).copied().flatten()).collect();
    let mut ck = RowCheck { values, skip, at, diags, failed: false };

    let id = ck.get(Column::Id).to_string();
    if !is_valid_id(&id) {
        ck.err(Column::Id, format!("id {id:?} must be 1–32 characters of 0-9 A-Z a-z -"));
    }
    let mut case = Case::default();
    let region = ck.get(Column::Region).to_string();
    match regions.index_of(&region) {
        Some(r) => case.region = r,
        None if region.is_empty() => ck.err(Column::Region, "region is required".into()),
        None => ck.err(Column::Region, format!("unknown region {region:?}: expected a code from data/regions.toml")),
    }
    let status = ck.get(Column::Status).to_string();
    match vocabulary.status.index_of(&status) {
        Some(s) => case.status = s,
        None => ck.err(Column::Status, format!("status {status:?} must be one of {:?}", vocabulary.status.codes())),
    }
    case.sentenced_by = ck.code(Column::SentencedBy, &vocabulary.bodies, "bodies");
    case.sentence = ck.code(Column::Sentence, &vocabulary.sentences, "sentences");
    case.fate = ck.code(Column::Fate, &vocabulary.fates, "fates");
    case.arrest_date = ck.date(Column::ArrestDate);
    case.sentence_date = ck.date(Column::SentenceDate);
    case.rehabilitation_date = ck.date(Column::RehabilitationDate);
    // Person dates are checked here for their syntax; they are kept as text until
    // rows are grouped.
    ck.date(Column::BirthDate);
    ck.date(Column::DeathDate);
    let years = ck.get(Column::SentenceYears).to_string();
    if !years.is_empty() {
        match years.parse::<u16>() {
            Ok(y) if y <= 100 => case.sentence_years = Some(y),
            _ => ck.err(
                Column::SentenceYears,
                format!("sentence_years {years:?} must be a whole number of years (0–100)"),
            ),
        }
    }
    let sex = ck.get(Column::Sex).to_string();
    if !matches!(sex.as_str(), "" | "m" | "f") {
        ck.err(Column::Sex, format!("sex {sex:?} must be m, f or empty"));
    }
    case.occupation = interner.intern(ck.get(Column::Occupation));
    case.residence = interner.intern(ck.get(Column::Residence));
    case.district = interner.intern(ck.get(Column::District));
    case.charge = interner.intern(ck.get(Column::Charge));
    case.rehabilitated_by = interner.intern(ck.get(Column::RehabilitatedBy));
    case.archive = interner.intern(ck.get(Column::Archive));
    case.note = interner.intern(ck.get(Column::Note));
    case.source = interner.intern(ck.get(Column::Source));
    if ck.failed || ck.diags.len() > before {
        return None;
    }
    let mut values = ck.values;
    let person_fields = columns::PERSON.iter().filter_map(|c| values.remove(c).map(|(t, p)| (*c, t, p))).collect();
    Some(Row { origin, id, person_fields, case })
}

/// Groups rows into people by id, in file order, checking that person fields
/// agree; each person comes with their first row.
fn group(rows: Vec<Vec<Row>>, sources: &Sources, diags: &mut Diagnostics) -> (Vec<Person>, Vec<SourceRow>, Vec<u32>) {
    // Most people have one row: their fields need no comparing, and are
    // moved into the person rather than kept beside it (at 311,000 people
    // a table of every field's text per person was the build's peak memory).
    let mut row_counts: FxHashMap<&str, u32> = FxHashMap::default();
    for row in rows.iter().flatten() {
        *row_counts.entry(row.id.as_str()).or_default() += 1;
    }
    let several: FxHashSet<String> =
        row_counts.into_iter().filter(|(_, n)| *n > 1).map(|(id, _)| id.to_string()).collect();
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    // For each person of several rows: the field values seen so far and
    // where each came from (empty for a person of one row).
    let mut seen: Vec<FxHashMap<Column, (String, RowOrigin, usize)>> = Vec::new();
    let mut ids = IdCase::default();
    let mut first_rows: Vec<RowOrigin> = Vec::new();
    // Where each case of each person came from, to name the first of two
    // identical rows.
    let mut case_rows: Vec<Vec<RowOrigin>> = Vec::new();
    let mut people: Vec<Person> = Vec::new();
    let mut interner = Interner::default();
    // A file's list is freed once its rows are grouped.
    for row in rows.into_iter().flatten() {
        let slot = *index.entry(row.id.clone()).or_insert_with(|| {
            ids.check(&row.id, &row.origin, sources, diags);
            people.push(Person { id: row.id.clone(), ..Person::default() });
            seen.push(FxHashMap::default());
            first_rows.push(row.origin.clone());
            case_rows.push(Vec::new());
            people.len() - 1
        });
        let compared = several.contains(&row.id);
        for (column, value, field) in row.person_fields {
            if value.is_empty() {
                continue;
            }
            if !compared {
                set_person_field(&mut people[slot], column, value, &mut interner);
                continue;
            }
            match seen[slot].get(&column) {
                Some((existing, origin, _)) if *existing != value => diags.push(sources.at(
                    &row.origin,
                    Some(field),
                    format!(
                        "{} {value:?} of person {} conflicts with {:?} at {}: person fields on a second case must be empty or equal",
                        column.name(),
                        row.id,
                        existing,
                        sources.describe(origin),
                    ),
                )),
                Some(_) => {}
                None => {
                    set_person_field(&mut people[slot], column, value.clone(), &mut interner);
                    seen[slot].insert(column, (value, row.origin.clone(), field));
                }
            }
        }
        if let Some(i) = people[slot].cases.iter().position(|c| *c == row.case) {
            let first = &case_rows[slot][i];
            diags.push(sources.at(
                &row.origin,
                None,
                format!(
                    "duplicate row: person {} has the same case at {} (a second case of the same person must differ)",
                    row.id,
                    sources.describe(first)
                ),
            ));
            continue;
        }
        people[slot].cases.push(row.case);
        case_rows[slot].push(row.origin);
    }
    // Before cases are sorted: case_rows follows their order as read.
    for (((person, fields), origins), first) in people.iter().zip(&seen).zip(&case_rows).zip(&first_rows) {
        chronology::check(&person.id, &dates_of(person, fields, first, origins, sources), sources, diags);
    }
    for (person, origin) in people.iter_mut().zip(&first_rows) {
        if person.archive_name.surname.is_empty() {
            diags.push(sources.at(origin, None, format!("person {} has no surname", person.id)));
        }
        if person.archive_name.given.is_empty() {
            diags.push(sources.at(origin, None, format!("person {} has no given_name", person.id)));
        }
        // Stable sort: cases without a date keep their file order.
        person.cases.sort_by_key(|c| c.first_date().map(|d| (d.year, d.month, d.day)).unwrap_or((u16::MAX, 0, 0)));
    }
    let source_row = |o: RowOrigin| SourceRow { file: o.file, sheet: sources.sheet(&o).map(Into::into), line: o.line };
    let file_of = |origins: &[RowOrigin]| match origins.split_first() {
        Some((first, rest)) if rest.iter().any(|o| o.file != first.file) => SEVERAL_FILES,
        Some((first, _)) => first.file as u32,
        None => SEVERAL_FILES,
    };
    // Sorted by id through a permutation: a person is a few hundred bytes,
    // which a sort would move about twenty times each.
    let mut order: Vec<u32> = (0..people.len() as u32).collect();
    order.sort_unstable_by(|a, b| people[*a as usize].id.cmp(&people[*b as usize].id));
    let file_of = order.iter().map(|&i| file_of(&case_rows[i as usize])).collect();
    let mut people: Vec<Option<Person>> = people.into_iter().map(Some).collect();
    let mut first_rows: Vec<Option<RowOrigin>> = first_rows.into_iter().map(Some).collect();
    let rows = order.iter().map(|&i| source_row(first_rows[i as usize].take().expect("each once"))).collect();
    let people = order.iter().map(|&i| people[i as usize].take().expect("each once")).collect();
    (people, rows, file_of)
}

/// The dates of a person and of each of their cases (read from the rows
/// `origins`, in order), with the fields they were read from: a person
/// field's from `fields` when the person has several rows, else from the
/// only row, `first`.
fn dates_of(
    person: &Person,
    fields: &FxHashMap<Column, (String, RowOrigin, usize)>,
    first: &RowOrigin,
    origins: &[RowOrigin],
    sources: &Sources,
) -> chronology::Dates {
    let person_date = |column: Column, date: Option<PartialDate>| {
        let date = date?;
        let (origin, field) = match fields.get(&column) {
            Some((_, origin, field)) => (origin.clone(), *field),
            None => (first.clone(), sources.field(first, column)?),
        };
        Some(chronology::Dated { column, date, origin, field })
    };
    let case_date = |column: Column, date: Option<PartialDate>, origin: &RowOrigin| {
        let field = sources.field(origin, column)?;
        Some(chronology::Dated { column, date: date?, origin: origin.clone(), field })
    };
    let cases = person
        .cases
        .iter()
        .zip(origins)
        .map(|(case, origin)| chronology::CaseDates {
            arrest: case_date(Column::ArrestDate, case.arrest_date, origin),
            sentence: case_date(Column::SentenceDate, case.sentence_date, origin),
            rehabilitation: case_date(Column::RehabilitationDate, case.rehabilitation_date, origin),
        })
        .collect();
    chronology::Dates {
        birth: person_date(Column::BirthDate, person.birth_date),
        death: person_date(Column::DeathDate, person.death_date),
        cases,
    }
}

/// Ids seen so far by their lowercase form: two ids that differ only in case
/// (`Ab12`, `ab12`) name two pages that are one file on the case-insensitive
/// file systems of Windows and macOS, and of many web servers' disks.
#[derive(Default)]
struct IdCase {
    first: HashMap<String, (String, RowOrigin)>,
}

impl IdCase {
    fn check(&mut self, id: &str, origin: &RowOrigin, sources: &Sources, diags: &mut Diagnostics) {
        match self.first.get(&id.to_ascii_lowercase()) {
            Some((other, first)) => diags.push(sources.at(
                origin,
                None,
                format!(
                    "id {id} differs from id {other} at {} only in upper and lower case: their pages would be the same file on case-insensitive file systems; give one of them another id",
                    sources.describe(first)
                ),
            )),
            None => {
                self.first.insert(id.to_ascii_lowercase(), (id.to_string(), origin.clone()));
            }
        }
    }
}

fn set_person_field(p: &mut Person, column: Column, v: String, interner: &mut Interner) {
    let value = v.as_str();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("kz-1937-000123"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(&"a".repeat(33)));
        assert!(!is_valid_id("ж"));
    }
}
