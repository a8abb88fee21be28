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

/// HTML escaping straight into a writer: tera's escape function, called for
/// every value a template prints.
pub fn html_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_into(input, "&#39;", |piece| {
        if result.is_ok() {
            result = out.write_all(piece.as_bytes());
        }
    });
    result
}

/// One pass over the text (chains of `replace` allocate once per character
/// kind, and sitemaps escape millions of URLs).
fn escape(input: &str, apostrophe: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    escape_into(input, apostrophe, |piece| out.push_str(piece));
    out
}

/// Hands `push` the text in pieces: runs of plain text and entities.
fn escape_into(input: &str, apostrophe: &str, mut push: impl FnMut(&str)) {
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
        push(&input[last..i]);
        push(rep);
        last = i + 1;
    }
    push(&input[last..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_characters_only() {
        assert_eq!(super::html("a<b>&\"c'/д"), "a&lt;b&gt;&amp;&quot;c&#39;/д");
        assert_eq!(super::xml("a&b'<"), "a&amp;b&apos;&lt;");
        let mut written = Vec::new();
        super::html_to("a<b>&\"c'/д", &mut written).unwrap();
        assert_eq!(written, super::html("a<b>&\"c'/д").as_bytes());
    }
}
