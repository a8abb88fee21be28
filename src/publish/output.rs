//! Where a build writes, and what it wrote.
//!
//! A **full** build writes every file into a [`Staging`] directory that is
//! swapped in at the end. An **incremental** build keeps the site in place: the
//! files it produces are compared with the hashes the cache remembers and only
//! the changed ones are held in memory; [`Output::finish`] then replaces them
//! one by one (each through a temporary file and a rename) and removes the
//! files that no output produces any more. Nothing is written before every
//! page has rendered, so a failed incremental build leaves the site as it was.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{PublishError, Staging};
use crate::cache::{self, Manifest, PageEntry};

enum Target {
    Staging(Staging),
    InPlace { dir: PathBuf, previous: Box<Manifest>, pending: Mutex<Vec<(String, Pending)>> },
}

/// A changed file of an incremental build, waiting for every page to render.
enum Pending {
    Bytes(Vec<u8>),
    /// A large file already written beside its place, under a temporary name.
    Written(PathBuf),
}

/// The temporary name a file is written under before it replaces `path`.
fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.esim-tmp"))
}

/// The writer of one build.
pub struct Output {
    target: Target,
    pages: Mutex<Vec<(String, PageEntry)>>,
    files: Mutex<Vec<(String, String, u64)>>,
    units: Mutex<HashMap<String, u64>>,
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

    /// An incremental build of the site in `dir`, which `previous` describes.
    pub fn in_place(dir: &Path, previous: Manifest) -> Output {
        let previous = Box::new(previous);
        Output::new(Target::InPlace { dir: dir.to_path_buf(), previous, pending: Mutex::new(Vec::new()) })
    }

    fn new(target: Target) -> Output {
        Output {
            target,
            pages: Mutex::new(Vec::new()),
            files: Mutex::new(Vec::new()),
            units: Mutex::new(HashMap::new()),
        }
    }

    pub fn is_incremental(&self) -> bool {
        matches!(self.target, Target::InPlace { .. })
    }

    /// Writes `bytes` to `rel` unless the site already has exactly them there.
    fn put(&self, rel: &str, bytes: &[u8], old: Option<u64>) -> Result<u64, PublishError> {
        let hash = cache::content_hash(bytes);
        match &self.target {
            Target::Staging(s) => s.write(Path::new(rel), bytes)?,
            Target::InPlace { pending, .. } => {
                if old != Some(hash) {
                    let mut pending = pending.lock().expect("no panics while locked");
                    pending.push((rel.to_string(), Pending::Bytes(bytes.to_vec())));
                }
            }
        }
        Ok(hash)
    }

    /// The cache of the site being updated, in an incremental build.
    pub fn previous(&self) -> Option<&Manifest> {
        match &self.target {
            Target::InPlace { previous, .. } => Some(previous),
            Target::Staging(_) => None,
        }
    }

    /// One rendered page: `inputs` is the fingerprint of what it was made of
    /// (None for pages rendered on every build).
    pub fn page(&self, route: &str, inputs: Option<u64>, bytes: &[u8]) -> Result<(), PublishError> {
        let rel = crate::urls::Urls::file(route);
        let old = self.previous().and_then(|p| p.pages.get(route)).map(|e| e.content);
        let content = self.put(&rel.to_string_lossy(), bytes, old)?;
        let entry = PageEntry { inputs: inputs.unwrap_or(0), content };
        self.pages.lock().expect("no panics while locked").push((route.to_string(), entry));
        Ok(())
    }

    /// One file of a unit (the search index, the open data, …).
    pub fn file(&self, unit: &str, rel: &str, bytes: &[u8]) -> Result<(), PublishError> {
        let old = self.previous().and_then(|p| p.files.get(rel)).map(|(_, h)| *h);
        let content = self.put(rel, bytes, old)?;
        self.files.lock().expect("no panics while locked").push((rel.to_string(), unit.to_string(), content));
        Ok(())
    }

    /// One large file of a unit, written by `fill` (streamed to disk in a full
    /// build).
    pub fn stream(
        &self,
        unit: &str,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), PublishError> {
        let path = Path::new(rel);
        match &self.target {
            Target::Staging(s) => {
                let mut out = HashingWriter { inner: s.create(path)?, hasher: cache::Fingerprinter::new() };
                fill(&mut out).and_then(|_| out.inner.flush()).map_err(|e| err(path, "cannot write", e))?;
                let content = out.hasher.digest();
                self.files.lock().expect("no panics while locked").push((rel.to_string(), unit.to_string(), content));
                Ok(())
            }
            Target::InPlace { dir, previous, pending } => {
                // Written beside its place rather than held: open data is large.
                let dest = dir.join(path);
                let tmp = temporary(&dest);
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).map_err(|e| err(parent, "cannot create", e))?;
                }
                let file = fs::File::create(&tmp).map_err(|e| err(&tmp, "cannot create", e))?;
                let inner = io::BufWriter::with_capacity(1 << 20, file);
                let mut out = HashingWriter { inner, hasher: cache::Fingerprinter::new() };
                let written = fill(&mut out).and_then(|_| out.inner.flush());
                if let Err(e) = written {
                    let _ = fs::remove_file(&tmp);
                    return Err(err(path, "cannot write", e));
                }
                let content = out.hasher.digest();
                if previous.files.get(rel).map(|(_, h)| *h) == Some(content) {
                    let _ = fs::remove_file(&tmp);
                } else {
                    pending.lock().expect("no panics while locked").push((rel.to_string(), Pending::Written(tmp)));
                }
                self.files.lock().expect("no panics while locked").push((rel.to_string(), unit.to_string(), content));
                Ok(())
            }
        }
    }

    /// Copies a directory tree (theme assets) into the site as one unit.
    pub fn copy_tree(&self, unit: &str, from: &Path, to_rel: &Path) -> Result<usize, PublishError> {
        let mut n = 0;
        for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
            let entry = entry.map_err(|e| PublishError(format!("{}: {e}", from.display())))?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
                let bytes = fs::read(entry.path()).map_err(|e| err(entry.path(), "cannot read", e))?;
                self.file(unit, &to_rel.join(rel).to_string_lossy(), &bytes)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Records that `unit` was produced from inputs with fingerprint `fp`.
    pub fn unit_done(&self, unit: &str, fp: u64) {
        self.units.lock().expect("no panics while locked").insert(unit.to_string(), fp);
    }

    /// Abandons the build: nothing was written to the site.
    pub fn abandon(self) {
        match self.target {
            Target::Staging(s) => s.abandon(),
            Target::InPlace { pending, .. } => {
                for (_, p) in pending.into_inner().expect("no panics while locked") {
                    if let Pending::Written(tmp) = p {
                        let _ = fs::remove_file(tmp);
                    }
                }
            }
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
        let mut changes = Changes::default();
        let mut m = match self.target {
            Target::Staging(s) => {
                changes.written = pages.len() + files.len();
                s.publish()?;
                Manifest {
                    pages: pages.into_iter().collect(),
                    files: files.into_iter().map(|(rel, unit, h)| (rel, (unit, h))).collect(),
                    units: unit_fps,
                    ..Manifest::default()
                }
            }
            Target::InPlace { dir, previous, pending } => {
                let mut m = *previous;
                let mut stale: Vec<PathBuf> = Vec::new();
                if let Some(routes) = routes {
                    let current: HashSet<&str> = routes.iter().map(String::as_str).collect();
                    let gone: Vec<String> = m.pages.keys().filter(|r| !current.contains(r.as_str())).cloned().collect();
                    for route in gone {
                        m.pages.remove(&route);
                        stale.push(crate::urls::Urls::file(&route));
                    }
                }
                m.pages.extend(pages);
                // Files of the units produced again are replaced by what they
                // produced now; units that no longer exist lose theirs.
                let redone: HashSet<&str> = unit_fps.keys().map(String::as_str).collect();
                let keep = |unit: &str| !redone.contains(unit) && units.contains(&unit);
                let old_files = std::mem::take(&mut m.files);
                let mut new_files: HashMap<String, (String, u64)> =
                    files.into_iter().map(|(rel, unit, h)| (rel, (unit, h))).collect();
                for (rel, (unit, h)) in old_files {
                    if keep(&unit) {
                        new_files.entry(rel).or_insert((unit, h));
                    } else if !new_files.contains_key(&rel) {
                        stale.push(PathBuf::from(rel));
                    }
                }
                m.files = new_files;
                m.units.retain(|u, _| units.contains(&u.as_str()));
                m.units.extend(unit_fps);
                stale.sort();
                let pending = pending.into_inner().expect("no panics while locked");
                changes = Changes { written: pending.len(), removed: stale.len() };
                apply(&dir, pending, &stale)?;
                m
            }
        };
        m.marker = cache::identity(&output.join(super::MARKER)).unwrap_or_default();
        Ok((m, changes))
    }
}

/// Replaces the changed files and removes the stale ones (and the directories
/// they leave empty).
fn apply(dir: &Path, pending: Vec<(String, Pending)>, stale: &[PathBuf]) -> Result<(), PublishError> {
    use rayon::prelude::*;
    pending.par_iter().try_for_each(|(rel, p)| {
        let path = dir.join(rel);
        let tmp = match p {
            Pending::Written(tmp) => tmp.clone(),
            Pending::Bytes(bytes) => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|e| err(parent, "cannot create", e))?;
                }
                let tmp = temporary(&path);
                fs::write(&tmp, bytes).map_err(|e| err(&tmp, "cannot write", e))?;
                tmp
            }
        };
        fs::rename(&tmp, &path).map_err(|e| err(&path, "cannot replace", e))
    })?;
    for rel in stale {
        let path = dir.join(rel);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err(&path, "cannot remove", e)),
            _ => {}
        }
        // Directories left empty go too: a full build would not have them.
        let mut parent = path.parent();
        while let Some(p) = parent.filter(|p| *p != dir) {
            if fs::remove_dir(p).is_err() {
                break;
            }
            parent = p.parent();
        }
    }
    Ok(())
}

/// Hashes what passes through to the file, so a streamed file's content hash
/// costs no second read.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: cache::Fingerprinter,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
