//! What makes a person page citable and shareable: the citation in the page's
//! language and in BibTeX and COinS, schema.org `Person` JSON-LD, a QR code of
//! the permanent URL (inline SVG, for plaques and printed books) and the link
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
    /// The COinS (OpenURL ContextObject) for reference managers.
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
        "@id": url,
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

/// The QR code of `url` as a compact inline SVG: one stroked path of one-module
/// height, each horizontal run of dark modules an `h` and each gap a relative
/// `m`, which is less than half the bytes of a filled rectangle per run and
/// draws the same modules (butt caps, `crispEdges`), so the printed sheet
/// carries it without any script.
pub fn qr_svg(url: &str, label: &str) -> String {
    let Some((colors, width)) = qr_modules(url) else {
        return String::new();
    };
    let quiet = 4;
    let size = width + 2 * quiet;
    let label = crate::util::escape::html(label);
    let mut out = String::with_capacity(2048);
    // Inline in HTML: the parser puts <svg> in the SVG namespace, no xmlns needed.
    out.push_str("<svg class=\"qr\" viewBox=\"0 0 ");
    push_number(&mut out, size);
    out.push(' ');
    push_number(&mut out, size);
    out.push_str("\" width=\"160\" height=\"160\" role=\"img\" aria-label=\"");
    out.push_str(&label);
    out.push_str("\" shape-rendering=\"crispEdges\"><rect width=\"");
    push_number(&mut out, size);
    out.push_str("\" height=\"");
    push_number(&mut out, size);
    out.push_str("\" fill=\"#fff\"/><path d=\"");
    push_runs(&mut out, &colors, width, quiet);
    out.push_str("\" stroke=\"#000\"/></svg>");
    out
}

/// The dark runs of every row as path data: an absolute move to the first run
/// (on the middle line of its row, for the one-module stroke), then only
/// relative moves and horizontal lines.
fn push_runs(out: &mut String, colors: &[qrcode::Color], width: usize, quiet: usize) {
    // The pen, after the previous run: (x, row); None before the first.
    let mut pen: Option<(usize, usize)> = None;
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == qrcode::Color::Dark {
                x += 1;
            }
            match pen {
                None => {
                    out.push('M');
                    push_number(out, start + quiet);
                    out.push(' ');
                    push_number(out, y + quiet);
                    out.push_str(".5");
                }
                Some((px, py)) => {
                    out.push('m');
                    push_signed(out, start as isize - px as isize);
                    out.push(' ');
                    push_number(out, y - py);
                }
            }
            out.push('h');
            push_number(out, x - start);
            pen = Some((x, y));
        }
    }
}

fn push_signed(out: &mut String, n: isize) {
    if n < 0 {
        out.push('-');
    }
    push_number(out, n.unsigned_abs());
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

    #[test]
    fn qr_is_a_single_path() {
        let svg = qr_svg("https://memorial.example.org/kz/en/people/a/", "QR");
        assert!(svg.starts_with("<svg") && svg.matches("<path").count() == 1);
        assert!(svg.len() < 2200, "{}", svg.len());
    }

    /// Draws the path back into modules: exactly the dark modules of the code.
    #[test]
    fn qr_path_draws_every_dark_module_and_no_other() {
        let url = "https://memorial.example.org/kz/kk/people/f0000001/";
        let (colors, width) = qr_modules(url).unwrap();
        let svg = qr_svg(url, "QR");
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut drawn = vec![false; (width + 8) * (width + 8)];
        let (mut x, mut y) = (0i64, 0i64);
        let mut rest = d;
        while let Some(cmd) = rest.chars().next() {
            let end = rest[1..].find(['M', 'm', 'h']).map_or(rest.len(), |i| i + 1);
            let args: Vec<f64> = rest[1..end].split(' ').map(|a| a.parse().unwrap()).collect();
            match cmd {
                'M' => (x, y) = (args[0] as i64, (args[1] - 0.5) as i64),
                'm' => (x, y) = (x + args[0] as i64, y + args[1] as i64),
                'h' => {
                    for i in 0..args[0] as i64 {
                        drawn[(y as usize) * (width + 8) + (x + i) as usize] = true;
                    }
                    x += args[0] as i64;
                }
                _ => panic!("unexpected {cmd}"),
            }
            rest = &rest[end..];
        }
        for row in 0..width {
            for col in 0..width {
                let dark = colors[row * width + col] == qrcode::Color::Dark;
                assert_eq!(drawn[(row + 4) * (width + 8) + col + 4], dark, "module {col},{row}");
            }
        }
        assert_eq!(drawn.iter().filter(|d| **d).count(), colors.iter().filter(|c| **c == qrcode::Color::Dark).count());
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
