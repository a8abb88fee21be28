//! The build cache: what the last build of an output directory was made from,
//! so that the next build renders and writes only what changed.
//!
//! It lives in `<root>/.esim/cache/`, one file per output directory, and is safe
//! to delete: without it (or when it does not describe the output directory as
//! it is) the build is a full one. It holds
//!
//! - the **stamp** of the inputs (size and modification time of every file the
//!   build reads), so that a build with nothing changed stops at once;
//! - the **global fingerprint**: everything every page depends on (the esim
//!   binary, config.toml, the theme, the reference tables, the build date);
//! - for every page, the fingerprint of its inputs and the hash of its bytes;
//! - for every other output (search index, open data, sitemap, …), the
//!   fingerprint of its inputs and the hash of each of its files.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::util::fs::modified_nanos as nanos;
use crate::util::hash::content_hash;

const HEADER: &str = "esim build cache v1";

/// Where the caches of a site are kept.
pub fn dir(root: &Path) -> PathBuf {
    root.join(".esim").join("cache")
}

/// The output file of one page or other output, as the cache remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageEntry {
    /// Fingerprint of the page's inputs; 0 for pages rendered on every build.
    pub inputs: u64,
    pub content: u64,
}

/// What the last build of one output directory was made from.
#[derive(Debug, Default)]
pub struct Manifest {
    /// The stamp of the inputs when that build started (None when a file was
    /// modified too recently for its time stamp to be trusted).
    pub stamp: Option<u64>,
    pub global: u64,
    /// Identity of the output directory's marker file: a directory replaced or
    /// rebuilt by other means has another one.
    pub marker: (u64, u64),
    /// The search index's manifest (JSON), for the search pages when the index
    /// itself did not change.
    pub search: String,
    /// The output directory this cache describes.
    pub output: PathBuf,
    /// The encodings of the compressed copies beside the site's text files
    /// (`[build] precompress`, e.g. `gz,br`): copies follow their file, so a
    /// build with other encodings starts from an empty tree.
    pub precompress: String,
    /// Route → its page.
    pub pages: HashMap<String, PageEntry>,
    /// Output unit (search index, open data, …) → fingerprint of its inputs.
    pub units: HashMap<String, u64>,
    /// File of a unit (path relative to the output) → (unit, content hash).
    pub files: HashMap<String, (String, u64)>,
}

impl Manifest {
    /// The cache file of `output`, under the site's root.
    pub fn path(root: &Path, output: &Path) -> PathBuf {
        let absolute = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
        let key = content_hash(absolute.to_string_lossy().as_bytes());
        dir(root).join(format!("build-{key:016x}.txt"))
    }

    /// Reads only the head of a cache file (stamp, global fingerprint, marker):
    /// enough to see that nothing changed without reading the entry of every page.
    pub fn load_head(path: &Path) -> Option<Manifest> {
        Manifest::read(path, true)
    }

    /// Reads a cache file; None when there is none or it cannot be used.
    pub fn load(path: &Path) -> Option<Manifest> {
        Manifest::read(path, false)
    }

    /// Reads the pages and files of a cache file one at a time, without
    /// keeping them (for a cache of a million entries that need only be
    /// looked through). False when the file cannot be read whole.
    pub fn scan(path: &Path, mut each: impl FnMut(Entry<'_>)) -> bool {
        let Ok(file) = fs::File::open(path) else { return false };
        let mut lines = BufReader::with_capacity(1 << 20, file).lines();
        if !matches!(lines.next(), Some(Ok(h)) if h == HEADER) {
            return false;
        }
        for line in lines {
            let Ok(line) = line else { return false };
            let Some((tag, rest)) = line.split_once('\t') else { return false };
            match tag {
                "P" | "F" => match entry(tag, rest) {
                    Some(e) => each(e),
                    None => return false,
                },
                _ => {}
            }
        }
        true
    }

    /// The file of an old site's page `route` that this site no longer has
    /// (neither as a page nor as a file of a unit).
    pub fn lacks_page(&self, route: &str) -> Option<String> {
        if self.pages.contains_key(route) {
            return None;
        }
        let rel = crate::urls::Urls::file(route).to_string_lossy().into_owned();
        (!self.files.contains_key(&rel)).then_some(rel)
    }

    /// True when this site no longer has an old site's file `rel` of a unit
    /// (neither as a file of a unit nor as the file of a page).
    pub fn lacks_file(&self, rel: &str) -> bool {
        // The routes whose file `rel` is (see `Urls::file`).
        let dir_route = rel.strip_suffix("index.html").filter(|r| r.is_empty() || r.ends_with('/'));
        let is_page_file = self.pages.contains_key(&format!("/{rel}"))
            || dir_route.is_some_and(|r| self.pages.contains_key(&format!("/{r}")));
        !self.files.contains_key(rel) && !is_page_file
    }

    fn read(path: &Path, head_only: bool) -> Option<Manifest> {
        let file = fs::File::open(path).ok()?;
        let mut lines = BufReader::with_capacity(1 << 20, file).lines();
        if lines.next()?.ok()? != HEADER {
            return None;
        }
        let mut m = Manifest::default();
        for line in lines {
            let line = line.ok()?;
            let (tag, rest) = line.split_once('\t')?;
            if head_only && matches!(tag, "P" | "F" | "U") {
                break;
            }
            match tag {
                "P" | "F" => match entry(tag, rest)? {
                    Entry::Page(route, e) => {
                        m.pages.insert(route.to_string(), e);
                    }
                    Entry::File(rel, unit, content) => {
                        m.files.insert(rel.to_string(), (unit.to_string(), content));
                    }
                },
                "U" => {
                    let (fp, unit) = rest.split_once('\t')?;
                    m.units.insert(unit.to_string(), hex(fp)?);
                }
                "stamp" => m.stamp = if rest == "-" { None } else { Some(hex(rest)?) },
                "global" => m.global = hex(rest)?,
                "marker" => {
                    let (a, b) = rest.split_once('\t')?;
                    m.marker = (hex(a)?, hex(b)?);
                }
                "search" => m.search = rest.to_string(),
                "output" => m.output = PathBuf::from(rest),
                "precompress" => m.precompress = rest.to_string(),
                _ => return None,
            }
        }
        Some(m)
    }

    /// Writes the cache file through a temporary sibling and a rename.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
        writeln!(out, "{HEADER}")?;
        match self.stamp {
            Some(s) => writeln!(out, "stamp\t{s:016x}")?,
            None => writeln!(out, "stamp\t-")?,
        }
        writeln!(out, "global\t{:016x}", self.global)?;
        writeln!(out, "marker\t{:016x}\t{:016x}", self.marker.0, self.marker.1)?;
        writeln!(out, "search\t{}", self.search.replace(['\n', '\t'], " "))?;
        writeln!(out, "output\t{}", self.output.display())?;
        if !self.precompress.is_empty() {
            writeln!(out, "precompress\t{}", self.precompress)?;
        }
        for (unit, fp) in &self.units {
            writeln!(out, "U\t{fp:016x}\t{unit}")?;
        }
        for (path, (unit, content)) in &self.files {
            writeln!(out, "F\t{content:016x}\t{unit}\t{path}")?;
        }
        for (route, e) in &self.pages {
            writeln!(out, "P\t{:016x}\t{:016x}\t{route}", e.inputs, e.content)?;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp, path)
    }

    /// Removes the caches of output directories that no longer exist (builds
    /// into temporary directories leave them behind).
    pub fn prune(dir: &Path) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_cache = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("build-"));
            if let Some(head) = Manifest::load_head(&path).filter(|_| is_cache) {
                if !head.output.as_os_str().is_empty() && !head.output.exists() {
                    let _ = fs::remove_file(&path);
                    // And the state the build saved beside it (`build::state`),
                    // and the standby tree's cache (`publish::standby`).
                    let _ = fs::remove_file(path.with_extension("state"));
                    let _ = fs::remove_file(path.with_extension("standby"));
                }
            }
        }
    }

    /// Removes a cache file: an in-place update that is interrupted must not
    /// leave a cache describing a site it did not finish writing.
    pub fn invalidate(path: &Path) -> std::io::Result<()> {
        match fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// One page or file of a cache file.
pub enum Entry<'a> {
    /// Route, entry.
    Page(&'a str, PageEntry),
    /// Path, unit, content hash.
    File(&'a str, &'a str, u64),
}

/// The entry of a `P` or `F` line.
fn entry<'a>(tag: &str, rest: &'a str) -> Option<Entry<'a>> {
    let mut parts = rest.splitn(3, '\t');
    if tag == "P" {
        let inputs = hex(parts.next()?)?;
        let content = hex(parts.next()?)?;
        return Some(Entry::Page(parts.next()?, PageEntry { inputs, content }));
    }
    let content = hex(parts.next()?)?;
    let unit = parts.next()?;
    Some(Entry::File(parts.next()?, unit, content))
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s, 16).ok()
}

/// The identity of a file: inode and modification time. A directory that was
/// deleted and rebuilt, or replaced by a copy, has a marker with another one.
pub fn identity(path: &Path) -> Option<(u64, u64)> {
    let meta = fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = meta.len();
    Some((inode, nanos(meta.modified().ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_survives_the_round_trip() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("c/build-x.txt");
        let mut m = Manifest {
            stamp: Some(7),
            global: 42,
            marker: (1, 2),
            search: "{\"v\":1}".into(),
            output: tmp.path().join("public"),
            ..Default::default()
        };
        m.pages.insert("/kk/people/a b/".into(), PageEntry { inputs: 1, content: u64::MAX });
        m.units.insert("search".into(), 9);
        m.files.insert("search/d/a-1.json".into(), ("search".into(), 3));
        m.save(&path).unwrap();
        let back = Manifest::load(&path).unwrap();
        assert_eq!(back.stamp, Some(7));
        assert_eq!(back.global, 42);
        assert_eq!(back.marker, (1, 2));
        assert_eq!(back.search, m.search);
        assert_eq!(back.output, m.output);
        assert_eq!(back.pages, m.pages);
        assert_eq!(back.units, m.units);
        assert_eq!(back.files, m.files);
        // The cache of an output directory that no longer exists is removed,
        // and the build's state beside it.
        fs::write(path.with_extension("state"), "state").unwrap();
        Manifest::prune(&tmp.path().join("c"));
        assert!(!path.exists());
        assert!(!path.with_extension("state").exists());
        m.save(&path).unwrap();
        fs::create_dir(tmp.path().join("public")).unwrap();
        Manifest::prune(&tmp.path().join("c"));
        assert!(path.exists(), "kept while its output exists");
        fs::write(&path, "something else\n").unwrap();
        assert!(Manifest::load(&path).is_none());
    }
}
