//! One build at a time: a build holds an exclusive lock on its site's root
//! and on its output directory until it has published. A second build of the
//! same site or into the same output waits for the first, then starts from
//! what it published. The operating system releases the lock when a process
//! ends in any way (killed, crashed), so no stale lock is ever left behind.

use std::fs::{self, File, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A lock held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// What a build does while another holds the lock.
pub enum Waiting<'a> {
    /// Waits, telling `notice` once why.
    Wait(&'a dyn Fn(&str)),
    /// Gives up at once (for tools that must not block).
    GiveUp,
}

impl Lock {
    /// Locks `path` (created if missing; its parent too), waiting or giving up
    /// while another process holds it. `what` names the locked thing in messages.
    pub fn acquire(path: &Path, what: &str, waiting: Waiting) -> Result<Lock, String> {
        let fail = |e: std::io::Error| format!("{}: cannot lock {what}: {e}", path.display());
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(fail)?;
        }
        let mut file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(path).map_err(fail)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(path).unwrap_or_default();
                let holder = holder.trim();
                let message = format!(
                    "another esim build{} is writing {what}: waiting for it to finish",
                    if holder.is_empty() { String::new() } else { format!(" (process {holder})") }
                );
                match waiting {
                    Waiting::Wait(notice) => {
                        notice(&message);
                        file.lock().map_err(fail)?;
                    }
                    Waiting::GiveUp => return Err(message.replace(": waiting for it to finish", "")),
                }
            }
            Err(TryLockError::Error(e)) => return Err(fail(e)),
        }
        // Who holds it, for the message of the next build that has to wait.
        let _ = file.set_len(0);
        let _ = write!(file, "{}", std::process::id());
        Ok(Lock { _file: file })
    }
}

/// The lock file of an output directory: a hidden sibling, so that it is
/// never published and survives the swap of the directory.
pub fn output_lock_path(output: &Path) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.esim-lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_or_gives_up() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.lock");
        let first = Lock::acquire(&path, "x", Waiting::GiveUp).unwrap();
        let err = Lock::acquire(&path, "x", Waiting::GiveUp).unwrap_err();
        assert!(err.contains("another esim build") && err.contains(&std::process::id().to_string()), "{err}");
        drop(first);
        Lock::acquire(&path, "x", Waiting::GiveUp).expect("free again once dropped");
    }
}
