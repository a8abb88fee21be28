//! The theme's assets as the site publishes them. Every file under the theme's
//! `static/` keeps its own name (for links from outside the site), and each
//! file a page loads — stylesheets, scripts, fonts, images, icons — is
//! published a second time under a content-addressed name,
//! `name.<12 hex digits>.ext`, which the pages use. Such a name never changes
//! its bytes, so browsers and CDNs may keep it for good (`immutable`), and a
//! changed asset reaches every reader at once, even through a CDN that
//! ignores query strings.
//!
//! References between assets are rewritten to those names before hashing —
//! a stylesheet's `url(fonts/…)`, a module's `import … from './keys.js'` —
//! so a changed font also renames the stylesheet that loads it, and a
//! module never meets an older version of the module it imports.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::hash::content_hash;

/// The extensions of the files pages load, which get content-addressed names.
const ADDRESSED: &[&str] =
    &["css", "js", "mjs", "woff2", "woff", "ttf", "otf", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico"];

/// The published theme assets.
#[derive(Debug, Default)]
pub struct Assets {
    /// Each source file's path under `static/` (`/`-separated) and bytes.
    sources: BTreeMap<String, Vec<u8>>,
    /// A content-addressed file's source path → its name and rewritten bytes.
    addressed: BTreeMap<String, (String, Vec<u8>)>,
}

impl Assets {
    /// Reads the theme's `static/` directory (none: no assets).
    pub fn load(dir: &Path) -> Result<Assets, String> {
        let mut sources = BTreeMap::new();
        if dir.is_dir() {
            for (path, rel) in crate::util::fs::files_under(dir)? {
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                sources.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
        Assets::from_sources(sources)
    }

    /// Names the content-addressed files, each after the files it refers to.
    pub fn from_sources(sources: BTreeMap<String, Vec<u8>>) -> Result<Assets, String> {
        let mut assets = Assets { sources, addressed: BTreeMap::new() };
        let mut todo: Vec<String> = assets.sources.keys().filter(|p| is_addressed(p)).cloned().collect();
        while !todo.is_empty() {
            let before = todo.len();
            let mut waiting = Vec::new();
            for path in todo {
                match assets.rewrite(&path) {
                    Some(bytes) => {
                        let name = addressed_name(&path, content_hash(&bytes));
                        assets.addressed.insert(path, (name, bytes));
                    }
                    None => waiting.push(path),
                }
            }
            if waiting.len() == before {
                return Err(format!(
                    "the theme's assets refer to each other in a circle ({}): content-addressed names cannot be given to them",
                    waiting.join(", ")
                ));
            }
            todo = waiting;
        }
        Ok(assets)
    }

    /// The bytes of `path` with its references to other assets rewritten to
    /// their content-addressed names; None while one of those is not named yet.
    fn rewrite(&self, path: &str) -> Option<Vec<u8>> {
        let bytes = &self.sources[path];
        let kind = match extension(path) {
            "css" => Kind::Css,
            "js" | "mjs" => Kind::Module,
            _ => return Some(bytes.clone()),
        };
        let Ok(text) = std::str::from_utf8(bytes) else { return Some(bytes.clone()) };
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in references(text, kind) {
            let reference = &text[start..end];
            let Some(target) = resolve(dir, reference).filter(|t| self.sources.contains_key(t) && is_addressed(t))
            else {
                continue;
            };
            let (name, _) = self.addressed.get(&target)?;
            out.push_str(&text[last..start]);
            // The same directory part as written, the new file name.
            let written_dir = reference.rsplit_once('/').map_or("", |(d, _)| d);
            let file = name.rsplit('/').next().unwrap_or(name);
            if written_dir.is_empty() {
                out.push_str(file);
            } else {
                out.push_str(&format!("{written_dir}/{file}"));
            }
            last = end;
        }
        out.push_str(&text[last..]);
        Some(out.into_bytes())
    }

    /// The name a page links `path` (under `static/`) by: its content-addressed
    /// name; None when the theme has no such asset.
    pub fn link_name(&self, path: &str) -> Option<&str> {
        match self.addressed.get(path) {
            Some((name, _)) => Some(name),
            None => self.sources.get_key_value(path).map(|(k, _)| k.as_str()),
        }
    }

    /// Every published file: the sources at their own names, then the
    /// content-addressed copies.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        let sources = self.sources.iter().map(|(p, b)| (p.as_str(), b.as_slice()));
        sources.chain(self.addressed.values().map(|(n, b)| (n.as_str(), b.as_slice())))
    }

    /// A fingerprint of every asset (a changed one changes the pages' links).
    pub fn version(&self) -> u64 {
        crate::util::hash::fingerprint(&self.addressed.values().map(|(n, _)| n).collect::<Vec<_>>())
            ^ crate::util::hash::fingerprint(&self.sources)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Css,
    Module,
}

fn extension(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

fn is_addressed(path: &str) -> bool {
    ADDRESSED.contains(&extension(path).to_ascii_lowercase().as_str())
}

/// `fonts/a.woff2` with hash h → `fonts/a.<h>.woff2`.
fn addressed_name(path: &str, hash: u64) -> String {
    let hex = format!("{hash:016x}");
    let short = &hex[..12];
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => format!("{stem}.{short}.{ext}"),
        _ => format!("{path}.{short}"),
    }
}

/// A relative reference from a file in `dir` → the path under `static/` it
/// names; None for URLs with a scheme, absolute paths, queries and fragments.
fn resolve(dir: &str, reference: &str) -> Option<String> {
    if reference.is_empty() || reference.contains(':') || reference.starts_with('/') || reference.contains(['?', '#']) {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in reference.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The byte ranges of the references in a stylesheet (`url(…)`, `@import
/// "…"`) or a module (`from '…'`, `import '…'`, `import('…')`), without
/// their quotes.
fn references(text: &str, kind: Kind) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let quoted_at = |i: usize| -> Option<(usize, usize)> {
        let q = *bytes.get(i)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let len = text[i + 1..].find(q as char)?;
        Some((i + 1, i + 1 + len))
    };
    let skip_space = |mut i: usize| {
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    let keywords: &[&str] = match kind {
        Kind::Css => &["url(", "@import"],
        Kind::Module => &["from", "import(", "import"],
    };
    let mut i = 0;
    while i < text.len() {
        let Some(keyword) = keywords.iter().find(|k| text[i..].starts_with(**k)) else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let after = skip_space(i + keyword.len());
        let found = quoted_at(after).or_else(|| {
            // An unquoted url(…).
            (*keyword == "url(").then(|| text[after..].find(')').map(|n| (after, after + n))).flatten()
        });
        match found {
            Some((start, end)) => {
                out.push((start, text[start..end].trim_end().len() + start));
                i = end;
            }
            None => i += keyword.len(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files.iter().map(|(p, b)| (p.to_string(), b.as_bytes().to_vec())).collect()
    }

    #[test]
    fn pages_link_content_addressed_names_that_change_with_the_bytes_they_load() {
        let files = [
            ("style.css", "@font-face{src:url(fonts/a.woff2) format(\"woff2\")} b{background:url('i/x.svg')}"),
            ("fonts/a.woff2", "FONT"),
            ("i/x.svg", "<svg/>"),
            ("search/search.js", "import { k } from './keys.js';\nimport('./lazy.js');\nfetch('data.json');"),
            ("search/keys.js", "export const k = 1;"),
            ("search/lazy.js", "import {k} from \"./keys.js\";"),
            ("OFL.txt", "licence"),
        ];
        let a = Assets::from_sources(sources(&files)).unwrap();
        let font = a.link_name("fonts/a.woff2").unwrap();
        assert!(font.starts_with("fonts/a.") && font.ends_with(".woff2") && font.len() == "fonts/a..woff2".len() + 12);
        let css = a.link_name("style.css").unwrap().to_string();
        let published: BTreeMap<&str, &[u8]> = a.files().collect();
        let css_text = std::str::from_utf8(published[css.as_str()]).unwrap();
        assert!(css_text.contains(&format!("url({font})")), "{css_text}");
        assert!(css_text.contains(&format!("url('{}')", a.link_name("i/x.svg").unwrap())), "{css_text}");
        let js = std::str::from_utf8(published[a.link_name("search/search.js").unwrap()]).unwrap();
        let keys = a.link_name("search/keys.js").unwrap().rsplit('/').next().unwrap().to_string();
        assert!(js.contains(&format!("from './{keys}'")), "{js}");
        assert!(js.contains("fetch('data.json')"), "not an import: unchanged");
        assert_eq!(published["style.css"], files[0].1.as_bytes(), "the source name keeps its bytes");
        assert_eq!(a.link_name("OFL.txt"), Some("OFL.txt"));
        assert_eq!(a.link_name("nope.css"), None);

        // A changed font renames the font and the stylesheet, not the scripts.
        let mut changed = sources(&files);
        changed.insert("fonts/a.woff2".into(), b"FONT2".to_vec());
        let b = Assets::from_sources(changed).unwrap();
        assert_ne!(b.link_name("fonts/a.woff2"), a.link_name("fonts/a.woff2"));
        assert_ne!(b.link_name("style.css").unwrap(), css);
        assert_eq!(b.link_name("search/search.js"), a.link_name("search/search.js"));
        assert_ne!(b.version(), a.version());
    }

    #[test]
    fn a_circle_of_imports_is_an_error_naming_its_files() {
        let err = Assets::from_sources(sources(&[("a.js", "import './b.js'"), ("b.js", "import './a.js'")]));
        let err = err.unwrap_err();
        assert!(err.contains("a.js, b.js"), "{err}");
    }

    #[test]
    fn references_outside_the_theme_are_left_alone() {
        assert_eq!(resolve("search", "./keys.js").as_deref(), Some("search/keys.js"));
        assert_eq!(resolve("search", "../style.css").as_deref(), Some("style.css"));
        assert_eq!(resolve("", "../x.css"), None);
        assert_eq!(resolve("", "https://example.org/x.css"), None);
        assert_eq!(resolve("", "/x.css"), None);
        assert_eq!(resolve("", "x.svg#icon"), None);
    }
}
