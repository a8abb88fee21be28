//! Markdown → HTML for essays, biographies and pages.
//!
//! Raw HTML is rejected, not sanitized: the editors of a memorial need no markup
//! that Markdown lacks, and refusing it (with the line and column) makes it
//! impossible for a biography or essay to carry script into a page. Link targets are
//! limited to http(s), mailto and relative URLs for the same reason.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A heading of level 2, for the table of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub id: String,
    pub title: String,
}

pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Plain text of the document (for descriptions and search).
    pub text: String,
}

/// A problem at a byte offset of the Markdown body.
pub struct MarkdownError {
    pub offset: usize,
    pub message: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

fn allowed_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        // A colon before any / ? # is a scheme.
        Some(i) if !lower[..i].contains(['/', '?', '#']) => ["http", "https", "mailto"].contains(&&lower[..i]),
        _ => true,
    }
}

/// How a document's headings fit into its page.
#[derive(Clone, Copy)]
pub struct HeadingPlacement<'a> {
    /// Levels added to every heading: a biography sits under the page's own
    /// "Biography" heading, so its `##` becomes `<h3>`.
    pub shift: usize,
    /// Prefix of heading ids, so they cannot collide with the page's own ids.
    pub id_prefix: &'a str,
}

pub const TOP_LEVEL: HeadingPlacement<'static> = HeadingPlacement { shift: 0, id_prefix: "" };

fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + shift).min(6)).unwrap_or(HeadingLevel::H6)
}

/// Renders `body`; `slugify` turns heading text into an ASCII id.
pub fn render(
    body: &str,
    slugify: &dyn Fn(&str) -> String,
    placement: HeadingPlacement,
) -> Result<Rendered, Vec<MarkdownError>> {
    let mut errors = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut headings = Vec::new();
    let mut all_ids: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut heading_start: Option<usize> = None;
    let mut heading_text = String::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => {
                errors.push(MarkdownError {
                    offset: range.start,
                    message: "raw HTML is not allowed in Markdown (write Markdown instead, or escape the < as \\<)"
                        .into(),
                });
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })
                if !allowed_link(dest_url) =>
            {
                errors.push(MarkdownError {
                    offset: range.start,
                    message: format!(
                        "link target \"{}\" is not allowed: use http(s), mailto or a relative URL",
                        dest_url.escape_debug()
                    ),
                });
            }
            Event::Start(Tag::Heading { level, .. }) => {
                if *level == HeadingLevel::H1 {
                    errors.push(MarkdownError {
                        offset: range.start,
                        message: "a level-1 heading (#) is not allowed: the title comes from the front matter; use ## for sections".into(),
                    });
                }
                heading_start = Some(events.len());
                heading_text.clear();
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    // `headings` lists only level-2 sections, but ids must be
                    // unique among all headings: keep every id in `all_ids`.
                    let id = unique_id(&format!("{}{}", placement.id_prefix, slugify(&heading_text)), &all_ids);
                    all_ids.push(id.clone());
                    if let Event::Start(Tag::Heading { id: slot, level: l, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id.clone()));
                        *l = shifted(*l, placement.shift);
                    }
                    if *level == HeadingLevel::H2 {
                        headings.push(Heading { id, title: heading_text.trim().to_string() });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if heading_start.is_some() {
                    heading_text.push_str(t);
                }
                text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => text.push('\n'),
            _ => {}
        }
        let event = match event {
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shifted(level, placement.shift))),
            other => other,
        };
        events.push(event);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(Rendered { html, headings, text })
}

fn unique_id(base: &str, existing: &[String]) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 2;
    while existing.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> String {
        s.to_ascii_lowercase().replace(' ', "-")
    }

    #[test]
    fn renders_and_collects_headings() {
        let r = render("## Two words\n\ntext *em*\n", &slug, TOP_LEVEL).ok().unwrap();
        assert!(r.html.contains("<h2 id=\"two-words\">Two words</h2>"), "{}", r.html);
        assert_eq!(r.headings[0].id, "two-words");
        assert!(r.text.contains("text em"));
    }

    #[test]
    fn rejects_raw_html_and_script_links() {
        let errs = render("para\n\n<script>alert(1)</script>\n", &slug, TOP_LEVEL).err().unwrap();
        assert_eq!(errs[0].offset, 6);
        assert!(render("a <b>bold</b>", &slug, TOP_LEVEL).is_err());
        let errs = render("[x](javascript:alert(1))", &slug, TOP_LEVEL).err().unwrap();
        assert_eq!(
            errs[0].message,
            "link target \"javascript:alert(1)\" is not allowed: use http(s), mailto or a relative URL"
        );
        assert!(render("[x](JavaScript:alert(1))", &slug, TOP_LEVEL).is_err());
        assert!(render("[x](https://example.org) [y](../law/) [z](mailto:a@b.c)", &slug, TOP_LEVEL).is_ok());
        assert!(render("# Title", &slug, TOP_LEVEL).is_err());
    }

    #[test]
    fn shifts_and_prefixes_headings() {
        let r =
            render("## Case\n\n### Detail\n", &slug, HeadingPlacement { shift: 1, id_prefix: "bio-" }).ok().unwrap();
        assert!(r.html.contains("<h3 id=\"bio-case\">Case</h3>"), "{}", r.html);
        assert!(r.html.contains("<h4 id=\"bio-detail\">Detail</h4>"), "{}", r.html);
    }

    #[test]
    fn escapes_text() {
        let r = render("a \\<script> & b", &slug, TOP_LEVEL).ok().unwrap();
        assert!(r.html.contains("&lt;script&gt; &amp; b"));
    }
}
