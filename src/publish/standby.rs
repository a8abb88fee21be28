//! The standby tree (`[build] standby = true`): a second copy of the site
//! beside the output, `.esim-standby-<name>`, which a rebuild overwrites and
//! then exchanges with the output in one step.
//!
//! Why: a rebuild in place (see [`super::output`]) renames a new file over
//! every old one, and each rename frees the old file's blocks; on a file
//! system mounted with `discard` (virtual disks often are) every free waits
//! for the disk, and a rebuild of the whole book took several times a cold
//! build. Overwriting a file that exists frees nothing (its blocks are
//! reused), so a rebuild writes into the tree the site had *before* the last
//! rebuild, only the files whose bytes differ from what that tree holds,
//! removes what it holds that the site no longer has, and exchanges the two
//! directories (`renameat2(RENAME_EXCHANGE)`): a server sees the old site,
//! then the new one, never a mix, and the old site becomes the standby of the
//! next rebuild. The cost is twice the disk.
//!
//! What the standby holds is known from its own cache file (`build-<key>.standby`
//! beside the build cache), valid only while the standby's marker file is the
//! one the cache names: a rebuild replaces the marker before it writes
//! anything, so a build killed while it overwrites the standby leaves a cache
//! that no longer matches. The next rebuild then lists the standby's files
//! (one walk) and overwrites every file it produces. The output itself is
//! never written before the exchange, so a failed or killed rebuild leaves the
//! site whole.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::cache::{Entry, Manifest};
use super::{faults, PublishError, MARKER};
use crate::util::compress::{self, Encoding};
use crate::util::hash::content_hash;
use std::collections::HashMap;

const PREFIX: &str = ".esim-standby-";

/// The page size of the page cache on the usual systems (x86-64, most arm64).
const PAGE: usize = 4096;

fn err(path: &Path, what: &str, e: io::Error) -> PublishError {
    PublishError(format!("{}: {what}: {e}", path.display()))
}

/// What a standby holds.
enum Holds {
    /// Nothing: a new standby.
    Nothing,
    /// As its cache says: the content hash of each page and file, by the
    /// hash of its route or path (a few hundred MB less than the cache
    /// itself at 311,000 people). The cache file, set aside while the
    /// standby changes, names them when the stale ones are looked for.
    Cached { pages: HashMap<u64, u64>, files: HashMap<u64, u64>, names: PathBuf },
    /// Found by a walk (no cache to trust): the files, of unknown bytes.
    Listed(Manifest),
}

impl Holds {
    /// What the cache `path` (set aside) says; None when it cannot be read whole.
    fn cached(path: PathBuf) -> Option<Holds> {
        let (mut pages, mut files) = (HashMap::new(), HashMap::new());
        let whole = Manifest::scan(&path, |e| match e {
            Entry::Page(route, page) => {
                pages.insert(content_hash(route.as_bytes()), page.content);
            }
            Entry::File(rel, _, content) => {
                files.insert(content_hash(rel.as_bytes()), content);
            }
        });
        whole.then_some(Holds::Cached { pages, files, names: path })
    }

    /// The files held that the site `new` does not have.
    fn stale(&self, new: &Manifest) -> Result<Vec<String>, PublishError> {
        let mut stale = match self {
            Holds::Nothing => Vec::new(),
            Holds::Listed(m) => super::output::gone(m, new),
            Holds::Cached { names, .. } => {
                let mut stale = Vec::new();
                let whole = Manifest::scan(names, |e| match e {
                    Entry::Page(route, _) => stale.extend(new.lacks_page(route)),
                    Entry::File(rel, _, _) if new.lacks_file(rel) => stale.push(rel.to_string()),
                    Entry::File(..) => {}
                });
                if !whole {
                    return Err(PublishError(format!(
                        "{}: the standby's cache could not be read again",
                        names.display()
                    )));
                }
                stale
            }
        };
        stale.sort();
        stale.dedup();
        Ok(stale)
    }
}

/// The standby tree of one output directory, being brought up to date.
pub struct Standby {
    pub dir: PathBuf,
    /// The real output directory (a symbolic link's target).
    target: PathBuf,
    /// Where the standby's cache is kept.
    cache: PathBuf,
    /// The build cache, describing the output until the exchange.
    build_cache: PathBuf,
    holds: Holds,
    /// The threads looking up the standby's files ahead of the writers.
    warming: Option<Warming>,
}

/// The standby tree of `target` (the real output directory).
pub fn path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!("{PREFIX}{name}"))
}

/// The standby's cache file, beside the build cache `build_cache`.
pub fn cache_path(build_cache: &Path) -> PathBuf {
    build_cache.with_extension("standby")
}

/// Where the standby's cache is set aside while the standby changes.
fn reading_path(cache: &Path) -> PathBuf {
    cache.with_extension("standby-reading")
}

impl Standby {
    /// Opens (or creates) the standby tree of `target` and invalidates its
    /// cache before anything is written into it. `precompress`: the
    /// encodings of this build's compressed copies (a standby written with
    /// others is listed as unknown). `anew`: a full build, which trusts no
    /// cache: the standby is listed and every file written.
    pub fn begin(target: &Path, build_cache: &Path, precompress: &str, anew: bool) -> Result<Standby, PublishError> {
        let target = super::real_output(target)?;
        let dir = path(&target);
        let cache = cache_path(build_cache);
        let marker = dir.join(MARKER);
        let found = fs::symlink_metadata(&dir).is_ok();
        if found && !marker.is_file() && fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) {
            return Err(PublishError(format!(
                "{}: this directory is where esim keeps the site's standby copy, but it was not written by esim (no {MARKER} file): remove it or set [build] standby = false",
                dir.display()
            )));
        }
        let described = Manifest::load_head(&cache).filter(|_| !anew).is_some_and(|m| {
            m.marker != (0, 0) && super::cache::identity(&marker) == Some(m.marker) && m.precompress == precompress
        });
        // From here on the standby is being changed: no cache may describe it.
        // A cache that does is set aside, to be read (and removed at the end).
        let names = reading_path(&cache);
        let _ = fs::remove_file(&names); // left by a killed build
        let holds = if described && fs::rename(&cache, &names).is_ok() { Holds::cached(names) } else { None };
        let holds = match holds {
            Some(holds) => holds,
            None if found => Holds::Listed(listed(&dir, precompress)?),
            None => Holds::Nothing,
        };
        Manifest::invalidate(&cache).map_err(|e| err(&cache, "cannot remove", e))?;
        fs::create_dir_all(&dir).map_err(|e| err(&dir, "cannot create the standby directory", e))?;
        // A new marker (a new inode): the old one's identity is no longer this tree's.
        let _ = fs::remove_file(&marker);
        super::write(&marker, b"This directory was generated by esim and is replaced by every build.\n")
            .map_err(|e| err(&marker, "cannot write the marker", e))?;
        Ok(Standby { dir, target, cache, build_cache: build_cache.to_path_buf(), holds, warming: None })
    }

    /// Looks up the standby's files of the pages `routes` (in the order the
    /// build will write them) on background threads, ahead of the writers.
    /// A standby written days ago is not in the kernel's caches: opening each
    /// of its files read its directory and inode from the disk, one after
    /// another, while the render threads waited; many lookups at once keep
    /// the disk busy, and the writers then find them cached.
    pub fn warm(&mut self, routes: Arc<Vec<String>>) {
        if !matches!(self.holds, Holds::Nothing) {
            self.warming = Some(Warming::start(self.dir.clone(), routes));
        }
    }

    /// The content hash of the page `route` in the standby, when known.
    pub fn page_hash(&self, route: &str) -> Option<u64> {
        match &self.holds {
            Holds::Cached { pages, .. } => pages.get(&content_hash(route.as_bytes())).copied(),
            _ => None,
        }
    }

    /// The content hash of the file `rel` of a unit, when known.
    pub fn file_hash(&self, rel: &str) -> Option<u64> {
        match &self.holds {
            Holds::Cached { files, .. } => files.get(&content_hash(rel.as_bytes())).copied(),
            _ => None,
        }
    }

    /// Writes `rel` over what the standby has there. The bytes are written
    /// padded with zeros to a whole page, then cut to their length: a write
    /// that ends inside a page of the old file makes the kernel read that
    /// page from the disk first (the standby is rarely in the page cache), a
    /// read per file that took five times as long as the write itself.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), PublishError> {
        let path = self.dir.join(rel);
        let mut file = self.open(rel)?;
        let whole = bytes.len().next_multiple_of(PAGE);
        let mut padded = Vec::with_capacity(whole);
        padded.extend_from_slice(bytes);
        padded.resize(whole, 0);
        file.write_all(&padded)
            .and_then(|_| file.set_len(bytes.len() as u64))
            .map_err(|e| err(&path, "cannot write", e))
    }

    /// Opens `rel` for writing without truncating it (its blocks are reused;
    /// the writer sets its length when done), creating its directories.
    pub fn open(&self, rel: &str) -> Result<fs::File, PublishError> {
        let path = self.dir.join(rel);
        faults::before_write().map_err(|e| err(&path, "cannot write", e))?;
        let open = || fs::OpenOptions::new().write(true).create(true).truncate(false).open(&path);
        match open() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let parent = path.parent().unwrap_or(&self.dir);
                fs::create_dir_all(parent).map_err(|e| err(parent, "cannot create", e))?;
                open()
            }
            other => other,
        }
        .map_err(|e| err(&path, "cannot write", e))
    }

    /// Removes what the standby holds that the site `new` does not have (and
    /// their compressed copies) and exchanges the standby with the output;
    /// the build cache, which describes the site until then, becomes the
    /// cache of the new standby. Returns the number of files removed.
    pub fn publish(mut self, new: &Manifest, encodings: &[Encoding]) -> Result<usize, PublishError> {
        drop(self.warming.take());
        let stale = self.holds.stale(new)?;
        let removed = stale.len();
        let copies = stale.iter().flat_map(|rel| compress::sibling_paths(rel, encodings));
        let stale: Vec<String> = stale.iter().cloned().chain(copies).collect();
        super::journal::remove_files(&self.dir, &stale)?;
        faults::point("standby");
        // The output changes now: its cache no longer describes it, but the
        // next standby (the same tree, the same marker). Without a cache, the
        // next rebuild lists the standby.
        match fs::rename(&self.build_cache, &self.cache) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err(&self.build_cache, "cannot move", e)),
            _ => {}
        }
        super::exchange(&self.dir, &self.target).map_err(|e| {
            err(
                &self.target,
                "cannot exchange the standby tree with the output (it must be a directory on the same file system)",
                e,
            )
        })?;
        faults::point("standby");
        if let Holds::Cached { names, .. } = &self.holds {
            let _ = fs::remove_file(names);
        }
        Ok(removed)
    }
}

/// Threads looking up files: the renderers of rayon work from two fronts of
/// the list (its start and its middle, each half split again only when a
/// thread runs out), so half the lookers start at each. Stopped when dropped.
struct Warming {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Lookups at once: each waits on the disk far more than it works.
const LOOKERS: usize = 8;

impl Warming {
    fn start(dir: PathBuf, routes: Arc<Vec<String>>) -> Warming {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let (first, second) = routes.split_at(routes.len() / 2);
            let fronts = [(first, AtomicUsize::new(0)), (second, AtomicUsize::new(0))];
            std::thread::scope(|scope| {
                for n in 0..LOOKERS {
                    let (part, next) = &fronts[n % 2];
                    let (dir, stopped) = (&dir, &stopped);
                    scope.spawn(move || {
                        while !stopped.load(Ordering::Relaxed) {
                            let Some(route) = part.get(next.fetch_add(1, Ordering::Relaxed)) else { break };
                            let _ = fs::symlink_metadata(dir.join(crate::urls::Urls::file(route)));
                        }
                    });
                }
            });
        });
        Warming { stop, thread: Some(thread) }
    }
}

impl Drop for Warming {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The files a standby holds whose cache was lost (a killed rebuild) or is
/// not trusted (a full build), by one walk: all as files of unknown bytes. A
/// compressed copy beside its file, of an encoding of `precompress` (`gz,br`),
/// is left out: it follows its file; copies of other encodings are stale files.
fn listed(dir: &Path, precompress: &str) -> Result<Manifest, PublishError> {
    let extensions: Vec<String> = precompress.split(',').filter(|e| !e.is_empty()).map(|e| format!(".{e}")).collect();
    let mut m = Manifest::default();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry =
            entry.map_err(|e| PublishError(format!("{}: cannot list the standby directory: {e}", dir.display())))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().into_owned();
        if rel != MARKER {
            m.files.insert(rel, (String::new(), 0));
        }
    }
    let copies: Vec<String> = m
        .files
        .keys()
        .filter(|rel| {
            extensions.iter().any(|ext| rel.strip_suffix(ext.as_str()).is_some_and(|base| m.files.contains_key(base)))
        })
        .cloned()
        .collect();
    for rel in copies {
        m.files.remove(&rel);
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standby_is_beside_the_output_and_its_cache_beside_the_build_cache() {
        assert_eq!(path(Path::new("/srv/www/public")), Path::new("/srv/www/.esim-standby-public"));
        assert_eq!(
            cache_path(Path::new("/s/.esim/cache/build-00ff.txt")),
            Path::new("/s/.esim/cache/build-00ff.standby")
        );
    }

    #[test]
    fn a_shorter_file_written_over_a_longer_one_keeps_only_its_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir(&target).unwrap();
        let s = Standby::begin(&target, &tmp.path().join("c/build-1.txt"), "", false).unwrap();
        s.write("a/b/index.html", b"a long first version").unwrap();
        s.write("a/b/index.html", b"short").unwrap();
        assert_eq!(fs::read_to_string(s.dir.join("a/b/index.html")).unwrap(), "short");
    }

    #[test]
    fn a_standby_without_its_cache_is_listed_with_its_copies_following_their_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(".esim-standby-public");
        fs::create_dir_all(dir.join("a")).unwrap();
        fs::write(dir.join(MARKER), "x").unwrap();
        for f in ["a/index.html", "a/index.html.gz", "a/index.html.br", "b.txt", "c.gz"] {
            fs::write(dir.join(f), f).unwrap();
        }
        let m = listed(&dir, "gz").unwrap();
        let mut files: Vec<&str> = m.files.keys().map(String::as_str).collect();
        files.sort();
        assert_eq!(files, ["a/index.html", "a/index.html.br", "b.txt", "c.gz"], "a copy of another encoding is stale");
    }

    #[test]
    fn a_directory_of_that_name_that_is_not_esims_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(tmp.path().join(".esim-standby-public")).unwrap();
        fs::write(tmp.path().join(".esim-standby-public/mine.txt"), "keep").unwrap();
        let e = Standby::begin(&target, &tmp.path().join("c/build-1.txt"), "", false).err().unwrap();
        assert!(e.0.contains("not written by esim"), "{e}");
        assert!(tmp.path().join(".esim-standby-public/mine.txt").exists());
    }
}
