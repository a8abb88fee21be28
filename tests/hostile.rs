//! Hostile and oversized input: nothing from a record, a biography or an essay
//! can put script into a page, and the limits give clear errors, never a panic.

mod common;

use common::*;

fn body(html: &str) -> &str {
    html.split("</head>").nth(1).expect("a body")
}

#[test]
fn front_matter_and_record_text_render_as_inert_text() {
    let f = Fixture::new(&[row(&[
        ("id", "h1"),
        ("surname", "Петров"),
        ("given_name", "Пётр"),
        ("name_variants", "<svg onload=alert(1)>|Petrov"),
        ("archive", "<iframe src=javascript:alert(1)>"),
        ("region", "KZ-75"),
        ("status", "verified"),
    ])]);
    f.write(
        "content/essays/e.en.md",
        "+++\ntitle = \"<script>alert(1)</script>\"\nsummary = \"<img src=x onerror=alert(2)>\"\nauthors = [\"<b>x</b>\"]\n+++\n\nText with `<script>` in code and \\<b> escaped.\n",
    );
    f.write("content/pages/about.en.md", "+++\ntitle = \"About <script>\"\n+++\n\nText.\n");
    f.write("content/people/h1.en.md", "+++\nsources = [\"<script>alert(3)</script>\"]\n+++\n\nA life.\n");
    f.build().unwrap_or_else(|e| panic!("{e}"));
    for page in [
        "en/essays/e/index.html",
        "en/essays/index.html",
        "en/about/index.html",
        "en/people/h1/index.html",
        "en/index.html",
    ] {
        let html = f.read(page);
        // The page's own QR code is an <img class=qr>; no other image may appear.
        let b = without_qr_code(body(&html));
        for tag in ["<script", "<img", "<svg onload", "<iframe", "<b>"] {
            assert!(!b.contains(tag), "{page}: {tag} must be inert: {b}");
        }
    }
    // As written, not only as a parser reads it: the escaping is in the file.
    assert!(body(&f.read_raw("en/essays/e/index.html")).contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(body(&f.read_raw("en/people/h1/index.html")).contains("&lt;svg onload=alert(1)&gt;"));
}

/// The page without its QR code's `<img class=qr src="data:image/png…">`.
fn without_qr_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..end];
        out.push_str(&rest[..at]);
        if !(tag.contains("class=qr") && tag.contains("src=\"data:image/png;base64,")) {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out + rest
}

#[test]
fn script_urls_in_markdown_are_refused_with_their_position() {
    let f = Fixture::new(&[person("p1", "Петров", "Пётр")]);
    f.write("content/people/p1.en.md", "+++\n+++\n[click](javascript:alert(1))\n");
    let stderr = String::from_utf8_lossy(&f.esim(&["check"]).stderr).into_owned();
    assert!(stderr.contains("p1.en.md:3:1: link target \"javascript:alert(1)\" is not allowed"), "{stderr}");
    for (text, col) in [
        ("[click](javascript:alert(1))", 1),
        ("see <javascript:alert(1)>", 5),
        ("![x](data:text/html;base64,PHNjcmlwdD4=)", 1),
        ("<a href=x>raw</a>", 1),
    ] {
        let f = Fixture::new(&[person("p1", "Петров", "Пётр")]);
        f.write("content/people/p1.en.md", &format!("+++\n+++\n{text}\n"));
        let out = f.esim(&["check"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(stderr.contains(&format!("content/people/p1.en.md:3:{col}:")), "{text}: {stderr}");
        assert!(
            !stderr.contains("Borrowed(") && !stderr.contains("Boxed("),
            "plain text, not Rust debug text: {stderr}"
        );
    }
}

#[test]
fn a_huge_record_file_is_refused_before_it_is_read() {
    let f = Fixture::new(&[person("p1", "Петров", "Пётр")]);
    // A sparse 1 GB file: costs no disk, and must not be read into memory.
    let file = std::fs::File::create(f.root().join("data/records/huge.csv")).unwrap();
    file.set_len(1 << 30).unwrap();
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("huge.csv:1:1: the file is 1024 MB, more than the 256 MB"), "{stderr}");
}

#[test]
fn a_one_megabyte_field_is_refused() {
    let f = Fixture::new(&[]);
    let big = "ж".repeat(512 * 1024);
    f.records(
        "people.csv",
        &[row(&[("id", "p1"), ("surname", &big), ("given_name", "x"), ("region", "KZ-75"), ("status", "verified")])],
    );
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("people.csv:2:4: surname is 1048576 bytes long"), "{stderr}");
}

#[test]
fn stray_and_unclosed_quotes_give_clear_errors() {
    // A quote inside an unquoted field is kept as text (RFC 4180 readers differ;
    // the csv crate keeps it), so the row is read and the name shows the quote.
    let f = Fixture::new(&[]);
    let text = format!("{HEADER}\np1,Пет\"ров,Пётр,,,,,,,,,,,,,,,KZ-75,,,,,,,,,,,,,,,verified\n");
    f.write("data/records/people.csv", &text);
    let out = f.esim(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // A field that opens a quote and never closes it swallows the rest of the
    // file: the row count or field length gives it away, with the line.
    let mut text = format!("{HEADER}\n\"p1,Петров,Пётр,,,,,,,,,,,,,,,KZ-75,,,,,,,,,,,,,,,verified\n");
    for i in 2..50 {
        text.push_str(&format!("p{i},Петров,Пётр,,,,,,,,,,,,,,,KZ-75,,,,,,,,,,,,,,,verified\n"));
    }
    f.write("data/records/people.csv", &text);
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("data/records/people.csv:2:"), "{stderr}");
    assert!(stderr.contains("unclosed quote") || stderr.contains("is a quote left open"), "{stderr}");
}

#[test]
fn a_huge_markdown_file_is_refused_before_it_is_parsed() {
    let f = Fixture::new(&[person("p1", "Петров", "Пётр")]);
    let paragraph = "Бір сөйлем. ".repeat(100) + "\n\n";
    let text = format!("+++\ntitle = \"Long\"\n+++\n{}", paragraph.repeat(1500));
    f.write("content/essays/long.en.md", &text);
    let kb = text.len() >> 10;
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    let expected = format!("long.en.md:1:1: the file is {kb} KB, more than the 2 MB a Markdown file may have");
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn open_data_cells_that_spreadsheets_would_run_are_made_inert() {
    let f = Fixture::new(&[row(&[
        ("id", "f1"),
        ("surname", "@SUM(1+1)"),
        ("given_name", "Пётр"),
        ("charge", "-2+3"),
        ("archive", "=HYPERLINK(\"http://evil.example/\",\"ф. 1\")"),
        ("source", "+cmd"),
        ("region", "KZ-75"),
        ("status", "verified"),
    ])]);
    f.build().unwrap_or_else(|e| panic!("{e}"));
    let csv = f.read("data/records.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let record = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| record.get(header.iter().position(|h| h == name).unwrap()).unwrap().to_string();
    assert_eq!(cell("surname"), "'@SUM(1+1)");
    assert_eq!(cell("charge"), "'-2+3");
    assert_eq!(cell("archive"), "'=HYPERLINK(\"http://evil.example/\",\"ф. 1\")");
    assert_eq!(cell("source"), "'+cmd");
    assert_eq!(cell("id"), "f1");
    // The page and the JSON keep the text as the record has it.
    assert!(f.read("data/records.jsonl").contains("\"archive\":\"=HYPERLINK("));
    assert!(f.read("en/data/index.html").contains("apostrophe"), "the data page explains the apostrophe");
    // The published CSV is still valid input, and publishes itself unchanged.
    let g = Fixture::new(&[]);
    g.write("data/records/people.csv", &csv);
    g.build().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.read("data/records.csv"), csv);
}
