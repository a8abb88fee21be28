//! Content: the editors' Markdown files, read in parallel.
//!
//! | path | what |
//! |---|---|
//! | `content/essays/<slug>.<lang>.md` | essays and articles |
//! | `content/people/<id>.<lang>.md` | the biography of a person |
//! | `content/pages/<slug>.<lang>.md` | about, methodology, corrections |

pub mod frontmatter;
pub mod images;
pub mod markdown;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostics::{line_col, Diagnostic, Diagnostics};
pub use markdown::Heading;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Essays,
    People,
    Pages,
}

impl Section {
    fn from_dir(name: &str) -> Option<Section> {
        match name {
            "essays" => Some(Section::Essays),
            "people" => Some(Section::People),
            "pages" => Some(Section::Pages),
            _ => None,
        }
    }
}

/// Front matter of every kind of document. Which keys are allowed depends on the
/// section and is checked after parsing, so the message can say which are allowed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<toml::value::Datetime>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// Photos and documents beside a biography, with their alt text.
    #[serde(default)]
    pub images: Vec<images::ImageMeta>,
}

/// One Markdown file, rendered.
#[derive(Debug, Clone)]
pub struct Document {
    pub section: Section,
    /// The essay or page slug, or the person id.
    pub slug: String,
    pub lang: String,
    pub path: PathBuf,
    pub meta: FrontMatter,
    pub html: String,
    pub headings: Vec<Heading>,
    pub text: String,
    pub images: Vec<images::Image>,
}

impl Document {
    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or(&self.slug)
    }

    /// The date as `YYYY-MM-DD` (front matter dates may carry a time).
    pub fn date_iso(&self) -> Option<String> {
        self.meta.date.as_ref().and_then(|d| d.date).map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
    }
}

#[derive(Debug, Default)]
pub struct Content {
    pub essays: Vec<Document>,
    pub biographies: Vec<Document>,
    pub pages: Vec<Document>,
}

/// The keys a front matter may have (the fields of [`FrontMatter`]).
const FRONT_MATTER_KEYS: [&str; 7] = ["title", "date", "authors", "summary", "weight", "sources", "images"];

/// Largest Markdown file accepted. The longest essay of the memorial is a few
/// tens of KB; a file of megabytes is a paste gone wrong, and parsing it would
/// take seconds and hundreds of MB (see `records::MAX_FILE_BYTES`).
pub const MAX_MARKDOWN_BYTES: u64 = 2 * 1024 * 1024;

/// Slugs that would collide with the site's own sections under `/{lang}/`.
pub const RESERVED_SLUGS: [&str; 6] = ["people", "regions", "essays", "search", "data", "page"];

pub fn load(dir: &Path, languages: &[String], diags: &mut Diagnostics) -> Content {
    let mut content = Content::default();
    if !dir.exists() {
        return content;
    }
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let results: Vec<Result<Document, Vec<Diagnostic>>> =
        files.par_iter().map(|p| load_file(dir, p, languages)).collect();
    for result in results {
        match result {
            Ok(doc) => match doc.section {
                Section::Essays => content.essays.push(doc),
                Section::People => content.biographies.push(doc),
                Section::Pages => content.pages.push(doc),
            },
            Err(problems) => problems.into_iter().for_each(|d| diags.push(d)),
        }
    }
    content
}

/// The name and language of a Markdown file named `<name>.<lang>.md`.
pub fn name_and_language(file_name: &str) -> Option<(&str, &str)> {
    file_name.strip_suffix(".md").unwrap_or(file_name).rsplit_once('.')
}

/// Reads one Markdown file of `dir` (the content directory).
pub fn load_file(dir: &Path, path: &Path, languages: &[String]) -> Result<Document, Vec<Diagnostic>> {
    let fail = |msg: String| vec![Diagnostic::file(path, msg)];
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<&str> = relative.iter().filter_map(|s| s.to_str()).collect();
    let section = match parts.as_slice() {
        [section, _file] => Section::from_dir(section),
        _ => None,
    }
    .ok_or_else(|| fail("a Markdown file must be in content/essays/, content/people/ or content/pages/".into()))?;
    let file_name = parts[1];
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    let (slug, lang) = name_and_language(file_name)
        .ok_or_else(|| fail(format!("the file name must be <name>.<language>.md, e.g. {stem}.{}.md", languages[0])))?;
    if !languages.iter().any(|l| l == lang) {
        return Err(fail(format!(
            "unknown language {lang:?} in the file name: the site's languages are {languages:?}"
        )));
    }
    let slug_ok = match section {
        Section::People => crate::model::is_valid_id(slug),
        _ => !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
    };
    if !slug_ok {
        return Err(fail(format!(
            "{slug:?} is not a valid name here: use lowercase a-z, 0-9 and - (people: the person's id)"
        )));
    }
    if section == Section::Pages && RESERVED_SLUGS.contains(&slug) {
        return Err(fail(format!("the page name {slug:?} is reserved for the site's own section")));
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_MARKDOWN_BYTES {
        return Err(fail(format!(
            "the file is {} KB, more than the {} MB a Markdown file may have: split it into several essays or pages",
            size >> 10,
            MAX_MARKDOWN_BYTES >> 20
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => fail("the file is not valid UTF-8: save it as UTF-8".into()),
        _ => fail(format!("cannot read: {e}")),
    })?;
    parse_document(section, slug, lang, path, &text)
}

fn parse_document(
    section: Section,
    slug: &str,
    lang: &str,
    path: &Path,
    text: &str,
) -> Result<Document, Vec<Diagnostic>> {
    let split = frontmatter::split(text).map_err(|(line, msg)| vec![Diagnostic::new(path, line, 1, msg)])?;
    let unknown = unknown_keys(split.front_matter);
    if !unknown.is_empty() {
        let at = |offset| {
            let (l, c) = line_col(split.front_matter, offset);
            (l + split.front_matter_line - 1, c)
        };
        return Err(unknown
            .into_iter()
            .map(|(offset, msg)| {
                let (l, c) = at(offset);
                Diagnostic::new(path, l, c, msg)
            })
            .collect());
    }
    let meta: FrontMatter = toml::from_str(split.front_matter).map_err(|e| {
        let (l, c) = e.span().map(|s| line_col(split.front_matter, s.start)).unwrap_or((1, 0));
        vec![Diagnostic::new(path, l + split.front_matter_line - 1, c, format!("front matter: {}", e.message()))]
    })?;
    let mut problems = check_keys(section, &meta, path, text);
    let images = if meta.images.is_empty() {
        Vec::new()
    } else if section != Section::People {
        let (l, c) = text.find("images").map(|i| line_col(text, i)).unwrap_or((1, 1));
        problems.push(Diagnostic::new(path, l, c, "front matter: images belong to biographies (content/people/)"));
        Vec::new()
    } else {
        images::check(path, slug, text, &meta.images, &mut problems)
    };
    let placement = match section {
        Section::People => markdown::HeadingPlacement { shift: 1, id_prefix: "bio-" },
        _ => markdown::TOP_LEVEL,
    };
    let rendered = markdown::render(split.body, &|s| crate::names::romanize::slug(s), placement);
    let rendered = match rendered {
        Ok(r) => Some(r),
        Err(errors) => {
            for e in errors {
                let (l, c) = line_col(text, split.body_offset + e.offset);
                problems.push(Diagnostic::new(path, l, c, e.message));
            }
            None
        }
    };
    match rendered {
        Some(r) if problems.is_empty() => Ok(Document {
            section,
            slug: slug.to_string(),
            lang: lang.to_string(),
            path: path.to_path_buf(),
            meta,
            html: r.html,
            headings: r.headings,
            text: r.text,
            images,
        }),
        _ => Err(problems),
    }
}

/// Every key of the front matter that is not one of [`FRONT_MATTER_KEYS`],
/// with its byte offset and message: deserializing stops at the first, and an
/// editor should see all of them at once. Syntax errors are left to the
/// deserializer, which reports them with their position.
fn unknown_keys(front_matter: &str) -> Vec<(usize, String)> {
    let Ok(table) = toml::de::DeTable::parse(front_matter) else { return Vec::new() };
    let expected = FRONT_MATTER_KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let mut unknown: Vec<(usize, String)> = table
        .get_ref()
        .keys()
        .filter(|key| !FRONT_MATTER_KEYS.contains(&key.get_ref().as_ref()))
        .map(|key| {
            let message = format!("front matter: unknown field `{}`, expected one of {expected}", key.get_ref());
            (key.span().start, message)
        })
        .collect();
    unknown.sort();
    unknown
}

/// Checks the front matter keys each section requires or allows.
fn check_keys(section: Section, meta: &FrontMatter, path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |key: &str| {
        text.find(&format!("{key} ")).or_else(|| text.find(key)).map(|i| line_col(text, i)).unwrap_or((1, 1))
    };
    let mut err = |key: &str, msg: &str| {
        let (l, c) = at(key);
        out.push(Diagnostic::new(path, l, c, msg.to_string()));
    };
    match section {
        Section::Essays | Section::Pages => {
            if meta.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                err("+++", "front matter: title is required");
            }
        }
        Section::People => {
            if meta.weight.is_some() {
                err(
                    "weight",
                    "front matter: a biography has no weight (allowed: title, date, authors, summary, sources)",
                );
            }
        }
    }
    if let Some(date) = &meta.date {
        if date.date.is_none() {
            err("date", "front matter: date must be a date such as 2023-11-21");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_front_matter_errors_in_the_file() {
        let path = Path::new("content/essays/x.en.md");
        let errs =
            parse_document(Section::Essays, "x", "en", path, "+++\ntitle = \"a\"\nweight = \"heavy\"\n+++\ntext")
                .err()
                .unwrap();
        assert_eq!((errs[0].line, errs[0].column), (3, 10), "{}", errs[0]);
        let errs =
            parse_document(Section::Essays, "x", "en", path, "+++\ntitle = \"a\"\ncolour = 1\n+++\n").err().unwrap();
        assert!(errs[0].message.contains("colour"), "{}", errs[0]);
        assert_eq!(errs[0].line, 3);
    }

    #[test]
    fn reports_every_unknown_front_matter_key() {
        let path = Path::new("content/essays/x.en.md");
        let text = "+++\ntitel = \"a\"\nsummary = \"s\"\ncolour = 1\n  [extra]\n+++\n";
        let errs = parse_document(Section::Essays, "x", "en", path, text).err().unwrap();
        let found: Vec<(usize, usize, bool)> =
            errs.iter().map(|e| (e.line, e.column, e.message.contains("unknown field"))).collect();
        assert_eq!(found, [(2, 1, true), (4, 1, true), (5, 4, true)], "{errs:?}");
        // Every key named as allowed is a field of FrontMatter.
        for key in FRONT_MATTER_KEYS {
            if let Err(err) = toml::from_str::<FrontMatter>(&format!("{key} = 1")) {
                assert!(!err.message().contains("unknown field"), "{key}: {err}");
            }
        }
    }

    #[test]
    fn positions_markdown_errors_in_the_file() {
        let path = Path::new("content/people/a.en.md");
        let errs =
            parse_document(Section::People, "a", "en", path, "+++\n+++\nline\n\nsome <b>html</b>\n").err().unwrap();
        assert_eq!((errs[0].line, errs[0].column), (5, 6), "{}", errs[0]);
    }
}
