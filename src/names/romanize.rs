//! Romanization of Kazakh and Russian Cyrillic names, for English pages whose
//! record gives no English form. One scheme, "esim Latin", documented in
//! README.md: BGN/PCGN-style Russian letters without diacritics (ж zh, х kh, ц ts,
//! ч ch, ш sh, щ shch, ы y, ю yu, я ya; й is i after a vowel, else y), and Kazakh letters folded the way English
//! texts usually write them (ә a, ғ g, қ k, ң ng, ө o, ұ u, ү u, һ h, і i).
//! Байтұрсынұлы → Baitursynuly, Байтурсынов → Baitursynov, Жұмабаев → Zhumabaev.

/// The Latin letters for one lowercase Cyrillic letter, or `None` when `c` is not
/// Cyrillic.
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ғ' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'є' => "ye",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'ң' => "ng",
        'о' => "o",
        'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ұ' => "u",
        'ү' => "u",
        'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' => "",
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

fn is_vowel(c: char) -> bool {
    matches!(
        lower(c),
        'а' | 'ә'
            | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'ө'
            | 'у'
            | 'ұ'
            | 'ү'
            | 'ы'
            | 'і'
            | 'э'
            | 'ю'
            | 'я'
            | 'a'
            | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
    )
}

/// The lowercase of a letter, as `char::to_lowercase` gives its first char,
/// computed for ASCII and Cyrillic (U+0400–U+04FF, where capitals and small
/// letters sit at fixed offsets) without the Unicode tables' search, which
/// was most of romanizing a million names.
fn lower(c: char) -> char {
    let u = c as u32;
    let small = match u {
        0x41..=0x5A => u + 0x20,
        0..=0x7F => u,
        0x400..=0x40F => u + 0x50,
        0x410..=0x42F => u + 0x20,
        0x430..=0x45F => u,
        // Pairs, the capital first (at an even code point), but for the
        // signs and combining marks in U+0482–U+0489.
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x4FF => u | 1,
        0x482..=0x489 => u,
        0x4C0 => 0x4CF,
        // Pairs with the capital at an odd code point.
        0x4C1..=0x4CE => u + (u & 1),
        0x4CF => u,
        _ => return c.to_lowercase().next().unwrap_or(c),
    };
    char::from_u32(small).unwrap_or(c)
}

/// `char::is_uppercase`, through [`lower`] for the letters it knows.
fn is_upper(c: char) -> bool {
    match c as u32 {
        0..=0x7F | 0x400..=0x4FF => lower(c) != c,
        _ => c.is_uppercase(),
    }
}

/// Romanizes `text`; characters that are not Cyrillic are kept. Case follows the
/// source: `Ж` → `Zh`, but `ЖАН` → `ZHAN`.
pub fn romanize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let lower = lower(c);
        // й after a vowel is written i, as English texts on Kazakhstan do
        // (Байтұрсынұлы → Baitursynuly, Айтматов → Aitmatov); elsewhere y.
        let after_vowel = i > 0 && is_vowel(chars[i - 1]);
        let letters = if lower == 'й' && after_vowel { Some("i") } else { latin(lower) };
        match letters {
            None => out.push(c),
            Some(l) if c == lower => out.push_str(l),
            Some(l) => {
                let next_upper = chars.get(i + 1).is_some_and(|n| is_upper(*n));
                let prev_upper = i > 0 && is_upper(chars[i - 1]);
                if next_upper || (prev_upper && chars.get(i + 1).is_none_or(|n| !n.is_alphabetic())) {
                    out.push_str(&l.to_uppercase());
                } else {
                    let mut it = l.chars();
                    if let Some(first) = it.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(it.as_str());
                    }
                }
            }
        }
    }
    out
}

/// An ASCII slug (for heading ids): romanized, lowercase, `-` between words.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in romanize(text).chars().flat_map(|c| c.to_lowercase()) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast lowercase and capital test agree with the standard library's
    /// on every ASCII and Cyrillic code point.
    #[test]
    fn lower_is_the_standard_lowercase() {
        for c in (0..=0x4FFu32).chain(0x1E00..0x1F00).filter_map(char::from_u32) {
            assert_eq!(lower(c), c.to_lowercase().next().unwrap(), "U+{:04X}", c as u32);
            assert_eq!(is_upper(c), c.is_uppercase(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn romanizes_kazakh_and_russian_forms() {
        assert_eq!(romanize("Байтұрсынұлы Ахмет"), "Baitursynuly Akhmet");
        assert_eq!(romanize("Байтурсынов"), "Baitursynov");
        assert_eq!(romanize("Жұмабаев Мағжан"), "Zhumabaev Magzhan");
        assert_eq!(romanize("Тынышпаев Мухамеджан"), "Tynyshpaev Mukhamedzhan");
        assert_eq!(romanize("Щербаков"), "Shcherbakov");
        assert_eq!(romanize("ЖАН"), "ZHAN");
        assert_eq!(romanize("Мир-Якуб"), "Mir-Yakub");
        assert_eq!(romanize("Kim"), "Kim");
        assert_eq!(romanize("Айтматов Йосиф"), "Aitmatov Yosif");
        assert_eq!(romanize("Бөкейхан"), "Bokeikhan");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("1993 жылғы заң: негізгі ережелер"), "1993-zhylgy-zang-negizgi-erezheler");
        assert_eq!(slug("Sources"), "sources");
        assert_eq!(slug("«»"), "");
    }
}
