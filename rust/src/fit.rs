//! The per-document fit: EM over the spinner model (levels, substitution table, pick rules) and
//! which paragraphs are spun, then a joint decoding of every sentence. The Python engine's
//! `Engine._fit`, `_try_low_rate` and `_maximise`, with the same constants.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::decode::{self, Decoded, Reading};
use crate::document::{Document, KEYS};
use crate::kinds::{spun_paragraphs, Ordered, Verdict};
use crate::lattice::Scoring;
use crate::params::Params;
use crate::spinner::{logit, Levels, Table, PICK_RULE_COUNT};

/// The fitted document.
pub struct Fit {
    pub sentences: Vec<Decoded>,
    pub paragraphs: Ordered<i64, f64>,
    pub document_spun: f64,
    pub levels: Levels,
    pub table: Table,
}

fn verdict(document: &Document, decoded: &[Decoded], penalty: f64, p: &Params) -> Verdict {
    let words = document.sentences.iter().zip(decoded).flat_map(|(sentence, state)| {
        sentence
            .words
            .iter()
            .zip(&state.evidence)
            .map(move |(word, &evidence)| (sentence.paragraph, word.lower, evidence))
    });
    spun_paragraphs(words, penalty, p)
}

/// How many word types read, on average, at least a nat likelier as spun forms than as written.
fn odd_types(document: &Document, decoded: &[Decoded]) -> usize {
    let mut by_type: HashMap<u32, (f64, usize)> = HashMap::default();
    for (sentence, state) in document.sentences.iter().zip(decoded) {
        for (word, &evidence) in sentence.words.iter().zip(&state.evidence) {
            let tally = by_type.entry(word.lower).or_insert((0.0, 0));
            tally.0 += evidence;
            tally.1 += 1;
        }
    }
    by_type
        .values()
        .filter(|(sum, count)| sum / *count as f64 >= 1.0)
        .count()
}

/// ln P(spun paragraphs | these levels) against as written, uncapped: each word type's mean
/// evidence in every paragraph `paragraphs` reads as spun (P >= one half). The cap that keeps one
/// type from deciding whether a paragraph is spun clips a strong swap alike at every rate, so
/// comparing rates needs the evidence in full.
fn stretch_evidence(document: &Document, decoded: &[Decoded], paragraphs: &Ordered<i64, f64>) -> Option<f64> {
    let mut by_type: Ordered<(i64, u32), (f64, usize)> = Ordered::new();
    for (sentence, state) in document.sentences.iter().zip(decoded) {
        if paragraphs.get(&sentence.paragraph).unwrap_or(0.0) < 0.5 {
            continue;
        }
        for (word, &evidence) in sentence.words.iter().zip(&state.evidence) {
            let tally = by_type.slot((sentence.paragraph, word.lower), (0.0, 0));
            tally.0 += evidence;
            tally.1 += 1;
        }
    }
    if by_type.is_empty() {
        return None;
    }
    Some(by_type.items.iter().map(|(_, (sum, count))| sum / *count as f64).sum())
}

/// Fit the document and decode every sentence.
pub fn fit(document: &Document, scoring: &Scoring, p: &Params) -> Fit {
    let entries = &document.entries;
    let mut decoded: Vec<Decoded> = vec![Decoded::default(); document.sentences.len()];
    let mut levels = Levels::prior(1.0, p);
    let mut table = Table::new(*p);
    let mut paragraphs: Ordered<i64, f64> = Ordered::new();
    let mut document_spun = p.prior_document_spun;
    let mut throughout = p.prior_document_spun;
    let mut evidence = 0.0;
    for iteration in 0..=p.em_iterations {
        let joint = iteration == p.em_iterations;
        for (sentence, state) in document.sentences.iter().zip(decoded.iter_mut()) {
            if iteration > 0 && paragraphs.get(&sentence.paragraph).unwrap_or(1.0) < p.negligible {
                continue;
            }
            decode::decode(sentence, state, entries, &levels, &mut table, scoring, joint);
        }
        if !joint {
            let penalty = if levels.scale != 1.0 { p.low_rate_penalty } else { 0.0 };
            let found = verdict(document, &decoded, penalty, p);
            (document_spun, paragraphs, throughout, evidence) =
                (found.document, found.paragraphs, found.throughout, found.evidence);
        }
        if iteration == 0 && throughout < 0.5 && odd_types(document, &decoded) >= p.low_rate_min_odd_types {
            let low = Levels::prior(p.low_rate_scale, p);
            let usual_stretches = stretch_evidence(document, &decoded, &paragraphs);
            let kept: Vec<_> = decoded
                .iter()
                .map(|s| (s.posteriors.clone(), s.evidence.clone()))
                .collect();
            for (sentence, state) in document.sentences.iter().zip(decoded.iter_mut()) {
                decode::decode(sentence, state, entries, &low, &mut table, scoring, false);
            }
            let found = verdict(document, &decoded, p.low_rate_penalty, p);
            // Paragraphs the usual levels find spun are a spinner's run: the low rate must
            // explain them at least as well, or it is no reading of them.
            let low_stretches = stretch_evidence(document, &decoded, &paragraphs);
            let stretches_refuse = matches!((usual_stretches, low_stretches), (Some(u), Some(l)) if u >= l);
            if found.evidence > evidence && !stretches_refuse {
                (levels, document_spun, paragraphs) = (low, found.document, found.paragraphs);
            } else {
                for (state, (posteriors, evidence)) in decoded.iter_mut().zip(kept) {
                    state.posteriors = posteriors;
                    state.evidence = evidence;
                }
                levels = Levels::prior(1.0, p);
            }
        }
        if paragraphs.items.iter().map(|(_, p)| *p).fold(0.0, f64::max) < p.negligible {
            break;
        }
        if !joint {
            (levels, table) = maximise(document, &mut decoded, &paragraphs, &table, levels.scale, p);
        }
    }
    Fit {
        sentences: decoded,
        paragraphs,
        document_spun,
        levels,
        table,
    }
}

/// M-step: levels, the substitution table and the pick rules from expected counts.
fn maximise(
    document: &Document,
    decoded: &mut [Decoded],
    paragraphs: &Ordered<i64, f64>,
    previous: &Table,
    scale: f64,
    p: &Params,
) -> (Levels, Table) {
    let entries = &document.entries;
    let mut rule_counts = [0.0; PICK_RULE_COUNT];
    let mut swaps = 0.0;
    let mut swapped = [0.0; KEYS];
    let mut seen = [0.0; KEYS];
    let mut table = Table::new(*p);
    for (sentence, state) in document.sentences.iter().zip(decoded.iter_mut()) {
        let weight = paragraphs.get(&sentence.paragraph).unwrap_or(0.0);
        if weight < p.negligible {
            continue;
        }
        let words = &sentence.words;
        let mut keep_share = vec![1.0; words.len()];
        let mut own_phrase: HashSet<usize> = HashSet::default();
        for &(arc, probability) in &state.posteriors {
            let entry_index = match arc.reading {
                Reading::Written => continue,
                Reading::Swap(entry) => Some(entry),
                Reading::Unlisted(_) => None,
            };
            let emitted = decode::emitted(sentence, entries, &arc);
            for position in arc.start..arc.end {
                keep_share[position] -= probability;
                if arc.end - arc.start > 1 && emitted.contains(&words[position].token) {
                    own_phrase.insert(position);
                }
            }
            if let Some(index) = entry_index {
                let entry = &entries[index];
                *table.pair_counts.entry((entry.original, entry.spun)).or_insert(0.0) += weight * probability;
                swaps += weight * probability;
                for (k, share) in previous.responsibilities(entry).iter().enumerate() {
                    rule_counts[k] += weight * probability * share;
                }
                let clipped = probability.clamp(1e-6, 1.0 - 1e-6);
                let forms = table.support.entry(entry.original).or_default();
                let say = weight * logit(clipped).max(0.0);
                match forms.iter_mut().find(|(form, _)| *form == entry.spun) {
                    Some((_, value)) => *value += say,
                    None => forms.push((entry.spun, say)),
                }
                *table.original_counts.entry(entry.original).or_insert(0.0) += weight * probability;
            }
            swapped[arc.key] += weight * probability;
            seen[arc.key] += weight * probability;
        }
        let choices = state.choices.as_ref().expect("decoded before the M-step");
        state.weight = weight;
        state.spun_share = vec![0.0; words.len()];
        for (position, word) in words.iter().enumerate() {
            let share = keep_share[position].max(0.0);
            if !choices[position].is_empty() {
                let own = weight * (1.0 - share);
                state.spun_share[position] = own;
                let tally = table.written_spun.entry((word.lower, word.class)).or_insert((0.0, 0.0));
                tally.0 += own;
                tally.1 += weight;
            }
            if word.class == crate::document::BARE {
                table.spun_words += weight;
            }
            if let Some(key) = word.written_key {
                seen[key] += weight * share;
                if word.class == crate::document::BARE && !own_phrase.contains(&position) {
                    *table.kept_as_written.entry(word.lower).or_insert(0.0) += weight * share;
                }
            }
        }
    }
    for (rule, count) in table.rules.iter_mut().zip(rule_counts) {
        *rule = (count + p.pick_pseudo_count * p.pick_start) / (swaps + p.pick_pseudo_count);
    }
    (Levels::estimate(&swapped, &seen, scale, p), table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Candidate, Entry, Sentence, Word, BANDS, KEY_BARE};
    use crate::lattice::Token;
    use crate::trigram::TrigramModel;

    /// "helium said successful the meeting" with the table's "helium" <- "he" and "successful" <-
    /// "in", read by the shipped model (where UNTANGLE_LM_PATH names it).
    #[test]
    fn a_spun_sentence_is_fitted_and_its_swaps_found() {
        let Some(path) = std::env::var_os("UNTANGLE_LM_PATH") else {
            return;
        };
        let model = TrigramModel::open(std::path::Path::new(&path)).unwrap();
        let id = |w: &str| Token::Known(model.id(w).unwrap());
        let key = KEY_BARE * BANDS + 4;
        let entries = vec![
            Entry {
                original: 10,
                spun: 0,
                words: vec![id("he")],
                prior: 0.5,
                picks: 1,
                original_zipf: 6.5,
                headword: true,
            },
            Entry {
                original: 11,
                spun: 1,
                words: vec![id("in")],
                prior: 0.5,
                picks: 1,
                original_zipf: 6.5,
                headword: true,
            },
        ];
        let word = |w: &str, lower: u32, candidates: Vec<Candidate>| Word {
            token: id(w),
            lower,
            class: crate::document::BARE,
            written_key: None,
            unknown_key: key,
            candidates,
        };
        let words = vec![
            word(
                "helium",
                0,
                vec![Candidate {
                    length: 1,
                    entry: 0,
                    key,
                }],
            ),
            word("said", 2, vec![]),
            word(
                "successful",
                1,
                vec![Candidate {
                    length: 1,
                    entry: 1,
                    key,
                }],
            ),
            word("the", 3, vec![]),
            word("meeting", 4, vec![]),
        ];
        let document = Document {
            sentences: vec![Sentence { paragraph: 0, words }],
            entries,
        };
        let p = Params::default();
        let unknown = [];
        let start = model.id("<s>").unwrap();
        let end = model.id("</s>").unwrap();
        let scoring = Scoring::new(&model, p.context_weight, &unknown, start, end);
        let fitted = fit(&document, &scoring, &p);
        assert!(fitted.document_spun > 0.5, "{}", fitted.document_spun);
        let swaps: Vec<(usize, f64)> = fitted.sentences[0]
            .posteriors
            .iter()
            .filter_map(|(arc, p)| match arc.reading {
                Reading::Swap(_) => Some((arc.start, *p)),
                _ => None,
            })
            .collect();
        for position in [0, 2] {
            let best = swaps
                .iter()
                .filter(|(at, _)| *at == position)
                .map(|(_, p)| *p)
                .fold(0.0, f64::max);
            assert!(best > 0.7, "position {position}: {swaps:?}");
        }
    }
}
