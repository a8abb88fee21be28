//! The warm builder's state, saved beside the build cache so that the next
//! `esim build` — a new process — applies an edit of records and biographies
//! the way `esim serve` does in memory ([`super::warm`]): the records as
//! parsed, the regions' sorted indexes, the fingerprints of what every page
//! is made of, what the people's search index needs of each person and the
//! open data's blocks are read back instead of every record file being read,
//! checked and sorted again.
//!
//! Like the cache, it is safe to delete and never trusted blindly: it names
//! the binary and options that built, the build cache file it goes with
//! (another build of the output, finished or failed, leaves another one or
//! none), the input files as that build found them and the ledger as it left
//! it; and it carries the hash of its own bytes, so that a file cut short by
//! a crash is not read. The open data's blocks are not copied: the state
//! keeps their lengths, and the blocks are cut out of the published files
//! when their hashes are the cache's.

use std::collections::HashMap;
use std::fs;
use std::hash::Hasher;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::inputs::binary_identity;
use super::run::Loaded;
use super::Options;
use crate::export::opendata::Blocks;
use crate::model::{PartialDate, Person};
use crate::publish::cache::Manifest;
use crate::render::Fingerprints;
use crate::search::index::PeopleMemo;
use crate::site::{Origins, RegionIndex};
use crate::util::hash::{content_hash, Fingerprinter};
use crate::util::pieces;

const MAGIC: &[u8] = b"esim build state v1\n";

/// People (and their search memo) a piece: pieces are written and read on
/// every core.
const PIECE: usize = 4096;

/// The state file of the build cache at `cache_path`.
pub fn path(cache_path: &Path) -> PathBuf {
    cache_path.with_extension("state")
}

/// What decides whether a saved state may be used.
#[derive(Serialize, Deserialize)]
pub(super) struct Head {
    /// The binary and the options that built ([`build_identity`]).
    pub build: String,
    /// The identity of the build cache file that build wrote.
    pub cache_file: (u64, u64),
    pub date: PartialDate,
    /// The content hash of the ledger as that build left it.
    pub ledger: u64,
    /// The input files as that build found them.
    pub files: Vec<(PathBuf, Option<(u64, u64)>)>,
    /// The record files among them.
    pub records: Vec<PathBuf>,
}

/// The records as a build kept them: the people published, where they came
/// from, the regions' indexes and the identities of withdrawn records.
pub(super) struct Records {
    pub people: Vec<Person>,
    pub origins: Origins,
    pub indexes: Vec<Vec<RegionIndex>>,
    pub identities: HashMap<String, String>,
}

/// A state read back.
pub(super) struct Saved {
    pub records: Records,
    /// The fingerprints of the site as saved (of its biographies too: the
    /// biographies are read again from their files), and the global
    /// fingerprint they were made with.
    pub fps: Fingerprints,
    pub global: u64,
    pub memo: PeopleMemo,
    /// [`Blocks::lengths`].
    pub blocks: Vec<(u64, u64, u64)>,
}

/// The body of the state but the pieces, as written (borrowed) and read.
#[derive(Serialize)]
struct BodyOut<'a> {
    origins: &'a Origins,
    indexes: &'a [Vec<RegionIndex>],
    identities: Vec<(&'a str, &'a str)>,
    fps: &'a Fingerprints,
    global: u64,
    blocks: Vec<(u64, u64, u64)>,
    people_pieces: usize,
}

#[derive(Deserialize)]
struct BodyIn {
    origins: Origins,
    indexes: Vec<Vec<RegionIndex>>,
    identities: Vec<(String, String)>,
    fps: Fingerprints,
    global: u64,
    blocks: Vec<(u64, u64, u64)>,
    people_pieces: usize,
}

/// The binary and the options of a build: a state of another is not used.
pub(super) fn build_identity(options: &Options) -> String {
    let output = std::path::absolute(options.output_dir()).ok();
    format!("{}\n{:?}\n{:?}\n{}", binary_identity(), options.base_url, output, options.update_ledger)
}

/// The content hash of the ledger as it is now.
pub(super) fn ledger_hash(options: &Options) -> u64 {
    content_hash(&fs::read(options.root.join("data").join(crate::ledger::FILE)).unwrap_or_default())
}

/// Writes the state of a built site through a temporary sibling and a
/// rename: the magic line, then sections (the head, the body, the people's
/// pieces, the memo's pieces), each its length and bytes, then a trailer —
/// [`END`], the number of sections and the hash of them all. `global`: the
/// global fingerprint the site's fingerprints were made with.
pub(super) fn save(
    path: &Path,
    head: &Head,
    loaded: &Loaded,
    blocks: Vec<(u64, u64, u64)>,
    global: u64,
) -> Result<(), String> {
    let (site, memo) = (&loaded.site, &loaded.kept.search);
    let tmp = path.with_extension(format!("state-{}", std::process::id()));
    let body = BodyOut {
        fps: &loaded.fps,
        global,
        origins: &site.origins,
        indexes: &site.indexes,
        identities: site.withdrawn.iter().filter_map(|w| Some((w.id.as_str(), w.identity.as_deref()?))).collect(),
        blocks,
        people_pieces: site.people.len().div_ceil(PIECE),
    };
    let write = || -> Result<(), String> {
        let file = fs::File::create(&tmp).map_err(|e| e.to_string())?;
        let mut out = Sections { out: BufWriter::with_capacity(1 << 20, file), hash: Fingerprinter::new(), count: 0 };
        out.out.write_all(MAGIC).map_err(|e| e.to_string())?;
        out.section(&encode(head)?)?;
        out.section(&encode(&body)?)?;
        pieces::write(&site.people, PIECE, &mut |p| out.section(p))?;
        memo.write_pieces(PIECE, &mut |p| out.section(p))?;
        out.finish().map_err(|e| e.to_string())?;
        fs::rename(&tmp, path).map_err(|e| e.to_string())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

/// The length that marks the trailer.
const END: u64 = u64::MAX;

/// The sections of a state being written, and their hash.
struct Sections {
    out: BufWriter<fs::File>,
    hash: Fingerprinter,
    count: u64,
}

impl Sections {
    fn section(&mut self, bytes: &[u8]) -> Result<(), String> {
        let len = (bytes.len() as u64).to_le_bytes();
        Hasher::write(&mut self.hash, &len);
        Hasher::write(&mut self.hash, bytes);
        self.count += 1;
        self.out.write_all(&len).and_then(|_| self.out.write_all(bytes)).map_err(|e| e.to_string())
    }

    fn finish(mut self) -> std::io::Result<()> {
        for n in [END, self.count, self.hash.finish()] {
            self.out.write_all(&n.to_le_bytes())?;
        }
        // No sync: a state cut short by a crash fails its hash and is not used.
        self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    postcard::to_stdvec(value).map_err(|e| e.to_string())
}

/// Reads the head of a state; None when there is none or it is not one.
pub(super) fn read_head(path: &Path) -> Option<Head> {
    let mut file = BufReader::new(fs::File::open(path).ok()?);
    let mut start = vec![0; MAGIC.len() + 8];
    file.read_exact(&mut start).ok()?;
    let len = u64::from_le_bytes(start.strip_prefix(MAGIC)?.try_into().ok()?);
    let mut head = vec![0; usize::try_from(len).ok().filter(|&l| l < 1 << 30)?];
    file.read_exact(&mut head).ok()?;
    postcard::from_bytes(&head).ok()
}

/// Reads a whole state; None when it is cut short, altered or unreadable.
pub(super) fn read(path: &Path) -> Option<Saved> {
    let bytes = fs::read(path).ok()?;
    let sections = split_sections(bytes.strip_prefix(MAGIC)?)?;
    let body: BodyIn = postcard::from_bytes(sections.get(1)?).ok()?;
    let people_pieces = sections.get(2..2 + body.people_pieces)?;
    let memo_pieces = sections.get(2 + body.people_pieces..)?;
    let (people, memo) = rayon::join(
        // Texts read back shared within a piece, as the loaders share them.
        || pieces::read(people_pieces, |p| crate::model::interning(|| pieces::decode::<Person>(p))),
        || PeopleMemo::from_pieces(memo_pieces),
    );
    let records = Records {
        people: people.ok()?,
        origins: body.origins,
        indexes: body.indexes,
        identities: body.identities.into_iter().collect(),
    };
    Some(Saved { records, fps: body.fps, global: body.global, memo: memo.ok()?, blocks: body.blocks })
}

/// The number at the start of `bytes`, and the bytes after it.
fn number(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (n, after) = bytes.split_at_checked(8)?;
    Some((u64::from_le_bytes(n.try_into().ok()?), after))
}

/// The sections of a state after its magic line, when the trailer ends the
/// bytes and its count and hash are theirs.
fn split_sections(mut rest: &[u8]) -> Option<Vec<&[u8]>> {
    let mut sections = Vec::new();
    let mut hash = Fingerprinter::new();
    loop {
        let (len, after) = number(rest)?;
        if len == END {
            let (count, after) = number(after)?;
            let (sum, after) = number(after)?;
            let whole = after.is_empty() && count == sections.len() as u64 && sum == hash.finish();
            return whole.then_some(sections);
        }
        let (section, after) = after.split_at_checked(usize::try_from(len).ok()?)?;
        Hasher::write(&mut hash, &len.to_le_bytes());
        Hasher::write(&mut hash, section);
        sections.push(section);
        rest = after;
    }
}

/// The open data's files as the last build published them.
pub(super) struct OpenDataFiles {
    csv: Vec<u8>,
    jsonl: Vec<u8>,
}

impl OpenDataFiles {
    const CSV: &str = "data/records.csv";
    const JSONL: &str = "data/records.jsonl";

    pub fn read(output: &Path) -> Option<OpenDataFiles> {
        let (csv, jsonl) = rayon::join(|| fs::read(output.join(Self::CSV)), || fs::read(output.join(Self::JSONL)));
        Some(OpenDataFiles { csv: csv.ok()?, jsonl: jsonl.ok()? })
    }

    /// The blocks cut out of the files, when these are the files the cache
    /// describes.
    pub fn blocks(&self, manifest: &Manifest, lengths: &[(u64, u64, u64)]) -> Option<Blocks> {
        let cached =
            |rel: &str, bytes: &[u8]| manifest.files.get(rel).map(|(_, hash)| *hash) == Some(content_hash(bytes));
        if !cached(Self::CSV, &self.csv) || !cached(Self::JSONL, &self.jsonl) {
            return None;
        }
        Blocks::from_files(lengths, &self.csv, &self.jsonl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(parts: &[&[u8]]) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut hash = Fingerprinter::new();
        for s in parts {
            let len = (s.len() as u64).to_le_bytes();
            Hasher::write(&mut hash, &len);
            Hasher::write(&mut hash, s);
            bytes.extend(len);
            bytes.extend(*s);
        }
        for n in [END, parts.len() as u64, hash.finish()] {
            bytes.extend(n.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn sections_are_refused_when_cut_short_altered_or_padded() {
        let bytes = sections(&[b"head", b"body!"]);
        assert_eq!(split_sections(&bytes).unwrap(), vec![&b"head"[..], b"body!"]);
        assert!(split_sections(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(split_sections(&bytes[..20]).is_none(), "cut before the trailer");
        let mut altered = bytes.clone();
        altered[9] ^= 1;
        assert!(split_sections(&altered).is_none(), "a byte changed");
        let mut padded = bytes;
        padded.push(0);
        assert!(split_sections(&padded).is_none(), "bytes after the trailer");
    }
}
