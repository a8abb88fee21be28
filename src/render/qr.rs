//! The QR code of a person's permanent URL, as an inline `<img>`: a one-bit
//! PNG in a `data:` URL, for plaques and printed books (an image prints
//! without any script).
//!
//! Every person page carries one, so its cost counts a million times. The
//! `qrcode` crate encodes the URL and computes the error correction; where
//! each of those bits lands in the picture depends only on the code's version
//! (its size), so that is worked out once per version, by drawing with the
//! crate itself ([`Layout`]), and each page then flips the bits of a
//! prepared image instead of drawing and masking a canvas.

use std::sync::OnceLock;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, Version};

/// The light margin around a code, in modules (ISO/IEC 18004 asks for four).
const QUIET: usize = 4;
/// CSS pixels a module (the theme's `image-rendering: pixelated` keeps the
/// edges sharp; where a PDF viewer smooths the enlarged image, the edges
/// soften but the code still scans).
const SCALE: usize = 4;
const EC: EcLevel = EcLevel::M;
/// Fixed instead of scored among all eight: scoring was a fifth of the whole
/// build at scale, and the penalty only tunes how easy a symbol is to scan,
/// which a URL's short code on a page or plaque does not need. Any mask is a
/// valid symbol.
const MASK: MaskPattern = MaskPattern::Checkerboard;

/// `url`'s code as `<img class="qr" src="data:image/png;base64,…" width
/// height alt>`; empty when the URL is too long for any QR code. A 33×33
/// code is ~0.48 KB so, against ~1.9 KB as an SVG path of its runs.
pub fn img(url: &str, label: &str) -> String {
    use base64::Engine;
    let Some(png) = png(url) else {
        return String::new();
    };
    let side = png_side(&png);
    let mut out = String::with_capacity(96 + png.len() * 4 / 3 + label.len());
    out.push_str("<img class=\"qr\" src=\"data:image/png;base64,");
    base64::engine::general_purpose::STANDARD.encode_string(&png, &mut out);
    out.push_str("\" width=\"");
    push_number(&mut out, side * SCALE);
    out.push_str("\" height=\"");
    push_number(&mut out, side * SCALE);
    out.push_str("\" alt=\"");
    out.push_str(&crate::util::escape::html(label));
    out.push_str("\">");
    out
}

/// A grayscale PNG, one bit a pixel (0 black, 1 white), one pixel a module,
/// with the quiet zone around the code.
pub fn png(url: &str) -> Option<Vec<u8>> {
    let bits = qrcode::bits::encode_auto(url.as_bytes(), EC).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EC).ok()?;
    let layout = Layout::of(version);
    let mut raw = layout.blank.clone();
    let codewords = data.iter().chain(&ec);
    for (i, &byte) in codewords.enumerate() {
        // Only the set bits, high bit first (bit 0 of a codeword is its 0x80).
        let mut rest = byte;
        while rest != 0 {
            let bit = rest.leading_zeros() as usize;
            rest &= !(0x80 >> bit);
            let at = layout.places[i * 8 + bit];
            raw[at.byte as usize] ^= at.mask;
        }
    }
    let side = (layout.side as u32).to_be_bytes();
    let mut png = Vec::with_capacity(raw.len() + 64);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    // 1 bit a pixel, grayscale, deflate, no filter, no interlace.
    png_chunk(&mut png, b"IHDR", &[&side[..], &side[..], &[1, 0, 0, 0, 0]].concat());
    png_chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    png_chunk(&mut png, b"IEND", &[]);
    Some(png)
}

/// The side of a PNG written by [`png`], from its header.
fn png_side(png: &[u8]) -> usize {
    u32::from_be_bytes(png[16..20].try_into().expect("a PNG header")) as usize
}

/// Where one bit of the code's codewords is drawn in the PNG's rows.
#[derive(Clone, Copy)]
struct Place {
    byte: u32,
    mask: u8,
}

/// A version's picture: its PNG rows (filter bytes included) as drawn when
/// every codeword bit is 0 — finder, timing and alignment patterns, format
/// and version information, the mask over the data area — and for each bit
/// of the data and error-correction codewords, in the order the crate's
/// `draw_data` takes them, the pixel it flips when it is 1 (data modules are
/// the bit XOR the mask).
struct Layout {
    side: usize,
    blank: Vec<u8>,
    places: Vec<Place>,
}

impl Layout {
    /// The layout of `version`, worked out on first use.
    fn of(version: Version) -> &'static Layout {
        static NORMAL: [OnceLock<Layout>; 40] = [const { OnceLock::new() }; 40];
        static MICRO: [OnceLock<Layout>; 4] = [const { OnceLock::new() }; 4];
        let slot = match version {
            Version::Normal(n) => &NORMAL[n as usize - 1],
            Version::Micro(n) => &MICRO[n as usize - 1],
        };
        slot.get_or_init(|| Layout::draw(version))
    }

    /// Draws the version with the crate: once with every bit 0, then once for
    /// each bit of a codeword's index (pass `b` sets the bits whose index has
    /// bit `b` set), so that the passes in which a module differs from the
    /// blank spell the index of the bit drawn on it. ~12 canvases, not one a bit.
    fn draw(version: Version) -> Layout {
        let width = version.width() as usize;
        let (data_len, ec_len) = codeword_counts(version);
        let bits = (data_len + ec_len) * 8;
        let blank = modules(version, &vec![0; data_len], &vec![0; ec_len]);
        let mut index = vec![0usize; width * width];
        let mut drawn = vec![false; width * width];
        let passes = usize::BITS - (bits - 1).leading_zeros();
        for pass in 0..passes {
            let mut codewords = vec![0u8; data_len + ec_len];
            for bit in (0..bits).filter(|i| i >> pass & 1 == 1) {
                codewords[bit / 8] |= 0x80 >> (bit % 8);
            }
            let (data, ec) = codewords.split_at(data_len);
            for (m, (a, b)) in modules(version, data, ec).iter().zip(&blank).enumerate() {
                if a != b {
                    index[m] |= 1 << pass;
                    drawn[m] = true;
                }
            }
        }
        // Bit 0 flips nothing in any pass: its module is the one data module
        // no pass marked. Find it by drawing that bit alone.
        let mut first = vec![0u8; data_len + ec_len];
        first[0] = 0x80;
        let lone = modules(version, &first[..data_len], &first[data_len..]);
        for (m, (a, b)) in lone.iter().zip(&blank).enumerate() {
            if a != b {
                drawn[m] = true;
            }
        }

        let side = width + 2 * QUIET;
        let row_bytes = side.div_ceil(8) + 1;
        let place = |m: usize| {
            let (x, y) = (m % width + QUIET, m / width + QUIET);
            Place { byte: (y * row_bytes + 1 + x / 8) as u32, mask: 0x80 >> (x % 8) }
        };
        let mut places = vec![Place { byte: 0, mask: 0 }; bits];
        for m in (0..width * width).filter(|m| drawn[*m]) {
            places[index[m]] = place(m);
        }
        let mut rows = vec![0xff; side * row_bytes];
        for y in 0..side {
            rows[y * row_bytes] = 0; // filter type: none
        }
        for m in (0..width * width).filter(|m| blank[*m] == Color::Dark) {
            let p = place(m);
            rows[p.byte as usize] &= !p.mask;
        }
        Layout { side, blank: rows, places }
    }
}

/// The modules of a version's code drawn by the crate, masked.
fn modules(version: Version, data: &[u8], ec: &[u8]) -> Vec<Color> {
    let mut canvas = Canvas::new(version, EC);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(data, ec);
    canvas.apply_mask(MASK);
    canvas.into_colors()
}

/// How many data and error-correction codewords a version holds at [`EC`].
fn codeword_counts(version: Version) -> (usize, usize) {
    let data_bits = qrcode::bits::Bits::new(version).max_len(EC).expect("a version that holds data");
    let data = vec![0; data_bits / 8];
    let (data, ec) = qrcode::ec::construct_codewords(&data, version, EC).expect("codewords of a version");
    (data.len(), ec.len())
}

fn png_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(&png[start..]);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}

/// `data` as a zlib stream of one stored (uncompressed) deflate block. A QR
/// code's modules are as good as random: deflate gains ~20 % of the image, and
/// setting up a compressor for every page cost more than the rest of the code.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let len = u16::try_from(data.len()).expect("a QR code's image fits a stored block");
    let mut out = Vec::with_capacity(data.len() + 11);
    // zlib header (deflate, 32 KB window, check bits), then BFINAL=1, BTYPE=00.
    out.extend_from_slice(&[0x78, 0x01, 0x01]);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// The zlib checksum. The sums are reduced once at the end: under 5,552
/// bytes (the stored block holds at most 65,535, checked above) they cannot
/// overflow a u32 — a QR image is at most ~4.5 KB.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for byte in chunk {
            a += *byte as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// Appends a small number's digits (`write!` was a tenth of the build at scale).
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push((b'0' + (n % 10) as u8) as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    const URLS: [&str; 4] = [
        "https://memorial.example.org/kz/kk/people/f0000001/",
        "https://m.example.org/en/people/a/",
        "HTTP://X.ORG/12345",
        // A long sub-path: a larger version, with version information blocks.
        "https://memorial.example.org/a/very/long/sub/path/of/the/memorial/kk/people/some-record-id-0001234/",
    ];

    /// The PNG inside the `<img>` of `url`'s code, decoded by an independent
    /// reader (which checks the CRCs and the zlib checksum).
    fn decoded(url: &str) -> image::GrayImage {
        use base64::Engine;
        let img = img(url, "QR <code>");
        assert!(img.starts_with("<img class=\"qr\" src=\"data:image/png;base64,"), "{img}");
        assert!(img.ends_with(" alt=\"QR &lt;code&gt;\">"), "{img}");
        let b64 = img.split("base64,").nth(1).unwrap().split('"').next().unwrap();
        let png = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap().to_luma8()
    }

    /// The picture is, pixel for pixel, the crate's own canvas of the code
    /// (drawn, masked) with a four-module light margin, and the `<img>` is
    /// drawn 4 px a module.
    #[test]
    fn the_image_is_the_crates_code_with_its_quiet_zone() {
        for url in URLS {
            let bits = qrcode::bits::encode_auto(url.as_bytes(), EC).unwrap();
            let version = bits.version();
            let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EC).unwrap();
            let colors = modules(version, &data, &ec);
            let width = version.width() as usize;
            let img = decoded(url);
            assert_eq!((img.width() as usize, img.height() as usize), (width + 8, width + 8));
            for y in 0..width + 8 {
                for x in 0..width + 8 {
                    let inside = (4..width + 4).contains(&x) && (4..width + 4).contains(&y);
                    let dark = inside && colors[(y - 4) * width + x - 4] == Color::Dark;
                    assert_eq!(img.get_pixel(x as u32, y as u32).0[0], if dark { 0 } else { 255 }, "{url} {x},{y}");
                }
            }
            let px = (width + 8) * 4;
            assert!(super::img(url, "QR").contains(&format!(" width=\"{px}\" height=\"{px}\" ")));
        }
    }

    /// A QR reader (rqrr, which finds the code in the picture as a camera's
    /// would) reads the URL back.
    #[test]
    fn a_reader_reads_the_url_back() {
        for url in URLS {
            // As the page shows it: 4 px a module.
            let small = decoded(url);
            let (w, h) = (small.width() * 4, small.height() * 4);
            let big = image::imageops::resize(&small, w, h, image::imageops::FilterType::Nearest);
            let mut prepared = rqrr::PreparedImage::prepare(big);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1, "{url}");
            let (_, content) = grids[0].decode().unwrap();
            assert_eq!(content, url);
        }
    }

    #[test]
    fn every_bit_has_its_own_pixel() {
        for version in [Version::Normal(1), Version::Normal(4), Version::Normal(7), Version::Normal(40)] {
            let layout = Layout::of(version);
            let mut seen: Vec<(u32, u8)> = layout.places.iter().map(|p| (p.byte, p.mask)).collect();
            assert!(seen.iter().all(|(_, mask)| mask.count_ones() == 1), "{version:?}");
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), layout.places.len(), "{version:?}");
        }
    }

    #[test]
    fn the_image_is_small() {
        let img = img("https://memorial.example.org/kz/kk/people/f0000001/", "QR");
        assert!(img.len() < 560, "{}", img.len());
    }

    #[test]
    fn adler32_is_zlibs() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let mut reference = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::none());
        std::io::Write::write_all(&mut reference, &data).unwrap();
        let z = reference.finish().unwrap();
        assert_eq!(adler32(&data).to_be_bytes(), z[z.len() - 4..]);
        assert_eq!(adler32(b""), 1);
    }
}
