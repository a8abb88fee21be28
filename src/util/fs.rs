//! File-system helpers: the files of a tree in a stable order, and copying
//! a tree.

use std::path::{Path, PathBuf};

/// Every file under `dir`, sorted by path (an empty list when `dir` does not
/// exist). Each with its path relative to `dir`.
pub fn files_under(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let mut files = Vec::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_path_buf();
            files.push((entry.into_path(), rel));
        }
    }
    Ok(files)
}

/// Copies every file under `from` to the same place under `to`; returns the
/// number of files and bytes copied.
pub fn copy_tree(from: &Path, to: &Path) -> Result<(usize, u64), String> {
    let mut copied = (0, 0);
    for (path, rel) in files_under(from)? {
        let dest = to.join(&rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        copied.1 += std::fs::copy(&path, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        copied.0 += 1;
    }
    Ok(copied)
}

/// A modification time in nanoseconds since the epoch (0 before it).
pub fn modified_nanos(t: std::time::SystemTime) -> u64 {
    t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}
