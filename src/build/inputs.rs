//! What a build is made of: which files are its inputs (one definition, used
//! by the build's stamp, the warm builder and the watcher of `esim serve`),
//! their stamp, the global fingerprint of what every page depends on, the
//! assets' version and the build date.

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use super::Options;
use crate::model::{self, PartialDate};
use crate::util::fs::modified_nanos as nanos;
use crate::util::hash::{content_hash, fingerprint, Fingerprinter};
use crate::{config, ledger};

/// The size and modification time of every input file (None for one that does
/// not exist), in a stable order.
pub type Scan = Vec<(PathBuf, Option<(u64, u64)>)>;

/// Files editors' tools leave beside the files they edit; no build reads them.
fn is_editor_file(name: &str) -> bool {
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || crate::records::is_lock_file(name)
}

/// Whether a build of the site at `root` reads `path`: `config.toml`, the
/// files under `data/` (but the ledger, which the build writes), `content/`
/// and `themes/`, except editors' temporary files and esim's own folders.
pub fn is_input(root: &Path, path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if is_editor_file(&name) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [file] => file == "config.toml",
        [data, ledger] if data == "data" && *ledger == ledger::FILE => false,
        [top, _, ..] if ["data", "content", "themes"].contains(&top.as_str()) => {
            !parts.iter().any(|p| p.starts_with(".esim"))
        }
        _ => false,
    }
}

/// Every input file of the site with its size and modification time; None
/// when the config cannot be read (the build then reports it).
pub fn input_files(options: &Options) -> Option<Scan> {
    let root = &options.root;
    let config = config::Config::load(&root.join("config.toml"), options.base_url.as_deref()).ok()?;
    let stat = |meta: &fs::Metadata| (meta.len(), meta.modified().map(nanos).unwrap_or(0));
    let mut scan: Scan = Vec::new();
    for dir in [root.join("data"), root.join("content"), config.theme_dir(root)] {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file() && is_input(root, entry.path()) {
                scan.push((entry.path().to_path_buf(), entry.metadata().ok().map(|m| stat(&m))));
            }
        }
    }
    let config_file = root.join("config.toml");
    let config_stat = fs::metadata(&config_file).ok().map(|m| stat(&m));
    scan.push((config_file, config_stat));
    Some(scan)
}

/// Time stamps this close to the scan are not trusted: a file written in the
/// same tick of the file system's clock as the scan could change unseen.
const RACY_NANOS: u64 = 2_000_000_000;

/// The stamp of every input file and of what else decides the output (the
/// options, the date, the binary); None when a file was modified too recently
/// for its time stamp to be trusted.
pub fn input_stamp(options: &Options) -> Option<u64> {
    let extra = format!(
        "{}\n{:?}\n{:?}\n{}\n{}",
        binary_identity(),
        options.base_url,
        std::path::absolute(options.output_dir()).ok(),
        options.update_ledger,
        build_date().iso()
    );
    let scan = input_files(options)?;
    let now = nanos(SystemTime::now());
    let racy = scan.iter().any(|(_, s)| s.is_some_and(|(_, modified)| modified + RACY_NANOS > now));
    (!racy).then(|| fingerprint(&(extra, scan)))
}

/// The ledger is both read and written by a build: the stamp takes its content
/// as the build left it.
pub fn with_ledger(options: &Options, stamp: u64) -> u64 {
    let ledger = fs::read(options.root.join("data").join(ledger::FILE)).unwrap_or_default();
    fingerprint(&(stamp, content_hash(&ledger)))
}

/// Identifies the running binary: another esim writes other pages.
pub fn binary_identity() -> String {
    let exe = std::env::current_exe().ok();
    let meta = exe.as_ref().and_then(|e| fs::metadata(e).ok());
    format!(
        "{} {:?} {} {}",
        env!("CARGO_PKG_VERSION"),
        exe,
        meta.as_ref().map(|m| m.len()).unwrap_or(0),
        meta.and_then(|m| m.modified().ok()).map(nanos).unwrap_or(0)
    )
}

/// What every page depends on: the binary, the build date, the base URL,
/// config.toml, the reference tables and every file of the theme.
pub fn global_fingerprint(options: &Options, theme_dir: &Path, date: &PartialDate) -> u64 {
    let mut h = Fingerprinter::new();
    (binary_identity(), date.iso(), &options.base_url).hash(&mut h);
    let data = options.root.join("data");
    config_without_deploy(&options.root.join("config.toml")).hash(&mut h);
    for file in [data.join("regions.toml"), data.join("vocabulary.toml")] {
        fs::read(&file).unwrap_or_default().hash(&mut h);
    }
    for (path, rel) in crate::util::fs::files_under(theme_dir).unwrap_or_default() {
        rel.hash(&mut h);
        fs::read(path).unwrap_or_default().hash(&mut h);
    }
    h.finish()
}

/// config.toml as the pages see it: the `[deploy.*]` targets are only read
/// by `esim deploy`, so adding or editing one does not make the next build a
/// full one.
fn config_without_deploy(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    match text.parse::<toml::Table>() {
        Ok(mut table) => {
            table.remove("deploy");
            table.to_string()
        }
        Err(_) => text,
    }
}

/// The date of this build: SOURCE_DATE_EPOCH when set (reproducible builds),
/// else today (UTC).
pub fn build_date() -> PartialDate {
    let secs =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        });
    let (year, month, day) = model::date::civil_from_days(secs.div_euclid(86_400));
    PartialDate { year: year.clamp(1000, 2999) as u16, month: month as u8, day: day as u8, approximate: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_outputs_and_the_ledger_are_not_inputs() {
        let root = Path::new("/site");
        for yes in [
            "config.toml",
            "data/records/a.csv",
            "data/records/akmola.xlsx",
            "data/records/b.ods",
            "content/people/x.en.md",
            "themes/default/templates/a.html",
        ] {
            assert!(is_input(root, &root.join(yes)), "{yes}");
        }
        for no in [
            "data/published.txt",
            "data/records/.a.csv.swp",
            "data/records/~$akmola.xlsx",
            "data/records/.~lock.akmola.ods#",
            "content/people/x.en.md~",
            "content/.#x.md",
            "content/4913",
            ".esim/serve/index.html",
            ".esim/.esim-staging-serve-1/index.html",
            "public/index.html",
            "target/debug/esim",
            ".git/index",
            "README.md",
            ".esim",
            "data",
        ] {
            assert!(!is_input(root, &root.join(no)), "{no}");
        }
    }
}
