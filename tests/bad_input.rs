//! Every malformed input gives `path:line:column: message`, all of them in one
//! run, exit status 1, and leaves the previously built site untouched.

mod common;

use common::*;

/// Builds a good site, breaks it with `damage`, and checks that the build fails
/// with each of `expected` (a `path:line:column` prefix and a message fragment),
/// exit status 1, and the old site intact.
fn fails_with(f: &Fixture, damage: impl FnOnce(&Fixture), expected: &[(&str, &str)]) -> String {
    let ok = f.esim(&["build", "--quiet"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let before = snapshot(&f.public());
    damage(f);
    let out = f.esim(&["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", f.root().display()), "");
    assert_eq!(out.status.code(), Some(1), "exit status 1; stderr: {stderr}");
    for (location, message) in expected {
        assert!(
            stderr.lines().any(|l| l.starts_with(location) && l.contains(message)),
            "expected {location} … {message} in:\n{stderr}"
        );
    }
    assert!(before == snapshot(&f.public()), "the previous site changed");
    let check = f.esim(&["check"]);
    assert_eq!(check.status.code(), Some(1), "check fails too");
    stderr
}

fn good() -> Fixture {
    Fixture::new(&[person("a1", "Петров", "Пётр"), person("a2", "Сидоров", "Иван")])
}

#[test]
fn wrong_number_of_fields() {
    let f = good();
    fails_with(
        &f,
        |f| f.write("data/records/people.csv", &format!("{HEADER}\n{},extra\n", person("a1", "Петров", "Пётр"))),
        &[("data/records/people.csv:2:1:", "34 fields but the header has 33")],
    );
}

#[test]
fn unknown_column_names_the_column() {
    let f = good();
    fails_with(
        &f,
        |f| f.write("data/records/people.csv", &format!("{},surnmae\n{},x\n", HEADER, person("a1", "Петров", "Пётр"))),
        &[("data/records/people.csv:1:", "unknown column \"surnmae\"")],
    );
}

#[test]
fn bad_dates_point_at_the_field() {
    let f = good();
    let bad = row(&[
        ("id", "a1"),
        ("surname", "Петров"),
        ("given_name", "Пётр"),
        ("region", "KZ-75"),
        ("status", "verified"),
        ("arrest_date", "05.11.1937"),
    ]);
    let col = bad[..bad.find("05.11").unwrap()].chars().count() + 1;
    fails_with(
        &f,
        |f| f.records("people.csv", std::slice::from_ref(&bad)),
        &[(&format!("data/records/people.csv:2:{col}:"), "arrest_date: \"05.11.1937\" is not a date")],
    );
}

#[test]
fn unknown_region_and_vocabulary_codes() {
    let f = good();
    let bad = row(&[
        ("id", "a1"),
        ("surname", "Петров"),
        ("given_name", "Пётр"),
        ("region", "KZ-99"),
        ("status", "verified"),
        ("sentence", "gulag"),
        ("fate", "vanished"),
    ]);
    fails_with(
        &f,
        |f| f.records("people.csv", std::slice::from_ref(&bad)),
        &[
            ("data/records/people.csv:2:", "unknown region \"KZ-99\""),
            ("data/records/people.csv:2:", "unknown sentence code \"gulag\""),
            ("data/records/people.csv:2:", "unknown fate code \"vanished\""),
        ],
    );
}

#[test]
fn malformed_and_duplicate_ids() {
    let f = good();
    fails_with(
        &f,
        |f| {
            f.records(
                "people.csv",
                &[person("a 1", "Петров", "Пётр"), person("a2", "Сидоров", "Иван"), person("a2", "Сидоров", "Иван")],
            )
        },
        &[
            ("data/records/people.csv:2:1:", "id \"a 1\" must be 1–32 characters"),
            ("data/records/people.csv:4:1:", "duplicate row: person a2 has the same case at"),
        ],
    );
}

#[test]
fn conflicting_person_fields_name_both_rows() {
    let f = good();
    let second = row(&[
        ("id", "a1"),
        ("surname", "Петрова"),
        ("given_name", "Пётр"),
        ("region", "KZ-11"),
        ("status", "verified"),
    ]);
    let stderr = fails_with(
        &f,
        |f| {
            f.records("people.csv", &[person("a1", "Петров", "Пётр")]);
            f.records("second.csv", std::slice::from_ref(&second));
        },
        &[("data/records/second.csv:2:", "surname \"Петрова\" of person a1 conflicts with \"Петров\" at")],
    );
    assert!(stderr.contains("people.csv:2"), "names the first row: {stderr}");
}

#[test]
fn front_matter_that_does_not_parse() {
    let f = good();
    fails_with(
        &f,
        |f| f.write("content/essays/e.en.md", "+++\ntitle = \"Essay\"\ndate = 2023-13-45\n+++\ntext\n"),
        &[("content/essays/e.en.md:3:", "front matter")],
    );
    let f = good();
    fails_with(
        &f,
        |f| f.write("content/essays/e.en.md", "+++\ntitle = \"Essay\"\ntext\n"),
        &[("content/essays/e.en.md:1:1:", "not closed")],
    );
}

#[test]
fn biography_of_an_unknown_person_or_language() {
    let f = good();
    fails_with(
        &f,
        |f| {
            f.write("content/people/nobody.en.md", "+++\n+++\ntext\n");
            f.write("content/people/a1.de.md", "+++\n+++\ntext\n");
        },
        &[
            ("content/people/nobody.en.md:", "biography of an unknown person \"nobody\""),
            ("content/people/a1.de.md:", "unknown language \"de\""),
        ],
    );
}

#[test]
fn raw_html_in_markdown_is_refused_with_its_position() {
    let f = good();
    fails_with(
        &f,
        |f| f.write("content/people/a1.en.md", "+++\n+++\nA life.\n\n<script>alert(1)</script>\n"),
        &[("content/people/a1.en.md:5:1:", "raw HTML is not allowed")],
    );
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let f = good();
    let stderr = fails_with(
        &f,
        |f| {
            f.records(
                "people.csv",
                &[
                    row(&[
                        ("id", "a1"),
                        ("surname", "Петров"),
                        ("given_name", "Пётр"),
                        ("region", "KZ-75"),
                        ("status", "lost"),
                    ]),
                    row(&[
                        ("id", "a2"),
                        ("surname", "Сидоров"),
                        ("given_name", "Иван"),
                        ("region", "KZ-75"),
                        ("status", "verified"),
                        ("birth_date", "1890-02-30"),
                    ]),
                ],
            );
            f.write("config.toml", &std::fs::read_to_string(f.root().join("config.toml")).unwrap());
            f.write("content/pages/about.en.md", "+++\ntitel = \"About\"\n+++\n");
        },
        &[
            ("data/records/people.csv:2:", "status \"lost\""),
            ("data/records/people.csv:3:", "no day 30"),
            ("content/pages/about.en.md:2:1:", "unknown field `titel`"),
        ],
    );
    assert!(stderr.contains("3 errors found"), "{stderr}");
}

#[test]
fn unknown_config_key_names_the_key() {
    let f = good();
    fails_with(
        &f,
        |f| {
            let config = std::fs::read_to_string(f.root().join("config.toml")).unwrap();
            f.write("config.toml", &format!("colour = \"red\"\n{config}"));
        },
        &[("config.toml:1:1:", "unknown field `colour`")],
    );
}

#[test]
fn legacy_encoding_is_explained() {
    let f = good();
    fails_with(
        &f,
        |f| {
            let mut bytes = format!("{HEADER}\n").into_bytes();
            // "Петров" in CP1251.
            bytes.extend_from_slice(b"a1,\xcf\xe5\xf2\xf0\xee\xe2,x,,,,,,,,,,,,,,,KZ-75,,,,,,,,,,,,,,,verified\n");
            std::fs::write(f.root().join("data/records/people.csv"), bytes).unwrap();
        },
        &[("data/records/people.csv:2:4:", "CP1251")],
    );
}

#[test]
fn a_foreign_output_directory_is_never_replaced() {
    let f = good();
    let out = f.root().join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("thesis.docx"), "years of work").unwrap();
    let run = f.esim(&["build", "--quiet", "--output", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("not written by esim"));
    assert_eq!(std::fs::read_to_string(out.join("thesis.docx")).unwrap(), "years of work");
}

#[test]
fn check_writes_nothing_and_help_explains_commands() {
    let f = good();
    let out = f.esim(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!f.public().exists(), "check wrote nothing");
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_esim")).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("build") && text.contains("check"), "{text}");
    let build_help = std::process::Command::new(env!("CARGO_BIN_EXE_esim")).args(["build", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&build_help.stdout);
    for flag in ["--root", "--output", "--base-url"] {
        assert!(text.contains(flag), "build --help explains {flag}");
    }
}
