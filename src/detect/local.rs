//! Local avatar matching (issue 10, items 1 and 2): how many corners of a candidate's avatar
//! ([`Keypoints`]) land on corners of an official avatar with the same neighbourhood, under
//! one geometric transform (a shift, a turn of at most 20°, a scale between 0.45 and 2.2).
//! A copy under a label, on a canvas, in a frame, turned or cut unevenly keeps many such
//! corners; a different picture of the same template or style keeps few. How many an
//! unrelated picture reaches is measured per official avatar against the background corpus
//! ([`LocalCalibration`]), as for the fine descriptor.
//!
//! Pure: [`LocalIndex`] is built once from the official avatars; every candidate is one
//! lookup of its corners (locality-sensitive hashing on descriptor bits) and a small
//! two-point consensus per official avatar it shares enough corners with.

use crate::avatar::keypoints::{Keypoint, Keypoints};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Hash tables of the index, and bits of the descriptor each is keyed by.
const TABLES: usize = 8;
const KEY_BITS: usize = 10;
/// Descriptors this many bits apart (of 256) or fewer are a candidate correspondence.
const MAX_MATCH_DISTANCE: u32 = 64;
/// Correspondences tried for consensus per official avatar (the closest ones), and how many
/// of those propose transforms (two at a time).
const MAX_CONSENSUS: usize = 40;
const MAX_PROPOSERS: usize = 20;
/// The fewest corners a match may carry to count ([`crate::detect::score`] asks no fewer):
/// an official avatar with fewer correspondences than this is not tried at all.
pub const MIN_CORNERS: u32 = 8;
/// How far (in the official avatar's thumbnail pixels) a corner may land from its match.
const INLIER_TOLERANCE: f32 = 4.0;
/// Limits of the transform: scale, and turn in radians.
const SCALE_RANGE: (f32, f32) = (0.45, 2.2);
const MAX_TURN: f32 = 0.35;
/// Two corners closer than this (pixels) do not define a transform.
const MIN_BASELINE: f32 = 8.0;

/// The descriptor bits each table is keyed by: fixed, distinct within a table.
static KEYS: std::sync::LazyLock<[[u8; KEY_BITS]; TABLES]> = std::sync::LazyLock::new(|| {
    let mut state: u32 = 0x2545_F491;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state % 256) as u8
    };
    std::array::from_fn(|_| {
        let mut key = [0u8; KEY_BITS];
        let mut n = 0;
        while n < KEY_BITS {
            let b = next();
            if !key[..n].contains(&b) {
                key[n] = b;
                n += 1;
            }
        }
        key
    })
});

fn key(bits: &[u64; 4], positions: &[u8; KEY_BITS]) -> usize {
    positions.iter().enumerate().fold(0, |acc, (i, &p)| {
        acc | ((((bits[p as usize / 64] >> (p % 64)) & 1) as usize) << i)
    })
}

fn hamming(a: &[u64; 4], b: &[u64; 4]) -> u32 {
    (0..4).map(|i| (a[i] ^ b[i]).count_ones()).sum()
}

/// One hash table: bucket `k` holds `entries[starts[k]..starts[k + 1]]`, and their
/// descriptors in the same order in `bits` (a bucket is read front to back, not gathered
/// from all over the index).
#[derive(Clone, Debug, Default)]
struct Table {
    starts: Vec<u32>,
    entries: Vec<u32>,
    bits: Vec<[u64; 4]>,
}

/// The corners of every official avatar, indexed by descriptor bits.
#[derive(Clone, Debug, Default)]
pub struct LocalIndex {
    /// (official avatar, corner), in the order of `officials` given to [`LocalIndex::new`].
    points: Vec<(u32, Keypoint)>,
    /// Where each official avatar's corners are in `points`.
    ranges: Vec<std::ops::Range<usize>>,
    tables: Vec<Table>,
}

/// The best consensus of a candidate's corners with one official avatar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalMatch {
    /// Index of the official avatar (as given to [`LocalIndex::new`]).
    pub official: usize,
    /// Candidate corners that land on their match under the best transform.
    pub inliers: u32,
    /// Share of the official corners (at the scale most inliers come from) inside the part of
    /// the official picture the candidate's corners span that the inliers recover: a copy
    /// recovers most of them, another picture on the same template only the shared part.
    pub recovered: f32,
}

impl LocalIndex {
    /// Indexes the keypoints of each official avatar (`None`: no avatar).
    pub fn new(officials: &[Option<&Keypoints>]) -> Self {
        let points: Vec<(u32, Keypoint)> = officials
            .iter()
            .enumerate()
            .flat_map(|(o, k)| {
                k.iter()
                    .flat_map(move |k| k.0.iter().map(move |p| (o as u32, *p)))
            })
            .collect();
        let tables = KEYS
            .iter()
            .map(|positions| {
                let mut counts = vec![0u32; (1 << KEY_BITS) + 1];
                let keys: Vec<usize> = points
                    .iter()
                    .map(|(_, p)| key(&p.bits, positions))
                    .collect();
                for &k in &keys {
                    counts[k + 1] += 1;
                }
                for k in 1..counts.len() {
                    counts[k] += counts[k - 1];
                }
                let mut fill = counts.clone();
                let mut entries = vec![0u32; points.len()];
                for (i, &k) in keys.iter().enumerate() {
                    entries[fill[k] as usize] = i as u32;
                    fill[k] += 1;
                }
                Table {
                    starts: counts,
                    bits: entries.iter().map(|&e| points[e as usize].1.bits).collect(),
                    entries,
                }
            })
            .collect();
        let mut ranges = vec![0..0; officials.len()];
        for (i, (o, _)) in points.iter().enumerate() {
            let r = &mut ranges[*o as usize];
            if r.start == r.end {
                *r = i..i;
            }
            r.end = i + 1;
        }
        LocalIndex {
            points,
            ranges,
            tables,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The consensus of `candidate` with every official avatar it carries at least
    /// [`MIN_CORNERS`] corners of (others are left out).
    pub fn matches(&self, candidate: &Keypoints) -> Vec<LocalMatch> {
        if self.points.is_empty() || candidate.0.len() < MIN_CORNERS as usize {
            return Vec::new();
        }
        // (official, candidate corner, distance, official corner): the closest official
        // corner of each official avatar for each candidate corner.
        // The closest official corner of each official avatar for each candidate corner (of
        // equal distances, the first indexed): `best[o]` holds the current corner's, valid
        // when `seen[o]` is the corner's number.
        let officials = self.ranges.len();
        let (mut seen, mut best) = (vec![u16::MAX; officials], vec![(0u32, 0u32); officials]);
        let mut touched: Vec<u32> = Vec::new();
        let mut count = vec![0u16; officials];
        let mut found: Vec<(u32, u16, u32, u32)> = Vec::new();
        for (ci, c) in candidate.0.iter().enumerate() {
            let ci = ci as u16;
            for (table, positions) in self.tables.iter().zip(KEYS.iter()) {
                let k = key(&c.bits, positions);
                let bucket = table.starts[k] as usize..table.starts[k + 1] as usize;
                for (&e, bits) in table.entries[bucket.clone()]
                    .iter()
                    .zip(&table.bits[bucket])
                {
                    let d = hamming(&c.bits, bits);
                    if d > MAX_MATCH_DISTANCE {
                        continue;
                    }
                    let o = self.points[e as usize].0 as usize;
                    if seen[o] != ci {
                        seen[o] = ci;
                        best[o] = (d, e);
                        touched.push(o as u32);
                    } else if (d, e) < best[o] {
                        best[o] = (d, e);
                    }
                }
            }
            for o in touched.drain(..) {
                let (d, e) = best[o as usize];
                found.push((o, ci, d, e));
                count[o as usize] += 1;
            }
        }
        // Only official avatars with enough correspondences are tried.
        found.retain(|f| count[f.0 as usize] >= MIN_CORNERS as u16);
        found.sort_unstable_by_key(|f| (f.0, f.2, f.1));
        let mut out = Vec::new();
        for group in found.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < MIN_CORNERS as usize {
                continue;
            }
            let pairs: Vec<(&Keypoint, &Keypoint)> = group
                .iter()
                .take(MAX_CONSENSUS)
                .map(|f| (&candidate.0[f.1 as usize], &self.points[f.3 as usize].1))
                .collect();
            let (inliers, a, b) = consensus(&Correspondences::new(&pairs));
            if inliers >= MIN_CORNERS {
                let official = group[0].0;
                let recovered = self.recovered(official, candidate, &pairs, a, b);
                out.push(LocalMatch {
                    official: official as usize,
                    inliers,
                    recovered,
                });
            }
        }
        out
    }
}

impl LocalIndex {
    /// [`LocalMatch::recovered`] for the transform `q = a·p + b`.
    fn recovered(
        &self,
        official: u32,
        candidate: &Keypoints,
        pairs: &[(&Keypoint, &Keypoint)],
        a: (f32, f32),
        b: (f32, f32),
    ) -> f32 {
        let map = |p: &Keypoint| (a.0 * p.x - a.1 * p.y + b.0, a.1 * p.x + a.0 * p.y + b.1);
        let tol2 = INLIER_TOLERANCE * INLIER_TOLERANCE;
        let inliers: Vec<&Keypoint> = pairs
            .iter()
            .filter(|(p, q)| {
                let (x, y) = map(p);
                (x - q.x).powi(2) + (y - q.y).powi(2) <= tol2
            })
            .map(|(_, q)| *q)
            .collect();
        let mut per_level = [0usize; 8];
        for q in &inliers {
            per_level[(q.level as usize).min(7)] += 1;
        }
        let level = (0..8)
            .max_by_key(|&l| (per_level[l], std::cmp::Reverse(l)))
            .unwrap_or(0) as u8;
        // The span of the candidate's corners, in the official picture.
        let mapped: Vec<(f32, f32)> = candidate.0.iter().map(map).collect();
        let (x0, x1) = mapped.iter().fold((f32::MAX, f32::MIN), |(lo, hi), m| {
            (lo.min(m.0), hi.max(m.0))
        });
        let (y0, y1) = mapped.iter().fold((f32::MAX, f32::MIN), |(lo, hi), m| {
            (lo.min(m.1), hi.max(m.1))
        });
        let inside = self.points[self.ranges[official as usize].clone()]
            .iter()
            .filter(|(_, p)| {
                p.level == level
                    && (x0 - INLIER_TOLERANCE..=x1 + INLIER_TOLERANCE).contains(&p.x)
                    && (y0 - INLIER_TOLERANCE..=y1 + INLIER_TOLERANCE).contains(&p.y)
            })
            .count();
        let found = inliers.iter().filter(|q| q.level == level).count();
        found as f32 / inside.max(found).max(1) as f32
    }
}

/// Up to [`MAX_CONSENSUS`] correspondences (candidate corner `p` → official corner `q`), one
/// array per coordinate so that voting runs over them a few lanes at a time. Unused places
/// hold a correspondence no transform within the limits carries.
struct Correspondences {
    n: usize,
    px: [f32; MAX_CONSENSUS],
    py: [f32; MAX_CONSENSUS],
    qx: [f32; MAX_CONSENSUS],
    qy: [f32; MAX_CONSENSUS],
}

impl Correspondences {
    fn new(pairs: &[(&Keypoint, &Keypoint)]) -> Self {
        // Far beyond any picture: never within the tolerance of a mapped corner.
        const NOWHERE: f32 = 1e9;
        let mut c = Correspondences {
            n: pairs.len().min(MAX_CONSENSUS),
            px: [0.0; MAX_CONSENSUS],
            py: [0.0; MAX_CONSENSUS],
            qx: [NOWHERE; MAX_CONSENSUS],
            qy: [NOWHERE; MAX_CONSENSUS],
        };
        for (i, (p, q)) in pairs.iter().take(MAX_CONSENSUS).enumerate() {
            (c.px[i], c.py[i], c.qx[i], c.qy[i]) = (p.x, p.y, q.x, q.y);
        }
        c
    }

    /// How many correspondences `q = a·p + b` carries to within [`INLIER_TOLERANCE`].
    fn votes(&self, (ar, ai): (f32, f32), (bx, by): (f32, f32)) -> u32 {
        let tol2 = INLIER_TOLERANCE * INLIER_TOLERANCE;
        let mut n = 0u32;
        for i in 0..MAX_CONSENSUS {
            let x = ar * self.px[i] - ai * self.py[i] + bx - self.qx[i];
            let y = ai * self.px[i] + ar * self.py[i] + by - self.qy[i];
            n += u32::from(x * x + y * y <= tol2);
        }
        n
    }
}

/// The most correspondences (candidate corner → official corner) one similarity transform
/// within the limits carries to within [`INLIER_TOLERANCE`]: every pair of correspondences
/// proposes the transform that maps both exactly.
fn consensus(pairs: &Correspondences) -> (u32, (f32, f32), (f32, f32)) {
    let mut best = (0, (1.0, 0.0), (0.0, 0.0));
    // Transforms are proposed by the closest correspondences only (a copy's are among them);
    // every correspondence votes.
    let proposers = pairs.n.min(MAX_PROPOSERS);
    let (px, py, qx, qy) = (&pairs.px, &pairs.py, &pairs.qx, &pairs.qy);
    for i in 0..proposers {
        for j in i + 1..proposers {
            let (dpx, dpy) = (px[j] - px[i], py[j] - py[i]);
            let (dqx, dqy) = (qx[j] - qx[i], qy[j] - qy[i]);
            let base = dpx * dpx + dpy * dpy;
            if base < MIN_BASELINE * MIN_BASELINE {
                continue;
            }
            // a = dq / dp as complex numbers: the scale and turn that map one onto the other.
            let ar = (dqx * dpx + dqy * dpy) / base;
            let ai = (dqy * dpx - dqx * dpy) / base;
            // Within the limits: scale² in range, and a turn of at most MAX_TURN (a ≥ 0 real
            // part, and an imaginary part at most tan(MAX_TURN) of it).
            let scale2 = ar * ar + ai * ai;
            let turn_ok = ar > 0.0 && ai.abs() <= ar * MAX_TURN.tan();
            if !(SCALE_RANGE.0 * SCALE_RANGE.0..=SCALE_RANGE.1 * SCALE_RANGE.1).contains(&scale2)
                || !turn_ok
            {
                continue;
            }
            let bx = qx[i] - (ar * px[i] - ai * py[i]);
            let by = qy[i] - (ai * px[i] + ar * py[i]);
            let inliers = pairs.votes((ar, ai), (bx, by));
            if inliers > best.0 {
                best = (inliers, (ar, ai), (bx, by));
            }
        }
    }
    best
}

/// What was found for each distinct picture lately, so that a picture many accounts share (a
/// platform's default avatar, one impostor's many accounts, the same account found by several
/// sources) is matched once. Bounded: emptied when it holds [`PerPicture::CAPACITY`] pictures.
/// A clone starts empty.
#[derive(Debug)]
pub struct PerPicture<T> {
    held: Mutex<HashMap<PictureKey, (Arc<Keypoints>, T)>>,
}

/// A picture's first corner and how many it has: the same for the same picture, and rarely
/// for two different ones (which are then told apart by comparing all their corners).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct PictureKey {
    corners: usize,
    first: [u64; 4],
    at: (u32, u32),
}

impl<T> Default for PerPicture<T> {
    fn default() -> Self {
        PerPicture {
            held: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> Clone for PerPicture<T> {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl<T: Clone> PerPicture<T> {
    pub const CAPACITY: usize = 2048;

    /// What `compute` gives for `picture`, computed only if this picture is not held (outside
    /// the lock, so that other threads go on meanwhile).
    pub fn get_or_compute(&self, picture: &Arc<Keypoints>, compute: impl FnOnce() -> T) -> T {
        let Some(first) = picture.0.first() else {
            return compute();
        };
        let key = PictureKey {
            corners: picture.0.len(),
            first: first.bits,
            at: (first.x.to_bits(), first.y.to_bits()),
        };
        let held = |held: &HashMap<PictureKey, (Arc<Keypoints>, T)>| {
            held.get(&key)
                .filter(|(k, _)| Arc::ptr_eq(k, picture) || **k == **picture)
                .map(|(_, v)| v.clone())
        };
        if let Some(v) = held(&self.held.lock().unwrap_or_else(|e| e.into_inner())) {
            return v;
        }
        let value = compute();
        let mut map = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::CAPACITY {
            map.clear();
        }
        map.insert(key, (Arc::clone(picture), value.clone()));
        value
    }
}

/// How the background corpus relates to one official avatar locally: the consensus each
/// background picture reaches with it, sorted descending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocalCalibration {
    best: Vec<u32>,
}

impl LocalCalibration {
    /// The calibration of each of the `officials` avatars of `index`, from one pass over
    /// the corpus (each picture matched with all of them at once; whatever share of the
    /// official corners a match recovers: the stricter bar).
    ///
    /// The corpus is split between plain threads, one per core (not the rayon pool: this runs
    /// once, inside a lazy initialisation that scoring on the pool waits for).
    pub fn of_all(index: &LocalIndex, officials: usize, corpus: &[Keypoints]) -> Vec<Self> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let part = corpus.len().div_ceil(threads).max(1);
        let found: Vec<Vec<LocalMatch>> = std::thread::scope(|s| {
            let parts: Vec<_> = corpus
                .chunks(part)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|p| index.matches(p))
                            .collect::<Vec<Vec<LocalMatch>>>()
                    })
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut best = vec![vec![0u32; corpus.len()]; officials];
        for (i, matches) in found.into_iter().enumerate() {
            for m in matches {
                best[m.official][i] = m.inliers;
            }
        }
        best.into_iter()
            .map(|mut best| {
                best.sort_unstable_by(|a, b| b.cmp(a));
                LocalCalibration { best }
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.best.is_empty()
    }

    /// Share (smoothed, `(k + 1) / (n + 1)`) of background pictures whose consensus with the
    /// official avatar is at least `inliers`.
    pub fn chance(&self, inliers: u32) -> f64 {
        let k = self.best.partition_point(|&b| b >= inliers);
        (k as f64 + 1.0) / (self.best.len() as f64 + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avatar::keypoints::{keypoints, official_keypoints, MAX_KEYPOINTS};
    use image::GrayImage;

    /// A picture with many distinct corners: rectangles of pseudo-random shades and sizes.
    fn picture(seed: u32) -> GrayImage {
        let mut s = seed.wrapping_mul(2654435761).max(1);
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s
        };
        let mut img = GrayImage::from_pixel(128, 128, image::Luma([128]));
        for _ in 0..40 {
            let (x, y) = (next() % 120, next() % 120);
            let (w, h) = (8 + next() % 30, 8 + next() % 30);
            let v = (next() % 256) as u8;
            for yy in y..(y + h).min(128) {
                for xx in x..(x + w).min(128) {
                    img.put_pixel(xx, yy, image::Luma([v]));
                }
            }
        }
        img
    }

    fn best(index: &LocalIndex, k: &Keypoints, official: usize) -> u32 {
        index
            .matches(k)
            .iter()
            .find(|m| m.official == official)
            .map_or(0, |m| m.inliers)
    }

    #[test]
    fn a_copy_under_a_label_and_shifted_keeps_its_corners_and_another_picture_does_not() {
        let (a, b) = (picture(1), picture(2));
        let (ka, kb) = (official_keypoints(&a), official_keypoints(&b));
        let index = LocalIndex::new(&[Some(&ka), None, Some(&kb)]);
        // Shifted by (6, 4) on a plain canvas, with a white band across its lower quarter.
        let copy = GrayImage::from_fn(128, 128, |x, y| {
            if y >= 96 {
                image::Luma([255])
            } else if x >= 6 && y >= 4 {
                *a.get_pixel(x - 6, y - 4)
            } else {
                image::Luma([128])
            }
        });
        let kc = keypoints(&copy, MAX_KEYPOINTS);
        assert!(best(&index, &kc, 0) >= 12, "{}", best(&index, &kc, 0));
        // Rectangles have look-alike corners: a few fall into place by chance.
        assert!(best(&index, &kc, 2) <= 6, "{}", best(&index, &kc, 2));
        assert!(index.matches(&kc).iter().all(|m| m.official != 1));
    }

    #[test]
    fn a_shrunken_copy_matches_a_smaller_scale_of_the_official_avatar() {
        let a = picture(3);
        let ka = official_keypoints(&a);
        let index = LocalIndex::new(&[Some(&ka)]);
        let small = crate::avatar::resize_gray(&a, 83, 83);
        let canvas = GrayImage::from_fn(128, 128, |x, y| {
            if (20..103).contains(&x) && (22..105).contains(&y) {
                *small.get_pixel(x - 20, y - 22)
            } else {
                image::Luma([60])
            }
        });
        let inliers = best(&index, &keypoints(&canvas, MAX_KEYPOINTS), 0);
        assert!(inliers >= 8, "{inliers}");
    }

    #[test]
    fn consensus_counts_only_correspondences_one_transform_explains() {
        let kp = |x: f32, y: f32| Keypoint {
            x,
            y,
            bits: [0; 4],
            level: 0,
        };
        let (c, o): (Vec<Keypoint>, Vec<Keypoint>) =
            [(10.0, 10.0), (50.0, 12.0), (30.0, 60.0), (90.0, 90.0)]
                .iter()
                .map(|&(x, y)| (kp(x, y), kp(x * 1.2 + 5.0, y * 1.2 - 3.0)))
                .chain([
                    (kp(20.0, 20.0), kp(100.0, 5.0)),
                    (kp(70.0, 40.0), kp(3.0, 110.0)),
                ])
                .unzip();
        let pairs: Vec<_> = c.iter().zip(&o).collect();
        assert_eq!(consensus(&Correspondences::new(&pairs)).0, 4);
        // A mirror image is not a similarity without reflection: at most the two used.
        let mirrored: Vec<Keypoint> = c.iter().map(|k| kp(128.0 - k.x, k.y)).collect();
        let pairs: Vec<_> = mirrored.iter().zip(&c).take(4).collect();
        assert!(consensus(&Correspondences::new(&pairs)).0 <= 2);
    }

    #[test]
    fn chance_counts_background_pictures_with_as_much_consensus() {
        let a = official_keypoints(&picture(4));
        let corpus: Vec<Keypoints> = (10..30)
            .map(|s| keypoints(&picture(s), MAX_KEYPOINTS))
            .collect();
        let index = LocalIndex::new(&[Some(&a)]);
        let cal = LocalCalibration::of_all(&index, 1, &corpus).remove(0);
        assert_eq!(cal.chance(0), 1.0);
        let own = keypoints(&picture(4), MAX_KEYPOINTS);
        let k = best(&index, &own, 0);
        assert!(k >= 20, "{k}");
        assert!((cal.chance(k) - 1.0 / 21.0).abs() < 1e-9);
    }

    #[test]
    fn a_picture_seen_before_is_not_matched_again_and_a_different_one_is() {
        let seen = PerPicture::<u32>::default();
        let a = Arc::new(keypoints(&picture(5), MAX_KEYPOINTS));
        assert!(a.0.len() >= 2);
        assert_eq!(seen.get_or_compute(&a, || 1), 1);
        // The same corners (another copy of them): the value held, not computed.
        let same = Arc::new((*a).clone());
        assert_eq!(seen.get_or_compute(&same, || unreachable!()), 1);
        // The same first corner and count, another picture: computed.
        let mut other = (*a).clone();
        other.0[1].bits[0] ^= 1;
        assert_eq!(seen.get_or_compute(&Arc::new(other), || 2), 2);
        // No corners: nothing to key by, always computed.
        let none = Arc::new(Keypoints::default());
        assert_eq!(seen.get_or_compute(&none, || 3), 3);
        assert_eq!(seen.get_or_compute(&none, || 4), 4);
    }

    #[test]
    fn what_is_held_is_bounded() {
        let seen = PerPicture::<usize>::default();
        let k = keypoints(&picture(6), MAX_KEYPOINTS);
        for n in 0..PerPicture::<usize>::CAPACITY + 10 {
            let mut p = k.clone();
            p.0[0].bits = [n as u64, 0, 0, 0];
            seen.get_or_compute(&Arc::new(p), || n);
        }
        assert!(seen.held.lock().unwrap().len() <= PerPicture::<usize>::CAPACITY);
    }
}
