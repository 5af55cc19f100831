//! Edit distances of short ASCII strings (handles), without allocating: the same algorithms
//! and the same answers as `strsim`'s (tests against it on many random pairs), on bytes and
//! fixed arrays instead of `char` iterators, vectors and a hash map. Longer or non-ASCII
//! strings go to `strsim` itself.

/// Longest string (bytes) the array versions take.
pub const MAX_LEN: usize = 64;

/// `strsim::damerau_levenshtein(a, b)` (unrestricted: substrings may be edited again after a
/// transposition).
pub fn damerau_levenshtein(a: &str, b: &str) -> usize {
    if !fits(a, b) {
        return strsim::damerau_levenshtein(a, b);
    }
    damerau_levenshtein_ascii(a.as_bytes(), b.as_bytes())
}

/// `strsim::normalized_damerau_levenshtein(a, b)`.
pub fn normalized_damerau_levenshtein(a: &str, b: &str) -> f64 {
    if !fits(a, b) {
        return strsim::normalized_damerau_levenshtein(a, b);
    }
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let dist = damerau_levenshtein_ascii(a.as_bytes(), b.as_bytes());
    1.0 - (dist as f64) / (a.len().max(b.len()) as f64)
}

/// `strsim::jaro_winkler(a, b)`: `strsim`'s own generic algorithm, over bytes.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if !fits(a, b) {
        return strsim::jaro_winkler(a, b);
    }
    strsim::generic_jaro_winkler(&Bytes(a.as_bytes()), &Bytes(b.as_bytes()))
}

/// Both strings ASCII (one byte per character) and short enough for the arrays.
fn fits(a: &str, b: &str) -> bool {
    a.len() <= MAX_LEN && b.len() <= MAX_LEN && a.is_ascii() && b.is_ascii()
}

/// The bytes of an ASCII string, iterable as `strsim`'s generic functions want.
struct Bytes<'a>(&'a [u8]);

impl<'a> IntoIterator for &Bytes<'a> {
    type Item = u8;
    type IntoIter = std::iter::Copied<std::slice::Iter<'a, u8>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().copied()
    }
}

/// `strsim`'s `damerau_levenshtein_impl` (Zhao and Sahni's linear-space algorithm), step
/// for step, for ASCII bytes of at most [`MAX_LEN`]: the last row of each byte in an array.
fn damerau_levenshtein_ascii(s1: &[u8], s2: &[u8]) -> usize {
    let (len1, len2) = (s1.len(), s2.len());
    debug_assert!(len1 <= MAX_LEN && len2 <= MAX_LEN);
    let max_val = len1.max(len2) as isize + 1;
    let mut last_row_id = [-1isize; 128];
    let size = len2 + 2;
    let mut fr = [max_val; MAX_LEN + 2];
    let (mut rows, mut rows1) = ([0isize; MAX_LEN + 2], [max_val; MAX_LEN + 2]);
    // The two rows swap by reference (not by copying the arrays).
    let (mut r, mut r1) = (&mut rows, &mut rows1);
    r[0] = max_val;
    for (j, v) in r[1..size].iter_mut().enumerate() {
        *v = j as isize;
    }
    for (i, &ch1) in s1.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        std::mem::swap(&mut r, &mut r1);
        let mut last_col_id: isize = -1;
        let mut last_i2l1 = r[1];
        r[1] = i as isize;
        let mut t = max_val;
        for (j, &ch2) in s2.iter().enumerate().map(|(j, c)| (j + 1, c)) {
            let diag = r1[j] + isize::from(ch1 != ch2);
            let left = r[j] + 1;
            let up = r1[j + 1] + 1;
            let mut temp = diag.min(left.min(up));
            if ch1 == ch2 {
                last_col_id = j as isize;
                fr[j + 1] = r1[j - 1];
                t = last_i2l1;
            } else {
                let k = last_row_id[(ch2 & 0x7f) as usize];
                let l = last_col_id;
                if j as isize - l == 1 {
                    temp = temp.min(fr[j + 1] + (i as isize - k));
                } else if i as isize - k == 1 {
                    temp = temp.min(t + (j as isize - l));
                }
            }
            last_i2l1 = r[j + 1];
            r[j + 1] = temp;
        }
        last_row_id[(ch1 & 0x7f) as usize] = i as isize;
    }
    r[len2 + 1] as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random strings over a small alphabet (many repeats and transpositions), of 0..=`max`
    /// bytes.
    fn strings(seed: u64, n: usize, max: usize, alphabet: &[u8]) -> Vec<String> {
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
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_ascii_distances_are_strsim_s() {
        let mut pairs = 0;
        for (seed, max, alphabet) in [
            (1, 6, &b"ab"[..]),
            (2, 10, b"abc"),
            (3, 16, b"abcd_"),
            (4, 30, b"kotoku_city0123"),
            (5, 64, b"abcdefghijklmnopqrstuvwxyz0123456789_."),
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
                    pairs += 1;
                }
            }
        }
        assert!(pairs > 20_000);
        // Unrestricted, not optimal string alignment: "ca" → "abc" is two edits.
        assert_eq!(damerau_levenshtein("ca", "abc"), 2);
        assert_eq!(strsim::osa_distance("ca", "abc"), 3);
    }

    #[test]
    fn long_or_non_ascii_strings_go_to_strsim() {
        let long = "a".repeat(70) + "b";
        for (a, b) in [("文京区", "文京"), ("kōtō", "koto"), (long.as_str(), "ab")] {
            assert_eq!(damerau_levenshtein(a, b), strsim::damerau_levenshtein(a, b));
            assert_eq!(
                normalized_damerau_levenshtein(a, b),
                strsim::normalized_damerau_levenshtein(a, b)
            );
            assert_eq!(jaro_winkler(a, b), strsim::jaro_winkler(a, b));
        }
    }
}
