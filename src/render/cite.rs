//! What makes a person page citable and shareable: the citation in the page's
//! language and in BibTeX and COinS, schema.org `Person` JSON-LD, a QR code of
//! the permanent URL (inline SVG, for plaques and printed books) and the link
//! for families' corrections.

use serde::Serialize;
use serde_json::json;

use crate::i18n::{fill, Language};
use crate::names::{self, Form};
use crate::records::{PartialDate, Person};
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
    let text = fill(l.t("cite_pattern"), &[("name", name), ("site", title), ("url", url), ("date", &date_text)]);
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
    .map(|(k, v)| format!("{k}={}", percent_encode(v)))
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
    let mut alternate: Vec<String> = [
        names::full(&p.archive_name, Form::Archive),
        names::full(&names::kazakh(p), Form::Kazakh),
        names::full(&names::latin(p), Form::Latin),
    ]
    .into_iter()
    .chain(p.name_variants.iter().cloned())
    .filter(|n| n != name)
    .collect();
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
    serde_json::to_string(&v)
        .expect("JSON serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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

/// The QR code of `url` as a compact inline SVG: one path, horizontal runs of
/// dark modules merged.
pub fn qr_svg(url: &str, label: &str) -> String {
    let Some((colors, width)) = qr_modules(url) else {
        return String::new();
    };
    let quiet = 4;
    let mut path = String::with_capacity(width * width);
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if colors[y * width + x] == qrcode::Color::Dark {
                let start = x;
                while x < width && colors[y * width + x] == qrcode::Color::Dark {
                    x += 1;
                }
                let run = x - start;
                path.push('M');
                push_number(&mut path, start + quiet);
                path.push(' ');
                push_number(&mut path, y + quiet);
                path.push('h');
                push_number(&mut path, run);
                path.push_str("v1h-");
                push_number(&mut path, run);
                path.push('z');
            } else {
                x += 1;
            }
        }
    }
    let size = width + 2 * quiet;
    let label = label.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"160\" height=\"160\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
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
        assert!(svg.len() < 8000, "{}", svg.len());
    }

    #[test]
    fn escapes() {
        assert_eq!(bibtex_escape("a_b {c}"), "a\\_b \\{c\\}");
        assert_eq!(percent_encode("Ж a&b"), "%D0%96%20a%26b");
    }
}
