//! Rows of the generated data files read in place (untangle.dictionary's `_trusted_row` and
//! `OriginalsFile`): the substitution table's rows for a word and the originals file's row of a
//! word. Anything but a complete generated row reads as None: the caller asks Python, which
//! reads it as a user's row or says which line is wrong.

use crate::sorted_lines::between;

/// A complete row of the substitution table: (spun, original, relation, prior, spun_zipf,
/// original_zipf, picks).
#[derive(Clone, Debug, PartialEq)]
pub struct Row<'a> {
    pub spun: &'a str,
    pub original: &'a str,
    pub relation: &'a str,
    pub prior: f64,
    pub spun_zipf: f64,
    pub original_zipf: f64,
    pub picks: u32,
}

impl Row<'_> {
    /// ln P(original) P(spun | original), by the original's Zipf frequency: the table's order.
    pub fn reverse_prior(&self) -> f64 {
        self.prior.ln() + self.original_zipf * std::f64::consts::LN_10
    }
}

/// A row as `_trusted_row` reads it: seven fields, the numbers as numbers, the prior in (0, 1]
/// and the pick rules below `pick_limit`.
pub fn trusted_row(line: &str, pick_limit: u32) -> Option<Row<'_>> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [spun, original, relation, prior, spun_zipf, original_zipf, picks] = fields[..] else {
        return None;
    };
    let number = |field: &str| field.parse::<f64>().ok();
    let (prior, spun_zipf, original_zipf) = (number(prior)?, number(spun_zipf)?, number(original_zipf)?);
    let picks: u32 = picks.parse().ok()?;
    let in_range = prior > 0.0 && prior <= 1.0 && picks < pick_limit;
    in_range.then_some(Row {
        spun,
        original,
        relation,
        prior,
        spun_zipf,
        original_zipf,
        picks,
    })
}

/// The rows whose spun form starts with `word` (the word itself, or a phrase beginning with
/// it), likeliest originals first as `Dictionary.starting_with` orders them (ties in file
/// order); None if one of them is not a complete generated row.
pub fn starting_with<'d>(data: &'d [u8], start: usize, word: &str, pick_limit: u32) -> Option<Vec<Row<'d>>> {
    let (low, high) = (format!("{word}\t"), format!("{word}!"));
    let mut rows = between(data, start, low.as_bytes(), high.as_bytes())
        .into_iter()
        .map(|(_, line)| trusted_row(std::str::from_utf8(line).ok()?, pick_limit))
        .collect::<Option<Vec<Row>>>()?;
    in_table_order(&mut rows);
    Some(rows)
}

/// Sort rows likeliest original first, keeping the order of ties.
pub fn in_table_order(rows: &mut [Row]) {
    rows.sort_by(|a, b| b.reverse_prior().total_cmp(&a.reverse_prior()));
}

/// The originals file's row of `word` ("word<TAB>zipf<TAB>headword"): Some(None) if it is not
/// listed, Some((Zipf, is a headword)) if it is (the last of its rows, as Python reads them);
/// None if a row is not one the file's reader takes.
pub fn original(data: &[u8], start: usize, word: &str) -> Option<Option<(f64, bool)>> {
    let (low, high) = (format!("{word}\t"), format!("{word}\n"));
    let mut found = None;
    for (_, line) in between(data, start, low.as_bytes(), high.as_bytes()) {
        let line = std::str::from_utf8(line).ok()?;
        let mut fields = line.splitn(3, '\t').skip(1);
        let zipf: f64 = fields.next()?.parse().ok()?;
        let headword = match fields.next().unwrap_or("") {
            "" | "1" => true,
            "0" => false,
            _ => return None,
        };
        found = Some((zipf, headword));
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_complete_generated_row_is_read() {
        let row = trusted_row("helium\the\tsynonym\t0.5\t1.25\t7.5\t3", 32).unwrap();
        assert_eq!(
            (
                row.spun,
                row.original,
                row.prior,
                row.spun_zipf,
                row.original_zipf,
                row.picks
            ),
            ("helium", "he", 0.5, 1.25, 7.5, 3)
        );
        for line in [
            "helium\the",                                // a user's short row
            "helium\the\tsynonym\t0\t1.25\t7.5\t3",      // prior outside (0, 1]
            "helium\the\tsynonym\t1.5\t1.25\t7.5\t3",    // prior outside (0, 1]
            "helium\the\tsynonym\t0.5\tmany\t7.5\t3",    // not a number
            "helium\the\tsynonym\t0.5\t1.25\t7.5\t32",   // an unknown pick rule
            "helium\the\tsynonym\t0.5\t1.25\t7.5\t-1",   // an unknown pick rule
            "helium\the\tsynonym\t0.5\t1.25\t7.5\t3\tx", // a column too many
        ] {
            assert!(trusted_row(line, 32).is_none(), "{line}");
        }
    }

    #[test]
    fn a_word_s_rows_come_likeliest_first_and_phrases_with_them() {
        let data = b"# comment\nhe\tx\ts\t0.5\t1\t2\t0\nhe\ty\ts\t0.5\t1\t3\t0\nhe is\tz\ts\t1\t1\t1\t0\nhelium\the\ts\t1\t1\t7\t0\n";
        let rows = starting_with(data, 10, "he", 32).unwrap();
        let originals: Vec<&str> = rows.iter().map(|r| r.original).collect();
        assert_eq!(originals, vec!["y", "x", "z"]);
        let broken = b"he\tx\ts\t0.5\tmany\t2\t0\n";
        assert!(starting_with(broken, 0, "he", 32).is_none());
        assert_eq!(starting_with(data, 10, "at", 32), Some(Vec::new()));
    }

    #[test]
    fn an_original_s_row_gives_its_frequency_and_headword_flag() {
        let data = b"argued\t4.5\t0\nhe\t7.25\t1\nis\t7.5\n";
        assert_eq!(original(data, 0, "argued"), Some(Some((4.5, false))));
        assert_eq!(original(data, 0, "he"), Some(Some((7.25, true))));
        assert_eq!(original(data, 0, "is"), Some(Some((7.5, true))));
        assert_eq!(original(data, 0, "at"), Some(None));
        assert_eq!(original(b"he\tmany\t1\n", 0, "he"), None);
        assert_eq!(original(b"he\t7\t2\n", 0, "he"), None);
    }
}
