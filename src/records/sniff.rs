//! Record files that are not comma-separated UTF-8 text — a spreadsheet's
//! "Unicode text" (UTF-16) or a semicolon-separated export — recognised from
//! their first bytes or their header, so that one message saying how to export
//! the file replaces dozens of garbled ones. Also the characters no record
//! field may hold.

/// How to get the file esim reads out of a spreadsheet program.
const EXPORT: &str = "in Excel use Save As “CSV UTF-8 (Comma delimited)”; in LibreOffice use Save As “Text CSV” with Character set “Unicode (UTF-8)” and Field delimiter “,”";

/// How many of the first bytes are searched for the NUL bytes UTF-16 has in
/// every ASCII character.
const SNIFF_BYTES: usize = 64;

/// The message for a file whose first bytes show UTF-16: a byte order mark
/// (FF FE or FE FF) or NUL bytes, which UTF-8 text never has.
pub fn utf16(start: &[u8]) -> Option<String> {
    let bom = start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF");
    let nul = start.iter().take(SNIFF_BYTES).any(|b| *b == 0);
    (bom || nul).then(|| {
        format!(
            "the file is UTF-16 text (as a spreadsheet's “Unicode text” export writes it), not UTF-8 CSV: {EXPORT}; or convert it: iconv -f UTF-16 -t UTF-8 in.csv > out.csv"
        )
    })
}

/// The legacy 8-bit encoding the first bytes of a file seem to be in, when
/// they are not UTF-8: Windows-1251 when most of their non-ASCII bytes are
/// its Cyrillic letters (as a CSV saved by Excel in a Russian locale is).
pub fn legacy_encoding(start: &[u8]) -> Option<&'static str> {
    match std::str::from_utf8(start) {
        Ok(_) => None,
        // A character cut at the end of the buffer is not a sign of anything.
        Err(e) if e.error_len().is_none() => None,
        Err(_) => {
            let high: Vec<u8> = start.iter().copied().filter(|b| *b >= 0x80).collect();
            let cyrillic = high.iter().filter(|b| **b >= 0xC0 || matches!(b, 0xA8 | 0xB8)).count();
            Some(if cyrillic * 10 >= high.len() * 8 { "Windows-1251 (Cyrillic)" } else { "a legacy 8-bit encoding" })
        }
    }
}

/// The message for a header read as comma-separated that is really separated
/// by `;` or tabs: none of its comma-separated fields is a known column, but
/// at least two of its `;`- or tab-separated ones are. `encoding` is the
/// legacy encoding of the file, if any: a `;`-separated file in Windows-1251
/// is what Excel saves as CSV in a Russian locale, and the message says so.
pub fn other_delimiter(header: &[String], is_column: &dyn Fn(&str) -> bool, encoding: Option<&str>) -> Option<String> {
    if header.iter().any(|f| is_column(f.trim())) {
        return None;
    }
    let line = header.join(",");
    [(';', "semicolons (;)"), ('\t', "tabs")].into_iter().find_map(|(delimiter, name)| {
        let known = line.split(delimiter).filter(|f| is_column(f.trim().trim_matches('"'))).count();
        (known >= 2).then(|| match encoding {
            Some(encoding) => format!(
                "the file seems to be a CSV as Excel saves it in a Russian (or other non-UTF-8) locale: {name} between fields and text in {encoding}, but esim reads comma-separated UTF-8 CSV: {EXPORT}; or put the workbook itself (.xlsx or .ods) in data/records/, which esim reads directly"
            ),
            None => format!(
                "the file seems to use {name} between fields, but esim reads comma-separated CSV: {EXPORT}; or put the workbook itself (.xlsx or .ods) in data/records/, which esim reads directly"
            ),
        })
    })
}

/// The first control character of `text` (C0 other than tab, newline and
/// carriage return, DEL, C1) with its 0-based character index: no name, date
/// or code has one, and a NUL is the sign of UTF-16 read as UTF-8.
pub fn control_character(text: &str) -> Option<(usize, char)> {
    text.chars().enumerate().find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// `U+0000 (NUL)`: a control character as a message names it.
pub fn describe(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        '\u{85}' => " (NEXT LINE)",
        '\u{a0}'..=char::MAX => "",
        _ => " (control character)",
    };
    format!("U+{:04X}{name}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_utf16() {
        assert!(utf16(b"\xFF\xFEi\0d\0").is_some());
        assert!(utf16(b"\xFE\xFF\0i\0d").is_some());
        assert!(utf16(b"i\0d\0,\0").is_some(), "UTF-16 without a byte order mark");
        assert!(utf16(b"\xEF\xBB\xBFid,surname").is_none(), "UTF-8 with its BOM");
        assert!(utf16("id,surname\nж".as_bytes()).is_none());
    }

    #[test]
    fn recognises_semicolons_and_tabs() {
        let is_column = |s: &str| ["id", "surname", "region"].contains(&s);
        let fields = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        assert!(other_delimiter(&fields("id;surname;region"), &is_column, None).unwrap().contains("semicolons"));
        assert!(other_delimiter(&fields("id\tsurname"), &is_column, None).unwrap().contains("tabs"));
        assert!(other_delimiter(&fields("id,surname"), &is_column, None).is_none());
        assert!(
            other_delimiter(&fields("colour;size"), &is_column, None).is_none(),
            "unknown columns are reported as such"
        );
        let russian =
            other_delimiter(&fields("id;surname;region"), &is_column, Some("Windows-1251 (Cyrillic)")).unwrap();
        assert!(russian.contains("semicolons (;) between fields and text in Windows-1251"), "{russian}");
        assert!(russian.contains("CSV UTF-8 (Comma delimited)"), "{russian}");
    }

    #[test]
    fn recognises_windows_1251() {
        // "id;surname\n1;Петров" in Windows-1251.
        let cp1251 = b"id;surname\n1;\xCF\xE5\xF2\xF0\xEE\xE2\n";
        assert_eq!(legacy_encoding(cp1251), Some("Windows-1251 (Cyrillic)"));
        assert_eq!(legacy_encoding("id;surname\n1;Петров".as_bytes()), None);
        assert_eq!(legacy_encoding(&"1;Петров".as_bytes()[..4]), None, "a character cut at the buffer's end");
        assert_eq!(legacy_encoding(b"1;caf\xE9 \x80\x81\x82"), Some("a legacy 8-bit encoding"));
    }

    #[test]
    fn finds_control_characters() {
        assert_eq!(control_character("ab\0c"), Some((2, '\0')));
        assert_eq!(control_character("a\u{7f}"), Some((1, '\u{7f}')));
        assert_eq!(control_character("a\u{85}"), Some((1, '\u{85}')));
        assert_eq!(control_character("Пётр\tи\r\nПавел"), None);
        assert_eq!(describe('\0'), "U+0000 (NUL)");
        assert_eq!(describe('\u{1}'), "U+0001 (control character)");
    }
}
