//! A text's word types: each distinct word once, in the order first met, and each occurrence's
//! place among them, so that what is asked of a word (its forms, its lexicon entry, its id, its
//! count) is asked once per type. The screen and the reader of a text both use it.

use rustc_hash::FxHashMap as HashMap;

/// Each distinct word of `words` in the order first met, and each word's place among them.
pub fn word_types<'w>(words: impl IntoIterator<Item = &'w str>) -> (Vec<&'w str>, Vec<u32>) {
    let words = words.into_iter();
    let room = words.size_hint().0 / 2;
    let mut index: HashMap<&str, u32> = HashMap::with_capacity_and_hasher(room, Default::default());
    let mut types = Vec::with_capacity(room);
    let at = words
        .map(|word| {
            *index.entry(word).or_insert_with(|| {
                types.push(word);
                (types.len() - 1) as u32
            })
        })
        .collect();
    (types, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_one_type_numbered_in_the_order_first_met() {
        let (types, at) = word_types(["he", "said", "he", "was", "said"]);
        assert_eq!(types, vec!["he", "said", "was"]);
        assert_eq!(at, vec![0, 1, 0, 2, 1]);
        assert_eq!(word_types([]), (Vec::<&str>::new(), Vec::new()));
    }
}
