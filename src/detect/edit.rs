//! Edit distances of short strings (handles, names), without allocating: the same algorithms
//! and the same answers as `strsim`'s (tests against it on many random pairs), on small
//! symbols in fixed arrays instead of `char` iterators, vectors and a hash map. Every one of
//! these algorithms only asks whether two characters are equal, so a string is compared as the
//! sequence of its characters numbered in order of first appearance (its bytes when ASCII).
//! Longer strings go to `strsim` itself.

/// Longest string (characters) the array versions take.
pub const MAX_LEN: usize = 64;

/// Two strings as sequences of symbols below 128: equal symbols where the characters are
/// equal, and nothing else.
struct Symbols {
    a: [u8; MAX_LEN],
    a_len: usize,
    b: [u8; MAX_LEN],
    b_len: usize,
}

impl Symbols {
    /// `None` when either string is longer than [`MAX_LEN`] characters.
    fn new(a: &str, b: &str) -> Option<Symbols> {
        let mut s = Symbols {
            a: [0; MAX_LEN],
            a_len: 0,
            b: [0; MAX_LEN],
            b_len: 0,
        };
        if a.is_ascii() && b.is_ascii() {
            if a.len() > MAX_LEN || b.len() > MAX_LEN {
                return None;
            }
            s.a[..a.len()].copy_from_slice(a.as_bytes());
            s.b[..b.len()].copy_from_slice(b.as_bytes());
            (s.a_len, s.b_len) = (a.len(), b.len());
            return Some(s);
        }
        // At most 2 × MAX_LEN = 128 characters, so at most 128 distinct ones.
        let mut seen = ['\0'; 2 * MAX_LEN];
        let mut distinct = 0;
        let mut number = |c: char| -> u8 {
            match seen[..distinct].iter().position(|&x| x == c) {
                Some(k) => k as u8,
                None => {
                    seen[distinct] = c;
                    distinct += 1;
                    (distinct - 1) as u8
                }
            }
        };
        for (text, out, len) in [(a, &mut s.a, &mut s.a_len), (b, &mut s.b, &mut s.b_len)] {
            for c in text.chars() {
                if *len == MAX_LEN {
                    return None;
                }
                out[*len] = number(c);
                *len += 1;
            }
        }
        Some(s)
    }

    fn a(&self) -> &[u8] {
        &self.a[..self.a_len]
    }

    fn b(&self) -> &[u8] {
        &self.b[..self.b_len]
    }

    /// `strsim::normalized_damerau_levenshtein` of the two strings.
    fn normalized_damerau_levenshtein(&self) -> f64 {
        if self.a_len == 0 && self.b_len == 0 {
            return 1.0;
        }
        let dist = damerau_levenshtein_symbols(self.a(), self.b());
        1.0 - (dist as f64) / (self.a_len.max(self.b_len) as f64)
    }

    /// `strsim::jaro_winkler` of the two strings.
    fn jaro_winkler(&self) -> f64 {
        strsim::generic_jaro_winkler(&Bytes(self.a()), &Bytes(self.b()))
    }
}

/// `strsim::damerau_levenshtein(a, b)` (unrestricted: substrings may be edited again after a
/// transposition).
pub fn damerau_levenshtein(a: &str, b: &str) -> usize {
    match Symbols::new(a, b) {
        Some(s) => damerau_levenshtein_symbols(s.a(), s.b()),
        None => strsim::damerau_levenshtein(a, b),
    }
}

/// `strsim::normalized_damerau_levenshtein(a, b)`.
pub fn normalized_damerau_levenshtein(a: &str, b: &str) -> f64 {
    match Symbols::new(a, b) {
        Some(s) => s.normalized_damerau_levenshtein(),
        None => strsim::normalized_damerau_levenshtein(a, b),
    }
}

/// `strsim::jaro_winkler(a, b)`: `strsim`'s own generic algorithm, over symbols.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    match Symbols::new(a, b) {
        Some(s) => s.jaro_winkler(),
        None => strsim::jaro_winkler(a, b),
    }
}

/// `(normalized_damerau_levenshtein(a, b), jaro_winkler(a, b))`, the strings numbered once.
pub fn normalized_damerau_levenshtein_and_jaro_winkler(a: &str, b: &str) -> (f64, f64) {
    match Symbols::new(a, b) {
        Some(s) => (s.normalized_damerau_levenshtein(), s.jaro_winkler()),
        None => (
            strsim::normalized_damerau_levenshtein(a, b),
            strsim::jaro_winkler(a, b),
        ),
    }
}

/// `strsim::osa_distance(a, b)` (optimal string alignment: adjacent transpositions, each
/// substring edited once).
pub fn osa_distance(a: &str, b: &str) -> usize {
    match Symbols::new(a, b) {
        Some(s) => osa_symbols(s.a(), s.b()),
        None => strsim::osa_distance(a, b),
    }
}

/// `strsim::osa_distance`, step for step, on symbols below 128 (at most [`MAX_LEN`]).
fn osa_symbols(a: &[u8], b: &[u8]) -> usize {
    const NONE: u8 = u8::MAX;
    let b_len = b.len();
    let first: [usize; MAX_LEN + 1] = std::array::from_fn(|j| j);
    let mut rows = [first, first, [0; MAX_LEN + 1]];
    // Indices into `rows` of the row before last, the last row and the current one.
    let (mut two, mut prev, mut curr) = (0, 1, 2);
    let mut prev_a = NONE;
    for (i, &ca) in a.iter().enumerate() {
        rows[curr][0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut d = (rows[curr][j] + 1)
                .min(rows[prev][j + 1] + 1)
                .min(rows[prev][j] + cost);
            if i > 0 && j > 0 && ca != cb && ca == b[j - 1] && cb == prev_a {
                d = d.min(rows[two][j - 1] + 1);
            }
            rows[curr][j + 1] = d;
        }
        (two, prev, curr) = (prev, curr, two);
        prev_a = ca;
    }
    rows[prev][b_len]
}

/// Symbols, iterable as `strsim`'s generic functions want.
struct Bytes<'a>(&'a [u8]);

impl<'a> IntoIterator for &Bytes<'a> {
    type Item = u8;
    type IntoIter = std::iter::Copied<std::slice::Iter<'a, u8>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().copied()
    }
}

/// `strsim`'s `damerau_levenshtein_impl` (Zhao and Sahni's linear-space algorithm), step
/// for step, for symbols below 128, at most [`MAX_LEN`]: the last row of each in an array.
fn damerau_levenshtein_symbols(s1: &[u8], s2: &[u8]) -> usize {
    let (len1, len2) = (s1.len(), s2.len());
    debug_assert!(len1 <= MAX_LEN && len2 <= MAX_LEN);
    let max_val = len1.max(len2) as i32 + 1;
    let mut last_row_id = [-1i32; 128];
    let size = len2 + 2;
    let mut fr = [max_val; MAX_LEN + 2];
    let (mut rows, mut rows1) = ([0i32; MAX_LEN + 2], [max_val; MAX_LEN + 2]);
    // The two rows swap by reference (not by copying the arrays).
    let (mut r, mut r1) = (&mut rows, &mut rows1);
    r[0] = max_val;
    for (j, v) in r[1..size].iter_mut().enumerate() {
        *v = j as i32;
    }
    for (i, &ch1) in s1.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        std::mem::swap(&mut r, &mut r1);
        let mut last_col_id: i32 = -1;
        let mut last_i2l1 = r[1];
        r[1] = i as i32;
        let mut t = max_val;
        for (j, &ch2) in s2.iter().enumerate().map(|(j, c)| (j + 1, c)) {
            let diag = r1[j] + i32::from(ch1 != ch2);
            let left = r[j] + 1;
            let up = r1[j + 1] + 1;
            let mut temp = diag.min(left.min(up));
            if ch1 == ch2 {
                last_col_id = j as i32;
                fr[j + 1] = r1[j - 1];
                t = last_i2l1;
            } else {
                let k = last_row_id[(ch2 & 0x7f) as usize];
                let l = last_col_id;
                if j as i32 - l == 1 {
                    temp = temp.min(fr[j + 1] + (i as i32 - k));
                } else if i as i32 - k == 1 {
                    temp = temp.min(t + (j as i32 - l));
                }
            }
            last_i2l1 = r[j + 1];
            r[j + 1] = temp;
        }
        last_row_id[(ch1 & 0x7f) as usize] = i as i32;
    }
    r[len2 + 1] as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random strings over a small alphabet (many repeats and transpositions), of 0..=`max`
    /// characters.
    fn strings(seed: u64, n: usize, max: usize, alphabet: &str) -> Vec<String> {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..n)
            .map(|_| {
                let len = (next() % (max as u64 + 1)) as usize;
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_distances_are_strsim_s() {
        let mut pairs = 0;
        for (seed, max, alphabet) in [
            (1, 6, "ab"),
            (2, 10, "abc"),
            (3, 16, "abcd_"),
            (4, 30, "kotoku_city0123"),
            (5, 64, "abcdefghijklmnopqrstuvwxyz0123456789_."),
            (6, 8, "ぶんきょう"),
            (7, 20, "文京区広報課ブンキョウa1"),
            (
                8,
                64,
                "防災情報のお知らせ市町村県警察ーabcdefghijklmnopqrstuvwxyz0123456789",
            ),
        ] {
            let s = strings(seed, 120, max, alphabet);
            for a in &s {
                for b in s.iter().step_by(3) {
                    assert_eq!(
                        damerau_levenshtein(a, b),
                        strsim::damerau_levenshtein(a, b),
                        "{a} {b}"
                    );
                    assert_eq!(
                        normalized_damerau_levenshtein(a, b).to_bits(),
                        strsim::normalized_damerau_levenshtein(a, b).to_bits(),
                        "{a} {b}"
                    );
                    assert_eq!(
                        jaro_winkler(a, b).to_bits(),
                        strsim::jaro_winkler(a, b).to_bits(),
                        "{a} {b}"
                    );
                    assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} {b}");
                    let (dl, jw) = normalized_damerau_levenshtein_and_jaro_winkler(a, b);
                    assert_eq!(
                        (dl.to_bits(), jw.to_bits()),
                        (
                            strsim::normalized_damerau_levenshtein(a, b).to_bits(),
                            strsim::jaro_winkler(a, b).to_bits()
                        ),
                        "{a} {b}"
                    );
                    pairs += 1;
                }
            }
        }
        assert!(pairs > 30_000);
        // Unrestricted, not optimal string alignment: "ca" → "abc" is two edits.
        assert_eq!(damerau_levenshtein("ca", "abc"), 2);
        assert_eq!(osa_distance("ca", "abc"), 3);
        assert_eq!(osa_distance("ab", "ba"), 1);
    }

    #[test]
    fn long_strings_go_to_strsim() {
        let long = "a".repeat(70) + "b";
        let long_kana = "ぶ".repeat(65);
        for (a, b) in [
            ("文京区", "文京"),
            ("kōtō", "koto"),
            (long.as_str(), "ab"),
            (long_kana.as_str(), "ぶぶ"),
        ] {
            assert_eq!(damerau_levenshtein(a, b), strsim::damerau_levenshtein(a, b));
            assert_eq!(
                normalized_damerau_levenshtein(a, b),
                strsim::normalized_damerau_levenshtein(a, b)
            );
            assert_eq!(jaro_winkler(a, b), strsim::jaro_winkler(a, b));
            assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b));
            assert_eq!(
                normalized_damerau_levenshtein_and_jaro_winkler(a, b),
                (
                    strsim::normalized_damerau_levenshtein(a, b),
                    strsim::jaro_winkler(a, b)
                )
            );
        }
        assert!(Symbols::new(&long_kana, "ぶ").is_none());
    }
}
