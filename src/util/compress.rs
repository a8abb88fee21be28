//! Precompressed copies of text files (`[build] precompress`): `page.html.gz`
//! and `page.html.br` beside `page.html`, which nginx (`gzip_static`) and
//! Caddy (`precompressed`) send as they are instead of compressing every
//! response again. The bytes depend only on the input (no time or name in
//! the gzip header), so two builds stay byte-identical.

use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    Gzip,
    Brotli,
}

/// Smaller files are left to the server: their headers outweigh the saving.
pub const MIN_SIZE: usize = 1024;

/// Brotli's quality: 11 is a few per cent smaller and ~20 times slower, which
/// for a million pages is hours; 7 keeps a full build's cost near gzip's.
const BROTLI_QUALITY: i32 = 7;

impl Encoding {
    /// From config.toml's spelling.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name {
            "gzip" => Some(Encoding::Gzip),
            "br" => Some(Encoding::Brotli),
            _ => None,
        }
    }

    /// The suffix of the compressed copy, and the `Content-Encoding` name.
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Gzip => "gz",
            Encoding::Brotli => "br",
        }
    }

    pub fn content_encoding(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }

    pub fn compress(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Encoding::Gzip => {
                // No file name and a zero time in the header: deterministic.
                let mut gz = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
                gz.write_all(bytes).and_then(|_| gz.finish()).expect("writing to memory does not fail")
            }
            Encoding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY,
                    size_hint: bytes.len(),
                    ..Default::default()
                };
                let mut out = Vec::with_capacity(bytes.len() / 3);
                brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory does not fail");
                out
            }
        }
    }
}

/// Text files, by extension: what compresses and what servers compress.
pub fn is_text(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    matches!(ext, "html" | "css" | "js" | "mjs" | "json" | "jsonl" | "xml" | "txt" | "csv" | "svg" | "webmanifest")
}

/// The compressed copies of one file of the site, as (path, bytes).
pub fn siblings(rel: &str, bytes: &[u8], encodings: &[Encoding]) -> Vec<(String, Vec<u8>)> {
    if encodings.is_empty() || bytes.len() < MIN_SIZE || !is_text(rel) {
        return Vec::new();
    }
    encodings.iter().map(|e| (format!("{rel}.{}", e.extension()), e.compress(bytes))).collect()
}

/// The paths the compressed copies of `rel` would have, whether or not they
/// exist (to remove them with their file).
pub fn sibling_paths(rel: &str, encodings: &[Encoding]) -> Vec<String> {
    if !is_text(rel) {
        return Vec::new();
    }
    encodings.iter().map(|e| format!("{rel}.{}", e.extension())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn page() -> Vec<u8> {
        "<p>Байтұрсынұлы Ахмет — Baitursynov Akhmet</p>\n".repeat(60).into_bytes()
    }

    #[test]
    fn copies_decompress_to_the_original_and_are_the_same_every_time() {
        let bytes = page();
        let copies = siblings("kk/people/a/index.html", &bytes, &[Encoding::Gzip, Encoding::Brotli]);
        assert_eq!(
            copies.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["kk/people/a/index.html.gz", "kk/people/a/index.html.br"]
        );
        let mut gunzipped = Vec::new();
        flate2::read::GzDecoder::new(&copies[0].1[..]).read_to_end(&mut gunzipped).unwrap();
        assert_eq!(gunzipped, bytes);
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &copies[1].1[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, bytes);
        assert!(copies.iter().all(|(_, c)| c.len() < bytes.len() / 4));
        assert_eq!(copies, siblings("kk/people/a/index.html", &bytes, &[Encoding::Gzip, Encoding::Brotli]));
    }

    #[test]
    fn small_files_images_and_fonts_are_not_copied() {
        assert!(siblings("robots.txt", b"User-agent: *\n", &[Encoding::Gzip]).is_empty());
        assert!(siblings("fonts/a.woff2", &page(), &[Encoding::Gzip]).is_empty());
        assert!(siblings("a.html", &page(), &[]).is_empty());
        assert_eq!(sibling_paths("data/records.csv", &[Encoding::Brotli]), ["data/records.csv.br"]);
    }
}
