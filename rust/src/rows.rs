//! Rows of the generated data files read in place (untangle.dictionary's `_trusted_row` and
//! `OriginalsFile`): the substitution table's rows for a word and the originals file's row of a
//! word. Anything but a complete generated row reads as None: the caller asks Python, which
//! reads it as a user's row or says which line is wrong.

use crate::sorted_lines::Searches;

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
    // The six tabs' offsets, found in one pass (a seventh tab is a column too many).
    let mut tabs = [0usize; 6];
    let mut found = 0;
    for (at, &byte) in line.as_bytes().iter().enumerate() {
        if byte == b'\t' {
            *tabs.get_mut(found)? = at;
            found += 1;
        }
    }
    if found != tabs.len() {
        return None;
    }
    let field = |i: usize| &line[if i == 0 { 0 } else { tabs[i - 1] + 1 }..tabs.get(i).copied().unwrap_or(line.len())];
    let (spun, original, relation) = (field(0), field(1), field(2));
    let prior = decimal(field(3))?;
    let spun_zipf = decimal(field(4))?;
    let original_zipf = decimal(field(5))?;
    let picks: u32 = field(6).parse().ok()?;
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

/// A number as Python's float() reads it. The generated files write short decimals ("0.0153",
/// "3.73"): those are read as an integer over a power of ten, which is exact (both fit a double
/// exactly and one division rounds once, as a correctly rounded parse does); anything else goes
/// to the general parser.
pub fn decimal(field: &str) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let bytes = field.as_bytes();
    let (mut value, mut digits, mut point) = (0u64, 0usize, None);
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b'0'..=b'9' => {
                value = value * 10 + u64::from(byte - b'0');
                digits += 1;
            }
            b'.' if point.is_none() => point = Some(at),
            _ => return field.parse().ok(),
        }
    }
    let decimals = point.map_or(0, |at| bytes.len() - at - 1);
    if digits == 0 || digits > 15 || decimals >= POWERS.len() {
        return field.parse().ok();
    }
    Some(value as f64 / POWERS[decimals])
}

/// The rows whose spun form starts with `word` (the word itself, or a phrase beginning with
/// it), likeliest originals first as `Dictionary.starting_with` orders them (ties in file
/// order); None if one of them is not a complete generated row.
pub fn starting_with<'d>(
    searches: &Searches,
    data: &'d [u8],
    start: usize,
    word: &str,
    pick_limit: u32,
) -> Option<Vec<Row<'d>>> {
    let (low, high) = (format!("{word}\t"), format!("{word}!"));
    let mut rows = searches
        .between(data, start, low.as_bytes(), high.as_bytes())
        .into_iter()
        .map(|(_, line)| trusted_row(std::str::from_utf8(line).ok()?, pick_limit))
        .collect::<Option<Vec<Row>>>()?;
    in_table_order(&mut rows);
    Some(rows)
}

/// Where a row's text fields lie in its file, and its numbers: a row read once, made again
/// without a search or a parse.
#[derive(Clone, Copy, Debug)]
struct RowAt {
    spun: (u32, u32),
    original: (u32, u32),
    relation: (u32, u32),
    numbers: (f64, f64, f64, u32),
}

/// A word's rows as `starting_with` read them (None: a row it does not take).
type KeptRows = Option<Box<[RowAt]>>;

/// `starting_with`'s answers for one file, kept by word: the screen and then a family read the
/// same word types' rows, and the second read is a look-up (at most `limit` words are kept).
pub struct RowCache {
    by_word: std::sync::Mutex<rustc_hash::FxHashMap<Box<str>, KeptRows>>,
    limit: usize,
}

impl RowCache {
    pub fn new(limit: usize) -> Self {
        RowCache {
            by_word: Default::default(),
            limit: limit.max(1),
        }
    }

    /// As `starting_with(searches, data, start, word, pick_limit)`, for the file this cache was
    /// made for (read from `start` with `pick_limit` every time).
    pub fn starting_with<'d>(
        &self,
        searches: &Searches,
        data: &'d [u8],
        start: usize,
        word: &str,
        pick_limit: u32,
    ) -> Option<Vec<Row<'d>>> {
        if data.len() > u32::MAX as usize {
            return starting_with(searches, data, start, word, pick_limit);
        }
        let kept = self.by_word.lock().ok().and_then(|by_word| by_word.get(word).cloned());
        if let Some(kept) = kept {
            let text = |(from, to): (u32, u32)| std::str::from_utf8(&data[from as usize..to as usize]).ok();
            return kept?
                .iter()
                .map(|at| {
                    let (prior, spun_zipf, original_zipf, picks) = at.numbers;
                    Some(Row {
                        spun: text(at.spun)?,
                        original: text(at.original)?,
                        relation: text(at.relation)?,
                        prior,
                        spun_zipf,
                        original_zipf,
                        picks,
                    })
                })
                .collect();
        }
        let rows = starting_with(searches, data, start, word, pick_limit);
        let base = data.as_ptr() as usize;
        let span = |field: &str| {
            let from = (field.as_ptr() as usize - base) as u32;
            (from, from + field.len() as u32)
        };
        let kept = rows.as_ref().map(|rows| {
            rows.iter()
                .map(|row| RowAt {
                    spun: span(row.spun),
                    original: span(row.original),
                    relation: span(row.relation),
                    numbers: (row.prior, row.spun_zipf, row.original_zipf, row.picks),
                })
                .collect()
        });
        if let Ok(mut by_word) = self.by_word.lock() {
            if by_word.len() >= self.limit {
                by_word.clear();
            }
            by_word.insert(word.into(), kept);
        }
        rows
    }
}

/// Sort rows likeliest original first, keeping the order of ties.
pub fn in_table_order(rows: &mut Vec<Row>) {
    let mut keyed: Vec<(f64, Row)> = rows.drain(..).map(|row| (row.reverse_prior(), row)).collect();
    keyed.sort_by(|(a, _), (b, _)| b.total_cmp(a)); // each key worked out once: a logarithm is dear
    rows.extend(keyed.into_iter().map(|(_, row)| row));
}

/// The originals file's row of `word` ("word<TAB>zipf<TAB>headword"): Some(None) if it is not
/// listed, Some((Zipf, is a headword)) if it is (the last of its rows, as Python reads them);
/// None if a row is not one the file's reader takes.
pub fn original(searches: &Searches, data: &[u8], start: usize, word: &str) -> Option<Option<(f64, bool)>> {
    let (low, high) = (format!("{word}\t"), format!("{word}\n"));
    let mut found = None;
    for (_, line) in searches.between(data, start, low.as_bytes(), high.as_bytes()) {
        found = Some(original_fields(&line[word.len() + 1..])?);
    }
    Some(found)
}

/// A row's fields after the word: its Zipf and whether it is a headword (a missing flag reads
/// as one); None if the reader would not take them.
fn original_fields(fields: &[u8]) -> Option<(f64, bool)> {
    let fields = std::str::from_utf8(fields).ok()?;
    let (zipf, flag) = fields.split_once('\t').unwrap_or((fields, ""));
    let zipf = decimal(zipf)?;
    let headword = match flag {
        "" | "1" => true,
        "0" => false,
        _ => return None,
    };
    Some((zipf, headword))
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
    fn short_decimals_read_as_the_general_parser_reads_them() {
        for field in [
            "0.0153",
            "3.73",
            "0",
            "7",
            "1.0",
            "0.1",
            "0.3",
            "2.675",
            "123456789012345",
            "0.000000000000001",
            "1e-3",
            "1.5E2",
            "-0.5",
            ".5",
            "5.",
            "inf",
            "nan",
            "0.1234567890123456789",
            "1..2",
            "",
            ".",
        ] {
            let general: Option<f64> = field.parse().ok();
            let ours = decimal(field);
            assert_eq!(ours.map(f64::to_bits), general.map(f64::to_bits), "{field}");
        }
        let mut state = 12345u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (whole, places) = ((state >> 40) % 100_000, ((state >> 20) % 9) as usize);
            let fraction = (state >> 8) % 10u64.pow(places as u32);
            let field = if places == 0 {
                format!("{whole}")
            } else {
                format!("{whole}.{fraction:0places$}")
            };
            assert_eq!(
                decimal(&field).map(f64::to_bits),
                field.parse::<f64>().ok().map(f64::to_bits),
                "{field}"
            );
        }
    }

    #[test]
    fn a_word_s_rows_come_likeliest_first_and_phrases_with_them() {
        let data = b"# comment\nhe\tx\ts\t0.5\t1\t2\t0\nhe\ty\ts\t0.5\t1\t3\t0\nhe is\tz\ts\t1\t1\t1\t0\nhelium\the\ts\t1\t1\t7\t0\n";
        let rows = starting_with(&Searches::default(), data, 10, "he", 32).unwrap();
        let originals: Vec<&str> = rows.iter().map(|r| r.original).collect();
        assert_eq!(originals, vec!["y", "x", "z"]);
        let broken = b"he\tx\ts\t0.5\tmany\t2\t0\n";
        assert!(starting_with(&Searches::default(), broken, 0, "he", 32).is_none());
        assert_eq!(
            starting_with(&Searches::default(), data, 10, "at", 32),
            Some(Vec::new())
        );
    }

    #[test]
    fn rows_kept_are_the_rows_searched() {
        let data = b"# comment\nhe\tx\ts\t0.5\t1\t2\t0\nhe\ty\ts\t0.5\t1\t3\t0\nhe is\tz\ts\t1\t1\t1\t0\nhelium\the\ts\t1\t1\t7\t0\nzz\tx\ts\tmany\t1\t1\t0\n";
        let cache = RowCache::new(2);
        for word in ["he", "helium", "he", "at", "zz", "he", "zz", "at", "helium"] {
            assert_eq!(
                cache.starting_with(&Searches::default(), data, 10, word, 32),
                starting_with(&Searches::default(), data, 10, word, 32),
                "{word}"
            );
        }
    }

    #[test]
    fn an_original_s_row_gives_its_frequency_and_headword_flag() {
        let data = b"argued\t4.5\t0\nhe\t7.25\t1\nis\t7.5\n";
        assert_eq!(
            original(&Searches::default(), data, 0, "argued"),
            Some(Some((4.5, false)))
        );
        assert_eq!(original(&Searches::default(), data, 0, "he"), Some(Some((7.25, true))));
        assert_eq!(original(&Searches::default(), data, 0, "is"), Some(Some((7.5, true))));
        assert_eq!(original(&Searches::default(), data, 0, "at"), Some(None));
        assert_eq!(original(&Searches::default(), b"he\tmany\t1\n", 0, "he"), None);
        assert_eq!(original(&Searches::default(), b"he\t7\t2\n", 0, "he"), None);
        assert_eq!(
            original(&Searches::default(), b"he\t7\t1\tx\n", 0, "he"),
            None,
            "a column too many"
        );
    }
}
