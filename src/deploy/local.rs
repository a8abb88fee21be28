//! The built site as the deploy sees it: every file of the output directory
//! with its content hash, taken from the build cache where the cache describes
//! this very directory, and computed (xxh3) for the rest — so a deploy works
//! from any built output, even one built on another machine.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::publish::cache;
use crate::publish::MARKER;
use crate::urls::Urls;
use crate::util::compress::{self, Encoding};
use crate::util::fs::files_under;
use crate::util::hash::content_hash;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Its path relative to the output, with `/` separators: the object's key
    /// under the target's prefix.
    pub key: String,
    pub hash: u64,
    pub size: u64,
    /// Sent as its precompressed copy `<key>.gz`/`.br`, with this
    /// `Content-Encoding` (the target's `content_encoding`).
    pub encoding: Option<Encoding>,
}

impl LocalFile {
    /// The local file whose bytes are uploaded under `key`.
    pub fn body_key(key: &str, encoding: Option<Encoding>) -> String {
        match encoding {
            Some(e) => format!("{key}.{}", e.extension()),
            None => key.to_string(),
        }
    }
}

/// The hash a deploy records for a file sent compressed: the original's,
/// marked with the encoding, so that turning `content_encoding` on or off
/// uploads the object again. (Compression is deterministic: the original's
/// bytes decide the copy's, and the build cache already knows their hash.)
pub fn encoded_hash(original: u64, encoding: Encoding) -> u64 {
    let mark = match encoding {
        Encoding::Gzip => 0x9e37_79b9_7f4a_7c15u64,
        Encoding::Brotli => 0xc2b2_ae3d_27d4_eb4fu64,
    };
    original.rotate_left(17) ^ mark
}

/// Every file of the site in `output` (but esim's marker and the
/// precompressed copies of `[build] precompress`, which object storage has
/// no use for), sorted by key. With `encoding`, a text file that has a copy
/// in it is sent as that copy.
pub fn inventory(root: &Path, output: &Path, encoding: Option<Encoding>) -> Result<Vec<LocalFile>, String> {
    if !output.join(MARKER).is_file() {
        return Err(format!(
            "{}: not a site built by esim (no {MARKER} file): run `esim build` first, or pass --output",
            output.display()
        ));
    }
    let known = cached_hashes(root, output);
    let files: Vec<(std::path::PathBuf, String)> = files_under(output)?
        .into_iter()
        .filter(|(_, rel)| rel.as_os_str() != MARKER)
        .map(|(path, rel)| match key_of(&rel) {
            Some(key) => Ok((path, key)),
            None => Err(format!("{}: the file name is not UTF-8", path.display())),
        })
        .collect::<Result<_, String>>()?;
    let keys: HashSet<&str> = files.iter().map(|(_, k)| k.as_str()).collect();
    let copies: HashSet<&str> = keys.iter().copied().filter(|k| is_copy(k, &keys)).collect();
    let mut site: Vec<LocalFile> = files
        .par_iter()
        .filter(|(_, key)| !copies.contains(key.as_str()))
        .map(|(path, key)| {
            let encoding = encoding.filter(|e| copies.contains(LocalFile::body_key(key, Some(*e)).as_str()));
            let body = output.join(LocalFile::body_key(key, encoding));
            let size = std::fs::metadata(&body).map_err(|e| format!("{}: {e}", body.display()))?.len();
            let hash = match known.get(key) {
                Some(h) => *h,
                None => content_hash(&std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?),
            };
            let hash = encoding.map_or(hash, |e| encoded_hash(hash, e));
            Ok(LocalFile { key: key.clone(), hash, size, encoding })
        })
        .collect::<Result<_, String>>()?;
    site.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(site)
}

/// True for `x.html.gz` when `x.html` is a text file of the site: a copy of
/// `[build] precompress`.
fn is_copy(key: &str, keys: &HashSet<&str>) -> bool {
    [Encoding::Gzip, Encoding::Brotli].iter().any(|e| {
        key.strip_suffix(e.extension())
            .and_then(|k| k.strip_suffix('.'))
            .is_some_and(|original| compress::is_text(original) && keys.contains(original))
    })
}

fn key_of(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|p| p.join("/"))
}

/// The content hashes the build cache knows for `output`; none when the cache
/// was written for another directory (the marker file identifies it: a copied
/// or rebuilt directory has another one).
fn cached_hashes(root: &Path, output: &Path) -> HashMap<String, u64> {
    let Some(m) = cache::Manifest::load(&cache::Manifest::path(root, output)) else {
        return HashMap::new();
    };
    if m.marker == (0, 0) || cache::identity(&output.join(MARKER)) != Some(m.marker) {
        return HashMap::new();
    }
    let pages = m.pages.iter().filter_map(|(route, e)| Some((key_of(&Urls::file(route))?, e.content)));
    pages.chain(m.files.into_iter().map(|(rel, (_, hash))| (rel, hash))).collect()
}
