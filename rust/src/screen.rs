//! The screen's reading of a document (untangle.screen): its lower-case words as the screen's
//! pattern finds them, and the likelihood ratio of "spun" against "clean" from the spun forms
//! among them, each form's terms given by the caller.

use crate::tokenize::{CharTable, LETTER};

/// A spun form's words and its term ln(1 - s + s e^strength) at each spin rate the screen tries.
#[derive(Clone, Debug)]
pub struct Form {
    pub words: Vec<String>,
    pub terms: Vec<f64>,
}

/// The words of `text.lower()` as `[^\W\d_]+(?:[-'’][^\W\d_]+)*` finds them; None if a
/// character (or its lower-case form) is outside the table.
pub fn words(text: &str, table: &CharTable) -> Option<Vec<String>> {
    let mut lowered = Vec::with_capacity(text.len());
    for c in text.chars() {
        let (flags, lower) = table.get(c)?;
        if flags & crate::tokenize::DECLINE != 0 {
            return None;
        }
        let (lower_flags, _) = table.get(lower)?;
        lowered.push((lower, lower_flags & LETTER != 0));
    }
    let mut found = Vec::new();
    let mut i = 0;
    let letters = |mut j: usize| {
        while j < lowered.len() && lowered[j].1 {
            j += 1;
        }
        j
    };
    while i < lowered.len() {
        if !lowered[i].1 {
            i += 1;
            continue;
        }
        let mut end = letters(i);
        while end + 1 < lowered.len() && matches!(lowered[end].0, '-' | '\'' | '\u{2019}') && lowered[end + 1].1 {
            end = letters(end + 1);
        }
        found.push(lowered[i..end].iter().map(|&(c, _)| c).collect());
        i = end;
    }
    Some(found)
}

/// The best spin rate's ln likelihood ratio of `words` (-inf when none is a listed spun form):
/// at each position the strongest form that matches there counts, and the words it spans are
/// passed over. `forms(word)` gives the forms starting with a word, strongest first.
pub fn score<'f>(words: &[String], forms: impl Fn(&str) -> &'f [Form]) -> f64 {
    let mut totals: Vec<f64> = Vec::new();
    let mut position = 0;
    while position < words.len() {
        let mut step = 1;
        for form in forms(&words[position]) {
            let span = form.words.len();
            if span == 1 || (position + span <= words.len() && words[position..position + span] == form.words[..]) {
                if totals.is_empty() {
                    totals = vec![0.0; form.terms.len()];
                }
                for (total, term) in totals.iter_mut().zip(&form.terms) {
                    *total += term;
                }
                step = span;
                break;
            }
        }
        position += step;
    }
    totals.into_iter().fold(f64::NEG_INFINITY, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tests::ascii_table;

    #[test]
    fn words_follow_the_screen_pattern() {
        let found = words("Helium's well-known x1y -a- 'b' it\u{2019}s", &ascii_table()).unwrap();
        assert_eq!(found, vec!["helium's", "well-known", "x", "y", "a", "b", "it\u{2019}s"]);
        assert!(words("caf\u{e9}", &ascii_table()).is_none(), "outside the table");
    }

    #[test]
    fn the_score_sums_the_strongest_matching_form_per_position() {
        let one = vec![Form {
            words: vec!["helium".into()],
            terms: vec![1.0, 2.0],
        }];
        let phrase = vec![
            Form {
                words: vec!["quality".into(), "league".into()],
                terms: vec![3.0, 1.0],
            },
            Form {
                words: vec!["quality".into()],
                terms: vec![-1.0, -1.0],
            },
        ];
        let none: Vec<Form> = Vec::new();
        let forms = |w: &str| -> &[Form] {
            match w {
                "helium" => &one,
                "quality" => &phrase,
                _ => &none,
            }
        };
        let words: Vec<String> = ["helium", "quality", "league", "quality", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // helium (1, 2) + "quality league" (3, 1) + quality alone (-1, -1): the best rate's 3.
        assert_eq!(score(&words, forms), 3.0);
        assert_eq!(score(&words[4..], forms), f64::NEG_INFINITY);
    }
}
