//! `untangle._core.Screen`: the screen's reading of a document in the core (untangle.screen
//! keeps the spun forms' strengths; the core asks for a word type's forms once and keeps them).

use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::family::TextReader;
use super::{SortedFile, TrigramModel};
use crate::rows::{in_table_order, trusted_row, Row};
use crate::screen::{forms_of, score, score_in_context, words, Context, Form};
use crate::tokenize::{is_alpha, CharTable};
use crate::word_types::word_types;

/// A form as the describe callback gives it: (its words, its strength, its terms per rate, its
/// originals' words with P(spun | original)).
type PyForm = (Vec<String>, f64, Vec<f64>, Vec<(Vec<String>, f64)>);
/// The screen's reading: the score, the score in context (where the first did not clear the
/// text), and where either clears it the number of alphabetic words and the counts of the words
/// the screen was asked to count.
type PyScreened = (f64, Option<f64>, Option<(usize, HashMap<String, usize>)>);
/// How to read forms in context: (the model, its weight, the least strength read in context,
/// words either side, the score from which a text is not read in context, the threshold below
/// which the score in context clears a text).
type PyContext<'py> = (Bound<'py, TrigramModel>, f64, f64, usize, f64, f64);
/// A table as Python gives it: a sorted file and its first data byte, or the rows themselves.
type PyTable = (Option<Py<SortedFile>>, usize, Vec<String>);

/// Where a table's rows are read: in place in a sorted file, or rows held by their first word.
enum Source {
    File(Py<SortedFile>, usize),
    Lines(HashMap<String, Vec<String>>),
}

/// How the core reads the tables' rows itself: the tables, and the constants of
/// untangle.screen (spin rates, the strength cap) and untangle.dictionary (pick rules).
struct Tables {
    sources: Vec<Source>,
    pick_limit: u32,
}

impl Tables {
    /// A word's forms from the tables' rows, or None if a row is not one the core reads
    /// (Python's describe then reads the word, and reports a malformed row).
    fn forms(&self, word: &str, rates: &[f64], strongest: f64) -> Option<Vec<Form>> {
        let mut tables: Vec<Vec<Row>> = Vec::with_capacity(self.sources.len());
        for source in &self.sources {
            tables.push(match source {
                Source::File(file, start) => file.get().starting_with(*start, word, self.pick_limit)?,
                Source::Lines(by_word) => {
                    let lines = by_word.get(word).map_or(&[][..], |rows| &rows[..]);
                    let mut rows = lines
                        .iter()
                        .map(|line| trusted_row(line, self.pick_limit))
                        .collect::<Option<Vec<Row>>>()?;
                    in_table_order(&mut rows);
                    rows
                }
            });
        }
        Some(forms_of(&tables, rates, strongest))
    }
}

#[pyclass(frozen, module = "untangle._core")]
pub struct Screen {
    table: CharTable,
    forms: Mutex<HashMap<String, Vec<Form>>>,
    limit: usize,
    rates: Vec<f64>,
    strongest: f64,
    tables: Option<Tables>,
    counted: rustc_hash::FxHashSet<String>,
}

#[pymethods]
impl Screen {
    /// A screen over the characters `reader` reads, keeping at most `limit` word types' forms,
    /// trying the spin `rates` with strengths capped at `strongest` (untangle.screen's
    /// constants). With `tables` (each a sorted file and its first data byte, or its rows as
    /// lines), the core reads the forms itself, pick rules below `pick_limit`; without,
    /// `score`'s describe gives every word's forms. A text it clears has the `counted` words
    /// counted (the inferred family's check).
    #[new]
    #[pyo3(signature = (reader, limit, rates, strongest, tables=None, pick_limit=0, counted=Vec::new()))]
    #[allow(clippy::too_many_arguments)] // the Python call's arguments, each documented above
    fn new(
        reader: &TextReader,
        limit: usize,
        rates: Vec<f64>,
        strongest: f64,
        tables: Option<Vec<PyTable>>,
        pick_limit: u32,
        counted: Vec<String>,
    ) -> PyResult<Self> {
        if rates.is_empty() {
            return Err(PyValueError::new_err("a screen needs at least one spin rate"));
        }
        let tables = tables.map(|given| {
            let sources = given
                .into_iter()
                .map(|(file, start, lines)| match file {
                    Some(file) => Source::File(file, start),
                    None => {
                        let mut by_word: HashMap<String, Vec<String>> = HashMap::default();
                        for line in lines {
                            let first = line.split(['\t', ' ']).next().unwrap_or_default().to_owned();
                            by_word.entry(first).or_default().push(line);
                        }
                        Source::Lines(by_word)
                    }
                })
                .collect();
            Tables { sources, pick_limit }
        });
        Ok(Screen {
            table: reader.table().clone(),
            forms: Mutex::new(HashMap::default()),
            limit: limit.max(1),
            rates,
            strongest,
            tables,
            counted: counted.into_iter().collect(),
        })
    }

    /// The best spin rate's ln likelihood ratio of `text` (untangle.screen.Screen.score of its
    /// words); from `threshold` to the context's ceiling, with `context`, the same read in context
    /// (Screen.score_in_context); where either clears the text, how many of its words are
    /// alphabetic and how often each counted word occurs (the inferred family's check). None if
    /// a character is outside the table. `describe` is
    /// called with the word types not met yet and gives each one's forms, strongest first.
    #[pyo3(signature = (text, describe, threshold, context=None))]
    fn score(
        &self,
        text: &str,
        describe: &Bound<'_, PyAny>,
        threshold: f64,
        context: Option<PyContext<'_>>,
    ) -> PyResult<Option<PyScreened>> {
        let Some(read) = words(text, &self.table) else {
            return Ok(None);
        };
        let found = read.list();
        // What is asked of a word (its forms, its id, whether it is alphabetic or counted) is
        // asked once per type.
        let (types, at) = word_types(found.iter().copied());
        let broken = |_| PyValueError::new_err("the screen's forms were left broken by a failed call");
        {
            let mut known = self.forms.lock().map_err(broken)?;
            if known.len() >= self.limit {
                known.clear();
            }
        }
        loop {
            let mut known = self.forms.lock().map_err(broken)?;
            let mut missing: Vec<String> = types
                .iter()
                .filter(|&&word| !known.contains_key(word))
                .map(|&word| word.to_owned())
                .collect();
            if let Some(tables) = &self.tables {
                missing.retain(|word| match tables.forms(word, &self.rates, self.strongest) {
                    Some(forms) => {
                        known.insert(word.clone(), forms);
                        false
                    }
                    None => true,
                });
            }
            if missing.is_empty() {
                let none: &[Form] = &[];
                let type_forms: Vec<&[Form]> = types
                    .iter()
                    .map(|&word| known.get(word).map_or(none, |forms| &forms[..]))
                    .collect();
                let forms_at = |position: usize| type_forms[at[position] as usize];
                let value = score(&found, forms_at);
                let mut cleared = value < threshold;
                let mut in_context = None;
                let to_read = context.as_ref().filter(|c| !cleared && value < c.4);
                if let Some((model, weight, strength, reach, _, context_threshold)) = to_read {
                    let model = &model.get().inner;
                    let reading = Context {
                        model,
                        weight: *weight,
                        strength: *strength,
                        reach: *reach,
                        rates: &self.rates,
                        strongest: self.strongest,
                    };
                    let type_ids: Vec<Option<u32>> = types.iter().map(|&word| model.id(word)).collect();
                    let ids: Vec<Option<u32>> = at.iter().map(|&t| type_ids[t as usize]).collect();
                    let read = score_in_context(&found, &ids, forms_at, &reading);
                    cleared = read < *context_threshold;
                    in_context = Some(read);
                }
                let counts = cleared.then(|| {
                    let mut occurrences = vec![0usize; types.len()];
                    for &t in &at {
                        occurrences[t as usize] += 1;
                    }
                    let mut counts: HashMap<String, usize> = HashMap::default();
                    let mut alphabetic = 0;
                    for (&word, &count) in types.iter().zip(&occurrences) {
                        if !is_alpha(word, &self.table) {
                            continue;
                        }
                        alphabetic += count;
                        if self.counted.contains(word) {
                            counts.insert(word.to_owned(), count);
                        }
                    }
                    (alphabetic, counts)
                });
                return Ok(Some((value, in_context, counts)));
            }
            drop(known); // the callback runs Python: another thread may use the screen meanwhile
            let described: Vec<Vec<PyForm>> = describe.call1((missing.clone(),))?.extract()?;
            if described.len() != missing.len() {
                return Err(PyValueError::new_err("describe must give the forms of every word"));
            }
            let mut known = self.forms.lock().map_err(broken)?;
            for (word, forms) in missing.into_iter().zip(described) {
                let forms = forms
                    .into_iter()
                    .map(|(words, strength, terms, originals)| {
                        let originals = originals
                            .into_iter()
                            .map(|(words, prior)| (words.join(" ").into(), prior));
                        Form::new(words, strength, terms, originals.collect())
                    })
                    .collect();
                known.insert(word, forms);
            }
        }
    }
}
