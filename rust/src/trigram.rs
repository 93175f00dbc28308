//! The English trigram model pocketsphinx ships (`en-us.lm.bin`), read in place from its file.
//!
//! The file is sphinxbase's "Trie Language Model" binary: a header, the n-gram counts, 16-bit
//! quantisation tables for bigram probabilities, bigram back-offs and trigram probabilities, the
//! unigram records (probability, back-off, first bigram), two bit-packed arrays (bigrams keyed
//! by the previous word under each word, trigrams keyed by the word before that under each
//! bigram) and the vocabulary. Scores are logarithms to base 1.0001, as pocketsphinx returns them.
//! The map is shared by every process that opens the same file (the page cache holds one copy).

use std::fs::File;
use std::path::Path;

use crate::vocabulary::Vocabulary;
use memmap2::Mmap;

const HEADER: &[u8] = b"Trie Language Model";
const QUANT_BITS: u32 = 16;
const QUANT_ENTRIES: usize = 1 << QUANT_BITS;
const QUANT_MASK: u32 = (1 << QUANT_BITS) - 1;

/// Why a model file could not be used.
#[derive(Debug)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

fn bad(message: impl Into<String>) -> FormatError {
    FormatError(message.into())
}

/// Bits needed to write every number up to `max` (0 needs none).
pub fn required_bits(max: u32) -> u32 {
    32 - max.leading_zeros()
}

/// A little-endian bit array: `bits` bits from bit `offset` of `bytes`, at most 25 of them.
#[inline]
pub fn read_bits(bytes: &[u8], offset: u64, mask: u32) -> u32 {
    let at = (offset >> 3) as usize;
    let word = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (word >> (offset & 7)) & mask
}

/// One bit-packed level of the trie: records of `word_bits` then payload bits, sorted by word
/// within each parent's range.
#[derive(Clone, Copy, Debug)]
struct Level {
    start: usize,
    total_bits: u64,
    word_bits: u32,
    word_mask: u32,
}

impl Level {
    fn new(start: usize, vocabulary: u32, payload_bits: u32) -> Self {
        let word_bits = required_bits(vocabulary);
        Level {
            start,
            total_bits: (word_bits + payload_bits) as u64,
            word_bits,
            word_mask: mask(word_bits),
        }
    }

    /// Bytes the level takes in the file: one record more than `entries` (the last end pointer)
    /// plus eight bytes of padding so that every read of four bytes stays inside.
    fn size(&self, entries: u32) -> usize {
        ((1 + entries as u64) * self.total_bits).div_ceil(8) as usize + 8
    }

    /// The bit offset of the record for `word` among records [begin, end), if there is one.
    /// (A binary search: an interpolation search, as pocketsphinx does it, measured 296 ns a
    /// look-up against 233 here; the division cost more than the reads it saved.)
    #[inline]
    fn find(&self, bytes: &[u8], begin: u32, end: u32, word: u32) -> Option<u64> {
        let data = &bytes[self.start..];
        let (mut low, mut high) = (begin, end);
        while low < high {
            let middle = low + (high - low) / 2;
            let offset = middle as u64 * self.total_bits;
            let found = read_bits(data, offset, self.word_mask);
            if found < word {
                low = middle + 1;
            } else if found > word {
                high = middle;
            } else {
                return Some(offset + self.word_bits as u64);
            }
        }
        None
    }
}

fn mask(bits: u32) -> u32 {
    if bits >= 32 {
        u32::MAX
    } else {
        (1u32 << bits) - 1
    }
}

/// The trigram model, memory-mapped.
pub struct TrigramModel {
    map: Mmap,
    counts: [u32; 3],
    quant: usize,
    unigrams: usize,
    bigrams: Level,
    next_bits: u32,
    next_mask: u32,
    trigrams: Level,
    words: std::ops::Range<usize>, // the vocabulary's words in the map, NUL-separated
    vocabulary: Vocabulary,
    remembered: ScoreCache,
}

/// Word ids in a remembered score's key take this many bits each; a model with more words
/// remembers nothing.
const ID_BITS: u32 = 17;
const NO_ID: u64 = (1 << ID_BITS) - 1; // an absent history word
const SLOT_BITS: u32 = 20; // 1,048,576 slots of 8 bytes (8 MB, touched only as they fill)
const TAG_BITS: u32 = 3 * ID_BITS - SLOT_BITS; // the key's bits the slot's place does not say
const SCORE_BITS: u32 = 64 - 1 - TAG_BITS; // a signed score; the last bit says the slot is used
const SCORE_LIMIT: i64 = 1 << (SCORE_BITS - 1);
const KEY_MIX: u64 = 0x9E37_79B9_7F4A_7C15 & ((1 << (3 * ID_BITS)) - 1) | 1; // odd: a bijection mod 2^51

/// The truncated scores of the last n-grams asked about, one per slot, shared by every thread
/// that reads the model: each slot is one atomic word holding a key's tag, its score and a used
/// bit, so a read sees a whole entry or none. The key (three ids) is mixed by an odd multiplier,
/// a bijection; its top bits pick the slot and the rest are the tag, so a tag and its slot give
/// back the key exactly and a hit is never another n-gram's score.
struct ScoreCache {
    slots: Option<Box<[std::sync::atomic::AtomicU64]>>,
}

// A slot array is made as u64s and used as atomics: the two share size and alignment.
const _: () = assert!(
    std::mem::size_of::<std::sync::atomic::AtomicU64>() == std::mem::size_of::<u64>()
        && std::mem::align_of::<std::sync::atomic::AtomicU64>() == std::mem::align_of::<u64>()
);

/// Empty slots, from zeroed memory the allocator need not touch: a run that reads a few
/// n-grams (a one-line input) never pays for pages of slots it does not use.
fn zeroed_slots() -> Box<[std::sync::atomic::AtomicU64]> {
    // An allocation asked for as zeroed: fresh pages come zeroed from the system, untouched.
    let zeroed = vec![0u64; 1 << SLOT_BITS].into_boxed_slice();
    // SAFETY: AtomicU64 has u64's size, alignment (asserted above) and bit validity, and the box
    // is moved, not shared, so nothing reads the integers as integers again.
    unsafe { Box::from_raw(Box::into_raw(zeroed) as *mut [std::sync::atomic::AtomicU64]) }
}

impl ScoreCache {
    fn new(vocabulary: u32) -> Self {
        let fits = u64::from(vocabulary) < NO_ID;
        ScoreCache {
            slots: fits.then(zeroed_slots),
        }
    }

    /// The slot and the tag of (word, h1, h2).
    #[inline]
    fn place(word: u32, h1: WordId, h2: WordId) -> (usize, u64) {
        let id = |w: WordId| w.map_or(NO_ID, u64::from);
        let key = u64::from(word) | id(h1) << ID_BITS | id(h2) << (2 * ID_BITS);
        let mixed = key.wrapping_mul(KEY_MIX) & ((1 << (3 * ID_BITS)) - 1);
        ((mixed >> TAG_BITS) as usize, mixed & ((1 << TAG_BITS) - 1))
    }

    #[inline]
    fn get(&self, word: u32, h1: WordId, h2: WordId) -> Option<i32> {
        let slots = self.slots.as_ref()?;
        let (slot, tag) = Self::place(word, h1, h2);
        let held = slots[slot].load(std::sync::atomic::Ordering::Relaxed);
        if held >> 63 == 0 || held & ((1 << TAG_BITS) - 1) != tag {
            return None;
        }
        let score = ((held << 1) as i64) >> (1 + TAG_BITS); // the signed field between the tag and the used bit
        Some(score as i32)
    }

    #[inline]
    fn put(&self, word: u32, h1: WordId, h2: WordId, score: i32) {
        let Some(slots) = &self.slots else { return };
        if !(-SCORE_LIMIT..SCORE_LIMIT).contains(&i64::from(score)) {
            return;
        }
        let (slot, tag) = Self::place(word, h1, h2);
        let field = (i64::from(score) as u64) & ((1 << SCORE_BITS) - 1);
        slots[slot].store(1 << 63 | field << TAG_BITS | tag, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A word's place in the model's vocabulary; words it does not know have none.
pub type WordId = Option<u32>;

impl TrigramModel {
    /// Map the file at `path` and index its vocabulary.
    pub fn open(path: &Path) -> Result<Self, FormatError> {
        let file = File::open(path).map_err(|error| bad(format!("cannot open {}: {error}", path.display())))?;
        // SAFETY: the model file is read-only data that nothing rewrites while untangle runs.
        let map =
            unsafe { Mmap::map(&file) }.map_err(|error| bad(format!("cannot map {}: {error}", path.display())))?;
        Self::from_map(map)
    }

    fn from_map(map: Mmap) -> Result<Self, FormatError> {
        let bytes: &[u8] = &map;
        if bytes.len() < 36 || &bytes[..HEADER.len()] != HEADER {
            return Err(bad("not a trie language model (the header does not match)"));
        }
        let order = bytes[HEADER.len()];
        if order != 3 {
            return Err(bad(format!("a model of order {order}; untangle reads trigram models")));
        }
        let count = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let counts = [count(20), count(24), count(28)];
        let quant = 36; // after the counts and a retired "quantisation type" word
        let unigrams = quant + 3 * QUANT_ENTRIES * 4;
        let bigram_start = unigrams + (counts[0] as usize + 1) * 12;
        let next_bits = required_bits(counts[2]);
        let bigrams = Level::new(bigram_start, counts[0], 2 * QUANT_BITS + next_bits);
        let trigram_start = bigram_start + bigrams.size(counts[1]);
        let trigrams = Level::new(trigram_start, counts[0], QUANT_BITS);
        let words_at = trigram_start + trigrams.size(counts[2]);
        if bytes.len() < words_at + 4 {
            return Err(bad("the model file is truncated"));
        }
        let length = count(words_at) as usize;
        let words = bytes
            .get(words_at + 4..words_at + 4 + length)
            .ok_or_else(|| bad("the model file's vocabulary is truncated"))?;
        let vocabulary =
            Vocabulary::index(words, counts[0] as usize).ok_or_else(|| bad("a vocabulary word is not UTF-8"))?;
        if vocabulary.len() < counts[0] as usize - 1 {
            return Err(bad("the model file's vocabulary is shorter than its unigram count"));
        }
        Ok(TrigramModel {
            map,
            counts,
            quant,
            unigrams,
            bigrams,
            next_bits,
            next_mask: mask(next_bits),
            trigrams,
            words: words_at + 4..words_at + 4 + length,
            vocabulary,
            remembered: ScoreCache::new(counts[0]),
        })
    }

    /// The n-gram counts (unigrams, bigrams, trigrams).
    pub fn counts(&self) -> [u32; 3] {
        self.counts
    }

    /// Read `alias` as `word` wherever the model is asked about it ("1" as "one": the model was
    /// trained on speech transcripts, which spell numbers out). A word the model already knows
    /// keeps its own entry; an alias of a word it does not know is ignored.
    pub fn add_alias(&mut self, alias: &str, word: &str) {
        if let Some(id) = self.id(word) {
            self.vocabulary.alias(&self.map[self.words.clone()], alias, id);
        }
    }

    /// The id of `word`, if the model knows it.
    pub fn id(&self, word: &str) -> WordId {
        self.vocabulary.id(&self.map[self.words.clone()], word)
    }

    #[inline]
    fn float(&self, at: usize) -> f32 {
        let bytes = &self.map[at..at + 4];
        f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }

    /// Unigram `word`: its probability, back-off and the range of its bigrams.
    #[inline]
    fn unigram(&self, word: u32) -> (f32, f32, u32, u32) {
        let at = self.unigrams + word as usize * 12;
        let next = |at: usize| u32::from_le_bytes(self.map[at..at + 4].try_into().unwrap());
        (self.float(at), self.float(at + 4), next(at + 8), next(at + 20))
    }

    #[inline]
    fn table(&self, table: usize, code: u32) -> f32 {
        self.float(self.quant + (table * QUANT_ENTRIES + code as usize) * 4)
    }

    /// The bigram (`word` after `previous`): bit offset of its payload, if listed.
    #[inline]
    fn bigram(&self, begin: u32, end: u32, previous: u32) -> Option<u64> {
        self.bigrams.find(&self.map, begin, end, previous)
    }

    #[inline]
    fn bigram_backoff(&self, payload: u64) -> f32 {
        self.table(1, read_bits(&self.map[self.bigrams.start..], payload, QUANT_MASK))
    }

    #[inline]
    fn bigram_prob(&self, payload: u64) -> f32 {
        self.table(
            0,
            read_bits(&self.map[self.bigrams.start..], payload + QUANT_BITS as u64, QUANT_MASK),
        )
    }

    /// The trigrams under a bigram record: [begin, end) in the trigram level.
    #[inline]
    fn bigram_children(&self, payload: u64) -> (u32, u32) {
        let data = &self.map[self.bigrams.start..];
        let at = payload + 2 * QUANT_BITS as u64;
        let begin = read_bits(data, at, self.next_mask);
        let end = read_bits(data, at + self.bigrams.total_bits, self.next_mask);
        (begin, end)
    }

    /// Back-off weight of the history (`h2`, `h1`) as a bigram, 0 if not listed.
    fn context_backoff(&self, h1: u32, h2: u32) -> f32 {
        let (_, _, begin, end) = self.unigram(h1);
        self.bigram(begin, end, h2)
            .map_or(0.0, |payload| self.bigram_backoff(payload))
    }

    /// log P(word | h1, h2) in the model's units (base 1.0001) as a float; `h1` is the previous
    /// word. A history cut short by an unknown word is read as the words before it.
    pub fn score(&self, word: u32, h1: WordId, h2: WordId) -> f32 {
        let (prob, _, begin, end) = self.unigram(word);
        let Some(h1) = h1 else { return prob };
        let (_, h1_backoff, _, _) = self.unigram(h1);
        let Some(payload) = self.bigram(begin, end, h1) else {
            let context = h2.map_or(0.0, |h2| self.context_backoff(h1, h2));
            return prob + h1_backoff + context;
        };
        let bigram_prob = self.bigram_prob(payload);
        let Some(h2) = h2 else { return bigram_prob };
        let (begin, end) = self.bigram_children(payload);
        match self.trigrams.find(&self.map, begin, end, h2) {
            Some(at) => self.table(2, read_bits(&self.map[self.trigrams.start..], at, QUANT_MASK)),
            None => bigram_prob + self.context_backoff(h1, h2),
        }
    }

    /// `score` truncated to an integer, as pocketsphinx returns it; the last n-grams asked about
    /// are remembered, one per slot (ScoreCache, SLOT_BITS).
    #[inline]
    pub fn truncated(&self, word: u32, h1: WordId, h2: WordId) -> i32 {
        if let Some(score) = self.remembered.get(word, h1, h2) {
            return score;
        }
        let score = self.score(word, h1, h2) as i32;
        self.remembered.put(word, h1, h2, score);
        score
    }

    /// As pocketsphinx's `NGramModel.prob([word, h1, h2])`: the score truncated to an integer,
    /// None for a word the model does not know.
    pub fn prob(&self, word: &str, history: &[&str]) -> Option<i32> {
        let word = self.id(word)?;
        let h1 = history.first().and_then(|w| self.id(w));
        let h2 = if h1.is_some() {
            history.get(1).and_then(|w| self.id(w))
        } else {
            None
        };
        Some(self.truncated(word, h1, h2))
    }

    /// Bits of a bigram record's pointer to its trigrams (for tests of the layout).
    pub fn next_bits(&self) -> u32 {
        self.next_bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_bits_counts_the_highest_set_bit() {
        assert_eq!(required_bits(0), 0);
        assert_eq!(required_bits(1), 1);
        assert_eq!(required_bits(2), 2);
        assert_eq!(required_bits(255), 8);
        assert_eq!(required_bits(256), 9);
        assert_eq!(required_bits(72_547), 17);
    }

    #[test]
    fn read_bits_reads_little_endian_fields_across_bytes() {
        // 0b101 at bit 6 spans the first two bytes; 0x3ff at bit 9 the next two.
        let mut bytes = vec![0u8; 12];
        let mut value: u64 = 0;
        value |= 0b101 << 6;
        value |= 0x3ff << 9;
        bytes[..8].copy_from_slice(&value.to_le_bytes());
        assert_eq!(read_bits(&bytes, 6, mask(3)), 0b101);
        assert_eq!(read_bits(&bytes, 9, mask(10)), 0x3ff);
        assert_eq!(read_bits(&bytes, 0, mask(6)), 0);
    }

    #[test]
    fn the_score_cache_gives_back_exactly_what_was_put_and_nothing_else() {
        let cache = ScoreCache::new(72_547);
        assert_eq!(cache.get(5, Some(7), None), None);
        let keys = [
            (5, Some(7), None),
            (5, None, Some(7)),
            (7, Some(5), None),
            (72_546, Some(72_546), Some(0)),
        ];
        for (n, &(word, h1, h2)) in keys.iter().enumerate() {
            let score = -(1 << 26) + 1000 * n as i32;
            cache.put(word, h1, h2, score);
            assert_eq!(cache.get(word, h1, h2), Some(score));
        }
        cache.put(1, None, None, 0);
        assert_eq!(cache.get(1, None, None), Some(0));
        // A score is kept where its field holds it (SCORE_BITS), and never kept wrong.
        for (word, score) in [(2, i32::MIN), (3, i32::MAX), (4, -(1 << 27)), (6, (1 << 27) - 1)] {
            cache.put(word, None, None, score);
            let fits = (-SCORE_LIMIT..SCORE_LIMIT).contains(&i64::from(score));
            assert_eq!(cache.get(word, None, None), fits.then_some(score), "{score}");
        }
        // Keys that share a slot replace each other and are never taken for each other.
        let (slot, _) = ScoreCache::place(9, Some(3), Some(4));
        let (word, h1, h2) = (0..64u32)
            .flat_map(|h1| (0..72_547u32).map(move |w| (w, Some(h1), Some(4))))
            .find(|&(w, h1, h2)| (w, h1) != (9, Some(3)) && ScoreCache::place(w, h1, h2).0 == slot)
            .expect("another key in the slot");
        cache.put(9, Some(3), Some(4), -17);
        cache.put(word, h1, h2, -23);
        assert_eq!(cache.get(9, Some(3), Some(4)), None);
        assert_eq!(cache.get(word, h1, h2), Some(-23));
        assert!(
            ScoreCache::new(1 << ID_BITS).slots.is_none(),
            "a larger vocabulary remembers nothing"
        );
    }

    #[test]
    fn level_finds_a_word_among_sorted_records() {
        // Five records of a 4-bit word and 4 bits of payload: words 1, 3, 4, 9, 12.
        let level = Level::new(0, 15, 4);
        let words = [1u8, 3, 4, 9, 12];
        let bytes: Vec<u8> = words.iter().map(|&w| w | (w << 4)).chain([0u8; 8]).collect();
        for (index, &word) in words.iter().enumerate() {
            let at = level.find(&bytes, 0, 5, word as u32).expect("listed word found");
            assert_eq!(at, index as u64 * 8 + 4);
            assert_eq!(read_bits(&bytes, at, mask(4)), word as u32);
        }
        assert_eq!(level.find(&bytes, 0, 5, 5), None);
        assert_eq!(level.find(&bytes, 1, 3, 1), None, "outside the range");
        assert_eq!(level.find(&bytes, 2, 2, 4), None, "an empty range");
    }

    #[test]
    fn a_file_without_the_header_is_refused() {
        let dir = std::env::temp_dir().join(format!("untangle-core-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("not-a-model.bin");
        std::fs::write(&path, b"Darpa Trigram LM and more bytes than the header needs").unwrap();
        let error = TrigramModel::open(&path).err().expect("refused");
        assert!(error.to_string().contains("header"), "{error}");
        assert!(TrigramModel::open(&dir.join("missing.bin")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The real model, where pocketsphinx's model file is found (UNTANGLE_LM_PATH).
    fn shipped() -> Option<TrigramModel> {
        let path = std::env::var_os("UNTANGLE_LM_PATH")?;
        Some(TrigramModel::open(Path::new(&path)).expect("the shipped model opens"))
    }

    #[test]
    fn the_shipped_model_scores_like_pocketsphinx() {
        let Some(model) = shipped() else { return };
        assert_eq!(model.counts(), [72_547, 2_051_547, 1_669_625]);
        // Values pocketsphinx's NGramModel.prob returned for the same queries.
        assert_eq!(model.prob("the", &[]), Some(-31_995));
        assert!(model.prob("the", &["of"]).unwrap() > model.prob("the", &[]).unwrap());
        assert_eq!(model.prob("astatinex", &[]), None);
        let known = model.prob("conference", &["news", "a"]).unwrap();
        let odd = model.prob("league", &["quality", "a"]).unwrap();
        assert!(known > odd + 10_000, "{known} vs {odd}");
    }

    #[test]
    fn an_alias_is_read_as_its_word_and_a_known_word_keeps_its_own_entry() {
        let Some(mut model) = shipped() else { return };
        assert_eq!(model.id("1"), None);
        model.add_alias("1", "one");
        model.add_alias("the", "one");
        model.add_alias("4711", "no-such-word-in-the-model");
        assert_eq!(model.id("1"), model.id("one"));
        assert_eq!(model.prob("week", &["1", "in"]), model.prob("week", &["one", "in"]));
        assert_ne!(model.id("the"), model.id("one"));
        assert_eq!(model.id("4711"), None);
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// `cargo test --release -- --ignored --nocapture`: look-ups per second on the shipped model.
    #[test]
    #[ignore]
    fn lookups_per_second() {
        let Some(path) = std::env::var_os("UNTANGLE_LM_PATH") else {
            return;
        };
        let model = TrigramModel::open(Path::new(&path)).unwrap();
        let words: Vec<u32> = [
            "the", "of", "said", "on", "in", "bridge", "council", "would", "open", "year", "he",
        ]
        .iter()
        .filter_map(|w| model.id(w))
        .collect();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let queries: Vec<(u32, u32, u32)> = (0..1_000_000)
            .map(|_| {
                (
                    next() as u32 % model.counts()[0],
                    words[next() % words.len()],
                    words[next() % words.len()],
                )
            })
            .collect();
        let started = std::time::Instant::now();
        let mut total = 0f64;
        for &(w, h1, h2) in &queries {
            total += model.score(w, Some(h1), Some(h2)) as f64;
        }
        println!(
            "{:.0} ns per look-up ({total})",
            started.elapsed().as_nanos() as f64 / queries.len() as f64
        );
    }
}
