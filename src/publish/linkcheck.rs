//! Checks every internal link and fragment of a built site, as `esim check`
//! does on an existing output directory: each `href` and `src` that points into
//! the site must name a file of it, and each `#fragment` an element id of that
//! file. Runs in two passes so that at a million pages only the ids that some
//! link asks for are kept in memory.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use lol_html::{element, HtmlRewriter, Settings};
use rayon::prelude::*;

/// A link that leads nowhere, on the page that has it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    pub page: PathBuf,
    pub href: String,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: broken link {}: {}", self.page.display(), self.href, self.reason)
    }
}

/// A link resolved to a file of the site and an optional fragment.
struct Target {
    href: String,
    file: PathBuf,
    fragment: Option<String>,
}

/// Scans one page for the values of `selector`'s `attribute` (e.g. every `id`).
fn attributes(html: &[u8], wanted: &[(&str, &str)]) -> Vec<String> {
    let found = RefCell::new(Vec::new());
    let mut settings = Settings::new();
    for (selector, attribute) in wanted {
        let found = &found;
        settings = settings.append_element_content_handler(element!(*selector, move |el| {
            if let Some(v) = el.get_attribute(attribute) {
                found.borrow_mut().push(v);
            }
            Ok(())
        }));
    }
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // A page lol_html cannot parse still yields what was found before the error.
    let _ = rewriter.write(html).and_then(|_| rewriter.end());
    found.into_inner()
}

/// Resolves `href` found on `page` (a path relative to the site root) to a file
/// of the site, or `None` when it leaves the site.
fn resolve(href: &str, page: &Path, base_url: &str, base_path: &str) -> Option<Target> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let site_path: String = if path.is_empty() {
        format!("/{}", page.to_string_lossy())
    } else if let Some(rest) = path.strip_prefix(base_url) {
        format!("/{}", rest.trim_start_matches('/'))
    } else if path.contains(':') || path.starts_with("//") {
        return None; // another host, mailto:, …
    } else if let Some(rest) = path.strip_prefix('/') {
        let rest = format!("/{rest}");
        match rest.strip_prefix(base_path) {
            Some(inside) if base_path.is_empty() || inside.is_empty() || inside.starts_with('/') => inside.to_string(),
            _ => return Some(Target { href: href.into(), file: PathBuf::from("\0outside"), fragment }),
        }
    } else {
        // Relative to the page's directory.
        let dir = page.parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
        let mut parts: Vec<String> = dir.split('/').filter(|s| !s.is_empty()).map(String::from).collect();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s.to_string()),
            }
        }
        let mut joined = format!("/{}", parts.join("/"));
        if path.ends_with('/') {
            joined.push('/');
        }
        joined
    };
    let rel = site_path.trim_start_matches('/');
    let file = if rel.is_empty() || rel.ends_with('/') {
        PathBuf::from(format!("{rel}index.html"))
    } else {
        PathBuf::from(rel)
    };
    Some(Target { href: href.into(), file, fragment })
}

fn decode(s: &str) -> String {
    // Percent-decoding of paths and fragments (ids may be non-ASCII).
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The base URL the site in `dir` was built for, as its robots.txt states it
/// (`Sitemap: <base_url>/sitemap.xml`): a site built with `--base-url` must be
/// judged by the URL it was built with, not by config.toml's.
pub fn built_base_url(dir: &Path) -> Option<String> {
    let robots = std::fs::read_to_string(dir.join("robots.txt")).ok()?;
    robots.lines().find_map(|line| {
        let url = line.strip_prefix("Sitemap:")?.trim().strip_suffix("/sitemap.xml")?;
        url.contains("://").then(|| url.to_string())
    })
}

/// Checks the site in `dir`, built for `base_url`.
/// Returns the number of pages checked and the broken links.
pub fn check(dir: &Path, base_url: &str) -> (usize, Vec<BrokenLink>) {
    let base_url = base_url.trim_end_matches('/');
    let base_path = crate::urls::Urls::new(base_url).base_path().to_string();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf())
        .collect();
    let existing: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    let pages: Vec<&PathBuf> = files.iter().filter(|f| f.extension().is_some_and(|e| e == "html")).collect();

    // Pass 1: every link of every page.
    let links: Vec<(&PathBuf, Vec<Target>)> = pages
        .par_iter()
        .map(|page| {
            let html = std::fs::read(dir.join(page)).unwrap_or_default();
            let hrefs = attributes(&html, &[("a[href]", "href"), ("link[href]", "href"), ("[src]", "src")]);
            let targets = hrefs.iter().filter_map(|h| resolve(&decode(h), page, base_url, &base_path)).collect();
            (*page, targets)
        })
        .collect();

    let mut broken = Vec::new();
    let mut wanted: HashMap<&Path, HashSet<&str>> = HashMap::new();
    for (page, targets) in &links {
        for t in targets {
            if !existing.contains(t.file.as_path()) {
                let reason = if t.file.as_os_str() == "\0outside" {
                    format!("outside the site's base path {base_path}/")
                } else {
                    format!("no such file {}", t.file.display())
                };
                broken.push(BrokenLink { page: (*page).clone(), href: t.href.clone(), reason });
            } else if let Some(f) = &t.fragment {
                wanted.entry(t.file.as_path()).or_default().insert(f.as_str());
            }
        }
    }

    // Pass 2: the ids of the pages that some fragment points into.
    let ids: HashMap<&Path, HashSet<String>> = wanted
        .par_iter()
        .map(|(file, _)| {
            let html = std::fs::read(dir.join(file)).unwrap_or_default();
            let found = attributes(&html, &[("[id]", "id"), ("a[name]", "name")]);
            (*file, found.into_iter().collect())
        })
        .collect();
    for (page, targets) in &links {
        for t in targets {
            if let (Some(f), Some(found)) = (&t.fragment, ids.get(t.file.as_path())) {
                if !found.contains(f) {
                    broken.push(BrokenLink {
                        page: (*page).clone(),
                        href: t.href.clone(),
                        reason: format!("{} has no element with id {f:?}", t.file.display()),
                    });
                }
            }
        }
    }
    broken.sort();
    (pages.len(), broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_pages_and_fragments() {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, html: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, html).unwrap();
        };
        w(
            "en/index.html",
            r##"<a href="/kz/en/a/#x">ok</a><a href=/kz/en/a/#nope>frag</a><a href="/kz/en/gone/">gone</a><a href="a/">rel</a><a href="https://other.org/">ext</a><a href="https://h.org/kz/en/a/">abs</a><a href="/elsewhere/">out</a><a href="#top">self</a><p id=top>"##,
        );
        w("en/a/index.html", r#"<h2 id="x">X</h2><a href="../">up</a>"#);
        let (_, broken) = check(dir.path(), "https://h.org/kz/");
        let shown: Vec<String> = broken.iter().map(|b| format!("{} {}", b.href, b.reason)).collect();
        assert_eq!(broken.len(), 3, "{shown:#?}");
        assert!(shown.iter().any(|s| s.starts_with("/kz/en/a/#nope") && s.contains("no element with id \"nope\"")));
        assert!(shown.iter().any(|s| s.starts_with("/kz/en/gone/") && s.contains("no such file")));
        assert!(shown.iter().any(|s| s.starts_with("/elsewhere/") && s.contains("outside")));
    }

    #[test]
    fn reads_the_base_url_a_site_was_built_with() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(built_base_url(dir.path()), None);
        std::fs::write(
            dir.path().join("robots.txt"),
            "User-agent: *\nAllow: /\n\nSitemap: https://h.org/kz/sitemap.xml\n",
        )
        .unwrap();
        assert_eq!(built_base_url(dir.path()).as_deref(), Some("https://h.org/kz"));
    }
}
