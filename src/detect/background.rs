//! The background corpus: fine avatar descriptors ([`Fine`]) of real, varied pictures that are
//! no one's official avatar — icons of Debian's icon themes composited as avatars, and
//! photographs shipped with scikit-image (issue 10, item 1). An avatar match is weighed by how
//! often an *unrelated* picture comes as close to this official avatar: a copy of a flat logo
//! that no background icon approaches is strong evidence; a likeness that a tenth of the
//! background reaches is none.
//!
//! The same pictures' corners ([`corners`]) calibrate the local descriptor
//! (`super::local`) the same way.
//!
//! `data/background.bin` is built by `scripts/gen_background.sh` (the hidden `narisumashi
//! background` command over the images of `scripts/collect_background.py`); embedded in the
//! binary and parsed once.

use super::score::{Fine, FINE_LEN};
use crate::avatar::keypoints::Keypoints;
use std::sync::LazyLock;

const DATA: &[u8] = include_bytes!("../../data/background.bin");

static CORPUS: LazyLock<Vec<Fine>> = LazyLock::new(|| parse(DATA));

/// The header both background files begin with: four magic bytes, then a little-endian
/// `u32` count of pictures.
fn header(magic: &[u8; 4], count: usize) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.extend((count as u32).to_le_bytes());
    out
}

/// The count and the body of a file that begins with [`header`]; `None` for another magic or
/// a file too short to have one.
fn read_header<'a>(data: &'a [u8], magic: &[u8; 4]) -> Option<(usize, &'a [u8])> {
    let (head, body) = data.split_at_checked(8)?;
    (&head[..4] == magic).then(|| {
        (
            u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize,
            body,
        )
    })
}

/// Parses the background file (`NBG1`, `u32` count, 256 bytes per descriptor); empty when
/// it is malformed.
pub fn parse(data: &[u8]) -> Vec<Fine> {
    match read_header(data, b"NBG1") {
        Some((n, body)) if body.len() == n * FINE_LEN => {
            body.chunks(FINE_LEN).map(Fine::from_bytes).collect()
        }
        _ => Vec::new(),
    }
}

/// Writes the background descriptors in the form [`parse`] reads.
pub fn fine_bytes(pictures: &[Fine]) -> Vec<u8> {
    let mut out = header(b"NBG1", pictures.len());
    for f in pictures {
        out.extend(f.to_bytes());
    }
    out
}

/// The embedded corpus.
pub fn corpus() -> &'static [Fine] {
    &CORPUS
}

/// How the background corpus relates to one official avatar: the best correlation of each
/// background picture with any view of the avatar, sorted descending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calibration {
    best: Vec<f32>,
}

impl Calibration {
    /// Calibrates the views of one official avatar against `corpus`.
    pub fn new(views: &[Fine], corpus: &[Fine]) -> Self {
        let norms = Fine::norms(views);
        let mut best: Vec<f32> = corpus
            .iter()
            .map(|b| {
                b.best_of_views_normed(views, &norms, super::score::FINE_CHEAP_VIEWS, true) as f32
            })
            .collect();
        best.sort_by(|a, b| b.total_cmp(a));
        Calibration { best }
    }

    /// True when there is a corpus to judge by.
    pub fn is_empty(&self) -> bool {
        self.best.is_empty()
    }

    /// Share (0..1, smoothed: `(k + 1) / (n + 1)`) of background pictures that come at least
    /// as close as `similarity` to the official avatar.
    pub fn chance(&self, similarity: f64) -> f64 {
        let k = self.best.partition_point(|b| *b as f64 >= similarity);
        (k as f64 + 1.0) / (self.best.len() as f64 + 1.0)
    }
}

/// The same corpus's corners (`data/background_local.bin`, written with `data/background.bin`
/// by `scripts/gen_background.sh`): `NBL1`, a little-endian `u32`
/// count, then per picture a `u16` byte length and [`Keypoints::to_bytes`].
const CORNERS_DATA: &[u8] = include_bytes!("../../data/background_local.bin");

static CORNERS: LazyLock<Vec<Keypoints>> = LazyLock::new(|| parse_corners(CORNERS_DATA));

/// Parses the background corners; empty when malformed.
pub fn parse_corners(data: &[u8]) -> Vec<Keypoints> {
    let Some((n, mut rest)) = read_header(data, b"NBL1") else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(n);
    while rest.len() >= 2 {
        let len = u16::from_le_bytes([rest[0], rest[1]]) as usize;
        let Some(body) = rest.get(2..2 + len) else {
            return Vec::new();
        };
        out.push(Keypoints::from_bytes(body));
        rest = &rest[2 + len..];
    }
    if out.len() != n || !rest.is_empty() {
        return Vec::new();
    }
    out
}

/// Writes the background corners in the form [`parse_corners`] reads.
pub fn corners_bytes(pictures: &[Keypoints]) -> Vec<u8> {
    let mut out = header(b"NBL1", pictures.len());
    for k in pictures {
        let body = k.to_bytes();
        out.extend((body.len() as u16).to_le_bytes());
        out.extend(body);
    }
    out
}

/// The embedded background corners (for [`super::local`]).
pub fn corners() -> &'static [Keypoints] {
    &CORNERS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fine(seed: u64) -> Fine {
        let px: Vec<f64> = (0..FINE_LEN as u64)
            .map(|i| ((i * (seed + 3) * 2654435761) % 251) as f64)
            .collect();
        Fine::from_thumbnail(&px)
    }

    #[test]
    fn chance_counts_background_pictures_this_close() {
        let corpus: Vec<Fine> = (0..99).map(fine).collect();
        let official = fine(1000);
        let c = Calibration::new(&[official], &corpus);
        assert!(c.chance(1.0) <= 0.011, "{}", c.chance(1.0));
        assert!(c.chance(-1.0) >= 0.99);
    }

    #[test]
    fn malformed_data_is_an_empty_corpus() {
        assert!(parse(b"nope").is_empty());
        assert!(parse(b"NBG1\x02\0\0\0short").is_empty());
        let mut ok = b"NBG1\x01\0\0\0".to_vec();
        ok.extend(fine(1).to_bytes());
        assert_eq!(parse(&ok), vec![fine(1)]);
    }

    #[test]
    fn the_background_corners_read_back_and_the_embedded_ones_parse() {
        use crate::avatar::keypoints::Keypoint;
        let pictures: Vec<Keypoints> = (0..3u64)
            .map(|n| {
                Keypoints(
                    (0..n * 5)
                        .map(|i| Keypoint {
                            x: i as f32,
                            y: 13.0,
                            bits: [i; 4],
                            level: 0,
                        })
                        .collect(),
                )
            })
            .collect();
        let bytes = corners_bytes(&pictures);
        let back = parse_corners(&bytes);
        assert_eq!(back.len(), 3);
        assert_eq!(back[1].0.len(), pictures[1].0.len());
        assert!(parse_corners(&bytes[..bytes.len() - 1]).is_empty());
        assert!(corners().len() >= 1000, "{}", corners().len());
    }
}
