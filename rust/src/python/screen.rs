//! `untangle._core.Screen`: the screen's reading of a document in the core (untangle.screen
//! keeps the spun forms' strengths; the core asks for a word type's forms once and keeps them).

use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::family::TextReader;
use crate::screen::{score, words, Form};
use crate::tokenize::CharTable;

/// A form as the describe callback gives it: (its words, its strength, its terms per rate).
type PyForm = (Vec<String>, f64, Vec<f64>);
/// The screen's reading: the score, and below the threshold each word's count.
type PyScreened = (f64, Option<HashMap<String, usize>>);

#[pyclass(frozen, module = "untangle._core")]
pub struct Screen {
    table: CharTable,
    forms: Mutex<HashMap<String, Vec<Form>>>,
    limit: usize,
}

#[pymethods]
impl Screen {
    /// A screen over the characters `reader` reads, keeping at most `limit` word types' forms.
    #[new]
    fn new(reader: &TextReader, limit: usize) -> Self {
        Screen {
            table: reader.table().clone(),
            forms: Mutex::new(HashMap::default()),
            limit: limit.max(1),
        }
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
            let known = self.forms.lock().map_err(broken)?;
            let mut seen = rustc_hash::FxHashSet::default();
            let missing: Vec<String> = found
                .iter()
                .filter(|w| !known.contains_key(*w) && seen.insert(w.as_str()))
                .cloned()
                .collect();
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
