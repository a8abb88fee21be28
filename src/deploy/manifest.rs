//! The deploy manifest: what a target holds, as esim put it there. One line per
//! object: the content hash and size of the local file it was uploaded from
//! and the ETag the store answered.
//!
//! It is split by the hash of the key into [`SHARDS`] shards, so that a deploy
//! of one corrected record rewrites and uploads a few shards of a few hundred
//! kilobytes, not a manifest of 70 bytes per object (90 MB for the whole
//! book). Two copies:
//! - beside the build cache, `<root>/.esim/deploy/<target>/` (`head.txt` and
//!   one `xx.txt` per shard, each replaced whole through a rename);
//! - in the bucket under the target's prefix, `.esim-deploy/manifest.txt` (the
//!   index: the rules and the key of each shard) and the shards as
//!   content-addressed objects `.esim-deploy/xx.<hash>.txt`, so that another
//!   machine can deploy without listing the bucket. A deploy uploads the
//!   shards that changed, then the index (which makes them current), then
//!   deletes the shards the index no longer names: a reader never finds an
//!   index naming a shard that is not there.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::hash::content_hash;

const HEADER: &str = "esim deploy manifest v2";
const SHARD_HEADER: &str = "esim deploy manifest shard v2";
/// The single-file manifest of esim before shards, read once to migrate.
const HEADER_V1: &str = "esim deploy manifest v1";

/// How many shards: at the whole book (1.25 million objects) one is ~350 KB.
pub const SHARDS: usize = 256;

/// Everything a deploy keeps in the bucket lives under this folder of the prefix.
pub const REMOTE_DIR: &str = ".esim-deploy/";
/// The bucket's index of the manifest, under the target's prefix.
pub const REMOTE_INDEX: &str = ".esim-deploy/manifest.txt";
/// The single-object manifest earlier versions kept in the bucket.
pub const REMOTE_V1: &str = ".esim-deploy-manifest.txt";

/// True for the objects of the manifest itself (never part of the site).
pub fn is_manifest_key(key: &str) -> bool {
    key.starts_with(REMOTE_DIR) || key == REMOTE_V1
}

/// One object of the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub hash: u64,
    pub size: u64,
    /// The store's ETag of the object; empty while an upload of it is under
    /// way (the object may hold either version: it is uploaded again).
    pub etag: String,
    /// When the site stopped having this content-addressed asset (Unix
    /// seconds): it stays in the store a while for pages cached before.
    pub retired: Option<u64>,
}

impl Entry {
    pub fn new(hash: u64, size: u64, etag: String) -> Entry {
        Entry { hash, size, etag, retired: None }
    }

    pub fn pending() -> Entry {
        Entry::new(0, 0, String::new())
    }

    pub fn is_pending(&self) -> bool {
        self.etag.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
struct Shard {
    entries: BTreeMap<String, Entry>,
    /// Changed since the local copy was last written.
    dirty: bool,
}

/// The bucket's copy of the manifest that the local one descends from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteState {
    /// The ETag of the index object.
    pub etag: String,
    /// The key of each shard object the index names, by shard number.
    pub shards: BTreeMap<usize, String>,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    /// The header rules ([`super::headers::RULES`]) the objects were stored with.
    pub rules: u32,
    /// The bucket's copy this local copy equals or has grown from (None: the
    /// bucket had none when it was read).
    pub remote: Option<RemoteState>,
    shards: Vec<Shard>,
}

impl Default for Manifest {
    fn default() -> Manifest {
        Manifest { rules: 0, remote: None, shards: vec![Shard::default(); SHARDS] }
    }
}

impl PartialEq for Manifest {
    fn eq(&self, other: &Manifest) -> bool {
        self.rules == other.rules && self.remote == other.remote && self.iter().eq(other.iter())
    }
}

/// The shard of a key.
fn shard_of(key: &str) -> usize {
    (content_hash(key.as_bytes()) >> 56) as usize % SHARDS
}

/// The local copy of a target's manifest: a directory.
pub fn local_path(root: &Path, target: &str) -> PathBuf {
    root.join(".esim").join("deploy").join(target)
}

/// Files kept beside the manifest (changed URLs, IndexNow's pending list):
/// `<root>/.esim/deploy/<target>.<what>`.
pub fn sibling(root: &Path, target: &str, what: &str) -> PathBuf {
    root.join(".esim").join("deploy").join(format!("{target}.{what}"))
}

impl Manifest {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.shards[shard_of(key)].entries.get(key)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn insert(&mut self, key: String, entry: Entry) {
        let shard = &mut self.shards[shard_of(&key)];
        if shard.entries.get(&key) != Some(&entry) {
            shard.entries.insert(key, entry);
            shard.dirty = true;
        }
    }

    /// Marks a content-addressed asset as gone from the site since `t`.
    pub fn retire(&mut self, key: &str, t: u64) {
        let shard = &mut self.shards[shard_of(key)];
        if let Some(entry) = shard.entries.get_mut(key) {
            entry.retired = Some(t);
            shard.dirty = true;
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Entry> {
        let shard = &mut self.shards[shard_of(key)];
        let removed = shard.entries.remove(key);
        shard.dirty |= removed.is_some();
        removed
    }

    /// Keeps the entries `keep` says yes to; it may change them.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Entry) -> bool) {
        for shard in &mut self.shards {
            let before: Vec<(String, Entry)> = shard.entries.iter().map(|(k, e)| (k.clone(), e.clone())).collect();
            shard.entries.retain(|k, e| keep(k, e));
            shard.dirty |= shard.entries.len() != before.len()
                || shard.entries.iter().zip(&before).any(|((k, e), (bk, be))| k != bk || e != be);
        }
    }

    /// Every entry, shard by shard.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Entry)> {
        self.shards.iter().flat_map(|s| s.entries.iter())
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.iter().map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.entries.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One shard as text (the same in the bucket and on disk).
    fn render_shard(&self, i: usize) -> String {
        let entries = &self.shards[i].entries;
        let mut out = String::with_capacity(32 + entries.len() * 80);
        out.push_str(SHARD_HEADER);
        out.push('\n');
        for (key, e) in entries {
            if let Some(t) = e.retired {
                out.push_str(&format!("R\t{t}\t"));
            } else {
                out.push_str("O\t");
            }
            out.push_str(&format!("{:016x}\t{}\t{}\t{key}\n", e.hash, e.size, e.etag));
        }
        out
    }

    /// Reads the `O` (and `R`: retired) lines of a shard (or of a v1
    /// manifest) into the manifest.
    fn parse_entries<'a>(&mut self, lines: impl Iterator<Item = (usize, &'a str)>) -> Result<(), String> {
        for (i, line) in lines {
            let bad = || format!("line {}: cannot read {line:?}", i + 1);
            let (retired, rest) = match line.strip_prefix("R\t") {
                Some(rest) => {
                    let (t, rest) = rest.split_once('\t').ok_or_else(bad)?;
                    (Some(t.parse().map_err(|_| bad())?), rest)
                }
                None => (None, line.strip_prefix("O\t").ok_or_else(bad)?),
            };
            let mut parts = rest.splitn(4, '\t');
            let mut next = || parts.next().ok_or_else(bad);
            let hash = u64::from_str_radix(next()?, 16).map_err(|_| bad())?;
            let size = next()?.parse().map_err(|_| bad())?;
            let etag = next()?.to_string();
            let key = next()?.to_string();
            self.insert(key, Entry { hash, size, etag, retired });
        }
        Ok(())
    }

    fn parse_shard(&mut self, text: &str) -> Result<(), String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, SHARD_HEADER)) => self.parse_entries(lines),
            _ => Err(format!("line 1: not a shard of an esim deploy manifest (expected {SHARD_HEADER:?})")),
        }
    }

    /// A v1 manifest (one file: header, `rules`, optional `remote`, `O` lines).
    fn parse_v1(text: &str) -> Result<Manifest, String> {
        let mut m = Manifest::default();
        let mut lines = text.lines().enumerate().skip(1).peekable();
        while let Some((i, line)) = lines.next_if(|(_, l)| !l.starts_with("O\t")) {
            match line.split_once('\t') {
                Some(("rules", n)) => {
                    m.rules = n.parse().map_err(|_| format!("line {}: cannot read {line:?}", i + 1))?
                }
                Some(("remote", _)) => {}
                _ => return Err(format!("line {}: cannot read {line:?}", i + 1)),
            }
        }
        m.parse_entries(lines)?;
        Ok(m)
    }
}

/// The bucket's index: the rules and the shard objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub rules: u32,
    pub shards: BTreeMap<usize, String>,
}

impl Index {
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\nrules\t{}\n", self.rules);
        for (i, key) in &self.shards {
            out.push_str(&format!("S\t{i:02x}\t{key}\n"));
        }
        out
    }

    pub fn parse(text: &str) -> Result<Index, String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, HEADER)) => {}
            _ => return Err(format!("line 1: not an esim deploy manifest (expected {HEADER:?})")),
        }
        let mut index = Index { rules: 0, shards: BTreeMap::new() };
        for (i, line) in lines {
            let bad = || format!("line {}: cannot read {line:?}", i + 1);
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["rules", n] => index.rules = n.parse().map_err(|_| bad())?,
                ["S", n, key] => {
                    let n = usize::from_str_radix(n, 16).ok().filter(|n| *n < SHARDS).ok_or_else(bad)?;
                    if !key.starts_with(REMOTE_DIR) {
                        return Err(bad());
                    }
                    index.shards.insert(n, key.to_string());
                }
                _ => return Err(bad()),
            }
        }
        Ok(index)
    }
}

/// The bucket's key for shard `i` with these bytes: content-addressed, so
/// that uploading a new shard never changes one an index names.
fn shard_key(i: usize, text: &str) -> String {
    format!("{REMOTE_DIR}{i:02x}.{:016x}.txt", content_hash(text.as_bytes()))
}

/// What a deploy must upload to make the bucket's manifest equal this one.
pub struct RemoteUpdate {
    /// Shard objects to upload (key, text) before the index.
    pub uploads: Vec<(String, String)>,
    /// The new index.
    pub index: Index,
    /// Shard objects the new index no longer names, to delete after it.
    pub retired: Vec<String>,
}

impl Manifest {
    /// The shards that differ from the bucket's copy, and the index naming them.
    pub fn remote_update(&self, rules: u32) -> RemoteUpdate {
        let old = self.remote.as_ref().map(|r| r.shards.clone()).unwrap_or_default();
        let mut index = Index { rules, shards: BTreeMap::new() };
        let mut uploads = Vec::new();
        for i in 0..SHARDS {
            if self.shards[i].entries.is_empty() {
                continue;
            }
            let text = self.render_shard(i);
            let key = shard_key(i, &text);
            if old.get(&i) != Some(&key) {
                uploads.push((key.clone(), text));
            }
            index.shards.insert(i, key);
        }
        let named: std::collections::HashSet<&String> = index.shards.values().collect();
        let retired = old.values().filter(|k| !named.contains(k)).cloned().collect();
        RemoteUpdate { uploads, index, retired }
    }

    /// Builds the manifest a bucket's index and shard texts describe; checks
    /// that each shard is the one the index names.
    pub fn from_remote(index: &Index, etag: String, shards: &[(usize, String)]) -> Result<Manifest, String> {
        let mut m = Manifest { rules: index.rules, ..Manifest::default() };
        for (i, text) in shards {
            let expected = &index.shards[i];
            if &shard_key(*i, text) != expected {
                return Err(format!("{expected}: its bytes are not the ones its name says (changed while read?)"));
            }
            m.parse_shard(text).map_err(|e| format!("{expected}:{e}"))?;
        }
        m.remote = Some(RemoteState { etag, shards: index.shards.clone() });
        m.mark_all_dirty();
        Ok(m)
    }

    /// A v1 manifest read from the bucket: migrated by the next deploy.
    pub fn from_remote_v1(text: &str) -> Result<Manifest, String> {
        let mut m = Manifest::parse_v1(text)?;
        m.mark_all_dirty();
        Ok(m)
    }

    fn mark_all_dirty(&mut self) {
        self.shards.iter_mut().for_each(|s| s.dirty = true);
    }
}

/// Local copies.
impl Manifest {
    /// Reads a local copy; None when there is none. A v1 file
    /// (`<target>.txt`) is read when the directory is not there yet.
    pub fn load(dir: &Path) -> Result<Option<Manifest>, String> {
        let head_path = dir.join("head.txt");
        let head = match fs::read_to_string(&head_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Manifest::load_v1(dir),
            Err(e) => return Err(format!("{}: cannot read: {e}", head_path.display())),
        };
        let mut m = Manifest::default();
        let mut remote: Option<RemoteState> = None;
        let mut lines = head.lines().enumerate();
        if lines.next().map(|(_, l)| l) != Some(HEADER) {
            return Err(format!("{}:1: not an esim deploy manifest (expected {HEADER:?})", head_path.display()));
        }
        for (i, line) in lines {
            let bad = || format!("{}:{}: cannot read {line:?}", head_path.display(), i + 1);
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["rules", n] => m.rules = n.parse().map_err(|_| bad())?,
                ["remote", etag] => remote = Some(RemoteState { etag: etag.to_string(), shards: BTreeMap::new() }),
                ["S", n, key] => {
                    let n = usize::from_str_radix(n, 16).ok().filter(|n| *n < SHARDS).ok_or_else(bad)?;
                    remote.as_mut().ok_or_else(bad)?.shards.insert(n, key.to_string());
                }
                _ => return Err(bad()),
            }
        }
        m.remote = remote;
        for i in 0..SHARDS {
            let path = dir.join(format!("{i:02x}.txt"));
            match fs::read_to_string(&path) {
                Ok(text) => m.parse_shard(&text).map_err(|e| format!("{}:{e}", path.display()))?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
            }
        }
        m.shards.iter_mut().for_each(|s| s.dirty = false);
        Ok(Some(m))
    }

    /// The single file earlier versions kept: its entries, with no claim to
    /// equal the bucket's copy (the bucket's is read and compared instead).
    fn load_v1(dir: &Path) -> Result<Option<Manifest>, String> {
        let path = dir.with_extension("txt");
        match fs::read_to_string(&path) {
            Ok(text) if text.starts_with(HEADER_V1) => {
                let mut m = Manifest::parse_v1(&text).map_err(|e| format!("{}:{e}", path.display()))?;
                m.mark_all_dirty();
                Ok(Some(m))
            }
            Ok(_) => Err(format!("{}:1: not an esim deploy manifest", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: cannot read: {e}", path.display())),
        }
    }

    /// Writes the shards changed since the last save, each through a
    /// temporary sibling and a rename (a deploy killed while saving leaves
    /// every shard whole: the old or the new one), then the head.
    pub fn save(&mut self, dir: &Path) -> Result<(), String> {
        let fail = |p: &Path, e: std::io::Error| format!("{}: cannot write the deploy manifest: {e}", p.display());
        fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
        for i in 0..SHARDS {
            if !self.shards[i].dirty {
                continue;
            }
            let path = dir.join(format!("{i:02x}.txt"));
            if self.shards[i].entries.is_empty() {
                match fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(&path, e)),
                    _ => {}
                }
            } else {
                write_replacing(&path, &self.render_shard(i)).map_err(|e| fail(&path, e))?;
            }
            self.shards[i].dirty = false;
        }
        let head = dir.join("head.txt");
        write_replacing(&head, &self.render_head()).map_err(|e| fail(&head, e))?;
        // A migrated v1 file is now stale.
        let _ = fs::remove_file(dir.with_extension("txt"));
        Ok(())
    }

    fn render_head(&self) -> String {
        let mut out = format!("{HEADER}\nrules\t{}\n", self.rules);
        if let Some(r) = &self.remote {
            out.push_str(&format!("remote\t{}\n", r.etag));
            for (i, key) in &r.shards {
                out.push_str(&format!("S\t{i:02x}\t{key}\n"));
            }
        }
        out
    }
}

fn write_replacing(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = fs::File::create(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let mut m = Manifest { rules: 3, ..Manifest::default() };
        for i in 0..2000 {
            m.insert(format!("kk/people/p{i}/index.html"), Entry::new(i, 10 + i, format!("\"e{i}\"")));
        }
        m.insert("a b/c.json".into(), Entry::pending());
        m.insert(
            "style.0123456789ab.css".into(),
            Entry { retired: Some(1_700_000_000), ..Entry::new(1, 2, "e".into()) },
        );
        m
    }

    #[test]
    fn a_local_copy_round_trips_and_a_save_writes_only_changed_shards() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        let mut m = sample();
        m.remote =
            Some(RemoteState { etag: "\"x\"".into(), shards: BTreeMap::from([(3, ".esim-deploy/03.ab.txt".into())]) });
        m.save(&path).unwrap();
        let loaded = Manifest::load(&path).unwrap().unwrap();
        assert_eq!(loaded, m);
        assert_eq!(loaded.len(), 2002);
        assert_eq!(loaded.get("style.0123456789ab.css").unwrap().retired, Some(1_700_000_000));

        let mut m = loaded;
        let key = "kk/people/p7/index.html";
        let shard = path.join(format!("{:02x}.txt", shard_of(key)));
        let before = fs::metadata(path.join("00.txt")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        m.insert(key.into(), Entry::new(99, 1, "\"n\"".into()));
        m.save(&path).unwrap();
        assert!(fs::read_to_string(&shard).unwrap().contains("\"n\""));
        if shard_of(key) != 0 {
            assert_eq!(
                fs::metadata(path.join("00.txt")).unwrap().modified().unwrap(),
                before,
                "other shards untouched"
            );
        }
    }

    #[test]
    fn the_remote_update_names_only_the_shards_that_changed() {
        let mut m = sample();
        let first = m.remote_update(3);
        assert_eq!(first.uploads.len(), first.index.shards.len());
        assert!(first.retired.is_empty());
        let shards: Vec<(usize, String)> = first.index.shards.keys().map(|&i| (i, m.render_shard(i))).collect();
        let again = Manifest::from_remote(&first.index, "\"i1\"".into(), &shards).unwrap();
        assert_eq!(again.iter().collect::<Vec<_>>(), m.iter().collect::<Vec<_>>());
        m.remote = again.remote.clone();

        m.insert("kk/people/p5/index.html".into(), Entry::new(5, 1, "\"new\"".into()));
        let next = m.remote_update(3);
        assert_eq!(next.uploads.len(), 1, "one entry changed: one shard");
        assert_eq!(next.retired.len(), 1);
        assert_ne!(next.retired[0], next.uploads[0].0);
    }

    #[test]
    fn a_shard_that_is_not_what_the_index_names_is_refused() {
        let m = sample();
        let update = m.remote_update(3);
        let (&i, _) = update.index.shards.iter().next().unwrap();
        let err = Manifest::from_remote(&update.index, "e".into(), &[(i, m.render_shard(i).replace("e1", "e2"))]);
        assert!(err.is_err());
    }

    #[test]
    fn the_index_round_trips_and_damage_is_an_error_with_its_line() {
        let index = Index { rules: 2, shards: BTreeMap::from([(0, ".esim-deploy/00.aa.txt".into())]) };
        assert_eq!(Index::parse(&index.render()).unwrap(), index);
        let err = Index::parse("esim deploy manifest v2\nrules\t1\nS\tzz\tk\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        let mut m = Manifest::default();
        assert!(m.parse_shard("esim deploy manifest shard v2\nO\tzz\t1\tx\tk\n").unwrap_err().starts_with("line 2:"));
    }

    #[test]
    fn a_v1_manifest_is_read_for_migration() {
        let dir = tempfile::tempdir().unwrap();
        let v1 = "esim deploy manifest v1\nrules\t2\nremote\t\"r\"\nO\t00000000000000ff\t3\t\"e\"\tkk/index.html\n";
        fs::write(dir.path().join("t.txt"), v1).unwrap();
        let mut m = Manifest::load(&dir.path().join("t")).unwrap().unwrap();
        assert_eq!(m.rules, 2);
        assert_eq!(m.remote, None, "a v1 copy is checked against the bucket again");
        assert_eq!(m.get("kk/index.html").unwrap().hash, 0xff);
        m.save(&dir.path().join("t")).unwrap();
        assert!(!dir.path().join("t.txt").exists(), "migrated");
        assert_eq!(Manifest::from_remote_v1(v1).unwrap().len(), 1);
    }
}
