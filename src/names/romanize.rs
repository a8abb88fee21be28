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
    let lower = c.to_lowercase().next().unwrap_or(c);
    "аәеёиоөуұүыіэюяaeiouy".contains(lower)
}

/// Romanizes `text`; characters that are not Cyrillic are kept. Case follows the
/// source: `Ж` → `Zh`, but `ЖАН` → `ZHAN`.
pub fn romanize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        // й after a vowel is written i, as English texts on Kazakhstan do
        // (Байтұрсынұлы → Baitursynuly, Айтматов → Aitmatov); elsewhere y.
        let after_vowel = i > 0 && is_vowel(chars[i - 1]);
        let letters = if lower == 'й' && after_vowel { Some("i") } else { latin(lower) };
        match letters {
            None => out.push(c),
            Some(l) if c == lower => out.push_str(l),
            Some(l) => {
                let next_upper = chars.get(i + 1).is_some_and(|n| n.is_uppercase());
                let prev_upper = i > 0 && chars[i - 1].is_uppercase();
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
