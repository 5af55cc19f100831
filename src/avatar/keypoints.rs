//! Local avatar features (issue 10, items 1 and 2): corners found by the FAST-9 test, each
//! described by 256 intensity comparisons of its smoothed neighbourhood (BRIEF). A copy that
//! was labelled, framed, put on a canvas, turned a little, skewed or cut unevenly keeps most of
//! its corners and their neighbourhoods, in the same arrangement; another picture of the same
//! template (a different glyph on the same circle) does not. [`crate::detect::local`] matches
//! them under one geometric transform.
//!
//! Computed from the grey plane of the shared thumbnail (longer side 128), so a candidate's
//! features cost one pass over it; official avatars add a few scales of themselves
//! ([`official_keypoints`]) so that a copy shrunk onto a canvas or enlarged by a crop still
//! finds its corners at the same size.

use image::GrayImage;

/// Corners kept per picture (per scale for official avatars), the strongest first.
pub const MAX_KEYPOINTS: usize = 48;
/// How much brighter or darker than the centre the circle's pixels must be.
const FAST_THRESHOLD: i16 = 12;
/// Half the side of the square the descriptor's comparisons are drawn from.
const PATCH_RADIUS: i32 = 12;
/// Scales of an official avatar matched against candidates (the picture at its own size
/// first): a copy enlarged by a crop or shrunk onto a canvas.
const OFFICIAL_SCALES: [f32; 5] = [1.0, 1.3, 0.8, 0.64, 0.5];

/// One corner: where it is (in the picture's own pixels) and its 256-bit descriptor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Keypoint {
    pub x: f32,
    pub y: f32,
    pub bits: [u64; 4],
    /// Which of [`OFFICIAL_SCALES`] it was found at (0 for a candidate's own corners; not
    /// stored).
    pub level: u8,
}

/// The local features of one picture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keypoints(pub Vec<Keypoint>);

/// Bytes per keypoint when stored: x and y in 1/64 pixel (`u16`), then the descriptor.
const STORED_LEN: usize = 4 + 32;

impl Keypoints {
    /// The stored form (hash cache, background file).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.0.len() * STORED_LEN);
        for k in &self.0 {
            out.extend_from_slice(&((k.x * 64.0).round() as u16).to_le_bytes());
            out.extend_from_slice(&((k.y * 64.0).round() as u16).to_le_bytes());
            for w in k.bits {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads [`Keypoints::to_bytes`]; a malformed blob reads as no keypoints.
    pub fn from_bytes(bytes: &[u8]) -> Keypoints {
        if !bytes.len().is_multiple_of(STORED_LEN) {
            return Keypoints::default();
        }
        let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as f32 / 64.0;
        Keypoints(
            bytes
                .chunks_exact(STORED_LEN)
                .map(|b| Keypoint {
                    x: u16_at(b, 0),
                    y: u16_at(b, 2),
                    bits: std::array::from_fn(|w| {
                        u64::from_le_bytes(b[4 + w * 8..12 + w * 8].try_into().unwrap())
                    }),
                    level: 0,
                })
                .collect(),
        )
    }
}

/// The 16 pixels of the FAST circle (radius 3), in order around it.
const CIRCLE: [(i32, i32); 16] = [
    (0, -3),
    (1, -3),
    (2, -2),
    (3, -1),
    (3, 0),
    (3, 1),
    (2, 2),
    (1, 3),
    (0, 3),
    (-1, 3),
    (-2, 2),
    (-3, 1),
    (-3, 0),
    (-3, -1),
    (-2, -2),
    (-1, -3),
];

/// True when the 16-bit circle mask has 9 neighbours in a row set (around the circle).
fn nine_in_a_row(mask: u32) -> bool {
    let m = mask | (mask << 16);
    let mut run = m;
    for k in 1..9 {
        run &= m >> k;
    }
    run & 0xffff != 0
}

/// The descriptor's 256 comparisons: pairs of offsets drawn once from a normal distribution
/// (σ = patch radius / 2.4, clipped to the patch) by a fixed generator, so that every build and
/// every stored descriptor agree.
static PAIRS: std::sync::LazyLock<[[(i32, i32); 2]; 256]> = std::sync::LazyLock::new(|| {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let sigma = PATCH_RADIUS as f64 / 2.4;
    let mut normal = move || {
        let (u, v) = (uniform(), uniform());
        let z = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        ((z * sigma).round() as i32).clamp(-PATCH_RADIUS, PATCH_RADIUS)
    };
    std::array::from_fn(|_| loop {
        let pair = [(normal(), normal()), (normal(), normal())];
        if pair[0] != pair[1] {
            break pair;
        }
    })
});

/// A 5×5 box blur (edges repeat), as `u8`: the descriptor compares smoothed intensities so
/// that noise and recompression do not flip its bits.
#[inline(always)]
pub(crate) fn box_blur(px: &[u8], w: usize, h: usize) -> Vec<u8> {
    const R: i32 = 2;
    let clamp = |v: i32, n: usize| v.clamp(0, n as i32 - 1) as usize;
    let mut rows = vec![0u16; w * h];
    let r = R as usize;
    // Away from the ends of a row there is no edge to repeat: those sums in a loop that
    // vectorises, the few at the ends apart.
    let interior = r..w.saturating_sub(r).max(r);
    for (row, sums) in px.chunks_exact(w).zip(rows.chunks_exact_mut(w)) {
        for x in interior.clone() {
            sums[x] = row[x - r..=x + r].iter().map(|&v| v as u16).sum();
        }
        for x in (0..w).filter(|x| !interior.contains(x)) {
            sums[x] = (-R..=R).map(|dx| row[clamp(x as i32 + dx, w)] as u16).sum();
        }
    }
    // Columns summed a row at a time (contiguous, so the loops vectorise).
    let row_of = |y: i32| &rows[clamp(y, h) * w..(clamp(y, h) + 1) * w];
    let mut column = vec![0u16; w];
    for dy in -R..=R {
        for (c, r) in column.iter_mut().zip(row_of(dy)) {
            *c += r;
        }
    }
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        for (o, c) in out[y * w..(y + 1) * w].iter_mut().zip(&column) {
            *o = ((*c as u32 + 12) / 25) as u8;
        }
        let (add, sub) = (row_of(y as i32 + R + 1), row_of(y as i32 - R));
        for ((c, a), s) in column.iter_mut().zip(add).zip(sub) {
            *c = *c + a - s;
        }
    }
    out
}

/// `span` pixels of a row from `start + dx` on.
fn shifted(row: &[u8], start: usize, span: usize, dx: isize) -> &[u8] {
    &row[(start as isize + dx) as usize..][..span]
}

/// The corners of a grey picture (at most `max`, strongest first) with their descriptors.
pub fn keypoints(gray: &GrayImage, max: usize) -> Keypoints {
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let border = PATCH_RADIUS as usize + 1;
    if w <= 2 * border || h <= 2 * border {
        return Keypoints::default();
    }
    let px = gray.as_raw();
    let offsets = CIRCLE.map(|(dx, dy)| dy as isize * w as isize + dx as isize);
    let t = FAST_THRESHOLD;
    // Corner scores (0 where the FAST test fails), then the local maxima among them.
    let mut score = vec![0u16; w * h];
    let mut maybe = vec![false; w];
    for y in border..h - border {
        // Quick rejection, a whole row at a time (branch-free, so it vectorises): nine in a
        // row of the circle include at least four of its eight even points (every other one).
        let row_at = |dy: isize| {
            let r = (y as isize + dy) as usize;
            &px[r * w..(r + 1) * w]
        };
        // The row's pixels from `border` on, shifted by `dx`: slices of one length, so the
        // loop below reads them without bounds checks, several pixels at a time.
        let span = w - 2 * border;
        let at = |row, dx| shifted(row, border, span, dx);
        let (n3, n2, row, s2, s3) = (row_at(-3), row_at(-2), row_at(0), row_at(2), row_at(3));
        let even = [
            at(n3, 0),
            at(n2, 2),
            at(row, 3),
            at(s2, 2),
            at(s3, 0),
            at(s2, -2),
            at(row, -3),
            at(n2, -2),
        ];
        let centre = at(row, 0);
        for (i, m) in maybe[border..w - border].iter_mut().enumerate() {
            let c = centre[i] as i16;
            let (mut brighter, mut darker) = (0u8, 0u8);
            for e in &even {
                let v = e[i] as i16;
                brighter += u8::from(v > c + t);
                darker += u8::from(v < c - t);
            }
            *m = brighter >= 4 || darker >= 4;
        }
        for (x, _) in maybe
            .iter()
            .enumerate()
            .take(w - border)
            .skip(border)
            .filter(|m| *m.1)
        {
            let i = y * w + x;
            let c = px[i] as i16;
            let ring: [i16; 16] =
                std::array::from_fn(|k| px[(i as isize + offsets[k]) as usize] as i16 - c);
            let (mut up, mut down) = (0u32, 0u32);
            for (k, &d) in ring.iter().enumerate() {
                up |= u32::from(d > t) << k;
                down |= u32::from(d < -t) << k;
            }
            let sum = |keep: fn(i16) -> i16| -> u16 {
                ring.iter().map(|&d| (keep(d) - t).max(0) as u16).sum()
            };
            score[i] = match (nine_in_a_row(up), nine_in_a_row(down)) {
                (true, true) => sum(|d| d).max(sum(|d| -d)),
                (true, false) => sum(|d| d),
                (false, true) => sum(|d| -d),
                (false, false) => 0,
            };
        }
    }
    let mut corners: Vec<(u16, usize)> = Vec::new();
    for y in border..h - border {
        for x in border..w - border {
            let i = y * w + x;
            let s = score[i];
            if s == 0 {
                continue;
            }
            // A maximum of its 3×3 neighbourhood (ties go to the first in reading order).
            let wins = [
                (-1, -1),
                (0, -1),
                (1, -1),
                (-1, 0),
                (1, 0),
                (-1, 1),
                (0, 1),
                (1, 1),
            ]
            .iter()
            .all(|&(dx, dy): &(isize, isize)| {
                let j = (i as isize + dy * w as isize + dx) as usize;
                let before = j < i;
                if before {
                    score[j] < s
                } else {
                    score[j] <= s
                }
            });
            if wins {
                corners.push((s, i));
            }
        }
    }
    corners.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    corners.truncate(max);
    let smooth = box_blur(px, w, h);
    Keypoints(
        corners
            .into_iter()
            .map(|(_, i)| {
                let (x, y) = (i % w, i / w);
                Keypoint {
                    x: x as f32,
                    y: y as f32,
                    bits: describe(&patch_around(&smooth, w, x, y)),
                    level: 0,
                }
            })
            .collect(),
    )
}

/// Side of the square a descriptor's comparisons are drawn from.
const PATCH_SIDE: usize = 2 * PATCH_RADIUS as usize + 1;

/// A patch of the smoothed picture, row after row.
type Patch = [u8; PATCH_SIDE * PATCH_SIDE];

/// The square of the smoothed picture centred on (x, y), row after row (every corner is at
/// least the patch radius away from the edges).
fn patch_around(smooth: &[u8], w: usize, x: usize, y: usize) -> Patch {
    let r = PATCH_RADIUS as usize;
    let mut patch = [0u8; PATCH_SIDE * PATCH_SIDE];
    for (dy, out) in patch.chunks_exact_mut(PATCH_SIDE).enumerate() {
        let start = (y + dy - r) * w + x - r;
        out.copy_from_slice(&smooth[start..start + PATCH_SIDE]);
    }
    patch
}

/// The 256 comparisons ([`PAIRS`]) as positions in a patch ([`patch_around`]).
static PAIR_POSITIONS: std::sync::LazyLock<[[u16; 2]; 256]> = std::sync::LazyLock::new(|| {
    PAIRS.map(|p| {
        p.map(|(dx, dy)| {
            ((dy + PATCH_RADIUS) as usize * PATCH_SIDE + (dx + PATCH_RADIUS) as usize) as u16
        })
    })
});

/// The BRIEF descriptor of one patch: bit n is set when the first point of comparison n is
/// darker than the second.
fn describe(patch: &Patch) -> [u64; 4] {
    let at = |p: u16| patch[p as usize];
    let mut bits = [0u64; 4];
    for (word, chunk) in bits.iter_mut().zip(PAIR_POSITIONS.chunks_exact(64)) {
        for (n, [a, b]) in chunk.iter().enumerate() {
            *word |= u64::from(at(*a) < at(*b)) << n;
        }
    }
    bits
}

/// The keypoints of an official avatar at [`OFFICIAL_SCALES`], each placed in the avatar's
/// own pixels (a corner found at scale 0.5 at (10, 20) is at (20, 40)).
pub fn official_keypoints(gray: &GrayImage) -> Keypoints {
    let (w, h) = gray.dimensions();
    let mut all = Vec::new();
    for (level, scale) in OFFICIAL_SCALES.into_iter().enumerate() {
        let (sw, sh) = (
            ((w as f32 * scale).round() as u32).max(1),
            ((h as f32 * scale).round() as u32).max(1),
        );
        let scaled;
        let img = if (sw, sh) == (w, h) {
            gray
        } else {
            scaled = super::resize_gray(gray, sw, sh);
            &scaled
        };
        let (fx, fy) = (w as f32 / sw as f32, h as f32 / sh as f32);
        all.extend(
            keypoints(img, MAX_KEYPOINTS)
                .0
                .into_iter()
                .map(|k| Keypoint {
                    x: (k.x + 0.5) * fx - 0.5,
                    y: (k.y + 0.5) * fy - 0.5,
                    level: level as u8,
                    ..k
                }),
        );
    }
    Keypoints(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picture with corners: filled rectangles of several shades on a mid-grey ground.
    fn blocks(w: u32, h: u32) -> GrayImage {
        GrayImage::from_fn(w, h, |x, y| {
            let v = match ((x / 17) + 3 * (y / 23)) % 5 {
                0 => 30,
                1 => 200,
                2 => 120,
                3 => 250,
                _ => 70,
            };
            image::Luma([v])
        })
    }

    #[test]
    fn the_box_blur_is_the_mean_of_each_5x5_square_with_repeated_edges() {
        for (w, h) in [(128usize, 128usize), (37, 90), (5, 5), (1, 7)] {
            let px: Vec<u8> = (0..w * h)
                .map(|i| ((i * 7919 + i / 3) % 256) as u8)
                .collect();
            let at = |x: i64, y: i64| {
                px[y.clamp(0, h as i64 - 1) as usize * w + x.clamp(0, w as i64 - 1) as usize] as u32
            };
            let blurred = box_blur(&px, w, h);
            for y in 0..h as i64 {
                for x in 0..w as i64 {
                    let sum: u32 = (-2..=2)
                        .flat_map(|dy| (-2..=2).map(move |dx| (dx, dy)))
                        .map(|(dx, dy)| at(x + dx, y + dy))
                        .sum();
                    assert_eq!(blurred[y as usize * w + x as usize] as u32, (sum + 12) / 25);
                }
            }
        }
    }

    #[test]
    fn nine_in_a_row_wraps_around_the_circle() {
        assert!(nine_in_a_row(0b1_1111_1111));
        assert!(nine_in_a_row(0b1111_0000_0000_0001_1111 & 0xffff | 0xf000));
        assert!(!nine_in_a_row(0b1111_1111));
        assert!(!nine_in_a_row(0b0101_0101_0101_0101));
        // 12..15 and 0..4 (wrapping): nine in a row.
        assert!(nine_in_a_row(0xf000 | 0b1_1111));
    }

    #[test]
    fn a_flat_picture_has_no_corners_and_blocks_have_many() {
        let flat = GrayImage::from_pixel(128, 128, image::Luma([90]));
        assert!(keypoints(&flat, MAX_KEYPOINTS).0.is_empty());
        let k = keypoints(&blocks(128, 128), MAX_KEYPOINTS);
        assert!(k.0.len() >= 20, "{}", k.0.len());
        assert!(k.0.len() <= MAX_KEYPOINTS);
    }

    #[test]
    fn a_shifted_copy_has_the_same_corners_and_descriptors() {
        let a = blocks(160, 160);
        let crop =
            |dx: u32, dy: u32| GrayImage::from_fn(128, 128, |x, y| *a.get_pixel(x + dx, y + dy));
        let (p, q) = (keypoints(&crop(0, 0), 200), keypoints(&crop(5, 3), 200));
        // Corners away from both crops' borders (13 pixels, and one more for the neighbours
        // the local-maximum test compares with).
        let inside: Vec<&Keypoint> =
            q.0.iter()
                .filter(|k| k.x > 13.0 && k.y > 13.0 && k.x + 5.0 < 114.0 && k.y + 3.0 < 114.0)
                .collect();
        let same = inside
            .iter()
            .filter(|k| {
                p.0.iter()
                    .any(|j| j.x == k.x + 5.0 && j.y == k.y + 3.0 && j.bits == k.bits)
            })
            .count();
        assert!(inside.len() >= 20, "{}", inside.len());
        assert_eq!(same, inside.len());
    }

    #[test]
    fn stored_keypoints_read_back() {
        let k = official_keypoints(&blocks(128, 128));
        assert!(k.0.len() > MAX_KEYPOINTS);
        let back = Keypoints::from_bytes(&k.to_bytes());
        assert_eq!(back.0.len(), k.0.len());
        for (a, b) in back.0.iter().zip(&k.0) {
            assert_eq!(a.bits, b.bits);
            assert!((a.x - b.x).abs() <= 1.0 / 128.0 && (a.y - b.y).abs() <= 1.0 / 128.0);
        }
        assert!(Keypoints::from_bytes(&[1, 2, 3]).0.is_empty());
    }
}
