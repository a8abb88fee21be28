//! Where the output directory may be. A build replaces its output whole and
//! reads `data/`, `content/` and the theme: an output inside one of them
//! would be read back in as input by the next build (or, in the theme's
//! `static/`, copied into itself on every build), and an output that is the
//! site's root or holds `data/` would be replaced with the inputs in it.

use std::path::{Component, Path, PathBuf};

/// Refuses an output directory inside the inputs of the site at `root` whose
/// theme is `theme_dir`, or one that contains them; checked before anything
/// is read or written.
pub fn check(root: &Path, output: &Path, theme_dir: &Path) -> Result<(), String> {
    let out = resolved(output);
    let root = resolved(root);
    let inputs = [
        (root.join("data"), "data/ (the records and reference tables)"),
        (root.join("content"), "content/ (the Markdown files)"),
        (resolved(theme_dir), "the theme's directory"),
    ];
    let refuse = |why: String| {
        Err(format!(
            "{}: {why}; choose an output directory outside data/, content/ and the theme (the default is public/ in the site's root)",
            output.display()
        ))
    };
    if out == root {
        return refuse("the output directory is the site's root, which a build would replace".into());
    }
    if root.starts_with(&out) {
        return refuse(
            "the output directory contains the site's root with its data/, which a build would replace".into(),
        );
    }
    match inputs.iter().find(|(dir, _)| out.starts_with(dir)) {
        Some((_, what)) => refuse(format!("the output directory is inside {what}, so builds would read it back in")),
        None => Ok(()),
    }
}

/// `path` made absolute, without `.` and `..` (removed as written, since
/// the output may not exist yet), and with the symbolic links of its existing
/// part resolved.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    out.extend(rest.iter().rev());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_outputs_inside_or_around_the_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let theme = root.join("themes/default");
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::create_dir_all(theme.join("static")).unwrap();
        let check = |out: &Path| check(&root, out, &theme);
        assert!(check(&root.join("public")).is_ok());
        assert!(check(&dir.path().join("elsewhere/www")).is_ok());
        assert!(check(&root.join("data/out")).unwrap_err().contains("inside data/"));
        assert!(check(&root.join("content")).unwrap_err().contains("inside content/"));
        assert!(check(&theme.join("static/x")).unwrap_err().contains("inside the theme's directory"));
        assert!(check(&root.join("public/../data/x/y")).unwrap_err().contains("inside data/"));
        assert!(check(&root).unwrap_err().contains("is the site's root"));
        assert!(check(&root.join(".")).unwrap_err().contains("is the site's root"));
        assert!(check(dir.path()).unwrap_err().contains("contains the site's root"));
    }
}
