//! Long lists saved in pieces: each piece of `n` items serialized on its own
//! (postcard), so that both writing and reading run on every core. Pieces
//! are made a few at a time, so that writing holds only those in memory.

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Pieces made at once.
const WINDOW: usize = 8;

/// `items` in pieces of `n`, each serialized and given to `write` in order.
/// Returns the number of pieces.
pub fn write<T: Serialize + Sync>(
    items: &[T],
    n: usize,
    write: &mut dyn FnMut(&[u8]) -> Result<(), String>,
) -> Result<usize, String> {
    let n = n.max(1);
    for window in items.chunks(n * WINDOW) {
        let pieces: Vec<Vec<u8>> = window
            .par_chunks(n)
            .map(|chunk| postcard::to_stdvec(chunk).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        pieces.iter().try_for_each(|p| write(p))?;
    }
    Ok(items.len().div_ceil(n))
}

/// The items of the pieces [`write`] made, in order, each piece read by
/// `decode` ([`decode`], or a caller's wrapper of it).
pub fn read<T: Send>(
    pieces: &[&[u8]],
    decode: impl Fn(&[u8]) -> Result<Vec<T>, String> + Sync,
) -> Result<Vec<T>, String> {
    let parts: Vec<Vec<T>> = pieces.par_iter().map(|piece| decode(piece)).collect::<Result<_, _>>()?;
    Ok(parts.into_iter().flatten().collect())
}

/// The items of one piece.
pub fn decode<T: DeserializeOwned>(piece: &[u8]) -> Result<Vec<T>, String> {
    postcard::from_bytes(piece).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_give_the_items_back_in_order() {
        let items: Vec<(u32, String)> = (0..1000).map(|i| (i, format!("item {i}"))).collect();
        let mut pieces = Vec::new();
        let count = write(&items, 64, &mut |p| {
            pieces.push(p.to_vec());
            Ok(())
        })
        .unwrap();
        assert_eq!((count, pieces.len()), (16, 16));
        let slices: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
        assert_eq!(read(&slices, decode::<(u32, String)>).unwrap(), items);
        assert!(read(&[&pieces[0][..3]], decode::<(u32, String)>).is_err(), "a piece cut short is refused");
    }
}
