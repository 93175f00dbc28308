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

/// What the screen needs of a table row: its spun form, prior and the two Zipf frequencies.
#[derive(Clone, Debug, PartialEq)]
pub struct Row<'a> {
    pub spun: &'a str,
    pub prior: f64,
    pub spun_zipf: f64,
    pub original_zipf: f64,
}

/// A row of a generated table (spun, original, relation, prior, spun_zipf, original_zipf,
/// picks), read as untangle.dictionary's `_trusted_row` reads it; None for anything else (the
/// caller then asks Python, which parses it as a user's row or says what is wrong with it).
pub fn trusted_row(line: &str, pick_limit: u32) -> Option<Row<'_>> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [spun, _, _, prior, spun_zipf, original_zipf, picks] = fields[..] else {
        return None;
    };
    let number = |field: &str| field.parse::<f64>().ok();
    let (prior, spun_zipf, original_zipf) = (number(prior)?, number(spun_zipf)?, number(original_zipf)?);
    let picks: i64 = picks.parse().ok()?;
    let in_range = prior > 0.0 && prior <= 1.0 && (0..i64::from(pick_limit)).contains(&picks);
    if !in_range {
        return None;
    }
    Some(Row {
        spun,
        prior,
        spun_zipf,
        original_zipf,
    })
}

/// A word's forms, strongest first, from the rows whose spun form starts with it, table by
/// table (untangle.screen.Screen.forms): each table's rows in the order of ln P(original) x
/// P(spun | original), likeliest first; a form's strength is ln of the sum over its rows of
/// P(original) P(spun | original), over P(spun as itself); its terms ln(1 - s + s e^strength)
/// at each spin rate s, the strength capped at `strongest`.
pub fn forms_of(tables: &[Vec<Row>], rates: &[f64], strongest: f64) -> Vec<Form> {
    let reverse_prior = |row: &Row| row.prior.ln() + row.original_zipf * std::f64::consts::LN_10;
    let mut groups: Vec<(&str, Vec<&Row>)> = Vec::new();
    for rows in tables {
        let mut ordered: Vec<&Row> = rows.iter().collect();
        ordered.sort_by(|a, b| reverse_prior(b).total_cmp(&reverse_prior(a)));
        for row in ordered {
            match groups.iter_mut().find(|(spun, _)| *spun == row.spun) {
                Some((_, group)) => group.push(row),
                None => groups.push((row.spun, vec![row])),
            }
        }
    }
    let mut strengths: Vec<(f64, Form)> = groups
        .into_iter()
        .map(|(spun, rows)| {
            let logs: Vec<f64> = rows.iter().map(|row| reverse_prior(row)).collect();
            let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = logs.iter().map(|value| (value - top).exp()).sum();
            let strength = top + sum.ln() - rows[0].spun_zipf * std::f64::consts::LN_10;
            let capped = strength.min(strongest);
            let terms = rates
                .iter()
                .map(|rate| (1.0 - rate + rate * capped.exp()).ln())
                .collect();
            let words = spun.split(' ').map(str::to_owned).collect();
            (strength, Form { words, terms })
        })
        .collect();
    strengths.sort_by(|a, b| b.0.total_cmp(&a.0));
    strengths.into_iter().map(|(_, form)| form).collect()
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
    fn only_a_complete_generated_row_is_read() {
        let row = trusted_row("helium\the\tsynonym\t0.5\t1.25\t7.5\t3", 32).unwrap();
        assert_eq!(
            (row.spun, row.prior, row.spun_zipf, row.original_zipf),
            ("helium", 0.5, 1.25, 7.5)
        );
        for line in [
            "helium\the",                                // a user's short row
            "helium\the\tsynonym\t0\t1.25\t7.5\t3",      // prior outside (0, 1]
            "helium\the\tsynonym\t1.5\t1.25\t7.5\t3",    // prior outside (0, 1]
            "helium\the\tsynonym\t0.5\tmany\t7.5\t3",    // not a number
            "helium\the\tsynonym\t0.5\t1.25\t7.5\t32",   // an unknown pick rule
            "helium\the\tsynonym\t0.5\t1.25\t7.5\t3\tx", // a column too many
        ] {
            assert!(trusted_row(line, 32).is_none(), "{line}");
        }
    }

    #[test]
    fn forms_merge_rows_of_one_spun_form_and_come_strongest_first() {
        let row = |spun, prior: f64, spun_zipf, original_zipf| Row {
            spun,
            prior,
            spun_zipf,
            original_zipf,
        };
        // "quality" from two originals (ln(0.5 e^(5 ln10) + 0.25 e^(4 ln10)) - 3 ln10), the
        // phrase "quality league" from the second table, stronger.
        let first = vec![row("quality", 0.25, 3.0, 4.0), row("quality", 0.5, 3.0, 5.0)];
        let second = vec![row("quality league", 1.0, 1.0, 5.0)];
        let forms = forms_of(&[first, second], &[0.5], 30.0);
        let ln10 = std::f64::consts::LN_10;
        let strength = (0.5 * (5.0 * ln10).exp() + 0.25 * (4.0 * ln10).exp()).ln() - 3.0 * ln10;
        assert_eq!(forms[0].words, vec!["quality", "league"]);
        assert_eq!(forms[1].words, vec!["quality"]);
        assert!((forms[1].terms[0] - (0.5 + 0.5 * strength.exp()).ln()).abs() < 1e-12);
        // The cap: a strength past `strongest` counts as `strongest`.
        let capped = forms_of(&[vec![row("x", 1.0, 0.0, 9.0)]], &[0.5], 2.0);
        assert!((capped[0].terms[0] - (0.5 + 0.5 * 2f64.exp()).ln()).abs() < 1e-12);
    }

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
