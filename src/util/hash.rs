//! The hashes of esim. Content hashes and fingerprints of the build cache are
//! xxh3 (fast, stable across versions). FNV-1a stays where its values are part
//! of what esim publishes: the search index's file names (the browser computes
//! the same in `search.js`) and the ledger's checksum.

use std::hash::{Hash, Hasher};

pub use xxhash_rust::xxh3::Xxh3Default as Fingerprinter;

/// A fast, stable 64-bit hash of bytes (the content hash of an output file).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The fingerprint of anything hashable.
pub fn fingerprint(value: &impl Hash) -> u64 {
    let mut h = Fingerprinter::new();
    value.hash(&mut h);
    h.finish()
}

/// FNV-1a (32 bit) of the UTF-8 bytes; `search.js` computes the same.
pub fn fnv1a_32(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// FNV-1a (64 bit) as a [`Hasher`]: stable across Rust versions, unlike
/// `DefaultHasher`.
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Fnv64 {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv64 {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference() {
        assert_eq!(fnv1a_32(""), 0x811c9dc5);
        assert_eq!(fnv1a_32("a"), 0xe40c292c);
        assert_eq!(fnv1a_32("foobar"), 0xbf9cf968);
        let mut h = Fnv64::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63dc4c8601ec8c);
    }
}
