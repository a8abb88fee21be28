//! Record files kept as spreadsheets: `.xlsx` and `.ods` files under
//! data/records/ are read like CSV files. The workbooks are written here with
//! real spreadsheet writers (rust_xlsxwriter, spreadsheet-ods), with date
//! cells, numbers and formulas as an editor's spreadsheet program leaves them.

mod common;

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// A cell as an editor types it.
#[derive(Clone, Copy)]
enum Cell<'a> {
    Text(&'a str),
    /// A number cell: a year, an id, a sentence in years.
    Number(f64),
    /// A date cell (year, month, day), shown as a date.
    Date(u16, u8, u8),
    /// A date cell with a time of day.
    DateTime(u16, u8, u8, u8),
    /// A formula with the value it computed last.
    Formula(&'a str, &'a str),
}

use Cell::*;

/// A sheet: its name, the (0-based) row and column of its header's first
/// cell, and its rows, header first.
struct Sheet<'a> {
    name: &'a str,
    at: (u32, u16),
    rows: Vec<Vec<Cell<'a>>>,
}

fn sheet<'a>(name: &'a str, header: &'a str, rows: Vec<Vec<Cell<'a>>>) -> Sheet<'a> {
    let mut all = vec![header.split(',').map(Text).collect::<Vec<_>>()];
    all.extend(rows);
    Sheet { name, at: (0, 0), rows: all }
}

fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(s.name).unwrap();
        for (r, cells) in s.rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let (row, col) = (s.at.0 + r as u32, s.at.1 + c as u16);
                match *cell {
                    Text("") => {}
                    Text(t) => drop(ws.write_string(row, col, t).unwrap()),
                    Number(n) => drop(ws.write_number(row, col, n).unwrap()),
                    Date(y, m, d) => {
                        let value = ExcelDateTime::from_ymd(y, m, d).unwrap();
                        ws.write_datetime_with_format(row, col, &value, &date).unwrap();
                    }
                    DateTime(y, m, d, h) => {
                        let value = ExcelDateTime::from_ymd(y, m, d).unwrap().and_hms(h.into(), 30, 0).unwrap();
                        ws.write_datetime_with_format(row, col, &value, &datetime).unwrap();
                    }
                    Formula(f, result) => drop(ws.write_formula(row, col, Formula::new(f).set_result(result)).unwrap()),
                }
            }
        }
    }
    book.save(path).unwrap();
}

fn write_ods(path: &Path, sheets: &[Sheet]) {
    let mut book = spreadsheet_ods::WorkBook::default();
    for s in sheets {
        let mut sheet = spreadsheet_ods::Sheet::new(s.name);
        for (r, cells) in s.rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let (row, col) = (s.at.0 + r as u32, s.at.1 as u32 + c as u32);
                match *cell {
                    Text("") => {}
                    Text(t) => sheet.set_value(row, col, t),
                    Number(n) => sheet.set_value(row, col, n),
                    Date(y, m, d) => sheet.set_value(row, col, ymd(y, m, d)),
                    DateTime(y, m, d, h) => {
                        sheet.set_value(row, col, ymd(y, m, d).and_hms_opt(h.into(), 30, 0).unwrap())
                    }
                    Formula(..) => panic!("formulas are written to .xlsx files"),
                }
            }
        }
        book.push_sheet(sheet);
    }
    spreadsheet_ods::write_ods(&mut book, path).unwrap();
}

fn ymd(y: u16, m: u8, d: u8) -> NaiveDate {
    NaiveDate::from_ymd_opt(y.into(), m.into(), d.into()).unwrap()
}

/// The text a CSV file holds for `cell`, as an editor would type it there.
fn csv_text(cell: &Cell) -> String {
    match *cell {
        Text(t) => t.to_string(),
        Number(n) => format!("{n}"),
        Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        DateTime(..) | Formula(..) => panic!("no CSV form"),
    }
}

const COLUMNS: &str = "id,surname,given_name,patronymic,surname_kk,given_name_kk,sex,birth_date,birth_place,region,district,arrest_date,charge,sentenced_by,sentence_date,sentence,sentence_years,fate,death_date,rehabilitation_date,archive,note,source,status";

/// Fictitious records with every kind of cell: ids and years typed as
/// numbers, date cells, texts with spaces around them, a person with two
/// cases, empty cells.
fn records() -> Vec<Vec<Cell<'static>>> {
    vec![
        vec![
            Number(1024.0),
            Text("Тестов"),
            Text("Серік"),
            Text(""),
            Text("Тестов"),
            Text("Серік"),
            Text("m"),
            Number(1901.0),
            Text("аул Бірінші"),
            Text("KZ-75"),
            Text(" Сарыарқа "),
            Date(1937, 11, 5),
            Text("58-10, 58-11"),
            Text("troika-nkvd"),
            Date(1937, 12, 1),
            Text("camp"),
            Number(10.0),
            Text("died-in-custody"),
            Date(1942, 2, 14),
            Date(1958, 6, 30),
            Text("ЦГА РК, ф. 1, оп. 2, д. 3"),
            Text(""),
            Text("Тестовый список"),
            Text("verified"),
        ],
        vec![
            Text("kz-test-2"),
            Text("Примерова"),
            Text("Анна"),
            Text("Ивановна"),
            Text(""),
            Text(""),
            Text("f"),
            Text("~1890"),
            Text(""),
            Text("KZ-75"),
            Text(""),
            Date(1931, 3, 2),
            Text("58-10"),
            Text("troika-ogpu"),
            Text("1931-05"),
            Text("exile"),
            Number(3.0),
            Text("released"),
            Text(""),
            Text(""),
            Text(""),
            Text("a note"),
            Text("Тестовый список"),
            Text("unverified"),
        ],
        vec![
            Text("kz-test-2"),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text("KZ-75"),
            Text(""),
            Date(1937, 8, 1),
            Text(""),
            Text("troika-nkvd"),
            Number(1937.0),
            Text("execution"),
            Text(""),
            Text("executed"),
            Date(1937, 9, 20),
            Date(1989, 1, 16),
            Text(""),
            Text(""),
            Text("Тестовый список"),
            Text("verified"),
        ],
    ]
}

/// A site whose records are `records()` in data/records/people.csv.
fn csv_site() -> Fixture {
    let f = Fixture::new(&[]);
    let mut text = format!("{COLUMNS}\n");
    for row in records() {
        let fields: Vec<String> = row.iter().map(csv_text).collect();
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(&fields).unwrap();
        text.push_str(&String::from_utf8(csv.into_inner().unwrap()).unwrap());
    }
    f.write("data/records/people.csv", &text);
    f
}

/// A site without records, to which a workbook is added.
fn empty_site() -> Fixture {
    let f = Fixture::new(&[]);
    fs::remove_file(f.root().join("data/records/people.csv")).unwrap();
    f
}

fn built(f: &Fixture) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let out = f.esim(&["build", "--quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    snapshot(&f.public())
}

/// The lines of a failed build's errors, paths relative to the site.
fn errors(f: &Fixture) -> String {
    let out = f.esim(&["build", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "the build fails: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", f.root().display()), "")
}

fn has_line(stderr: &str, start: &str, fragment: &str) {
    assert!(
        stderr.lines().any(|l| l.starts_with(start) && l.contains(fragment)),
        "expected {start} … {fragment} in:\n{stderr}"
    );
}

#[test]
fn an_xlsx_and_an_ods_file_build_the_same_site_as_the_equal_csv() {
    let csv = csv_site();
    let expected = built(&csv);
    assert!(csv.read("ru/people/1024/index.html").contains("Тестов"), "id typed as a number");

    let xlsx = empty_site();
    write_xlsx(&xlsx.root().join("data/records/people.xlsx"), &[sheet("Лист1", COLUMNS, records())]);
    assert!(built(&xlsx) == expected, "the .xlsx site differs from the CSV site");

    let ods = empty_site();
    write_ods(&ods.root().join("data/records/people.ods"), &[sheet("Лист1", COLUMNS, records())]);
    assert!(built(&ods) == expected, "the .ods site differs from the CSV site");
}

#[test]
fn several_sheets_in_any_column_order_and_place_are_read_and_others_skipped() {
    let csv = csv_site();
    let expected = built(&csv);

    // The first person on one sheet, the other's two cases on another with
    // the columns reversed, starting at C3; a sheet of notes before them.
    let mut all = records();
    let first = all.remove(0);
    let reversed_header: Vec<&str> = COLUMNS.split(',').rev().collect();
    let reversed_header = reversed_header.join(",");
    let reversed: Vec<Vec<Cell>> = all.into_iter().map(|r| r.into_iter().rev().collect()).collect();
    let mut second = sheet("Second list", &reversed_header, reversed);
    second.at = (2, 2);
    let notes = sheet("Notes", "Read me first,the second sheet came from the archive", Vec::new());
    let sheets = [notes, sheet("First", COLUMNS, vec![first]), second];

    let f = empty_site();
    write_xlsx(&f.root().join("data/records/book.xlsx"), &sheets);
    assert!(built(&f) == expected, "the site of the workbook differs from the CSV site");

    // A mistake on the offset sheet is reported at its cell: status is the
    // first column there, C; the second case is row 5.
    let f = empty_site();
    let mut bad = records();
    *bad[2].last_mut().unwrap() = Text("confirmed");
    let bad: Vec<Vec<Cell>> = bad.into_iter().skip(1).map(|r| r.into_iter().rev().collect()).collect();
    let mut second = sheet("Second list", &reversed_header, bad);
    second.at = (2, 2);
    write_ods(&f.root().join("data/records/book.ods"), &[second]);
    has_line(&errors(&f), "data/records/book.ods: 'Second list'!C5: ", "status \"confirmed\" must be one of");
}

#[test]
fn cells_without_an_honest_text_are_errors_at_their_cell() {
    let f = empty_site();
    let header = "id,surname,given_name,region,status,birth_date,arrest_date,sentence_years,note";
    let ok = |id| vec![Text(id), Text("Тестов"), Text("Серік"), Text("KZ-75"), Text("verified")];
    let with = |id, extra: Vec<Cell<'static>>| {
        let mut row = ok(id);
        row.extend(extra);
        row
    };
    let rows = vec![
        with("t1", vec![Number(1901.0), Date(1937, 11, 5), Number(10.0)]),
        with("t2", vec![Number(1937.5)]),
        with("t3", vec![Text(""), Formula("=#REF!+1", "#REF!")]),
        with("t4", vec![Text(""), DateTime(1937, 11, 5, 10)]),
        with("t5", vec![Text(""), Text(""), Number(2.5)]),
        with("t6", vec![Text(""), Text("1937-13-01")]),
        vec![Text("t7"), Text("Тестов"), Text("Серік"), Text("KZ-99"), Text("verified")],
        with("t8", vec![Text(""), Formula("=1936+1", "1937")]),
        with("t9", vec![Text(""), Text(""), Text(""), Text(""), Text("stray")]),
    ];
    write_xlsx(&f.root().join("data/records/akmola.xlsx"), &[sheet("Лист1", header, rows)]);
    let stderr = errors(&f);
    let at = |cell: &str| format!("data/records/akmola.xlsx: Лист1!{cell}: ");
    has_line(&stderr, &at("F3"), "the number 1937.5 is not a whole year");
    has_line(&stderr, &at("G4"), "the error #REF!");
    has_line(&stderr, &at("G5"), "a date with a time of day");
    has_line(&stderr, &at("H6"), "the number 2.5 is not a whole number");
    has_line(&stderr, &at("G7"), "arrest_date");
    has_line(&stderr, &at("D8"), "unknown region \"KZ-99\"");
    has_line(&stderr, &at("J10"), "right of the last column of the header");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("data/records/")).count(),
        7,
        "one error per bad cell:\n{stderr}"
    );
    assert!(!stderr.contains("!A2:") && !stderr.contains("!G9:"), "good rows and a formula's value are read: {stderr}");
}

#[test]
fn a_person_across_two_files_names_the_other_row_by_sheet_and_row() {
    let f = Fixture::new(&[person("p1", "Тестов", "Серік")]);
    // A second case of p1, read after people.csv (files are read in name order).
    let rows = vec![vec![Text("p1"), Text("Тестова"), Text(""), Text("KZ-75"), Text("verified"), Date(1931, 3, 2)]];
    let header = "id,surname,given_name,region,status,arrest_date";
    write_ods(&f.root().join("data/records/second.ods"), &[sheet("Cases", header, rows)]);
    has_line(
        &errors(&f),
        "data/records/second.ods: Cases!B2: ",
        "surname \"Тестова\" of person p1 conflicts with \"Тестов\" at data/records/people.csv:2: ",
    );

    let f = Fixture::new(&[]);
    write_ods(
        &f.root().join("data/records/a.ods"),
        &[sheet(
            "Cases",
            "id,surname,given_name,region,status",
            vec![vec![Text("p1"), Text("Тестов"), Text("Серік"), Text("KZ-75"), Text("verified")]],
        )],
    );
    f.records("people.csv", &[person("p1", "Тестова", "Серік")]);
    has_line(&errors(&f), "data/records/people.csv:2:", "at data/records/a.ods, sheet Cases, row 2: person fields");
}

#[test]
fn a_workbook_without_a_records_sheet_is_an_error_that_names_its_sheets() {
    let f = Fixture::new(&[person("a1", "Тестов", "Серік")]);
    let notes = sheet("Notes", "Фамилия,Имя,Отчество", vec![vec![Text("Тестов"), Text("Серік"), Text("")]]);
    write_xlsx(&f.root().join("data/records/list.xlsx"), &[notes, sheet("Empty", "", Vec::new())]);
    let stderr = errors(&f);
    has_line(&stderr, "data/records/list.xlsx:1:1: ", "no sheet of this workbook has a header row of record columns");
    has_line(&stderr, "data/records/list.xlsx:1:1: ", "sheet \"Notes\" begins with \"Фамилия\", \"Имя\", \"Отчество\"");
    has_line(&stderr, "data/records/list.xlsx:1:1: ", "sheet \"Empty\" is empty");

    // A header with a typo is a records sheet: the typo is reported.
    let f = Fixture::new(&[]);
    fs::remove_file(f.root().join("data/records/people.csv")).unwrap();
    let rows = vec![vec![Text("a1"), Text("Тестов"), Text("Серік"), Text("KZ-75"), Text("verified")]];
    write_xlsx(&f.root().join("data/records/list.xlsx"), &[sheet("Лист1", "id,surnme,given_name,region,status", rows)]);
    let stderr = errors(&f);
    has_line(&stderr, "data/records/list.xlsx: Лист1!B1: ", "unknown column \"surnme\"");
    has_line(&stderr, "data/records/list.xlsx: Лист1!A1: ", "the header has no \"surname\" column");
}

#[test]
fn open_workbooks_lock_files_are_not_records() {
    let f = Fixture::new(&[person("a1", "Тестов", "Серік")]);
    f.write("data/records/~$list.xlsx", "locked by an editor");
    f.write("data/records/.~lock.list.ods#", "locked by an editor");
    built(&f);
}

#[test]
fn a_csv_saved_by_excel_in_a_russian_locale_gets_one_error_saying_so() {
    let f = Fixture::new(&[person("a1", "Тестов", "Серік")]);
    // "Тестов" and "Серік"'s Russian form "Серик" in Windows-1251, `;` between fields.
    let mut bytes = b"id;surname;given_name;region;status\r\na1;".to_vec();
    bytes.extend([0xD2, 0xE5, 0xF1, 0xF2, 0xEE, 0xE2]);
    bytes.push(b';');
    bytes.extend([0xD1, 0xE5, 0xF0, 0xE8, 0xEA]);
    bytes.extend(b";KZ-75;verified\r\n");
    fs::write(f.root().join("data/records/people.csv"), bytes).unwrap();
    let stderr = errors(&f);
    has_line(
        &stderr,
        "data/records/people.csv:1:1: ",
        "as Excel saves it in a Russian (or other non-UTF-8) locale: semicolons (;) between fields and text in Windows-1251",
    );
    has_line(&stderr, "data/records/people.csv:1:1: ", "Save As “CSV UTF-8 (Comma delimited)”");
    assert!(stderr.contains("1 error found"), "one error, not one per row: {stderr}");
}

#[test]
fn a_biography_can_be_started_for_a_record_kept_in_a_workbook() {
    let f = empty_site();
    let rows = vec![vec![Number(77.0), Text("Тестов"), Text("Серік"), Text("KZ-75"), Text("verified")]];
    write_ods(
        &f.root().join("data/records/people.ods"),
        &[sheet("Лист1", "id,surname,given_name,region,status", rows)],
    );
    let out = f.esim(&["new", "person", "77", "--lang", "ru"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(f.root().join("content/people/77.ru.md").is_file());
    let out = f.esim(&["new", "person", "78", "--lang", "ru"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no record in data/records/ has the id"),
        "an id not in the workbook"
    );
    built(&f);
}
