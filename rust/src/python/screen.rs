//! `untangle._core.Screen`: the screen's reading of a document in the core (untangle.screen
//! keeps the spun forms' strengths; the core asks for a word type's forms once and keeps them).

use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::family::TextReader;
use super::SortedFile;
use crate::screen::{forms_of, score, trusted_row, words, Form, Row};
use crate::tokenize::CharTable;

/// A form as the describe callback gives it: (its words, its strength, its terms per rate).
type PyForm = (Vec<String>, f64, Vec<f64>);
/// The screen's reading: the score, and below the threshold each word's count.
type PyScreened = (f64, Option<HashMap<String, usize>>);
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
    rates: Vec<f64>,
    strongest: f64,
    pick_limit: u32,
}

impl Tables {
    /// A word's forms from the tables' rows, or None if a row is not one the core reads
    /// (Python's describe then reads the word, and reports a malformed row).
    fn forms(&self, word: &str) -> Option<Vec<Form>> {
        let (low, high) = (format!("{word}\t"), format!("{word}!"));
        let mut lines: Vec<Vec<&str>> = Vec::with_capacity(self.sources.len());
        for source in &self.sources {
            lines.push(match source {
                Source::File(file, start) => {
                    crate::sorted_lines::between(file.get().data(), *start, low.as_bytes(), high.as_bytes())
                        .into_iter()
                        .map(|(_, line)| std::str::from_utf8(line).ok())
                        .collect::<Option<Vec<&str>>>()?
                }
                Source::Lines(by_word) => by_word
                    .get(word)
                    .map_or(Vec::new(), |rows| rows.iter().map(String::as_str).collect()),
            });
        }
        let tables = lines
            .iter()
            .map(|rows| {
                rows.iter()
                    .map(|line| trusted_row(line, self.pick_limit))
                    .collect::<Option<Vec<Row>>>()
            })
            .collect::<Option<Vec<Vec<Row>>>>()?;
        Some(forms_of(&tables, &self.rates, self.strongest))
    }
}

#[pyclass(frozen, module = "untangle._core")]
pub struct Screen {
    table: CharTable,
    forms: Mutex<HashMap<String, Vec<Form>>>,
    limit: usize,
    tables: Option<Tables>,
}

#[pymethods]
impl Screen {
    /// A screen over the characters `reader` reads, keeping at most `limit` word types' forms.
    /// With `tables` (each a sorted file and its first data byte, or its rows as lines), the
    /// core reads the forms itself, with the screen's `rates` and strength cap `strongest` and
    /// pick rules below `pick_limit`; without, `score`'s describe gives every word's forms.
    #[new]
    #[pyo3(signature = (reader, limit, tables=None, rates=Vec::new(), strongest=0.0, pick_limit=0))]
    fn new(
        reader: &TextReader,
        limit: usize,
        tables: Option<Vec<PyTable>>,
        rates: Vec<f64>,
        strongest: f64,
        pick_limit: u32,
    ) -> PyResult<Self> {
        let tables = match tables {
            None => None,
            Some(given) => {
                let mut sources = Vec::with_capacity(given.len());
                for (file, start, lines) in given {
                    sources.push(match file {
                        Some(file) => Source::File(file, start),
                        None => {
                            let mut by_word: HashMap<String, Vec<String>> = HashMap::default();
                            for line in lines {
                                let first = line.split(['\t', ' ']).next().unwrap_or_default().to_owned();
                                by_word.entry(first).or_default().push(line);
                            }
                            Source::Lines(by_word)
                        }
                    });
                }
                if rates.is_empty() {
                    return Err(PyValueError::new_err(
                        "a screen that reads its tables needs its spin rates",
                    ));
                }
                Some(Tables {
                    sources,
                    rates,
                    strongest,
                    pick_limit,
                })
            }
        };
        Ok(Screen {
            table: reader.table().clone(),
            forms: Mutex::new(HashMap::default()),
            limit: limit.max(1),
            tables,
        })
    }

    /// The best spin rate's ln likelihood ratio of `text` (untangle.screen.Screen.score of its
    /// words), and below `threshold` also how often each word occurs (for the inferred family's
    /// check); None if a character is outside the table. `describe` is called with the word
    /// types not met yet and gives each one's forms, strongest first.
    fn score(&self, text: &str, describe: &Bound<'_, PyAny>, threshold: f64) -> PyResult<Option<PyScreened>> {
        let Some(found) = words(text, &self.table) else {
            return Ok(None);
        };
        let broken = |_| PyValueError::new_err("the screen's forms were left broken by a failed call");
        {
            let mut known = self.forms.lock().map_err(broken)?;
            if known.len() >= self.limit {
                known.clear();
            }
        }
        loop {
            let mut known = self.forms.lock().map_err(broken)?;
            let mut seen = rustc_hash::FxHashSet::default();
            let mut missing: Vec<String> = found
                .iter()
                .filter(|w| !known.contains_key(*w) && seen.insert(w.as_str()))
                .cloned()
                .collect();
            if let Some(tables) = &self.tables {
                missing.retain(|word| match tables.forms(word) {
                    Some(forms) => {
                        known.insert(word.clone(), forms);
                        false
                    }
                    None => true,
                });
            }
            if missing.is_empty() {
                let none: &[Form] = &[];
                let value = score(&found, |w| known.get(w).map_or(none, |forms| &forms[..]));
                let counts = (value < threshold).then(|| {
                    let mut counts: HashMap<String, usize> = HashMap::default();
                    for word in &found {
                        *counts.entry(word.clone()).or_default() += 1;
                    }
                    counts
                });
                return Ok(Some((value, counts)));
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
                    .map(|(words, _, terms)| Form { words, terms })
                    .collect();
                known.insert(word, forms);
            }
        }
    }
}
