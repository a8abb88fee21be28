//! The editors' report of `esim check`: people by region and status, what
//! their records lack, biographies written; on screen and as CSV.

mod common;

use common::*;

fn rows() -> Vec<String> {
    vec![
        // Almaty: complete, verified, with a biography.
        row(&[
            ("id", "a1"),
            ("surname", "Байтурсынов"),
            ("given_name", "Ахмет"),
            ("surname_kk", "Байтұрсынұлы"),
            ("birth_date", "1872"),
            ("source", "Книга памяти"),
            ("region", "KZ-75"),
            ("status", "verified"),
        ]),
        // Almaty: no Kazakh form, no birth year, no source, unverified.
        row(&[
            ("id", "a2"),
            ("surname", "Петров"),
            ("given_name", "Иван"),
            ("region", "KZ-75"),
            ("status", "unverified"),
        ]),
        // Two cases: Almaty verified, Akmola disputed (least certain counts in the total).
        row(&[
            ("id", "b1"),
            ("surname", "Ким"),
            ("given_name", "Олег"),
            ("birth_date", "1901"),
            ("region", "KZ-75"),
            ("source", "Список"),
            ("status", "verified"),
        ]),
        row(&[("id", "b1"), ("region", "KZ-11"), ("status", "disputed")]),
    ]
}

#[test]
fn check_ends_with_the_editors_report_and_writes_it_as_csv() {
    let f = Fixture::new(&rows());
    f.write("content/people/a1.kk.md", "+++\n+++\n\nӨмірбаян.\n");
    let csv_path = f.root().join("report.csv");
    let out = f.esim(&["check", "--report", csv_path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "region,name,people,verified,unverified,disputed,without_kazakh_name,without_birth_year,without_source,with_biography"
    );
    assert!(lines.contains(&"KZ-75,Алматы,3,2,1,0,2,1,1,1"), "{csv}");
    assert!(lines.contains(&"KZ-11,Ақмола облысы,1,0,0,1,1,0,0,0"), "{csv}");
    assert!(lines.contains(&"KZ-19,Алматы облысы,0,0,0,0,0,0,0,0"), "every region, even empty: {csv}");
    assert_eq!(lines.last(), Some(&"all,,3,1,1,1,2,1,1,1"), "{csv}");

    // On screen: the regions with people and the total, aligned.
    let table = stdout.split("\n\n").nth(1).unwrap_or_default();
    let rows: Vec<Vec<&str>> =
        table.lines().filter(|l| !l.starts_with("esim:")).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 4, "header, two regions, total: {table}");
    assert_eq!(rows[3], ["all", "3", "1", "1", "1", "2", "1", "1", "1"], "{table}");
    assert!(stdout.contains("wrote the report to"), "{stdout}");
}

#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    let f = Fixture::new(&rows());
    let target = f.root().join("no-such-dir/report.csv");
    let out = f.esim(&["check", "--report", target.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no-such-dir/report.csv"), "{stderr}");
}
