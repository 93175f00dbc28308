//! Candidates and decoding: which originals each position offers (ranked once by the trigram
//! model between the written neighbours), the lattice of readings under the current spinner
//! model, and its posteriors, position by position (cheap, for EM) or jointly (the last pass).

use rustc_hash::FxHashMap as HashMap;

use crate::document::{Entry, Key, Sentence};
use crate::lattice::{self, Scoring, Token};
use crate::params::Params;
use crate::spinner::{Levels, Table};

/// A preselected candidate: its context gain over the written word, span and level key.
#[derive(Clone, Copy, Debug)]
pub struct Choice {
    pub gain: f64,
    pub length: usize,
    pub entry: usize,
    pub key: Key,
}

/// What an arc reads: the word as written, a listed original, or "spun from an unlisted
/// original" (which reads like the best listed candidate, `entry`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    Written,
    Swap(usize),
    Unlisted(usize),
}

#[derive(Clone, Copy, Debug)]
pub struct Arc {
    pub start: usize,
    pub end: usize,
    pub reading: Reading,
    pub emission: f64,
    pub key: Key,
}

/// A sentence's state across the fit.
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    pub choices: Option<Vec<Vec<Choice>>>,
    /// The last decoding: arcs and their posteriors given that the paragraph is spun.
    pub posteriors: Vec<(Arc, f64)>,
    /// Per position: ln P(spun readings) / P(as written), from the last cheap pass.
    pub evidence: Vec<f64>,
    /// Per position: weighted P(read as a spun form) in the last fit (empty before one).
    pub spun_share: Vec<f64>,
    pub weight: f64,
}

/// ln P of `middle` after `left` (most recent first), followed by the likeliest right context.
pub(crate) fn best_window<R: AsRef<[Token]>>(
    scoring: &Scoring,
    start: Token,
    left: &[Token],
    middle: &[Token],
    rights: &[R],
) -> f64 {
    let mut state: (Token, Option<Token>) = match left {
        [] => (start, None),
        [one] => (*one, None),
        [recent, before, ..] => (*recent, Some(*before)),
    };
    let mut total = 0.0;
    for &word in middle {
        total += scoring.logprob(word, state);
        state = (word, Some(state.0));
    }
    let mut best = f64::NEG_INFINITY;
    for right in rights {
        let (mut after, mut here) = (0.0, state);
        for &word in right.as_ref() {
            after += scoring.logprob(word, here);
            here = (word, Some(here.0));
        }
        if after > best {
            best = after;
        }
    }
    total + best
}

/// The written right neighbours of `start`, and readings where the next word is restored.
fn right_contexts(sentence: &Sentence, entries: &[Entry], start: usize, p: &Params) -> Vec<Vec<Token>> {
    let words = &sentence.words;
    let next = |from: usize, to: usize| -> Vec<Token> {
        words[from.min(words.len())..to.min(words.len())]
            .iter()
            .map(|w| w.token)
            .collect()
    };
    let mut contexts = vec![next(start, start + 2)];
    if start < words.len() {
        for candidate in words[start]
            .candidates
            .iter()
            .take(p.reverse_preselect)
            .take(p.right_alternatives)
        {
            if candidate.length == 1 {
                let mut context = entries[candidate.entry].words.clone();
                context.extend(next(start + 1, start + 2));
                contexts.push(context);
            }
        }
    }
    contexts
}

/// Per position, the candidates worth decoding with their context gain (computed once).
pub fn preselect(sentence: &Sentence, entries: &[Entry], scoring: &Scoring, p: &Params) -> Vec<Vec<Choice>> {
    let words = &sentence.words;
    let lowered: Vec<Token> = words.iter().map(|w| w.token).collect();
    let mut choices = Vec::with_capacity(words.len());
    for (position, word) in words.iter().enumerate() {
        let left: Vec<Token> = lowered[position.saturating_sub(2)..position]
            .iter()
            .rev()
            .copied()
            .collect();
        let mut written: HashMap<usize, (f64, Vec<Vec<Token>>)> = HashMap::default();
        let mut here: Vec<(f64, Choice)> = Vec::new();
        for candidate in word.candidates.iter().take(p.reverse_preselect) {
            let length = candidate.length;
            let (written_fit, rights) = written.entry(length).or_insert_with(|| {
                let rights = right_contexts(sentence, entries, position + length, p);
                let middle = &lowered[position..(position + length).min(lowered.len())];
                (
                    best_window(scoring, scoring.start_token(), &left, middle, &rights),
                    rights,
                )
            });
            let entry = &entries[candidate.entry];
            let fit = best_window(scoring, scoring.start_token(), &left, &entry.words, rights);
            let gain = fit - *written_fit;
            here.push((
                -(gain + entry.prior.ln()),
                Choice {
                    gain,
                    length,
                    entry: candidate.entry,
                    key: candidate.key,
                },
            ));
        }
        here.sort_by(|a, b| a.0.total_cmp(&b.0));
        choices.push(here.into_iter().take(p.preselect).map(|(_, choice)| choice).collect());
    }
    choices
}

/// The lattice of a sentence: per position the written word, the best candidates and
/// "unlisted original"; with each arc's context gain, for the position-by-position pass.
pub fn arcs(
    sentence: &Sentence,
    state: &Decoded,
    entries: &[Entry],
    levels: &Levels,
    table: &mut Table,
    joint: bool,
) -> Vec<Vec<(Arc, f64)>> {
    let choices = state.choices.as_ref().expect("preselected before decoding");
    let mut previous: HashMap<(usize, usize), f64> = HashMap::default();
    for (arc, p) in &state.posteriors {
        if let Reading::Swap(entry) = arc.reading {
            previous.insert((arc.start, entry), *p);
        }
    }
    let mut lattice = Vec::with_capacity(sentence.words.len());
    for (position, word) in sentence.words.iter().enumerate() {
        let options = &choices[position];
        let mut stay_p = word
            .written_key
            .map_or(1.0, |key| table.stays(word.lower, levels.at(key)));
        if !options.is_empty() && !state.spun_share.is_empty() {
            stay_p = table.written_stays(word.lower, word.class, stay_p, state.spun_share[position], state.weight);
        }
        let stay = stay_p.max(1e-9).ln();
        let keep = Arc {
            start: position,
            end: position + 1,
            reading: Reading::Written,
            emission: stay,
            key: 0,
        };
        if options.is_empty() {
            lattice.push(vec![(keep, 0.0)]);
            continue;
        }
        let mut scored: Vec<(f64, f64, f64, Choice)> = options
            .iter()
            .map(|choice| {
                let level = levels.at(choice.key);
                let own = previous.get(&(position, choice.entry)).copied().unwrap_or(0.0);
                let emission = table.log_emission(choice.entry, &entries[choice.entry], level, own);
                (choice.gain + emission, emission, level, *choice)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut kept: Vec<(Arc, f64, f64)> = Vec::new();
        for &(score, emission, level, choice) in scored.iter().take(table.p.max_candidates) {
            if score - stay <= table.p.hopeless {
                break;
            }
            let arc = Arc {
                start: position,
                end: position + choice.length,
                reading: Reading::Swap(choice.entry),
                emission,
                key: choice.key,
            };
            kept.push((arc, choice.gain, level));
        }
        if joint {
            kept.retain(|(arc, _, _)| match arc.reading {
                Reading::Swap(entry) => previous.get(&(position, entry)).copied().unwrap_or(1.0) >= table.p.joint_floor,
                _ => true,
            });
        }
        let mut here = vec![(keep, 0.0)];
        here.extend(kept.iter().map(|(arc, gain, _)| (*arc, *gain)));
        if let Some(&(best, gain, spin)) = kept.first() {
            let Reading::Swap(entry) = best.reading else {
                unreachable!()
            };
            let unlisted = Arc {
                start: best.start,
                end: best.end,
                reading: Reading::Unlisted(entry),
                emission: (spin * table.p.unknown_origin_share).ln(),
                key: sentence.words[position].unknown_key,
            };
            here.push((unlisted, gain));
        }
        lattice.push(here);
    }
    lattice
}

/// The words an arc emits.
pub fn emitted(sentence: &Sentence, entries: &[Entry], arc: &Arc) -> Vec<Token> {
    match arc.reading {
        Reading::Written => vec![sentence.words[arc.start].token],
        Reading::Swap(entry) | Reading::Unlisted(entry) => entries[entry].words.clone(),
    }
}

/// Posteriors of the sentence's readings given that its paragraph is spun: jointly over the
/// lattice, or position by position (which also sets the per-word evidence).
pub fn decode(
    sentence: &Sentence,
    state: &mut Decoded,
    entries: &[Entry],
    levels: &Levels,
    table: &mut Table,
    scoring: &Scoring,
    joint: bool,
) {
    if state.choices.is_none() {
        state.choices = Some(preselect(sentence, entries, scoring, &table.p));
    }
    let lattice = arcs(sentence, state, entries, levels, table, joint);
    let mut posteriors = Vec::new();
    if joint && lattice.iter().all(|arcs| arcs.len() == 1) {
        // One path, every word as written: each arc is certain, and the model need not be asked.
        state.posteriors = lattice.iter().map(|arcs| (arcs[0].0, 1.0)).collect();
        return;
    }
    if joint {
        let arcs_from: Vec<Vec<lattice::Arc>> = lattice
            .iter()
            .map(|arcs| {
                arcs.iter()
                    .map(|(arc, _)| lattice::Arc {
                        end: arc.end,
                        words: emitted(sentence, entries, arc),
                        emission: arc.emission,
                    })
                    .collect()
            })
            .collect();
        let (flat, _) = lattice::arc_posteriors(&arcs_from, scoring);
        let mut shares = flat.into_iter();
        for arcs in &lattice {
            for (arc, _) in arcs {
                let share = shares.next().expect("one posterior per arc");
                if !share.is_nan() {
                    posteriors.push((*arc, share));
                }
            }
        }
        state.posteriors = posteriors;
        return;
    }
    let mut evidence = Vec::with_capacity(lattice.len());
    for arcs in &lattice {
        if arcs.len() == 1 {
            evidence.push(arcs[0].0.emission);
            posteriors.push((arcs[0].0, 1.0));
            continue;
        }
        let logits: Vec<f64> = arcs.iter().map(|(arc, gain)| gain + arc.emission).collect();
        let top = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let norm = top + logits.iter().map(|logit| (logit - top).exp()).sum::<f64>().ln();
        evidence.push(norm);
        for ((arc, _), logit) in arcs.iter().zip(&logits) {
            posteriors.push((*arc, (logit - norm).exp()));
        }
    }
    state.posteriors = posteriors;
    state.evidence = evidence;
}
