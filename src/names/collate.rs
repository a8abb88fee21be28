//! Sorting in a language's own alphabet. The alphabet comes from the theme's
//! i18n file (`alphabet = "А Ә Б …"`), so Kazakh names sort in Kazakh order
//! (А Ә Б В Г Ғ …) and Russian names in Russian order.

use std::collections::HashMap;

/// Orders text by an alphabet; letters outside it sort after it, by code point.
/// Case, spaces, hyphens and apostrophes are ignored at this level.
#[derive(Debug, Clone, Default)]
pub struct Collator {
    rank: HashMap<char, u32>,
    letters: Vec<String>,
    /// [`Collator::rank_of`] of every character below [`TABLED`] (0: none),
    /// looked up directly: sorting 311,000 names in three alphabets spent
    /// most of its time finding a character's lower case and its rank.
    table: Vec<u32>,
}

/// Rank given to characters outside the alphabet: after every letter of it.
const OUTSIDE: u32 = 1 << 16;

/// Characters whose rank is tabled: Latin with its extensions, IPA, Greek
/// and Cyrillic, where every name of the book is written.
const TABLED: u32 = 0x530;

impl Collator {
    /// `alphabet` lists the uppercase letters in order, separated by spaces.
    pub fn new(alphabet: &str) -> Collator {
        let mut c = Collator::default();
        for (i, letter) in alphabet.split_whitespace().enumerate() {
            for ch in letter.chars().flat_map(|ch| ch.to_lowercase()) {
                c.rank.entry(ch).or_insert(i as u32 + 1);
            }
            c.letters.push(letter.to_string());
        }
        c.table = (0..TABLED).map(|u| char::from_u32(u).and_then(|ch| c.rank_uncached(ch)).unwrap_or(0)).collect();
        c
    }

    fn rank_of(&self, ch: char) -> Option<u32> {
        match self.table.get(ch as usize) {
            Some(0) => None,
            Some(rank) => Some(*rank),
            None => self.rank_uncached(ch),
        }
    }

    fn rank_uncached(&self, ch: char) -> Option<u32> {
        let lower = ch.to_lowercase().next().unwrap_or(ch);
        if !lower.is_alphanumeric() {
            return None;
        }
        Some(self.rank.get(&lower).copied().unwrap_or(OUTSIDE + lower as u32))
    }

    /// A key whose order is the alphabetical order of `text`.
    pub fn key(&self, text: &str) -> Vec<u32> {
        text.chars().filter_map(|c| self.rank_of(c)).collect()
    }

    /// The letter of a rank that [`Collator::initial`] gave.
    pub fn letter(&self, rank: u32) -> String {
        if rank == u32::MAX {
            return "#".into();
        }
        if rank < OUTSIDE {
            if let Some(l) = self.letters.get((rank as usize).wrapping_sub(1)) {
                return l.clone();
            }
        }
        char::from_u32(rank.saturating_sub(OUTSIDE)).map(|c| c.to_uppercase().collect()).unwrap_or_else(|| "#".into())
    }

    /// The letter under which `text` is listed in the letter navigation: the
    /// alphabet's letter for its first character, or that character in upper case.
    pub fn initial(&self, text: &str) -> (u32, String) {
        for ch in text.chars() {
            if let Some(rank) = self.rank_of(ch) {
                let letter = match self.letters.get((rank as usize).wrapping_sub(1)) {
                    Some(l) if rank < OUTSIDE => l.clone(),
                    _ => ch.to_uppercase().collect(),
                };
                return (rank, letter);
            }
        }
        (u32::MAX, "#".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KK: &str = "А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я";

    #[test]
    fn kazakh_order() {
        let c = Collator::new(KK);
        let mut names = vec!["Қасымов", "Ғабит", "Кенжин", "Әуезов", "Бөкейхан", "Аймауытов", "Ыбырай", "Ілияс"];
        names.sort_by_key(|n| c.key(n));
        assert_eq!(names, ["Аймауытов", "Әуезов", "Бөкейхан", "Ғабит", "Кенжин", "Қасымов", "Ыбырай", "Ілияс"]);
    }

    #[test]
    fn initials_and_foreign_letters() {
        let c = Collator::new(KK);
        assert_eq!(c.initial("әуезов").1, "Ә");
        assert_eq!(c.initial("Kim").1, "K");
        assert_eq!(c.letter(c.initial("Kim").0), "K");
        assert_eq!(c.letter(c.initial("әуезов").0), "Ә");
        assert!(c.key("Kim") > c.key("Яковлев"));
        assert_eq!(c.key("Мир-Якуб"), c.key("мир якуб"));
    }
}
