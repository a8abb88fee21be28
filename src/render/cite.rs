//! What makes a person page citable and shareable: the citation in the page's
//! language and in BibTeX and COinS, schema.org `Person` JSON-LD and the link
//! for families' corrections (the QR code of the permanent URL is [`super::qr`]).

use serde::Serialize;

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
    let mut coins = String::with_capacity(256 + 2 * (name.len() + title.len() + url.len()));
    coins.push_str("ctx_ver=Z39.88-2004&rft_val_fmt=info:ofi/fmt:kev:mtx:dc&rft.type=webpage");
    for (key, value) in [
        ("rft.title", name),
        ("rft.source", title),
        ("rft.identifier", url),
        ("rft.date", &date.iso()),
        ("rft.language", &l.code),
    ] {
        coins.push('&');
        coins.push_str(key);
        coins.push('=');
        kev_encode_to(value, &mut coins);
    }
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
fn kev_encode_to(s: &str, out: &mut String) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        // Bytes of letters beyond ASCII are all ≥ 0x80: kept.
        if b >= 0x80 || b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            continue;
        }
        out.push_str(&s[last..i]);
        push_percent(out, b);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `%XX`, the byte in upper-case hex.
fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[(b >> 4) as usize] as char);
    out.push(HEX[(b & 15) as usize] as char);
}

/// Percent-encodes everything but unreserved URL characters (RFC 3986).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            push_percent(&mut out, b);
        }
    }
    out
}

/// schema.org `Person`. Fields in alphabetical order, as the JSON object map
/// wrote them before: the output stays byte for byte the same.
#[derive(Serialize)]
struct JsonLdPerson<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: Vec<&'a str>,
    #[serde(rename = "birthDate", skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(rename = "birthPlace", skip_serializing_if = "Option::is_none")]
    birth_place: Option<Named<'a>>,
    #[serde(rename = "deathDate", skip_serializing_if = "Option::is_none")]
    death_date: Option<String>,
    #[serde(rename = "deathPlace", skip_serializing_if = "Option::is_none")]
    death_place: Option<Named<'a>>,
    #[serde(rename = "familyName")]
    family_name: &'a str,
    #[serde(rename = "givenName")]
    given_name: &'a str,
    identifier: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality: Option<&'a str>,
    #[serde(rename = "subjectOf")]
    subject_of: Named<'a>,
    // No "@id": it would repeat "url"; the graph has one node.
    url: &'a str,
}

/// `{"@type": …, "name": …}`: a place, the website.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// schema.org `Person` as JSON-LD, safe inside `<script>`. `forms` are the
/// person's written names (the page has them already).
pub fn json_ld(site: &Site, p: &Person, forms: &NameForms, url: &str, name: &str) -> String {
    let NameForms { archive, kazakh, latin } = forms;
    let mut alternate: Vec<&str> = [archive, kazakh, latin]
        .into_iter()
        .chain(&p.name_variants)
        .map(String::as_str)
        .filter(|n| *n != name)
        .collect();
    alternate.sort_unstable();
    alternate.dedup();
    // Approximate dates are left out: schema.org has no way to say "about".
    let exact = |d: &Option<PartialDate>| d.filter(|d| !d.approximate).map(|d| d.iso());
    fn place(s: &str) -> Option<Named<'_>> {
        (!s.is_empty()).then_some(Named { kind: "Place", name: s })
    }
    let person = JsonLdPerson {
        context: "https://schema.org",
        kind: "Person",
        alternate_name: alternate,
        birth_date: exact(&p.birth_date),
        birth_place: place(&p.birth_place),
        death_date: exact(&p.death_date),
        death_place: place(&p.death_place),
        family_name: &p.archive_name.surname,
        given_name: &p.archive_name.given,
        identifier: &p.id,
        name,
        nationality: (!p.nationality.is_empty()).then_some(p.nationality.as_ref()),
        subject_of: Named { kind: "WebSite", name: &site.config.title[&site.config.default_language] },
        url,
    };
    script_safe(&serde_json::to_string(&person).expect("JSON serializes"))
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
    fn json_ld_cannot_close_its_script() {
        assert_eq!(script_safe(r#"{"a":"</script><b>&c"}"#), r#"{"a":"\u003c/script\u003e\u003cb\u003e\u0026c"}"#);
    }

    #[test]
    fn escapes() {
        assert_eq!(bibtex_escape("a_b {c}"), "a\\_b \\{c\\}");
        assert_eq!(percent_encode("Ж a&b"), "%D0%96%20a%26b");
        let mut kev = String::new();
        kev_encode_to("Ж a&b=c%d+https://x/", &mut kev);
        assert_eq!(kev, "Ж%20a%26b%3Dc%25d%2Bhttps://x/");
    }
}
