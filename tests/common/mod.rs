//! Fixture sites for the integration tests: small, complete sites written into
//! temporary directories, using the sample site's theme and reference tables.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const HEADER: &str = "id,surname,given_name,patronymic,surname_kk,given_name_kk,patronymic_kk,surname_en,given_name_en,patronymic_en,name_variants,sex,birth_date,birth_place,nationality,occupation,residence,region,district,arrest_date,charge,sentenced_by,sentence_date,sentence,sentence_years,fate,death_date,death_place,rehabilitation_date,rehabilitated_by,archive,source,status";

/// Every column, as the open-data CSV and `esim fixture` write them: the input
/// header above plus the optional `note`, which it leaves out to show that
/// record files without it are still read.
pub fn all_columns() -> String {
    HEADER.replace(",archive,source,", ",archive,note,source,")
}

/// The repository root: the sample site.
pub fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A site in a temporary directory.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// A record row from `(column, value)` pairs; other columns are empty.
pub fn row(fields: &[(&str, &str)]) -> String {
    HEADER
        .split(',')
        .map(|column| {
            let value = fields.iter().find(|(c, _)| *c == column).map(|(_, v)| *v).unwrap_or("");
            if value.contains([',', '"', '\n']) {
                format!("\"{}\"", value.replace('"', "\"\""))
            } else {
                value.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A minimal valid person row in region KZ-75 (Almaty).
pub fn person(id: &str, surname: &str, given: &str) -> String {
    row(&[("id", id), ("surname", surname), ("given_name", given), ("region", "KZ-75"), ("status", "verified")])
}

impl Fixture {
    /// A site with the sample theme, regions and vocabulary and the given records.
    pub fn new(records: &[String]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let sample = sample_root();
        copy_dir(&sample.join("themes"), &root.join("themes"));
        fs::create_dir_all(root.join("data/records")).unwrap();
        fs::create_dir_all(root.join("content")).unwrap();
        fs::copy(sample.join("data/regions.toml"), root.join("data/regions.toml")).unwrap();
        fs::copy(sample.join("data/vocabulary.toml"), root.join("data/vocabulary.toml")).unwrap();
        let f = Fixture { dir };
        f.config("");
        f.records("people.csv", records);
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes config.toml with `extra` appended (e.g. a `[build]` table).
    pub fn config(&self, extra: &str) {
        self.write(
            "config.toml",
            &format!(
                "base_url = \"https://memorial.example.org/kz\"\ndefault_language = \"kk\"\nlanguages = [\"kk\", \"ru\", \"en\"]\ntheme = \"default\"\n\n[title]\nkk = \"Есім\"\nru = \"Есим\"\nen = \"Esim\"\n{extra}"
            ),
        );
    }

    pub fn records(&self, file: &str, rows: &[String]) {
        let mut text = String::from(HEADER);
        text.push('\n');
        for r in rows {
            text.push_str(r);
            text.push('\n');
        }
        self.write(&format!("data/records/{file}"), &text);
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn build(&self) -> Result<esim::Summary, esim::Error> {
        esim::build(&esim::Options::new(self.root()))
    }

    /// Runs the `esim` binary with `args` plus `--root <fixture>`.
    pub fn esim(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().unwrap().to_string();
        all.extend(["--root", &root]);
        Command::new(env!("CARGO_BIN_EXE_esim")).args(&all).output().unwrap()
    }

    /// A file of the built site; HTML in minified form, so that assertions do
    /// not depend on the `minify` setting.
    pub fn read(&self, rel: &str) -> String {
        let text = self.read_raw(rel);
        if rel.ends_with(".html") {
            minified(&text)
        } else {
            text
        }
    }

    /// A file of the built site exactly as written.
    pub fn read_raw(&self, rel: &str) -> String {
        fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// `html` minified as the build does with `minify = true` (a canonical form
/// for assertions: attribute quotes and order, whitespace).
pub fn minified(html: &str) -> String {
    let cfg = minify_html::Cfg { keep_closing_tags: true, keep_html_and_head_opening_tags: true, ..Default::default() };
    String::from_utf8(minify_html::minify(html.as_bytes(), &cfg)).expect("UTF-8")
}

/// Every file under `dir` with its bytes, for comparing whole sites.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// The text of every `<a href>` in `html` (after minification attributes may
/// be unquoted).
pub fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=").skip(1) {
        let value = if let Some(rest) = part.strip_prefix('"') {
            rest.split('"').next().unwrap_or("")
        } else {
            part.split([' ', '>']).next().unwrap_or("")
        };
        out.push(value.to_string());
    }
    out
}
