//! Splits a Markdown file into its TOML front matter (between `+++` lines) and body.

/// The front matter text, the body text, and the line on which the front matter
/// starts (for turning TOML error positions into file positions).
pub struct Split<'a> {
    pub front_matter: &'a str,
    pub front_matter_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the whole file.
    pub body_offset: usize,
}

/// Splits `text`; the error is a (line, message) pair.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_line_end = text_no_bom.find('\n').unwrap_or(text_no_bom.len());
    if text_no_bom[..first_line_end].trim_end() != "+++" {
        return Err((
            1,
            "expected front matter: the file must start with a line +++, then TOML, then a line +++".into(),
        ));
    }
    let fm_start = (first_line_end + 1).min(text_no_bom.len());
    let mut offset = fm_start;
    for line in text_no_bom[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = offset + line.len();
            return Ok(Split {
                front_matter: &text_no_bom[fm_start..offset],
                front_matter_line: 2,
                body: &text_no_bom[body_offset..],
                body_offset: bom + body_offset,
            });
        }
        offset += line.len();
    }
    Err((1, "the front matter is not closed: expected a line +++ after it".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("+++\ntitle = \"x\"\n+++\nbody\n").unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_offset, 20);
    }

    #[test]
    fn handles_crlf_bom_and_empty_front_matter() {
        let s = split("\u{feff}+++\r\n+++\r\ntext").unwrap();
        assert_eq!(s.front_matter, "");
        assert_eq!(s.body, "text");
    }

    #[test]
    fn reports_missing_or_unclosed_front_matter() {
        assert_eq!(split("title").err().unwrap().0, 1);
        assert!(split("+++\ntitle = 1\n").is_err());
        assert!(split("").is_err());
        assert!(split("+++").is_err());
    }
}
