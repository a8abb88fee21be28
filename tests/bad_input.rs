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
            ("content/people/nobody.en.md:1:1:", "biography of an unknown person \"nobody\""),
            ("content/people/a1.de.md:1:1:", "unknown language \"de\""),
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
fn every_unknown_front_matter_key_is_reported() {
    let f = good();
    fails_with(
        &f,
        |f| f.write("content/pages/about.en.md", "+++\ntitel = \"About\"\nsumary = \"x\"\nwieght = 2\n+++\n"),
        &[
            ("content/pages/about.en.md:2:1:", "unknown field `titel`"),
            ("content/pages/about.en.md:3:1:", "unknown field `sumary`"),
            ("content/pages/about.en.md:4:1:", "unknown field `wieght`"),
        ],
    );
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

#[test]
fn control_characters_in_a_field_are_named() {
    let f = good();
    let bad = row(&[
        ("id", "a1"),
        ("surname", "Пет\u{0}ров"),
        ("given_name", "Пётр"),
        ("region", "KZ-75"),
        ("status", "verified"),
        ("charge", "58-10\u{7f}"),
        ("archive", "\u{85}ф. 1"),
    ]);
    let col = |text: &str| bad[..bad.find(text).unwrap()].chars().count() + 1;
    fails_with(
        &f,
        |f| f.records("people.csv", std::slice::from_ref(&bad)),
        &[
            (
                &format!("data/records/people.csv:2:{}:", col("Пет")),
                "surname contains the control character U+0000 (NUL)",
            ),
            (
                &format!("data/records/people.csv:2:{}:", col("58-10")),
                "charge contains the control character U+007F (DEL)",
            ),
            (&format!("data/records/people.csv:2:{}:", col("\u{85}")), "archive contains the control character U+0085"),
        ],
    );
}

#[test]
fn a_utf16_file_gets_one_error_saying_how_to_save_it() {
    let f = good();
    let stderr = fails_with(
        &f,
        |f| {
            let text = format!("{HEADER}\n{}\n", person("a1", "Петров", "Пётр"));
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            std::fs::write(f.root().join("data/records/people.csv"), bytes).unwrap();
        },
        &[("data/records/people.csv:1:1:", "the file is UTF-16"), ("data/records/people.csv:1:1:", "CSV UTF-8")],
    );
    assert!(stderr.contains("1 error found"), "one error, not one per garbled field: {stderr}");
}

#[test]
fn record_file_extensions_in_any_case_and_other_formats() {
    // New.CSV is read: its person's page is built.
    let f = good();
    f.records("New.CSV", &[person("n1", "Жумабаев", "Магжан")]);
    let built = f.esim(&["build", "--quiet"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(f.public().join("en/people/n1/index.html").is_file(), "the records of New.CSV are published");

    let f = good();
    fails_with(
        &f,
        |f| {
            f.write("data/records/more.xlsx", "PK");
            f.write("data/records/old.xls", "an Excel 97 file");
            f.write("data/records/notes.TXT", "id\tsurname\n");
        },
        &[
            ("data/records/more.xlsx:1:1:", "cannot read the spreadsheet"),
            ("data/records/old.xls:1:1:", "this .xls file is not read"),
            ("data/records/notes.TXT:1:1:", "this .txt file is not read"),
        ],
    );
}

#[test]
fn a_semicolon_separated_file_gets_one_error_about_the_delimiter() {
    let f = good();
    let stderr = fails_with(
        &f,
        |f| {
            let text = format!("{}\n{}\n", HEADER.replace(',', ";"), person("a1", "Петров", "Пётр").replace(',', ";"));
            f.write("data/records/people.csv", &text);
        },
        &[("data/records/people.csv:1:1:", "seems to use semicolons (;) between fields")],
    );
    assert!(stderr.contains("1 error found"), "{stderr}");
    assert!(stderr.contains("Comma delimited"), "says how to export: {stderr}");
}

#[test]
fn a_header_of_ten_thousand_columns_is_reported_briefly() {
    let f = good();
    let stderr = fails_with(
        &f,
        |f| {
            let extra: Vec<String> = (0..10_000).map(|i| format!("x{i}")).collect();
            f.write("data/records/people.csv", &format!("{HEADER},{}\n", extra.join(",")));
        },
        &[
            ("data/records/people.csv:1:", "unknown column \"x0\""),
            ("data/records/people.csv:1:1:", "… and 9980 more unknown or repeated columns"),
        ],
    );
    assert!(stderr.len() < 20_000, "{} bytes of errors", stderr.len());
    assert!(!stderr.contains("\"x20\""), "the 21st unknown column is only counted");
}

#[test]
fn ids_that_differ_only_in_case_name_both_rows() {
    let f = good();
    fails_with(
        &f,
        |f| {
            f.records("people.csv", &[person("Ab12", "Петров", "Пётр"), person("a2", "Сидоров", "Иван")]);
            f.records("zz.csv", &[person("ab12", "Иванов", "Иван")]);
        },
        &[(
            "data/records/zz.csv:2:1:",
            "id ab12 differs from id Ab12 at data/records/people.csv:2 only in upper and lower case",
        )],
    );
}

#[test]
fn impossible_date_orders_name_both_dates() {
    let p = |id: &str, dates: &[(&str, &str)]| {
        let mut fields = vec![("id", id), ("surname", "Петров"), ("given_name", "Пётр"), ("region", "KZ-75")];
        fields.push(("status", "verified"));
        fields.extend_from_slice(dates);
        row(&fields)
    };
    let rows = [
        p("a1", &[("birth_date", "1900"), ("death_date", "1899-12")]),
        p("a2", &[("birth_date", "1900-05"), ("arrest_date", "1900-04-30")]),
        p("a3", &[("birth_date", "1901"), ("rehabilitation_date", "1900")]),
        p("a4", &[("arrest_date", "1937-11-05"), ("sentence_date", "1937-11-04")]),
        p("a5", &[("arrest_date", "1938"), ("death_date", "1937-12-31")]),
        // Not conflicts: the same year at different precision, approximate dates.
        p("b1", &[("birth_date", "1900"), ("death_date", "1900-01"), ("arrest_date", "1900")]),
        p("b2", &[("birth_date", "~1901"), ("arrest_date", "1900-03"), ("death_date", "~1899")]),
        p("b3", &[("arrest_date", "1937-11"), ("sentence_date", "1937-11-01")]),
    ];
    // The column of `text` (after a leading comma, which only makes it unique).
    let col = |r: usize, text: &str| {
        rows[r][..rows[r].find(text).unwrap()].chars().count() + 1 + text.starts_with(',') as usize
    };
    let at = |r: usize, text: &str| format!("data/records/people.csv:{}:{}:", r + 2, col(r, text));
    let f = good();
    let stderr = fails_with(
        &f,
        |f| f.records("people.csv", &rows),
        &[
            (
                &at(0, "1899-12"),
                "death_date 1899-12 of person a1 is before their birth_date 1900 (at data/records/people.csv:2)",
            ),
            (&at(1, "1900-04-30"), "arrest_date 1900-04-30 of person a2 is before their birth_date 1900-05"),
            (&at(2, ",1900,"), "rehabilitation_date 1900 of person a3 is before their birth_date 1901"),
            (&at(3, "1937-11-04"), "sentence_date 1937-11-04 of person a4 is before their arrest_date 1937-11-05"),
            (&at(4, "1937-12-31"), "death_date 1937-12-31 of person a5 is before their arrest_date 1938"),
        ],
    );
    assert!(stderr.contains("5 errors found"), "b1, b2 and b3 are not conflicts: {stderr}");
}

#[test]
fn an_output_inside_or_around_the_inputs_is_refused_before_anything_is_written() {
    let f = good();
    let inputs = snapshot(f.root());
    for (output, why) in [
        ("data/out", "inside data/"),
        ("data/records/site", "inside data/"),
        ("content/www", "inside content/"),
        ("themes/default/static/x", "inside the theme's directory"),
        (".", "is the site's root"),
        ("..", "contains the site's root"),
    ] {
        let path = f.root().join(output);
        let path = path.to_str().unwrap();
        for args in [vec!["build", "--quiet", "--output", path], vec!["check", "--output", path]] {
            let command = args[0];
            let run = f.esim(&args);
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert_eq!(run.status.code(), Some(1), "{command} --output {output}: {stderr}");
            assert!(
                stderr.contains(why) && stderr.contains("choose an output directory outside"),
                "{output}: {stderr}"
            );
        }
        assert!(inputs == snapshot(f.root()), "--output {output}: nothing written");
    }
}

#[test]
fn template_syntax_error_points_at_its_place() {
    let f = good();
    fails_with(
        &f,
        |f| f.write("themes/default/templates/extra.html", "<p>one</p>\n<p>{{ person.name </p>\n"),
        &[("themes/default/templates/extra.html:2:", "")],
    );
}

#[test]
fn unknown_template_filter_points_at_its_place() {
    let f = good();
    let stderr = fails_with(
        &f,
        |f| f.write("themes/default/templates/extra.html", "<p>one</p>\n<p>{{ lang | shout }}</p>\n"),
        &[("themes/default/templates/extra.html:2:14:", "Unknown filter `shout`")],
    );
    assert_eq!(stderr.lines().filter(|l| l.contains("shout")).count(), 1, "reported once: {stderr}");
}
