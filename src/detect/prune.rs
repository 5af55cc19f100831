//! Candidate pruning: cheap upper bounds that prove a (candidate, official account) pair
//! scores exactly 0, so the detector skips its full comparison. Pure, no I/O.
//!
//! A pair can score above 0 only through the handle (an exact handle, or a similarity at or
//! above `handle_floor`), the display name (similarity at or above `display_name_floor`), or
//! the avatar (distance below `avatar_max_distance`); the bio and the disclaimers only add to
//! or damp those. The bounds:
//! - strings ([`handle::string_similarity`], `0.65·DL + 0.35·JW`): the Damerau–Levenshtein
//!   distance is at least `max(len) − common`, where `common` is the size of the two strings'
//!   character multiset intersection, and Jaro's matches are at most `common`; with the common
//!   prefix (at most 4) this bounds Jaro–Winkler too. So a pair whose characters barely
//!   overlap is pruned after one merge of two sorted character lists, without any edit
//!   distance;
//! - avatars: every view pair's weighted Hamming distance is at least the sum of the
//!   `popcount` smallest bit weights, so 32 popcounts bound [`AvatarHash::distance`];
//! - the fine descriptors: the views of an official avatar (rotations, crops, a mirror) are
//!   covered by a few balls on the unit sphere ([`FineBalls`]); by the triangle inequality, a
//!   candidate far enough from every ball's centre correlates with no view at the fine-match
//!   bar ([`FINE_SAME`], [`FINE_SAME_FLAT`], [`FINE_ALIGN_FROM`] for alignment), so a handful of dot products stand for the ~250
//!   correlations of the exact comparison.
//!
//! Every bound is ≥ the value it bounds, so pruning never changes a verdict or a score
//! (`tests::pruning_changes_nothing` compares with the unpruned detector).

use super::handle::{self, HandleForms};
use super::score::{dot, AvatarHash, Fine, FINE_ALIGN_FROM, FINE_SAME, FINE_SAME_FLAT};
use crate::config::Detection;

/// A string's characters, sorted, and its length in characters.
#[derive(Clone, Debug)]
struct Chars {
    sorted: Vec<char>,
    /// The first four characters (Jaro–Winkler's prefix).
    prefix: [char; 4],
    text_len: usize,
    /// One bit per character, `c mod 64`: a bit of one string missing from the other's mask
    /// is a character of the one outside their common multiset.
    mask: u64,
    /// How many characters fall on each `c mod 64` (for strings of at most 255 characters):
    /// `Σ min` over two strings' bins is at least their common multiset ([`Chars::common_at_most`]).
    bins: [u8; 64],
}

/// `Σ min(a[i], b[i])`: on x86-64 sixteen bins at a time (SSE2, which every x86-64 has:
/// byte minima, then sums of absolute differences from zero).
#[cfg(target_arch = "x86_64")]
fn sum_of_minima(a: &[u8; 64], b: &[u8; 64]) -> u32 {
    use std::arch::x86_64::{
        _mm_add_epi64, _mm_cvtsi128_si64, _mm_loadu_si128, _mm_min_epu8, _mm_sad_epu8,
        _mm_setzero_si128, _mm_unpackhi_epi64,
    };
    // SAFETY: SSE2 is part of the x86-64 baseline; the loads are unaligned loads of 16 bytes
    // at offsets 0, 16, 32 and 48 of 64-byte arrays.
    unsafe {
        let zero = _mm_setzero_si128();
        let mut sums = _mm_setzero_si128();
        for k in 0..4 {
            let x = _mm_loadu_si128(a.as_ptr().add(16 * k).cast());
            let y = _mm_loadu_si128(b.as_ptr().add(16 * k).cast());
            sums = _mm_add_epi64(sums, _mm_sad_epu8(_mm_min_epu8(x, y), zero));
        }
        (_mm_cvtsi128_si64(sums) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums))) as u32
    }
}

/// `Σ min(a[i], b[i])`.
#[cfg(not(target_arch = "x86_64"))]
fn sum_of_minima(a: &[u8; 64], b: &[u8; 64]) -> u32 {
    a.iter().zip(b).map(|(x, y)| u32::from(*x.min(y))).sum()
}

impl Default for Chars {
    fn default() -> Self {
        Chars::new("")
    }
}

impl Chars {
    fn new(s: &str) -> Self {
        let mut sorted: Vec<char> = s.chars().collect();
        let mut prefix = ['\0'; 4];
        for (p, c) in prefix.iter_mut().zip(&sorted) {
            *p = *c;
        }
        let text_len = sorted.len();
        let mask = sorted.iter().fold(0u64, |m, &c| m | 1 << (c as u32 % 64));
        let mut bins = [0u8; 64];
        if text_len <= u8::MAX as usize {
            for &c in &sorted {
                bins[(c as u32 % 64) as usize] += 1;
            }
        }
        sorted.sort_unstable();
        Chars {
            sorted,
            prefix,
            text_len,
            mask,
            bins,
        }
    }

    /// An upper bound of [`Chars::common`], without merging: the characters of a common
    /// multiset fall on the same bins, so each bin holds at most the fewer of the two
    /// strings' counts there. (Longer strings have no bins: then the shorter length.)
    fn common_at_most(&self, other: &Chars) -> usize {
        if self.text_len > u8::MAX as usize || other.text_len > u8::MAX as usize {
            return self.text_len.min(other.text_len);
        }
        sum_of_minima(&self.bins, &other.bins) as usize
    }

    /// True when the longer of the two strings has at least two characters outside their
    /// common multiset (`max(len) - common ≥ 2`), decided by the lengths or the masks when
    /// they suffice (each is a lower bound of it), by the multisets otherwise.
    fn two_outside_common(&self, other: &Chars) -> bool {
        if self.text_len.abs_diff(other.text_len) >= 2 {
            return true;
        }
        let only = |a: u64, b: u64| (a & !b).count_ones();
        if only(self.mask, other.mask).max(only(other.mask, self.mask)) >= 2 {
            return true;
        }
        self.text_len.max(other.text_len) - self.common(other) >= 2
    }

    /// Size of the multiset intersection.
    fn common(&self, other: &Chars) -> usize {
        let (a, b) = (&self.sorted, &other.sorted);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    fn prefix_len(&self, other: &Chars) -> usize {
        let n = self.text_len.min(other.text_len).min(4);
        (0..n)
            .take_while(|&k| self.prefix[k] == other.prefix[k])
            .count()
    }
}

/// An upper bound of [`handle::string_similarity`] (equal strings are 1; callers check
/// equality themselves when they need the exact value).
fn similarity_bound(a: &Chars, b: &Chars) -> f64 {
    similarity_bound_of(a, b, a.common(b))
}

/// [`similarity_bound`] given `m`, the common characters (or more: it grows with `m`).
fn similarity_bound_of(a: &Chars, b: &Chars, m: usize) -> f64 {
    let (la, lb) = (a.text_len, b.text_len);
    if la == 0 || lb == 0 {
        return 0.0;
    }
    let m = m.min(la).min(lb);
    if m == 0 {
        // No common character: Jaro is 0 and every character must be edited.
        return 0.0;
    }
    let dl = m as f64 / la.max(lb) as f64;
    let jaro = ((m as f64 / la as f64) + (m as f64 / lb as f64) + 1.0) / 3.0;
    let jaro = jaro.min(1.0);
    let p = a.prefix_len(b) as f64;
    let jw = (jaro + 0.1 * p * (1.0 - jaro)).min(1.0);
    (0.65 * dl + 0.35 * jw).min(1.0)
}

/// The four comparable forms of a handle, as character lists.
#[derive(Clone, Debug, Default)]
pub struct HandleChars([Chars; 4]);

impl HandleChars {
    pub fn new(f: &HandleForms) -> Self {
        HandleChars([
            Chars::new(&f.plain),
            Chars::new(&f.paired),
            Chars::new(&f.core),
            Chars::new(&f.words),
        ])
    }

    /// True when `handle::compare` of the two handles (not the same raw handle) finds at
    /// least two edits: whichever form it picks, its optimal-string-alignment distance is at
    /// least the characters of the longer string outside the two strings' common multiset
    /// (a transposition changes no character), here ≥ 2 for every form.
    pub fn edits_at_least_two(&self, other: &HandleChars) -> bool {
        (0..4).all(|i| self.0[i].two_outside_common(&other.0[i]))
    }

    /// Whether an upper bound of `handle::compare(..).similarity` for two handles that are not
    /// the same raw handle (the plain forms weigh 1, core and words 0.97, as there) reaches
    /// `floor`: the largest weighted [`similarity_bound`] of the four forms, one form at a
    /// time, each first with [`Chars::common_at_most`] (the bound grows with the common
    /// characters, so below `floor` with more of them is below `floor` with the exact count).
    fn bound_reaches(&self, other: &HandleChars, floor: f64) -> bool {
        (0..4).any(|i| {
            let w = HANDLE_FORM_WEIGHTS[i];
            w * similarity_bound_of(
                &self.0[i],
                &other.0[i],
                self.0[i].common_at_most(&other.0[i]),
            ) >= floor
                && w * similarity_bound(&self.0[i], &other.0[i]) >= floor
        })
    }
}

/// How `handle::compare` weighs its forms: plain and paired 1, core and words 0.97.
const HANDLE_FORM_WEIGHTS: [f64; 4] = [1.0, 1.0, 0.97, 0.97];

impl HandleChars {}

/// Most balls covering the views of one official avatar. Since near matches are aligned
/// (from [`FINE_ALIGN_FROM`], far below the same-picture bar), the bound must be tight: 8
/// balls of radius 0.35 kept most pairs; 64 of 0.15 cost a few more dot products per pair and
/// halve a 100-official scan (49 → 22 CPU-s, 20,000 candidates; identical assessments).
const MAX_BALLS: usize = 64;
/// Views this close to a ball's centre (Euclidean, on unit vectors) need no ball of their own.
const BALL_RADIUS: f64 = 0.15;

/// One ball of [`FineBalls`]: a view as its centre, and the farthest view it covers.
#[derive(Clone, Debug)]
struct Ball {
    centre: Fine,
    /// The centre's norm (the root of its sum of squares).
    norm: f64,
    radius: f64,
}

/// The distance of two descriptors as unit vectors, from their correlation.
fn distance(correlation: f64) -> f64 {
    (2.0 - 2.0 * correlation).max(0.0).sqrt()
}

/// Balls on the unit sphere covering every view of an official avatar with detail (flat views
/// correlate with nothing): centres chosen farthest-first, each view in the ball of its nearest
/// centre.
#[derive(Clone, Debug, Default)]
pub struct FineBalls(Vec<Ball>);

impl FineBalls {
    pub fn new(views: &[Fine]) -> Self {
        let set: Vec<&Fine> = views.iter().filter(|v| v.is_set()).collect();
        let Some(first) = set.first() else {
            return FineBalls::default();
        };
        let mut centres = vec![*first];
        let mut nearest: Vec<f64> = set.iter().map(|v| distance(v.similarity(first))).collect();
        while centres.len() < MAX_BALLS {
            let Some((i, d)) = nearest
                .iter()
                .copied()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
            else {
                break;
            };
            if d <= BALL_RADIUS {
                break;
            }
            centres.push(set[i]);
            for (n, v) in nearest.iter_mut().zip(&set) {
                *n = n.min(distance(v.similarity(set[i])));
            }
        }
        let mut balls: Vec<Ball> = centres
            .iter()
            .map(|c| Ball {
                centre: **c,
                norm: f64::from(c.norm2()).sqrt(),
                radius: 0.0,
            })
            .collect();
        for v in &set {
            let (k, d) = balls
                .iter()
                .map(|b| distance(v.similarity(&b.centre)))
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, 0.0));
            balls[k].radius = balls[k].radius.max(d);
        }
        FineBalls(balls)
    }

    /// False when no covered view can correlate with `fine` at `bar` or more.
    fn may_reach(&self, fine: &Fine, bar: f64) -> bool {
        let aa = fine.norm2();
        if aa == 0 {
            return false;
        }
        // A small margin for floating-point rounding.
        let reach = distance(bar) + 1e-6;
        let norm_a = (aa as f64).sqrt();
        self.0.iter().any(|b| {
            // distance(c) − radius ≤ reach, as a bar on the correlation c (distances are never
            // negative): c ≥ 1 − (reach + radius)² / 2, a shade lower for rounding. The dot
            // product is compared with the bar times the norms (no division, no roots).
            let least = 1.0 - (reach + b.radius).powi(2) / 2.0 - 1e-9;
            let ab = dot(&fine.0, &b.centre.0);
            ab as f64 >= least * norm_a * b.norm
        })
    }
}

/// What pruning keeps of one official account or one candidate (avatars are read where they
/// are, as they may be set after the detector is built).
#[derive(Clone, Debug, Default)]
pub struct Features {
    handle: HandleChars,
    name: Option<Chars>,
    /// The canonical local part of the handle (the detector's "same raw handle" test).
    pub local_key: String,
    /// The official avatar's fine views (officials only; set with the views).
    pub fine: FineBalls,
}

impl Features {
    /// The handle's forms as character lists.
    pub fn handle_chars(&self) -> &HandleChars {
        &self.handle
    }

    pub fn new(handle: &str, forms: &HandleForms, name_form: Option<&str>) -> Self {
        Features {
            handle: HandleChars::new(forms),
            name: name_form.map(Chars::new),
            local_key: crate::model::canonical_handle(handle::local_part(handle)),
            fine: FineBalls::default(),
        }
    }
}

/// The bounds of one detector: thresholds, and the lower bound of weighted Hamming distances
/// by number of differing bits.
#[derive(Clone, Debug)]
pub struct Pruner {
    handle_floor: f64,
    name_floor: f64,
    avatar_max_distance: u32,
    /// `byte_weights[k][v]`: the weight of the bits of `v` as byte `k` of a hash difference,
    /// over the total weight.
    byte_weights: [[f64; 256]; 8],
    mirror: u64,
}

impl Pruner {
    pub fn new(t: &Detection, bit_weights: &[f64]) -> Self {
        let total: f64 = bit_weights.iter().sum();
        let mut byte_weights = [[0.0; 256]; 8];
        for (k, table) in byte_weights.iter_mut().enumerate() {
            for (v, w) in table.iter_mut().enumerate() {
                *w = (0..8)
                    .filter(|bit| v >> bit & 1 == 1)
                    .filter_map(|bit| bit_weights.get(k * 8 + bit))
                    .sum::<f64>()
                    / total;
            }
        }
        Pruner {
            handle_floor: t.handle_floor,
            // A name reading the same (≥ 0.999) counts whatever the floor.
            name_floor: t.display_name_floor.min(0.999),
            avatar_max_distance: t.avatar_max_distance,
            byte_weights,
            mirror: super::score::mirror_bits(),
        }
    }

    /// Whether [`AvatarHash::distance`] of two avatars may be below `avatar_max_distance`:
    /// the same weighted share of differing bits, summed by byte from tables (so in another
    /// order than the exact sum, hence the margin), over the 16 view pairs, mirrored or not.
    fn avatar_may_match(&self, a: &[u64; 4], b: &[u64; 4]) -> bool {
        // The exact distance rounds to at least the maximum when its share × 64 is at least
        // max − ½; the table sum differs from it by far less than the margin.
        let below = (self.avatar_max_distance as f64 - 0.5) / 64.0 + 1e-9;
        for x in a {
            for y in b {
                let d = x ^ y;
                if self.weighted(d) < below || self.weighted(d ^ self.mirror) < below {
                    return true;
                }
            }
        }
        false
    }

    /// The weighted share of the bits set in `diff` (bit i weighs `bit_weights[i]`).
    #[inline]
    fn weighted(&self, diff: u64) -> f64 {
        diff.to_le_bytes()
            .iter()
            .zip(&self.byte_weights)
            .map(|(b, t)| t[*b as usize])
            .sum()
    }

    /// False when the pair provably scores 0: no exact handle, handle and name bounds below
    /// their floors, and no avatar within the maximum distance. `same_handle` is whether the
    /// two handles are the same raw handle (the detector's exact-handle case).
    pub fn may_score(
        &self,
        official: &Features,
        official_avatar: Option<&AvatarHash>,
        candidate: &Features,
        candidate_avatar: Option<&AvatarHash>,
    ) -> bool {
        if official.local_key == candidate.local_key {
            return true;
        }
        if let (Some(a), Some(b)) = (official_avatar, candidate_avatar) {
            if self.avatar_may_match(&a.hashes(), &b.hashes()) {
                return true;
            }
            // The fine views match copies (rotated, cropped, mirrored) whatever the DCT
            // hashes say (issue 10, item 2); from FINE_ALIGN_FROM they are aligned.
            if official
                .fine
                .may_reach(&b.fine, FINE_SAME.min(FINE_SAME_FLAT).min(FINE_ALIGN_FROM))
            {
                return true;
            }
        }
        if let (Some(a), Some(b)) = (&official.name, &candidate.name) {
            // Names are also read as words (containment, reordering, place + department
            // word: issue 10, item 3), which no whole-string bound covers: any two shared
            // characters keep the pair.
            // The cheap count first (at least the exact one, and the bound grows with it).
            let most = a.common_at_most(b);
            if most >= 2 || similarity_bound_of(a, b, most) >= self.name_floor {
                let m = a.common(b);
                if m >= 2 || similarity_bound_of(a, b, m) >= self.name_floor {
                    return true;
                }
            }
        }
        official
            .handle
            .bound_reaches(&candidate.handle, self.handle_floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_minima_are_exact() {
        let mut x = 0x853c_49e6_748f_ea9bu64;
        for round in 0..20_000 {
            let mut bins = [[0u8; 64]; 2];
            for b in bins.iter_mut().flatten() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Small counts mostly, full bytes sometimes.
                *b = if round % 7 == 0 {
                    x as u8
                } else {
                    (x % 4) as u8
                };
            }
            let expected: u32 = bins[0]
                .iter()
                .zip(&bins[1])
                .map(|(a, b)| u32::from(*a.min(b)))
                .sum();
            assert_eq!(sum_of_minima(&bins[0], &bins[1]), expected);
        }
    }

    #[test]
    fn string_bound_is_never_below_the_similarity() {
        let words = [
            "bunkyo_city",
            "bunkyocity",
            "bunkyo_clty",
            "city_bunkyo",
            "ytic_oyknub",
            "tanaka123",
            "b_diverjinzai",
            "b_diverjnzai",
            "a",
            "ab",
            "ba",
            "文京区広報",
            "文京区の広報",
            "広報文京区",
            "中野区",
            "abcdefghij",
            "jihgfedcba",
            "aaaaab",
            "baaaaa",
        ];
        for a in words {
            for b in words {
                let exact = handle::string_similarity(a, b);
                let bound = similarity_bound(&Chars::new(a), &Chars::new(b));
                if a != b {
                    assert!(bound + 1e-12 >= exact, "{a} {b}: {bound} < {exact}");
                }
            }
        }
        // The cheap count is never below the exact one, and the bound from it never below
        // the exact bound; so deciding with it first changes no answer.
        for a in words.iter().chain(["x".repeat(300).as_str()].iter()) {
            for b in words.iter().chain(["x".repeat(280).as_str()].iter()) {
                let (ca, cb) = (Chars::new(a), Chars::new(b));
                let most = ca.common_at_most(&cb);
                assert!(most >= ca.common(&cb), "{a} {b}");
                assert!(similarity_bound_of(&ca, &cb, most) >= similarity_bound(&ca, &cb));
            }
        }
        let forms = |h: &str| HandleChars::new(&handle::forms(h));
        for a in words {
            for b in words {
                let (fa, fb) = (forms(a), forms(b));
                let max = (0..4)
                    .map(|i| HANDLE_FORM_WEIGHTS[i] * similarity_bound(&fa.0[i], &fb.0[i]))
                    .fold(0.0, f64::max);
                for floor in [0.3, 0.5, 0.7, 0.8, 0.9, max, max + 1e-9] {
                    assert_eq!(
                        fa.bound_reaches(&fb, floor),
                        max >= floor,
                        "{a} {b} {floor}"
                    );
                }
            }
        }
        // Strings sharing no character are pruned outright.
        assert_eq!(
            similarity_bound(&Chars::new("xyz123"), &Chars::new("bunkoa")),
            0.0
        );
    }

    #[test]
    fn two_outside_common_is_the_multiset_count_and_bounds_the_edits() {
        let words = [
            "koga_city",
            "toga_city",
            "kogacity",
            "koga_clty",
            "city_koga",
            "koga_cityy",
            "koga",
            "a",
            "",
            "ab",
            "ba",
            "aab",
            "文京区広報",
            "広報文京区",
            // '!' (33) and 'a' (97) share a mask bit.
            "a!",
            "!a",
            "aA",
        ];
        for a in words {
            for b in words {
                let (ca, cb) = (Chars::new(a), Chars::new(b));
                let exact = ca.text_len.max(cb.text_len) - ca.common(&cb) >= 2;
                assert_eq!(ca.two_outside_common(&cb), exact, "{a} {b}");
                if exact {
                    assert!(strsim::osa_distance(a, b) >= 2, "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn avatar_bound_keeps_every_pair_within_the_maximum_distance() {
        let t = Detection::default();
        let p = Pruner::new(&t, &super::super::score::bit_weights());
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x >> 1
        };
        let (mut pruned, mut agree) = (0, 0);
        for n in 0..2000 {
            let a = AvatarHash::from_hashes([next(), next(), next(), next()], 1.0);
            let mut hb = a.hashes();
            // Close and far pairs alike: a few bits flipped, up to another picture.
            for (i, h) in hb.iter_mut().enumerate() {
                let flip = match n % 4 {
                    0 => next(),
                    1 => next() | next(),
                    _ => next() & next() & if i % 2 == 0 { next() } else { u64::MAX },
                };
                *h ^= flip;
            }
            let b = AvatarHash::from_hashes(hb, 1.0);
            let d = a.distance(&b);
            let keep = p.avatar_may_match(&a.hashes(), &b.hashes());
            if d < t.avatar_max_distance {
                assert!(keep, "pruned at distance {d}");
            }
            pruned += usize::from(!keep);
            agree += usize::from(keep == (d < t.avatar_max_distance));
        }
        // Tight: it is the distance itself, summed in another order.
        assert!(pruned > 200, "{pruned}");
        assert_eq!(agree, 2000);
    }

    /// A fine descriptor from a seed, and one mixed with another picture (`share` of it).
    fn fine(seed: u64, other: u64, share: f64) -> Fine {
        let px = |s: u64, i: u64| ((i * (s + 3) * 2_654_435_761) % 251) as f64;
        let px: Vec<f64> = (0..super::super::score::FINE_LEN as u64)
            .map(|i| (1.0 - share) * px(seed, i) + share * px(other, i))
            .collect();
        Fine::from_thumbnail(&px)
    }

    #[test]
    fn fine_balls_keep_every_candidate_near_a_view() {
        let bar = FINE_SAME.min(FINE_SAME_FLAT);
        // Views: a picture and variants of it at every distance, and a flat (unset) view.
        let mut views: Vec<Fine> = (0..40).map(|k| fine(1, 500 + k, k as f64 / 60.0)).collect();
        views.push(Fine::default());
        let balls = FineBalls::new(&views);
        let (mut near, mut pruned) = (0, 0);
        for c in 0..400u64 {
            let cand = fine(1 + c % 3, 900 + c, (c % 50) as f64 / 40.0);
            let exact = cand.best(&views);
            let keep = balls.may_reach(&cand, bar);
            if exact >= bar {
                near += 1;
                assert!(keep, "candidate {c} at {exact} pruned");
            }
            pruned += usize::from(!keep);
        }
        assert!(near > 10 && pruned > 100, "{near} near, {pruned} pruned");
        // An unset descriptor reaches nothing, and nothing reaches an unset official.
        assert!(!balls.may_reach(&Fine::default(), bar));
        assert!(!FineBalls::new(&[Fine::default()]).may_reach(&views[0], bar));
    }

    /// The detector with and without pruning, on look-alikes and unrelated accounts, with and
    /// without avatars: the same assessments, and most pairs pruned.
    #[test]
    fn pruning_changes_nothing() {
        use crate::detect::score::CandidateView;
        use crate::detect::{Detector, OfficialFeatures};
        use crate::model::{OfficialAccount, Platform};
        let account = |platform, handle: &str, name: &str| OfficialAccount {
            platform,
            handle: handle.into(),
            display_name: name.into(),
            url: "https://example.jp".into(),
            avatar: None,
            operator: None,
            bio: None,
            purpose: None,
        };
        let hash = |seed: u64| {
            let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            let mut h = [0u64; 4];
            for v in h.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *v = x >> 1;
            }
            AvatarHash::from_hashes(h, 0.6).with_fine(fine(seed, seed + 1, 0.0))
        };
        // The official avatar's views: variants of its fine descriptor.
        let views = |seed: u64| -> Vec<Fine> {
            (0..12)
                .map(|k| fine(seed, 300 + k, k as f64 / 30.0))
                .collect()
        };
        let officials = vec![
            OfficialFeatures::new(
                account(
                    Platform::X,
                    "b_diverjinzai",
                    "文京区中小企業ダイバーシティ人材採用促進事業",
                ),
                Some(hash(1)),
            ),
            OfficialFeatures::new(
                account(Platform::X, "bunkyo_koho", "文京区広報"),
                Some(hash(2)),
            )
            .with_views(views(2)),
            OfficialFeatures::new(
                account(Platform::Bluesky, "bunkyo-city.bsky.social", "文京区"),
                None,
            ),
            OfficialFeatures::new(
                account(Platform::X, "bunkyo_bousai", "文京区防災情報"),
                Some(hash(3)),
            )
            .with_views(views(3)),
        ];
        let mut pruned = Detector::new(officials, Detection::default(), "文京区");
        let mut full = pruned.clone();
        full.pruning = false;
        pruned.pruning = true;
        let handles = [
            "b_diverjnzai",
            "bunkyo_k0ho",
            "bunkyokoho_official",
            "koho_bunkyo",
            "bunkyo-city",
            "bunkyo_city",
            "tanaka_taro",
            "ramen_lover_99",
            "xyz",
            "b",
            "bunkyo_bousai",
            "nakano_koho",
            "cafe_hongo",
            "bousai_bunkyo_jp",
            "zzzzqqqq",
        ];
        let names = [
            None,
            Some(""),
            Some("文京区広報"),
            Some("【公式】文京区"),
            Some("ラーメン好き"),
            Some("中野区広報"),
            Some("文京区中小企業ダイバーシティ人材採用"),
            Some("たろう"),
        ];
        let (mut n, mut same_result) = (0, 0);
        for (i, h) in handles.iter().enumerate() {
            for (j, name) in names.iter().enumerate() {
                let other = hash(100 + (i * 8 + j) as u64);
                // Another picture by its DCT hashes whose fine descriptor is near a view
                // of @bunkyo_koho's avatar (a rotated or cropped copy).
                let copy = other
                    .clone()
                    .with_fine(fine(2, 305, 0.15 + 0.01 * j as f64));
                for avatar in [None, Some(hash(2)), Some(other.clone()), Some(copy)] {
                    let view = CandidateView {
                        handle: h,
                        display_name: *name,
                        bio: Some("文京区の公式アカウントです"),
                        avatar: avatar.clone(),
                        ..Default::default()
                    };
                    for platform in [Platform::X, Platform::Bluesky] {
                        let a = pruned.assess(platform, &view);
                        let b = full.assess(platform, &view);
                        assert_eq!(a, b, "@{h} {name:?} {avatar:?}");
                        n += 1;
                        same_result += 1;
                    }
                }
            }
        }
        assert_eq!(n, same_result);
        // It prunes: an unrelated account is compared with the last official account only.
        let p = &pruned.pruner;
        let stranger = Features::new("zzzzqqqq", &handle::forms("zzzzqqqq"), Some("たろう"));
        let kept = pruned
            .officials
            .iter()
            .filter(|o| p.may_score(&o.prune, None, &stranger, None))
            .count();
        assert_eq!(kept, 0);
    }
}
