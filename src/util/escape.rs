//! Escaping of text for the markup languages esim writes.

/// HTML escaping of the five characters that matter in text and quoted
/// attributes. (tera's default also escapes `/`, which only bloats every URL.)
pub fn html(input: &str) -> String {
    escape(input, "&#39;")
}

/// XML escaping (sitemaps): the five predefined entities.
pub fn xml(input: &str) -> String {
    escape(input, "&apos;")
}

/// One pass over the text (chains of `replace` allocate once per character
/// kind, and sitemaps escape millions of URLs).
fn escape(input: &str, apostrophe: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut last = 0;
    for (i, b) in input.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => apostrophe,
            _ => continue,
        };
        out.push_str(&input[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&input[last..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_characters_only() {
        assert_eq!(super::html("a<b>&\"c'/д"), "a&lt;b&gt;&amp;&quot;c&#39;/д");
        assert_eq!(super::xml("a&b'<"), "a&amp;b&apos;&lt;");
    }
}
