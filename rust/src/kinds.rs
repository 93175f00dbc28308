//! Which paragraphs are spun: Bayes factors of spun vs as written per paragraph, mixed over the
//! kinds of document (clean, a partly spun page, spun throughout). The Python engine's
//! `_spun_paragraphs` and `_document_kinds`; docs/design.md has the model.

use rustc_hash::FxHashMap as HashMap;
use std::hash::Hash;

use crate::params::Params;
use crate::spinner::{logit, sigmoid};

/// A map that remembers the order keys first arrived in (sums then run in the Python order).
#[derive(Clone, Debug)]
pub struct Ordered<K, V> {
    pub items: Vec<(K, V)>,
    index: HashMap<K, usize>,
}

impl<K: Copy + Eq + Hash, V: Copy> Ordered<K, V> {
    pub fn new() -> Self {
        Ordered {
            items: Vec::new(),
            index: HashMap::default(),
        }
    }

    pub fn slot(&mut self, key: K, default: V) -> &mut V {
        let at = *self.index.entry(key).or_insert_with(|| {
            self.items.push((key, default));
            self.items.len() - 1
        });
        &mut self.items[at].1
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.index.get(key).map(|&at| self.items[at].1)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<K: Copy + Eq + Hash, V: Copy> Default for Ordered<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

/// ln(share * e^factor + 1 - share): a paragraph's evidence under a kind with this spun share.
pub fn log_mix(share: f64, factor: f64) -> f64 {
    if factor > 0.0 {
        factor + (share + (1.0 - share) * (-factor).exp()).ln()
    } else {
        (share * factor.exp() + 1.0 - share).ln()
    }
}

/// The verdict on a document: P(spun in part or whole), P(paragraph spun), P(spun throughout)
/// and ln P(text | this reading) against the text as written.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub document: f64,
    pub paragraphs: Ordered<i64, f64>,
    pub throughout: f64,
    pub evidence: f64,
}

/// The verdict from each word's evidence: `words` yields (paragraph, word type, evidence).
pub fn spun_paragraphs(words: impl Iterator<Item = (i64, u32, f64)>, penalty: f64, p: &Params) -> Verdict {
    let mut by_type: Ordered<(i64, u32), (f64, usize)> = Ordered::new();
    for (paragraph, word, evidence) in words {
        let tally = by_type.slot((paragraph, word), (0.0, 0));
        tally.0 += evidence;
        tally.1 += 1;
    }
    let mut log_factor: Ordered<i64, f64> = Ordered::new();
    for &((paragraph, _), (evidence, count)) in &by_type.items {
        *log_factor.slot(paragraph, 0.0) += (evidence / count as f64).min(p.max_word_evidence);
    }
    if log_factor.len() > 1 {
        let mut paragraphs_of: HashMap<u32, usize> = HashMap::default();
        for &((_, word), _) in &by_type.items {
            *paragraphs_of.entry(word).or_insert(0) += 1;
        }
        let mut shared: Ordered<i64, f64> = Ordered::new();
        for &((paragraph, word), (evidence, count)) in &by_type.items {
            let say = (evidence / count as f64).min(p.max_word_evidence);
            *shared.slot(paragraph, 0.0) += if say > 0.0 {
                say / paragraphs_of[&word] as f64
            } else {
                say
            };
        }
        return document_kinds(&log_factor, &shared, penalty, p);
    }
    let total: f64 = log_factor.items.iter().map(|(_, f)| f).sum::<f64>() - penalty;
    let document = sigmoid(total + logit(p.prior_document_spun));
    let (clean_share, spun_share) = (p.document_kinds[0].1, p.document_kinds[2].1);
    let prior = document * spun_share + (1.0 - document) * clean_share;
    let mut paragraphs = Ordered::new();
    for &(paragraph, factor) in &log_factor.items {
        *paragraphs.slot(paragraph, 0.0) = sigmoid(factor + logit(prior));
    }
    Verdict {
        document,
        paragraphs,
        throughout: document,
        evidence: log_mix(p.prior_document_spun, total),
    }
}

fn document_kinds(
    log_factor: &Ordered<i64, f64>,
    shared: &Ordered<i64, f64>,
    low_rate_penalty: f64,
    p: &Params,
) -> Verdict {
    let low_rate = low_rate_penalty > 0.0;
    let chosen_by: [&Ordered<i64, f64>; 3] = if low_rate {
        [shared; 3]
    } else {
        [shared, shared, log_factor]
    };
    let joint: Vec<f64> = p
        .document_kinds
        .iter()
        .zip(chosen_by)
        .map(|(&(prior, share), factors)| {
            prior.ln()
                + factors
                    .items
                    .iter()
                    .map(|&(_, factor)| log_mix(share, factor))
                    .sum::<f64>()
        })
        .collect();
    let factors: [&Ordered<i64, f64>; 3] = if low_rate {
        [shared, log_factor, log_factor]
    } else {
        [shared, shared, log_factor]
    };
    let top = joint.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = joint.iter().map(|value| (value - top).exp()).collect();
    let norm: f64 = weights.iter().sum();
    let posterior: Vec<f64> = weights.iter().map(|weight| weight / norm).collect();
    let mut evidence = top + norm.ln();
    if low_rate {
        let spun_kinds = weights[1..].iter().sum::<f64>().ln() + top - low_rate_penalty;
        evidence = joint[0].max(spun_kinds) + (-(joint[0] - spun_kinds).abs()).exp().ln_1p();
    }
    let mut paragraphs = Ordered::new();
    let mut most = 0.0f64;
    for &(paragraph, _) in &log_factor.items {
        let mut spun = 0.0;
        for ((kind, &(_, share)), kind_factors) in posterior.iter().zip(&p.document_kinds).zip(factors) {
            spun += kind * sigmoid(kind_factors.get(&paragraph).unwrap_or(0.0) + logit(share));
        }
        *paragraphs.slot(paragraph, 0.0) = spun;
        most = most.max(spun);
    }
    Verdict {
        document: (1.0 - posterior[0]).max(most),
        paragraphs,
        throughout: posterior[2],
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_mix_is_the_log_of_the_mixture() {
        for &(share, factor) in &[(0.3, 2.0), (0.3, -4.0), (0.95, 0.0), (0.002, 30.0)] {
            let direct = ((share * f64::exp(factor)) + 1.0 - share).ln();
            assert!((log_mix(share, factor) - direct).abs() < 1e-9);
        }
    }

    #[test]
    fn one_spun_paragraph_among_clean_ones_is_found_and_the_others_stay_clean() {
        // Paragraph 1's words read strongly as spun forms; paragraphs 0, 2 and 3 as written.
        let mut words = Vec::new();
        for paragraph in [0i64, 2, 3] {
            for word in 0..20u32 {
                words.push((paragraph, 100 + word, -0.2));
            }
        }
        for word in 0..8u32 {
            words.push((1, word, 2.5));
        }
        let verdict = spun_paragraphs(words.into_iter(), 0.0, &Params::default());
        assert!(verdict.paragraphs.get(&1).unwrap() > 0.9);
        for paragraph in [0, 2, 3] {
            assert!(verdict.paragraphs.get(&paragraph).unwrap() < 0.01);
        }
        assert!(verdict.throughout < 0.5);
    }

    #[test]
    fn a_single_paragraph_is_as_spun_as_the_document() {
        let verdict = spun_paragraphs(
            [(0i64, 1u32, 3.0), (0, 2, 3.0), (0, 3, 3.0)].into_iter(),
            0.0,
            &Params::default(),
        );
        assert!(verdict.document > 0.9 && verdict.paragraphs.get(&0).unwrap() > 0.9);
        let clean = spun_paragraphs([(0i64, 1u32, -1.0), (0, 2, -1.0)].into_iter(), 0.0, &Params::default());
        assert!(clean.document < 0.05);
    }
}
