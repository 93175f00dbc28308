//! What a document says about its spinner: spin levels per word class and band, and the
//! substitution table (which words it replaces, with what, by which pick rule). The Python
//! engine's `_SpinLevels` and `_SubstitutionTable`, with the same constants.

use rustc_hash::FxHashMap as HashMap;

use crate::document::{key_band, key_class, Entry, Key, BANDS, KEYS, KEY_BARE};
use crate::params::Params;

pub const PICK_RULE_COUNT: usize = 4;
const OTHER_RULES: u32 = 0b11110;

pub fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let z = x.exp();
        z / (1.0 + z)
    }
}

/// P(the spinner replaces a word): its class's level moved by the text's evidence (in nats).
pub fn replacement(level: f64, evidence: f64, max_spin: f64) -> f64 {
    sigmoid(logit(level) + evidence).clamp(1e-9, max_spin)
}

/// Whether only pick rules other than the table's own choose the entry's form first.
pub fn other_pick(entry: &Entry) -> bool {
    entry.picks & OTHER_RULES != 0 && entry.picks & 1 == 0
}

/// P(a word is spun | its paragraph is spun), per level key.
#[derive(Clone, Debug)]
pub struct Levels {
    pub levels: [f64; KEYS],
    pub scale: f64,
}

impl Levels {
    fn bounded(key: Key, level: f64, scale: f64, p: &Params) -> f64 {
        let mut level = level;
        if key_class(key) == KEY_BARE && key_band(key) >= p.min_spun_band {
            level = level.max(p.min_spun_level * scale);
        }
        level.min(p.max_spin)
    }

    /// The prior levels at `scale` (1: the usual spinner; 0.2: a low-rate one).
    pub fn prior(scale: f64, p: &Params) -> Self {
        let mut levels = [0.0; KEYS];
        for (key, level) in levels.iter_mut().enumerate() {
            *level = Self::bounded(key, p.prior_spin_by_class[key / BANDS] * scale, scale, p);
        }
        Levels { levels, scale }
    }

    /// Levels from expected counts of swapped and seen words per key, each held by the prior.
    pub fn estimate(swapped: &[f64; KEYS], seen: &[f64; KEYS], scale: f64, p: &Params) -> Self {
        let mut levels = [0.0; KEYS];
        for key in 0..KEYS {
            let prior = p.prior_spin_by_class[key / BANDS] * scale;
            let level = (swapped[key] + p.prior_spin_weight * prior) / (seen[key] + p.prior_spin_weight);
            levels[key] = Self::bounded(key, level, scale, p);
        }
        Levels { levels, scale }
    }

    #[inline]
    pub fn at(&self, key: Key) -> f64 {
        self.levels[key]
    }
}

/// The document's substitution table; see the Python engine's `_SubstitutionTable` for the model.
#[derive(Clone, Debug)]
pub struct Table {
    pub p: Params,
    pub rules: [f64; PICK_RULE_COUNT],
    pub pair_counts: HashMap<(u32, u32), f64>,
    pub original_counts: HashMap<u32, f64>,
    pub kept_as_written: HashMap<u32, f64>,
    pub spun_words: f64,
    /// original -> (spun form, summed log-odds of its swaps), in the order first seen
    pub support: HashMap<u32, Vec<(u32, f64)>>,
    /// (written word, segmenter class) -> (expected spun occurrences, occurrences)
    pub written_spun: HashMap<(u32, u8), (f64, f64)>,
    fixed: HashMap<usize, (f64, f64, f64, f64)>,
    evidence: HashMap<u32, f64>,
    log_replaced: HashMap<(u32, u64), f64>,
}

impl Table {
    pub fn new(p: Params) -> Self {
        Table {
            p,
            rules: [p.pick_start; PICK_RULE_COUNT],
            pair_counts: HashMap::default(),
            original_counts: HashMap::default(),
            kept_as_written: HashMap::default(),
            spun_words: 0.0,
            support: HashMap::default(),
            written_spun: HashMap::default(),
            fixed: HashMap::default(),
            evidence: HashMap::default(),
            log_replaced: HashMap::default(),
        }
    }

    /// The prior weight of the entry's form given this spinner's pick rules.
    pub fn prior(&self, entry: &Entry) -> f64 {
        if !other_pick(entry) {
            return entry.prior;
        }
        let mut prior = entry.prior;
        for (k, theta) in self.rules.iter().enumerate() {
            if entry.picks >> (k + 1) & 1 == 1 {
                prior += theta;
            }
        }
        prior
    }

    /// For a swap by `entry`, the posterior share of each other pick rule (the E-step).
    pub fn responsibilities(&self, entry: &Entry) -> [f64; PICK_RULE_COUNT] {
        let mut shares = [0.0; PICK_RULE_COUNT];
        if !other_pick(entry) {
            return shares;
        }
        let total = self.prior(entry);
        for (k, theta) in self.rules.iter().enumerate() {
            if entry.picks >> (k + 1) & 1 == 1 {
                shares[k] = theta / total;
            }
        }
        shares
    }

    fn exclusive(&self, entry: &Entry) -> f64 {
        let Some(forms) = self.support.get(&entry.original) else {
            return 1.0;
        };
        if forms.len() < 2 {
            return 1.0;
        }
        let own = forms
            .iter()
            .find(|(form, _)| *form == entry.spun)
            .map_or(0.0, |(_, value)| *value);
        let rivals: f64 = forms
            .iter()
            .filter(|(form, _)| *form != entry.spun)
            .map(|(_, value)| (value - own).min(50.0).exp())
            .sum();
        if rivals > 1.0 {
            1.0 / (1.0 + rivals)
        } else {
            1.0
        }
    }

    fn replaced(&mut self, entry: &Entry, level: f64) -> f64 {
        let evidence = match self.evidence.get(&entry.original) {
            Some(&value) => value,
            None => {
                let expected = self.spun_words * 10f64.powf(entry.original_zipf - 9.0) * self.p.burstiness;
                let kept = self.kept_as_written.get(&entry.original).copied().unwrap_or(0.0);
                let value = (kept * self.p.leak.ln()).max(-self.p.max_word_evidence) + expected * (1.0 - self.p.leak);
                self.evidence.insert(entry.original, value);
                value
            }
        };
        replacement(level, evidence, self.p.max_spin)
    }

    /// ln(P(the spinner replaces the original) * pi(original -> spun)), this occurrence's own
    /// previous posterior `own_share` left out of the pooled counts.
    pub fn log_emission(&mut self, index: usize, entry: &Entry, level: f64, own_share: f64) -> f64 {
        let fixed = match self.fixed.get(&index) {
            Some(&fixed) => fixed,
            None => {
                let fixed = (
                    self.pair_counts
                        .get(&(entry.original, entry.spun))
                        .copied()
                        .unwrap_or(0.0),
                    self.original_counts.get(&entry.original).copied().unwrap_or(0.0),
                    self.p.pi_pseudo_count * self.prior(entry),
                    self.exclusive(entry).ln(),
                );
                self.fixed.insert(index, fixed);
                fixed
            }
        };
        let (mut pair, mut total, pseudo, log_exclusive) = fixed;
        let replaced = match self.log_replaced.get(&(entry.original, level.to_bits())) {
            Some(&value) => value,
            None => {
                let value = self.replaced(entry, level).ln();
                self.log_replaced.insert((entry.original, level.to_bits()), value);
                value
            }
        };
        if own_share != 0.0 {
            pair = (pair - own_share).max(0.0);
            total = (total - own_share).max(0.0);
        }
        replaced + ((pair + pseudo) / (total + self.p.pi_pseudo_count)).ln() + log_exclusive
    }

    /// P(the spinner leaves `word` as written), given its class's level.
    pub fn stays(&self, word: u32, level: f64) -> f64 {
        let restored = self.original_counts.get(&word).copied().unwrap_or(0.0);
        if restored <= 0.0 {
            return 1.0 - level;
        }
        let evidence = (restored * -self.p.leak.ln()).min(self.p.max_word_evidence);
        1.0 - replacement(level, evidence, self.p.max_spin)
    }

    /// P(the word as written is the author's), pooled over its type's other occurrences.
    pub fn written_stays(&self, word: u32, class: u8, stay: f64, own_spun: f64, own_weight: f64) -> f64 {
        let Some(&(spun, seen)) = self.written_spun.get(&(word, class)) else {
            return stay;
        };
        let spun = (spun - own_spun).max(0.0);
        let seen = (seen - own_weight).max(0.0);
        let pseudo = self.p.written_pseudo_count;
        1.0 - (spun + pseudo * (1.0 - stay)) / (seen + pseudo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::Token;

    fn entry(original: u32, spun: u32, prior: f64, picks: u32) -> Entry {
        Entry {
            original,
            spun,
            words: vec![Token::Known(original)],
            prior,
            picks,
            original_zipf: 6.0,
            headword: true,
        }
    }

    #[test]
    fn common_bare_words_keep_the_floor_level_and_rare_classes_start_low() {
        let p = Params::default();
        let levels = Levels::prior(1.0, &p);
        assert_eq!(levels.at(KEY_BARE * BANDS + 4), 0.3);
        let low = Levels::prior(0.2, &p);
        assert!(
            (low.at(KEY_BARE * BANDS + 4) - 0.06).abs() < 1e-12,
            "the prior scaled, above the scaled floor"
        );
        let mut swapped = [0.0; KEYS];
        let seen = [100.0; KEYS];
        swapped[3] = 1.0; // one swap in a hundred common bare words: held at the floor
        assert_eq!(Levels::estimate(&swapped, &seen, 1.0, &p).at(3), 0.2);
        assert!(
            Levels::estimate(&swapped, &seen, 1.0, &p).at(BANDS) < 0.05,
            "inflected words pooled low"
        );
    }

    #[test]
    fn a_rival_form_with_far_stronger_support_takes_the_original() {
        let mut table = Table::new(Params::default());
        table.support.insert(7, vec![(1, 9.0), (2, 0.0)]);
        let strong = table.log_emission(0, &entry(7, 1, 0.5, 1), 0.3, 0.0);
        let weak = table.log_emission(1, &entry(7, 2, 0.5, 1), 0.3, 0.0);
        assert!(strong - weak > 5.0, "{strong} vs {weak}");
    }

    #[test]
    fn a_word_restored_elsewhere_is_unlikely_to_stand_as_written() {
        let mut table = Table::new(Params::default());
        assert!((table.stays(5, 0.3) - 0.7).abs() < 1e-12);
        table.original_counts.insert(5, 2.0);
        assert!(
            table.stays(5, 0.3) < 0.15,
            "capped at MAX_WORD_EVIDENCE nats: 0.7 -> about 0.1"
        );
    }

    #[test]
    fn other_pick_rules_add_their_share_to_the_prior() {
        let mut table = Table::new(Params::default());
        table.rules = [0.5, 0.0, 0.0, 0.25];
        let nouns_first = entry(1, 2, 0.01, 0b10);
        assert!((table.prior(&nouns_first) - 0.51).abs() < 1e-12);
        assert_eq!(table.responsibilities(&nouns_first)[0], 0.5 / 0.51);
        let thesaurus_pick = entry(1, 4, 0.01, 0b10000);
        assert!((table.prior(&thesaurus_pick) - 0.26).abs() < 1e-12);
        assert_eq!(table.responsibilities(&thesaurus_pick)[3], 0.25 / 0.26);
        let own_rule = entry(1, 3, 0.01, 0b11111);
        assert_eq!(table.prior(&own_rule), 0.01);
        assert_eq!(table.responsibilities(&own_rule), [0.0; PICK_RULE_COUNT]);
    }
}
