//! What makes a person page citable and shareable: the citation in the page's
//! language and in BibTeX and COinS, schema.org `Person` JSON-LD, a QR code of
//! the permanent URL (an inline image, for plaques and printed books) and the link
//! for families' corrections.

use serde::Serialize;
use serde_json::json;

use crate::i18n::{fill, Language};
use crate::model::{NameForms, PartialDate, Person};
use crate::site::Site;

#[derive(Serialize)]
pub struct Citation {
    /// "Name. Site. URL (version of DATE)." in the page's language.
    pub text: String,
    pub bibtex: String,
    /// The COinS (OpenURL ContextObject) for reference managers. Safe as it is
    /// in a double-quoted attribute (templates need not escape it, which would
    /// write each `&` as `&amp;`): `kev_encode` leaves no `"`, `<`, `>` or `&`
    /// in the values, and no key after an `&` is the name of a character
    /// reference.
    pub coins: String,
    pub date: String,
    pub date_iso: String,
}

pub fn citation(site: &Site, p: &Person, l: &Language, url: &str, name: &str, date: &PartialDate) -> Citation {
    let title = &site.config.title[&l.code];
    let date_text = l.date(date);
    let version_date = l.date_attributive(date);
    let text = fill(l.t("cite_pattern"), &[("name", name), ("site", title), ("url", url), ("date", &version_date)]);
    let bibtex = format!(
        "@misc{{esim-{id}-{lang},\n  title = {{{name}}},\n  howpublished = {{\\url{{{url}}}}},\n  organization = {{{site}}},\n  year = {{{year}}},\n  note = {{{version}: {iso}}},\n  language = {{{lang}}}\n}}",
        id = p.id,
        lang = l.code,
        name = bibtex_escape(name),
        site = bibtex_escape(title),
        year = date.year,
        version = bibtex_escape(l.t("cite_version")),
        iso = date.iso(),
    );
    let coins = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", "webpage"),
        ("rft.title", name),
        ("rft.source", title),
        ("rft.identifier", url),
        ("rft.date", &date.iso()),
        ("rft.language", &l.code),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", kev_encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    Citation { text, bibtex, coins, date: date_text, date_iso: date.iso() }
}

fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '\\' | '%' | '&' | '$' | '#' | '_' | '^' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A value of the COinS ContextObject: percent-encoded as in a URL query, but
/// with letters beyond ASCII kept as they are, as in an IRI (RFC 3987) — a
/// Cyrillic name percent-encoded is three times its UTF-8 bytes, and reference
/// managers read the attribute with `decodeURIComponent`, which leaves them be.
fn kev_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~/:".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{:02X}", c as u32));
        }
    }
    out
}

/// Percent-encodes everything but unreserved URL characters (RFC 3986).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// schema.org `Person` as JSON-LD, safe inside `<script>`.
pub fn json_ld(site: &Site, p: &Person, url: &str, name: &str) -> String {
    let NameForms { archive, kazakh, latin } = p.name_forms();
    let mut alternate: Vec<String> =
        [archive, kazakh, latin].into_iter().chain(p.name_variants.iter().cloned()).filter(|n| n != name).collect();
    alternate.dedup();
    alternate.sort();
    alternate.dedup();
    // Approximate dates are left out: schema.org has no way to say "about".
    let exact = |d: &Option<PartialDate>| d.filter(|d| !d.approximate).map(|d| d.iso());
    let place = |s: &str| (!s.is_empty()).then(|| json!({"@type": "Place", "name": s}));
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        // No "@id": it would repeat "url"; the graph has one node.
        "url": url,
        "identifier": p.id,
        "name": name,
        "alternateName": alternate,
        "givenName": p.archive_name.given,
        "familyName": p.archive_name.surname,
    });
    let obj = v.as_object_mut().expect("an object");
    if let Some(d) = exact(&p.birth_date) {
        obj.insert("birthDate".into(), d.into());
    }
    if let Some(d) = exact(&p.death_date) {
        obj.insert("deathDate".into(), d.into());
    }
    if let Some(pl) = place(&p.birth_place) {
        obj.insert("birthPlace".into(), pl);
    }
    if let Some(pl) = place(&p.death_place) {
        obj.insert("deathPlace".into(), pl);
    }
    if !p.nationality.is_empty() {
        obj.insert("nationality".into(), p.nationality.as_ref().into());
    }
    obj.insert(
        "subjectOf".into(),
        json!({"@type": "WebSite", "name": site.config.title[&site.config.default_language]}),
    );
    script_safe(&serde_json::to_string(&v).expect("JSON serializes"))
}

/// JSON that cannot close or open markup inside `<script>`: `<`, `>` and `&`
/// as `\\u` escapes, in one pass (three `replace` calls were a visible part of
/// rendering a million pages).
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut last = 0;
    for (i, b) in json.bytes().enumerate() {
        let rep = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        out.push_str(&json[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&json[last..]);
    out
}

/// The modules of the QR code of `data`, dark or light, and its width. The mask
/// is fixed (pattern 0, a valid choice for any symbol) instead of scored among
/// all eight: scoring was a fifth of the whole build's time at scale, and the
/// penalty only tunes how easy a symbol is to scan, which a URL's short code on
/// a page or plaque does not need.
fn qr_modules(data: &str) -> Option<(Vec<qrcode::Color>, usize)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    let ec = qrcode::EcLevel::M;
    let bits = qrcode::bits::encode_auto(data.as_bytes(), ec).ok()?;
    let version = bits.version();
    let raw = bits.into_bytes();
    let (encoded, ec_data) = qrcode::ec::construct_codewords(&raw, version, ec).ok()?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec_data);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Some((canvas.into_colors(), version.width() as usize))
}

/// The QR code of `url` as an inline image: a one-bit PNG, one pixel a module
/// with the four-module quiet zone, in a `data:` URL, drawn 4 CSS pixels a
/// module (the theme's `image-rendering: pixelated` keeps the edges sharp;
/// where a PDF viewer smooths the enlarged image, the module edges soften but
/// the code still scans). A 33×33 code is ~0.48 KB so, against ~1.9 KB as an
/// SVG path of its runs. An `<img>` prints as any image does: the printed
/// sheet carries the code without any script.
pub fn qr_img(url: &str, label: &str) -> String {
    use base64::Engine;
    let Some((colors, width)) = qr_modules(url) else {
        return String::new();
    };
    let png = qr_png(&colors, width);
    let px = (width + 2 * QUIET) * 4;
    let mut out = String::with_capacity(96 + png.len() * 4 / 3 + label.len());
    out.push_str("<img class=\"qr\" src=\"data:image/png;base64,");
    base64::engine::general_purpose::STANDARD.encode_string(&png, &mut out);
    out.push_str("\" width=\"");
    push_number(&mut out, px);
    out.push_str("\" height=\"");
    push_number(&mut out, px);
    out.push_str("\" alt=\"");
    out.push_str(&crate::util::escape::html(label));
    out.push_str("\">");
    out
}

/// The light margin around a QR code, in modules (ISO/IEC 18004 asks for four).
const QUIET: usize = 4;

/// A grayscale PNG of one bit a pixel (0 black, 1 white) of the modules with
/// the quiet zone around them.
fn qr_png(colors: &[qrcode::Color], width: usize) -> Vec<u8> {
    let side = width + 2 * QUIET;
    let row_bytes = side.div_ceil(8);
    let mut raw = Vec::with_capacity(side * (row_bytes + 1));
    for y in 0..side {
        raw.push(0); // filter type: none
        let row = raw.len();
        raw.resize(row + row_bytes, 0xff);
        if (QUIET..QUIET + width).contains(&y) {
            let modules = &colors[(y - QUIET) * width..(y - QUIET + 1) * width];
            for (x, _) in modules.iter().enumerate().filter(|(_, c)| **c == qrcode::Color::Dark) {
                let px = x + QUIET;
                raw[row + px / 8] &= !(0x80 >> (px % 8));
            }
        }
    }
    let mut png = Vec::with_capacity(raw.len() + 64);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let side_be = (side as u32).to_be_bytes();
    // 1 bit a pixel, grayscale, deflate, no filter, no interlace.
    let ihdr = [&side_be[..], &side_be[..], &[1, 0, 0, 0, 0]].concat();
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    png_chunk(&mut png, b"IEND", &[]);
    png
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
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + *byte as u32) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// Appends a small number's digits (`write!` was a tenth of the build at scale).
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push((b'0' + (n % 10) as u8) as char);
}

/// The link for suggesting a correction, carrying the person's id and URL.
pub fn correction_href(site: &Site, p: &Person, l: &Language, url: &str) -> Option<String> {
    let c = &site.config.corrections;
    if let Some(form) = &c.form_url {
        return Some(fill(form, &[("id", &percent_encode(&p.id)), ("url", &percent_encode(url))]));
    }
    c.email.as_ref().map(|email| {
        let subject = fill(l.t("correction_subject"), &[("id", &p.id)]);
        let body = fill(l.t("correction_body"), &[("url", url)]);
        format!("mailto:{email}?subject={}&body={}", percent_encode(&subject), percent_encode(&body))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The image inside the `<img>` of `url`'s code, decoded.
    fn decoded_qr(url: &str) -> image::GrayImage {
        use base64::Engine;
        let img = qr_img(url, "QR <code>");
        assert!(img.starts_with("<img class=\"qr\" src=\"data:image/png;base64,"), "{img}");
        assert!(img.ends_with(" alt=\"QR &lt;code&gt;\">"), "{img}");
        let b64 = img.split("base64,").nth(1).unwrap().split('"').next().unwrap();
        let png = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap().to_luma8()
    }

    /// Decoded by an independent PNG reader (which checks the CRCs and the
    /// zlib checksum), the image is the code's modules, black on white, with
    /// a four-module light margin, and the `<img>` is drawn 4 px a module.
    #[test]
    fn qr_image_is_the_code_with_its_quiet_zone() {
        for url in ["https://memorial.example.org/kz/kk/people/f0000001/", "https://m.example.org/en/people/a/"] {
            let (colors, width) = qr_modules(url).unwrap();
            let img = decoded_qr(url);
            assert_eq!((img.width() as usize, img.height() as usize), (width + 8, width + 8));
            for y in 0..width + 8 {
                for x in 0..width + 8 {
                    let inside = (4..width + 4).contains(&x) && (4..width + 4).contains(&y);
                    let dark = inside && colors[(y - 4) * width + x - 4] == qrcode::Color::Dark;
                    assert_eq!(img.get_pixel(x as u32, y as u32).0[0], if dark { 0 } else { 255 }, "{x},{y}");
                }
            }
            let px = (width + 8) * 4;
            assert!(qr_img(url, "QR").contains(&format!(" width=\"{px}\" height=\"{px}\" ")));
        }
    }

    #[test]
    fn qr_image_is_small() {
        let img = qr_img("https://memorial.example.org/kz/kk/people/f0000001/", "QR");
        assert!(img.len() < 560, "{}", img.len());
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        assert_eq!(script_safe(r#"{"a":"</script><b>&c"}"#), r#"{"a":"\u003c/script\u003e\u003cb\u003e\u0026c"}"#);
    }

    #[test]
    fn escapes() {
        assert_eq!(bibtex_escape("a_b {c}"), "a\\_b \\{c\\}");
        assert_eq!(percent_encode("Ж a&b"), "%D0%96%20a%26b");
        assert_eq!(kev_encode("Ж a&b=c%d+https://x/"), "Ж%20a%26b%3Dc%25d%2Bhttps://x/");
    }
}
