//! Postings as the browser reads them: the ordinals of the people who bear a
//! word, sorted, written as runs. Ordinals number people by the skeleton of
//! their surname, so a surname's bearers are mostly one run, which costs two
//! numbers however many namesakes it holds.
//!
//! Encoding, from a cursor `c` that starts at a given base: a number `x >= 0`
//! is the ordinal `c + x` (then `c` moves past it); a negative number `-k` is
//! the `k` ordinals `c, c+1, …, c+k-1` that directly follow (then `c` moves
//! past them). `[5, -3, 12]` from base 0 is 5, 6, 7, 8, 21.
//! `themes/default/static/search/search.js` (`decode`) reads it back.

/// The sorted, distinct `ordinals` encoded as runs from `base` (every ordinal
/// is at least `base`).
pub fn encode(ordinals: &[u32], base: u32) -> Vec<i64> {
    let mut out = Vec::new();
    let mut cursor = i64::from(base);
    let mut i = 0;
    while i < ordinals.len() {
        let start = i64::from(ordinals[i]);
        let mut end = i + 1;
        while end < ordinals.len() && ordinals[end] == ordinals[end - 1] + 1 {
            end += 1;
        }
        out.push(start - cursor);
        let more = (end - i - 1) as i64;
        if more > 0 {
            out.push(-more);
        }
        cursor = start + 1 + more;
        i = end;
    }
    out
}

/// The ordinals of an encoding from `base`: the inverse of [`encode`].
pub fn decode(encoded: &[i64], base: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut cursor = i64::from(base);
    for &x in encoded {
        if x >= 0 {
            cursor += x;
            out.push(cursor as u32);
            cursor += 1;
        } else {
            for _ in 0..-x {
                out.push(cursor as u32);
                cursor += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cost_two_numbers() {
        assert_eq!(encode(&[5, 6, 7, 8, 21], 0), vec![5, -3, 12]);
        assert_eq!(encode(&(1000..3000).collect::<Vec<_>>(), 0), vec![1000, -1999]);
        assert_eq!(encode(&[0, 2], 0), vec![0, 1]);
        assert_eq!(encode(&[], 0), Vec::<i64>::new());
    }

    #[test]
    fn a_base_shifts_the_first_gap() {
        assert_eq!(encode(&[1030, 1031], 1024), vec![6, -1]);
        assert_eq!(decode(&[6, -1], 1024), vec![1030, 1031]);
    }

    #[test]
    fn decode_inverts_encode() {
        let mut seed = 17u32;
        for _ in 0..200 {
            let mut set = std::collections::BTreeSet::new();
            for _ in 0..(seed % 50) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                set.insert(300 + (seed >> 16) % 200);
            }
            let ordinals: Vec<u32> = set.into_iter().collect();
            assert_eq!(decode(&encode(&ordinals, 300), 300), ordinals);
        }
    }
}
