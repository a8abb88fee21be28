//! Where a build writes, and what it wrote.
//!
//! A **full** build writes every file into a [`Staging`] directory that is
//! swapped in at the end: the first build, and `--full`. Any later build keeps
//! the site in place: the files it produces are compared with the hashes the
//! cache remembers, and only the changed ones are written, into a *pending*
//! directory beside the output ([`journal`]). An **incremental** build
//! renders only the pages whose inputs changed; a **rebuild** (a change that
//! touches much of the site: a template, a UI string, `config.toml`, the esim
//! binary) renders every page and produces every output again, but still
//! writes only the files whose bytes changed and removes only those no output
//! produces any more, so that the old site is never deleted whole (at a
//! million files, deleting it cost more than building the new one). When
//! everything has rendered, [`Output::finish`] writes the journal of the
//! changes, then applies it. So a failed build (a full disk, an error) never
//! touches the site, and a build killed while it moves files is completed by
//! the next build ([`super::recover`] replays the journal) before it does
//! anything else.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::cache::{self, Manifest, PageEntry};
use super::journal::{self, Spool};
use super::standby::Standby;
use super::{PublishError, Staging};
use crate::util::compress::{self, Encoding};
use crate::util::hash::{content_hash, Fingerprinter};

enum Target {
    Staging(Staging),
    InPlace {
        dir: PathBuf,
        /// The cache describing the site as it is.
        old: Box<Manifest>,
        /// Every page and output is produced again (a rebuild).
        whole: bool,
        /// `(rel, pending file)`: the changed files, already in the spool.
        pending: Mutex<Vec<(String, String)>>,
        spool: Spool,
    },
    /// A rebuild into the standby tree, exchanged with the site at the end
    /// (`[build] standby`, see [`super::standby`]).
    Standby {
        standby: Box<Standby>,
        /// Files written into the standby.
        written: std::sync::atomic::AtomicUsize,
        /// A full build (`--full`, or no usable cache), not a rebuild.
        full: bool,
    },
}

/// The writer of one build.
pub struct Output {
    target: Target,
    pages: Mutex<Vec<(String, PageEntry)>>,
    files: Mutex<Vec<(String, String, u64)>>,
    units: Mutex<HashMap<String, u64>>,
    /// `[build] precompress`: the compressed copies written beside each text
    /// file, and removed with it.
    encodings: Vec<Encoding>,
}

/// What a build changed on disk.
#[derive(Debug, Clone, Copy, Default)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
}

fn err(path: &Path, what: &str, e: io::Error) -> PublishError {
    PublishError(format!("{}: {what}: {e}", path.display()))
}

impl Output {
    /// A full build, into a staging directory beside `target`.
    pub fn full(target: &Path) -> Result<Output, PublishError> {
        Ok(Output::new(Target::Staging(Staging::begin(target)?)))
    }

    /// An incremental build of the site in `dir`, which `previous` describes:
    /// the outputs not produced again keep their files.
    pub fn in_place(dir: &Path, previous: Manifest) -> Result<Output, PublishError> {
        Output::over(dir, previous, false)
    }

    /// A rebuild of the site in `dir`, which `previous` describes: every page
    /// and output is produced again, as in a full build, but only the files
    /// whose bytes changed are written and only those gone are removed.
    pub fn rebuild(dir: &Path, previous: Manifest) -> Result<Output, PublishError> {
        Output::over(dir, previous, true)
    }

    /// A rebuild like [`Output::rebuild`], written into the standby tree of
    /// `dir` and exchanged with it at the end. `build_cache` is the path of
    /// the build cache, which describes the site in `dir`: it becomes the
    /// standby's cache at the exchange (so the build need not hold it).
    pub fn rebuild_in_standby(dir: &Path, build_cache: &Path, encodings: &[Encoding]) -> Result<Output, PublishError> {
        Output::in_standby(dir, build_cache, encodings, false)
    }

    /// A full build over the site in `dir` (esim's): every file is written
    /// into the standby tree, whatever it holds, which is then exchanged with
    /// the site; the old site is kept as the next standby instead of deleted.
    pub fn full_in_standby(dir: &Path, build_cache: &Path, encodings: &[Encoding]) -> Result<Output, PublishError> {
        Output::in_standby(dir, build_cache, encodings, true)
    }

    fn in_standby(dir: &Path, build_cache: &Path, encodings: &[Encoding], full: bool) -> Result<Output, PublishError> {
        let standby = Standby::begin(dir, build_cache, &Output::precompress_names(encodings), full)?;
        let written = std::sync::atomic::AtomicUsize::new(0);
        Ok(Output::new(Target::Standby { standby: Box::new(standby), written, full })
            .with_precompress(encodings.to_vec()))
    }

    fn over(dir: &Path, old: Manifest, whole: bool) -> Result<Output, PublishError> {
        let dir = super::real_output(dir)?;
        let spool = Spool::new(&dir);
        Ok(Output::new(Target::InPlace { dir, old: Box::new(old), whole, pending: Mutex::new(Vec::new()), spool }))
    }

    fn new(target: Target) -> Output {
        Output {
            target,
            pages: Mutex::new(Vec::new()),
            files: Mutex::new(Vec::new()),
            units: Mutex::new(HashMap::new()),
            encodings: Vec::new(),
        }
    }

    /// Writes compressed copies (`.gz`, `.br`) beside every text file written.
    pub fn with_precompress(mut self, encodings: Vec<Encoding>) -> Output {
        self.encodings = encodings;
        self
    }

    /// The cache's spelling of the encodings (`gz,br`).
    pub fn precompress_names(encodings: &[Encoding]) -> String {
        encodings.iter().map(|e| e.extension()).collect::<Vec<_>>().join(",")
    }

    /// Writes the compressed copies of `rel`, whose bytes are `bytes`.
    fn put_copies(&self, rel: &str, bytes: &[u8]) -> Result<(), PublishError> {
        for (copy, compressed) in compress::siblings(rel, bytes, &self.encodings) {
            match &self.target {
                Target::Staging(s) => s.write(Path::new(&copy), &compressed)?,
                Target::Standby { standby, .. } => standby.write(&copy, &compressed)?,
                Target::InPlace { pending, spool, .. } => {
                    let name = spool.write(&copy, &compressed)?;
                    pending.lock().expect("no panics while locked").push((copy, name));
                }
            }
        }
        Ok(())
    }

    /// Writes the compressed copies of a streamed file, read back from where
    /// it was written.
    fn put_copies_of_file(&self, rel: &str, written: &Path) -> Result<(), PublishError> {
        if self.encodings.is_empty() || !compress::is_text(rel) {
            return Ok(());
        }
        let bytes = fs::read(written).map_err(|e| err(written, "cannot read", e))?;
        self.put_copies(rel, &bytes)
    }

    /// True when only what changed is produced (not a full build nor a rebuild).
    pub fn is_incremental(&self) -> bool {
        matches!(self.target, Target::InPlace { whole: false, .. })
    }

    /// In a rebuild into the standby tree, has the standby's files looked up
    /// ahead of the renderers (`routes`: every page, in the order rendered).
    pub fn warm(&mut self, routes: &std::sync::Arc<Vec<String>>) {
        if let Target::Standby { standby, .. } = &mut self.target {
            standby.warm(std::sync::Arc::clone(routes));
        }
    }

    /// True for a rebuild into the standby tree: the output is not touched
    /// (and its cache stays true) until the exchange.
    pub fn is_standby(&self) -> bool {
        matches!(self.target, Target::Standby { .. })
    }

    /// True for a rebuild over the existing site.
    pub fn is_rebuild(&self) -> bool {
        matches!(self.target, Target::InPlace { whole: true, .. } | Target::Standby { full: false, .. })
    }

    /// The cache of the site being updated, in an incremental build: what
    /// need not be produced again. None in a full build and a rebuild.
    pub fn previous(&self) -> Option<&Manifest> {
        match &self.target {
            Target::InPlace { old, whole: false, .. } => Some(old),
            _ => None,
        }
    }

    /// The content hash of the page `route` in the tree being written, when known.
    fn old_page(&self, route: &str) -> Option<u64> {
        match &self.target {
            Target::InPlace { old, .. } => old.pages.get(route).map(|e| e.content),
            Target::Standby { standby, .. } => standby.page_hash(route),
            Target::Staging(_) => None,
        }
    }

    /// The content hash of the file `rel` of a unit in the tree being written, when known.
    fn old_file(&self, rel: &str) -> Option<u64> {
        match &self.target {
            Target::InPlace { old, .. } => old.files.get(rel).map(|(_, h)| *h),
            Target::Standby { standby, .. } => standby.file_hash(rel),
            Target::Staging(_) => None,
        }
    }

    /// Writes `bytes` to `rel` unless the site already has exactly them there.
    fn put(&self, rel: &str, bytes: &[u8], old: Option<u64>) -> Result<u64, PublishError> {
        let hash = content_hash(bytes);
        match &self.target {
            Target::Staging(s) => s.write(Path::new(rel), bytes)?,
            Target::Standby { standby, written, .. } => {
                if old == Some(hash) {
                    return Ok(hash);
                }
                standby.write(rel, bytes)?;
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Target::InPlace { pending, spool, .. } => {
                if old == Some(hash) {
                    return Ok(hash);
                }
                // Written at once, not held: a rebuild changes gigabytes.
                let name = spool.write(rel, bytes)?;
                pending.lock().expect("no panics while locked").push((rel.to_string(), name));
            }
        }
        self.put_copies(rel, bytes)?;
        Ok(hash)
    }

    /// One rendered page: `inputs` is the fingerprint of what it was made of
    /// (None for pages rendered on every build).
    pub fn page(&self, route: &str, inputs: Option<u64>, bytes: &[u8]) -> Result<(), PublishError> {
        let rel = crate::urls::Urls::file(route);
        let old = self.old_page(route);
        let content = self.put(&rel.to_string_lossy(), bytes, old)?;
        let entry = PageEntry { inputs: inputs.unwrap_or(0), content };
        self.pages.lock().expect("no panics while locked").push((route.to_string(), entry));
        Ok(())
    }

    /// One file of a unit (the search index, the open data, …).
    pub fn file(&self, unit: &str, rel: &str, bytes: &[u8]) -> Result<(), PublishError> {
        let old = self.old_file(rel);
        let content = self.put(rel, bytes, old)?;
        self.files.lock().expect("no panics while locked").push((rel.to_string(), unit.to_string(), content));
        Ok(())
    }

    /// One large file of a unit, written by `fill` (streamed to disk: into
    /// the staging directory, or into the pending one and dropped there when
    /// its bytes did not change).
    pub fn stream(
        &self,
        unit: &str,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), PublishError> {
        let path = Path::new(rel);
        let record = |content: u64| {
            self.files.lock().expect("no panics while locked").push((rel.to_string(), unit.to_string(), content));
        };
        match &self.target {
            Target::Staging(s) => {
                let mut out = HashingWriter::new(s.create(path)?);
                fill(&mut out).and_then(|_| out.inner.flush()).map_err(|e| err(path, "cannot write", e))?;
                drop(out.inner);
                record(out.hasher.digest());
                self.put_copies_of_file(rel, &s.path(path))
            }
            Target::Standby { standby, written, .. } => {
                // Written over the standby's file: its length is set at the end.
                let inner = io::BufWriter::with_capacity(1 << 20, standby.open(rel)?);
                let mut out = HashingWriter::new(inner);
                let filled = fill(&mut out).and_then(|_| out.inner.flush());
                let length = out.length;
                let file = out.inner.into_inner().map_err(|e| e.into_error());
                filled.and(file).and_then(|f| f.set_len(length)).map_err(|e| err(path, "cannot write", e))?;
                record(out.hasher.digest());
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                self.put_copies_of_file(rel, &standby.dir.join(rel))
            }
            Target::InPlace { old, pending, spool, .. } => {
                let (name, file) = spool.create(rel)?;
                let inner = io::BufWriter::with_capacity(1 << 20, file);
                let mut out = HashingWriter::new(inner);
                if let Err(e) = fill(&mut out).and_then(|_| out.inner.flush()) {
                    spool.discard(&name);
                    return Err(err(path, "cannot write", e));
                }
                let content = out.hasher.digest();
                drop(out.inner);
                record(content);
                if old.files.get(rel).map(|(_, h)| *h) == Some(content) {
                    spool.discard(&name);
                    return Ok(());
                }
                let written = spool.dir.join(&name);
                pending.lock().expect("no panics while locked").push((rel.to_string(), name));
                self.put_copies_of_file(rel, &written)
            }
        }
    }

    /// Copies a directory tree (theme assets) into the site as one unit.
    pub fn copy_tree(&self, unit: &str, from: &Path, to_rel: &Path) -> Result<usize, PublishError> {
        let files = crate::util::fs::files_under(from).map_err(PublishError)?;
        for (path, rel) in &files {
            let bytes = fs::read(path).map_err(|e| err(path, "cannot read", e))?;
            self.file(unit, &to_rel.join(rel).to_string_lossy(), &bytes)?;
        }
        Ok(files.len())
    }

    /// Records that `unit` was produced from inputs with fingerprint `fp`.
    pub fn unit_done(&self, unit: &str, fp: u64) {
        self.units.lock().expect("no panics while locked").insert(unit.to_string(), fp);
    }

    /// Abandons the build: nothing was written to the site.
    pub fn abandon(self) {
        match self.target {
            Target::Staging(s) => s.abandon(),
            Target::InPlace { spool, .. } => spool.remove(),
            // The standby stays, its cache removed: the next rebuild lists it.
            Target::Standby { .. } => {}
        }
    }

    /// Publishes the build and returns the cache describing the site now.
    /// `routes` are all the pages of the site (None: the same as the last
    /// build's): those not rendered by this build keep their cache entries;
    /// `units` likewise for the other outputs.
    pub fn finish(
        self,
        output: &Path,
        routes: Option<&[String]>,
        units: &[&str],
    ) -> Result<(Manifest, Changes), PublishError> {
        let pages = self.pages.into_inner().expect("no panics while locked");
        let files = self.files.into_inner().expect("no panics while locked");
        let unit_fps = self.units.into_inner().expect("no panics while locked");
        let precompress = Output::precompress_names(&self.encodings);
        let encodings = self.encodings;
        let produced = |pages: Vec<(String, PageEntry)>, files: Vec<(String, String, u64)>, units| Manifest {
            pages: pages.into_iter().collect(),
            files: files.into_iter().map(|(rel, unit, h)| (rel, (unit, h))).collect(),
            units,
            ..Manifest::default()
        };
        let (mut m, changes) = match self.target {
            Target::Staging(s) => {
                let written = pages.len() + files.len();
                s.publish()?;
                (produced(pages, files, unit_fps), Changes { written, removed: 0 })
            }
            Target::Standby { standby, written, .. } => {
                let m = produced(pages, files, unit_fps);
                let removed = standby.publish(&m, &encodings)?;
                (m, Changes { written: written.into_inner(), removed })
            }
            Target::InPlace { dir, old, whole, pending, spool } => {
                let (m, stale) = if whole {
                    let m = produced(pages, files, unit_fps);
                    let stale = gone(&old, &m);
                    (m, stale)
                } else {
                    updated(*old, pages, files, unit_fps, routes, units)
                };
                let pending = pending.into_inner().expect("no panics while locked");
                let changes = Changes { written: pending.len(), removed: stale.len() };
                // A file's compressed copies go with it (removing a copy that
                // was never written is passed over).
                let copies = stale.iter().flat_map(|rel| compress::sibling_paths(rel, &encodings));
                let stale: Vec<String> = stale.iter().cloned().chain(copies).collect();
                spool.write_journal(&pending, &stale).inspect_err(|_| spool.remove())?;
                super::faults::point("journal");
                journal::apply(&dir, &spool.dir, &pending, &stale)?;
                (m, changes)
            }
        };
        m.marker = cache::identity(&output.join(super::MARKER)).unwrap_or_default();
        m.precompress = precompress;
        Ok((m, changes))
    }
}

/// The files of the site `old` describes that the site `new` does not have.
pub(super) fn gone(old: &Manifest, new: &Manifest) -> Vec<String> {
    let mut stale: Vec<String> = old
        .pages
        .keys()
        .filter_map(|route| new.lacks_page(route))
        .chain(old.files.keys().filter(|rel| new.lacks_file(rel)).cloned())
        .collect();
    stale.sort();
    stale.dedup();
    stale
}

/// The cache after an incremental build, and the files it made stale: the
/// pages not rendered again keep their entries (unless no longer among
/// `routes`); the files of the units produced again are replaced by what they
/// produced now, and units that no longer exist lose theirs.
fn updated(
    mut m: Manifest,
    pages: Vec<(String, PageEntry)>,
    files: Vec<(String, String, u64)>,
    unit_fps: HashMap<String, u64>,
    routes: Option<&[String]>,
    units: &[&str],
) -> (Manifest, Vec<String>) {
    let mut stale: Vec<String> = Vec::new();
    if let Some(routes) = routes {
        let current: HashSet<&str> = routes.iter().map(String::as_str).collect();
        let gone: Vec<String> = m.pages.keys().filter(|r| !current.contains(r.as_str())).cloned().collect();
        for route in gone {
            m.pages.remove(&route);
            stale.push(crate::urls::Urls::file(&route).to_string_lossy().into_owned());
        }
    }
    m.pages.extend(pages);
    let redone: HashSet<&str> = unit_fps.keys().map(String::as_str).collect();
    let keep = |unit: &str| !redone.contains(unit) && units.contains(&unit);
    let old_files = std::mem::take(&mut m.files);
    let mut new_files: HashMap<String, (String, u64)> =
        files.into_iter().map(|(rel, unit, h)| (rel, (unit, h))).collect();
    for (rel, (unit, h)) in old_files {
        if keep(&unit) {
            new_files.entry(rel).or_insert((unit, h));
        } else if !new_files.contains_key(&rel) {
            stale.push(rel);
        }
    }
    m.files = new_files;
    m.units.retain(|u, _| units.contains(&u.as_str()));
    m.units.extend(unit_fps);
    stale.sort();
    (m, stale)
}

/// Hashes what passes through to the file, so a streamed file's content hash
/// costs no second read.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Fingerprinter,
    /// Bytes written so far.
    length: u64,
}

impl<W: Write> HashingWriter<W> {
    fn new(inner: W) -> HashingWriter<W> {
        HashingWriter { inner, hasher: Fingerprinter::new(), length: 0 }
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.length += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: PathBuf) -> String {
        fs::read_to_string(path).unwrap()
    }

    /// A site of two pages, a file of a unit and a marker, as a full build
    /// leaves it.
    fn first_site(dir: &Path) -> Manifest {
        let out = Output::full(dir).unwrap();
        out.page("/a/", Some(1), b"page a").unwrap();
        out.page("/b/", Some(2), b"page b").unwrap();
        out.file("extra", "data/x.json", b"x").unwrap();
        out.unit_done("extra", 7);
        out.finish(dir, None, &["extra"]).unwrap().0
    }

    #[test]
    fn a_rebuild_writes_only_what_changed_and_removes_only_what_is_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("public");
        let old = first_site(&site);
        let untouched = cache::identity(&site.join("a/index.html"));

        let out = Output::rebuild(&site, old).unwrap();
        assert!(out.previous().is_none(), "a rebuild produces every output again");
        out.page("/a/", Some(1), b"page a").unwrap();
        out.page("/c/", Some(3), b"page c").unwrap();
        out.file("extra", "data/x.json", b"x2").unwrap();
        out.unit_done("extra", 8);
        assert!(!site.join("c").exists(), "nothing goes into the site before the end");
        let (m, changes) = out.finish(&site, None, &["extra"]).unwrap();
        assert_eq!((changes.written, changes.removed), (2, 1));
        assert_eq!(cache::identity(&site.join("a/index.html")), untouched, "an unchanged file is not written");
        assert_eq!(read(site.join("c/index.html")), "page c");
        assert_eq!(read(site.join("data/x.json")), "x2");
        assert!(!site.join("b").exists(), "a page gone is removed with its directory");
        assert_eq!(m.pages.len(), 2);
        assert_eq!(m.units.get("extra"), Some(&8));
        let beside: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(beside, vec![std::ffi::OsString::from("public")], "no pending directory is left");
    }

    #[test]
    fn a_failed_rebuild_leaves_the_site_and_nothing_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("public");
        let old = first_site(&site);
        let out = Output::rebuild(&site, old).unwrap();
        out.page("/a/", Some(1), b"changed").unwrap();
        out.abandon();
        assert_eq!(read(site.join("a/index.html")), "page a");
        assert_eq!(read(site.join("b/index.html")), "page b");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no pending directory is left");
    }

    #[test]
    fn a_rebuild_into_the_standby_writes_only_what_the_standby_lacks_then_exchanges() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("public");
        let standby = tmp.path().join(".esim-standby-public");
        let build_cache = tmp.path().join("c/build-1.txt");
        // The build cache describes the site (as `build::run` saves it).
        let rebuild = |previous: Manifest, a: &[u8]| {
            previous.save(&build_cache).unwrap();
            let out = Output::rebuild_in_standby(&site, &build_cache, &[]).unwrap();
            assert!(out.is_rebuild() && out.is_standby() && out.previous().is_none());
            out.page("/a/", Some(1), a).unwrap();
            out.page("/c/", Some(3), b"page c").unwrap();
            out.file("extra", "data/x.json", b"x").unwrap();
            out.unit_done("extra", 7);
            assert_ne!(fs::read(site.join("a/index.html")).unwrap(), a, "nothing goes into the site before the end");
            out.finish(&site, None, &["extra"]).unwrap()
        };
        // No standby yet: every file is written into a new one.
        let (m, changes) = rebuild(first_site(&site), b"page a2");
        assert_eq!((changes.written, changes.removed), (3, 0));
        assert_eq!(read(site.join("a/index.html")), "page a2");
        assert!(!site.join("b").exists());
        assert_eq!(read(standby.join("b/index.html")), "page b", "the old site is the standby");
        // The standby holds the first site: only what differs from it is written.
        let x = cache::identity(&standby.join("data/x.json"));
        let (_, changes) = rebuild(m, b"page a3");
        assert_eq!((changes.written, changes.removed), (2, 1), "a and c written, b removed");
        assert_eq!(read(site.join("a/index.html")), "page a3");
        assert_eq!(cache::identity(&site.join("data/x.json")), x, "the same bytes are not written again");
        assert!(!site.join("b").exists());
        assert_eq!(read(standby.join("a/index.html")), "page a2");
    }

    #[test]
    fn a_file_that_becomes_a_page_is_not_removed() {
        let mut old = Manifest::default();
        old.files.insert("x/index.html".into(), ("u".into(), 1));
        old.files.insert("y.txt".into(), ("u".into(), 1));
        old.pages.insert("/z/".into(), PageEntry { inputs: 1, content: 1 });
        let mut new = Manifest::default();
        new.pages.insert("/x/".into(), PageEntry { inputs: 1, content: 1 });
        new.files.insert("z/index.html".into(), ("u".into(), 1));
        assert_eq!(gone(&old, &new), vec!["y.txt".to_string()]);
    }
}
