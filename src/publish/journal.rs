//! The pending directory and the journal of an in-place update.
//!
//! While a build renders, every file it changes is written into a *pending*
//! directory beside the output (on the same file system, so that the files
//! move in by renaming), never into the site. When everything has rendered,
//! a **journal** lists what replaces what and what goes; it is complete once
//! it has its final name. Only then are the files moved into the site and the
//! stale ones removed. Each step of [`apply`] can be done again, so a build
//! killed while it moves files is completed by the next one ([`replay`]); a
//! build that dies before its journal is complete leaves the site as it was.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{faults, PublishError};

const JOURNAL: &str = "journal";

/// Files per sub-directory of the pending directory: a full rebuild puts a
/// million files there, and no file system likes them in one directory.
const SHARD: usize = 1024;

fn err(path: &Path, what: &str, e: io::Error) -> PublishError {
    PublishError(format!("{}: {what}: {e}", path.display()))
}

/// The pending directory of one build: `.esim-pending-<name>-<pid>` beside
/// the output, created when the first file goes there.
pub struct Spool {
    pub dir: PathBuf,
    next: AtomicUsize,
}

impl Spool {
    pub fn new(output: &Path) -> Spool {
        Spool { dir: super::sibling(output, super::PENDING_PREFIX), next: AtomicUsize::new(0) }
    }

    /// Creates a new pending file; returns its name in the pending directory
    /// (`<shard>/<n>`) and the file. `rel` (the file it will replace) names it
    /// in errors.
    pub fn create(&self, rel: &str) -> Result<(String, fs::File), PublishError> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let name = format!("{}/{n}", n / SHARD);
        let path = self.dir.join(&name);
        let fail = |e| err(Path::new(rel), "cannot write", e);
        faults::before_write().map_err(fail)?;
        let file = match fs::File::create(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // The first file of its shard (the directories are created
                // only when missing: a syscall saved per file).
                let parent = path.parent().unwrap_or(&self.dir);
                fs::create_dir_all(parent).map_err(|e| err(parent, "cannot create the pending directory", e))?;
                fs::File::create(&path)
            }
            other => other,
        }
        .map_err(fail)?;
        Ok((name, file))
    }

    /// Writes one pending file; returns its name.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<String, PublishError> {
        let (name, mut file) = self.create(rel)?;
        if let Err(e) = file.write_all(bytes) {
            let _ = fs::remove_file(self.dir.join(&name));
            return Err(err(Path::new(rel), "cannot write", e));
        }
        Ok(name)
    }

    /// Drops a pending file that turned out to be unchanged.
    pub fn discard(&self, name: &str) {
        let _ = fs::remove_file(self.dir.join(name));
    }

    /// Removes the pending directory and everything in it.
    pub fn remove(&self) {
        let _ = fs::remove_dir_all(&self.dir);
    }

    /// Writes the journal: `R <pending> <rel>` for each file replaced (or
    /// added), `D <rel>` for each removed. Complete once renamed into place.
    pub fn write_journal(&self, replace: &[(String, String)], remove: &[String]) -> Result<(), PublishError> {
        fs::create_dir_all(&self.dir).map_err(|e| err(&self.dir, "cannot create the pending directory", e))?;
        let journal = self.dir.join(JOURNAL);
        let tmp = journal.with_extension("tmp");
        let written = (|| {
            faults::before_write()?;
            let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
            for (rel, pending) in replace {
                writeln!(out, "R\t{pending}\t{rel}")?;
            }
            for rel in remove {
                writeln!(out, "D\t{rel}")?;
            }
            out.flush()
        })();
        written.map_err(|e| err(&tmp, "cannot write", e))?;
        fs::rename(&tmp, &journal).map_err(|e| err(&journal, "cannot write", e))
    }
}

/// Moves the pending files into the site, removes the stale ones (and the
/// directories they leave empty), then the pending directory. `replace` is
/// `(rel, pending)`. A file already moved, or already removed, is passed over.
pub fn apply(
    dir: &Path,
    pending_dir: &Path,
    replace: &[(String, String)],
    remove: &[String],
) -> Result<(), PublishError> {
    in_parallel(replace, |(rel, pending)| {
        move_in(&pending_dir.join(pending), &dir.join(rel))?;
        faults::point("apply");
        Ok(())
    })?;
    // Only once every file is in: a directory a removal leaves empty may be
    // one a new file goes into.
    remove_files(dir, remove)?;
    let _ = fs::remove_dir_all(pending_dir);
    Ok(())
}

/// Removes the files `remove` of the site in `dir` (and the directories they
/// leave empty); a file already gone is passed over.
pub(super) fn remove_files(dir: &Path, remove: &[String]) -> Result<(), PublishError> {
    in_parallel(remove, |rel| remove_with_empty_parents(dir, &dir.join(rel)))
}

/// Threads that move files in (and remove stale ones) at once. Each step
/// waits on the disk far more than it works: a rename over a file frees the
/// old file's blocks, and on a file system mounted with `discard` (as virtual
/// disks often are) every free is a discard request waited for, milliseconds
/// each; one step at a time, 300,000 files took minutes. More threads than
/// cores keep the disk busy; the order of the steps does not matter, as each
/// can be done again (see [`replay`]).
const MOVERS: usize = 8;

/// Runs `step` on every item, on [`MOVERS`] threads; the first error stops
/// the others and is returned.
fn in_parallel<T: Sync>(items: &[T], step: impl Fn(&T) -> Result<(), PublishError> + Sync) -> Result<(), PublishError> {
    let next = AtomicUsize::new(0);
    let failed: std::sync::Mutex<Option<PublishError>> = std::sync::Mutex::new(None);
    let work = || {
        while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
            if let Err(e) = step(item) {
                // Past the end: the other threads stop at their next item.
                next.store(items.len(), Ordering::Relaxed);
                failed.lock().expect("no panics while locked").get_or_insert(e);
                return;
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..MOVERS.min(items.len()) {
            scope.spawn(work);
        }
        work();
    });
    match failed.into_inner().expect("no panics while locked") {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Renames `from` over `to`. Only when that fails for a missing directory is
/// the cause looked for: `from` already moved (a replay), or `to`'s directory
/// not there yet (a new page).
fn move_in(from: &Path, to: &Path) -> Result<(), PublishError> {
    match fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if !from.exists() {
                return Ok(());
            }
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| err(parent, "cannot create", e))?;
            }
            fs::rename(from, to).map_err(|e| err(to, "cannot replace", e))
        }
        Err(e) => Err(err(to, "cannot replace", e)),
    }
}

fn remove_with_empty_parents(dir: &Path, path: &Path) -> Result<(), PublishError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err(path, "cannot remove", e)),
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
    Ok(())
}

/// Completes an in-place update that was interrupted: when its journal is
/// complete, its changes are applied; otherwise (the build died before) its
/// pending directory is removed and the site is as it was.
pub fn replay(output: &Path, pending_dir: &Path) -> Result<(), PublishError> {
    let Ok(text) = fs::read_to_string(pending_dir.join(JOURNAL)) else {
        let _ = fs::remove_dir_all(pending_dir);
        return Ok(());
    };
    let (mut replace, mut remove) = (Vec::new(), Vec::new());
    for line in text.lines() {
        match line.split('\t').collect::<Vec<_>>().as_slice() {
            ["R", pending, rel] => replace.push((rel.to_string(), pending.to_string())),
            ["D", rel] => remove.push(rel.to_string()),
            _ => {}
        }
    }
    apply(output, pending_dir, &replace, &remove)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: PathBuf) -> String {
        fs::read_to_string(path).unwrap()
    }

    #[test]
    fn a_journal_written_before_a_kill_is_completed_by_replay() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("public");
        fs::create_dir_all(site.join("a")).unwrap();
        fs::write(site.join("a/index.html"), "old a").unwrap();
        fs::create_dir_all(site.join("x/y")).unwrap();
        fs::write(site.join("x/y/gone.txt"), "old").unwrap();
        let spool = Spool::new(&site);
        let a = spool.write("a/index.html", b"new a").unwrap();
        let c = spool.write("b/c/index.html", b"new c").unwrap();
        let replace = vec![("a/index.html".to_string(), a), ("b/c/index.html".to_string(), c)];
        spool.write_journal(&replace, &["x/y/gone.txt".to_string()]).unwrap();
        // Killed here: the site is untouched, the journal complete.
        assert_eq!(read(site.join("a/index.html")), "old a");
        // Killed again after the first file moved: the replay passes over it.
        move_in(&spool.dir.join(&replace[0].1), &site.join("a/index.html")).unwrap();
        replay(&site, &spool.dir).unwrap();
        assert_eq!(read(site.join("a/index.html")), "new a");
        assert_eq!(read(site.join("b/c/index.html")), "new c");
        assert!(!site.join("x").exists(), "the directories left empty are removed");
        assert!(!spool.dir.exists());

        // Without a complete journal, the pending files are dropped.
        let spool = Spool::new(&site);
        spool.write("a/index.html", b"half").unwrap();
        replay(&site, &spool.dir).unwrap();
        assert!(!spool.dir.exists());
        assert_eq!(read(site.join("a/index.html")), "new a");
    }

    #[test]
    fn many_files_move_in_at_once_into_new_and_old_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("public");
        for d in 0..20 {
            fs::create_dir_all(site.join(format!("old/{d}"))).unwrap();
            fs::write(site.join(format!("old/{d}/index.html")), "old").unwrap();
            fs::write(site.join(format!("old/{d}/gone.txt")), "gone").unwrap();
        }
        let spool = Spool::new(&site);
        let mut replace = Vec::new();
        for i in 0..400 {
            // Files of one new directory are moved by several threads at once.
            let rel = if i < 20 { format!("old/{i}/index.html") } else { format!("new/{}/{i}.html", i % 30) };
            replace.push((rel.clone(), spool.write(&rel, rel.as_bytes()).unwrap()));
        }
        let remove: Vec<String> = (0..20).map(|d| format!("old/{d}/gone.txt")).collect();
        spool.write_journal(&replace, &remove).unwrap();
        apply(&site, &spool.dir, &replace, &remove).unwrap();
        for (rel, _) in &replace {
            assert_eq!(read(site.join(rel)), *rel);
        }
        assert!(remove.iter().all(|rel| !site.join(rel).exists()));
        assert!(!spool.dir.exists());
    }

    #[test]
    fn pending_files_are_spread_over_shards() {
        let tmp = tempfile::tempdir().unwrap();
        let spool = Spool::new(&tmp.path().join("public"));
        let names: Vec<String> = (0..SHARD + 2).map(|i| spool.write("f", i.to_string().as_bytes()).unwrap()).collect();
        assert_eq!(names[0], "0/0");
        assert_eq!(names[SHARD + 1], format!("1/{}", SHARD + 1));
        assert_eq!(read(spool.dir.join(&names[SHARD])), SHARD.to_string());
        spool.discard(&names[1]);
        assert!(!spool.dir.join(&names[1]).exists());
        spool.remove();
        assert!(!spool.dir.exists());
    }
}
