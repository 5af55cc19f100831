//! Signals → verdict. Each signal's similarity becomes a piece of evidence (0..1); the fitted
//! model ([`super::model`]) turns the pieces, account facts and disclaimers into the
//! probability of impersonation. Every piece of evidence that counted is explained in a reason.

use super::background::{self, Calibration};
use super::local::{self, LocalCalibration, LocalIndex, LocalMatch, PerPicture};
use super::model::Model;
use super::normalize::WordSet;
use super::places::{self, Municipality};
use super::reason::{Field, HandleEdit, NameMatch, Reason};
use super::{bio, handle, name, prune};
use crate::avatar::keypoints::Keypoints;
use crate::avatar::outline::Outline;
use crate::config::Detection;
use crate::model::{
    canonical_handle, Assessment, MatchedAccount, OfficialAccount, Platform, Signals, VerdictKind,
};
use std::collections::HashMap;

/// Side of the block of lowest DCT frequencies whose signs make one avatar hash.
pub const DCT_K: usize = 8;
/// Bits of one DCT-sign hash: the K×K block without the mean (63, one `u64`).
const DCT_BITS: usize = DCT_K * DCT_K - 1;

/// What one of the four hashes of an avatar is taken of.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HashView {
    /// Lightness `(max + min) / 2`, unchanged by a hue rotation, of the picture with
    /// `crop` of each dimension cut away around the centre.
    Lightness { crop: f64 },
    /// Luma (the grey level a greyscale copy has) of the whole picture.
    Luma,
}

/// The four views hashed, in the order of the fields of [`AvatarHash`]. The crops line a copy
/// cropped by 5–15 % up with the whole picture, and skip a label added near an edge.
pub const HASH_VIEWS: [HashView; 4] = [
    HashView::Lightness { crop: 0.0 },
    HashView::Lightness { crop: 0.12 },
    HashView::Lightness { crop: 0.36 },
    HashView::Luma,
];

/// Perceptual hashes of one avatar, computed by `crate::avatar::hash_image`: one 63-bit
/// DCT-sign hash per view of [`HASH_VIEWS`], in the four fields below (cached in the database
/// under the same names; `store::AVATAR_HASH_ALGORITHM` names the algorithm). Compare with
/// [`AvatarHash::hashes`] rather than field by field.
#[derive(Clone, Debug, PartialEq)]
pub struct AvatarHash {
    /// Lightness, whole picture.
    pub lightness: u64,
    /// Lightness, central 88 %.
    pub lightness_c88: u64,
    /// Lightness, central 64 %.
    pub lightness_c64: u64,
    /// Luma, whole picture.
    pub luma: u64,
    /// Gradient (difference) hash of the whole picture, 8x8, and of its mirror image.
    pub gradient: u64,
    pub gradient_mirrored: u64,
    /// 0..1: how much detail the image has. Flat, simple images score low and their hashes
    /// collide with other flat images, so a match between them proves little.
    pub information: f64,
    /// The second, different descriptor: the picture's central part as a small normalised
    /// lightness thumbnail ([`Fine`]). Tells "the same picture" from "the same template".
    pub fine: Fine,
    /// Mean colour (RGB) of the picture: for flat pictures, whose shapes are generic, the
    /// colour is part of what makes a copy a copy.
    pub colour: [u8; 3],
    /// Mean colour of the window the fine descriptor takes (the central part): a frame or a
    /// canvas around a copy changes the mean colour of the whole, not of its middle.
    pub centre_colour: [u8; 3],
    /// The picture's corners ([`super::local`]): a third descriptor, for copies edited beyond
    /// what the two others undo (labels, canvases, skews, uneven crops). Shared, not copied.
    pub local: Option<std::sync::Arc<Keypoints>>,
    /// Pictures with little detail only (information below [`OUTLINE_INFORMATION`]): where
    /// their edges run ([`crate::avatar::outline`]), which tells a copy of a flat logo from
    /// another mark of the same icon set on the same colour.
    pub outline: Option<std::sync::Arc<Outline>>,
    /// The fine descriptor of the whole picture, when [`AvatarHash::fine`] is of a part of
    /// it trimmed out of a plain margin: a label or a canvas added to a copy changes where
    /// the trim cuts, and the official picture may be described whole.
    pub fine_whole: Option<Box<Fine>>,
}

/// Side of the [`Fine`] thumbnail.
pub const FINE_SIDE: usize = 16;
/// Values of a [`Fine`] descriptor.
pub const FINE_LEN: usize = FINE_SIDE * FINE_SIDE;
/// Share of each side the fine descriptor leaves out around the picture (its central 70 %):
/// the corners a rotated copy fills with a border colour fall outside it.
pub const FINE_MARGIN: f64 = 0.15;

/// A 16×16 lightness thumbnail of the central part of a picture, zero mean and unit variance,
/// quantised to `i8` (×32). Two copies of one picture (re-encoded, resized, brighter, greyer,
/// recoloured) correlate near 1; different icons of one set on one colour, whose DCT-sign
/// hashes agree, do not, because their glyphs differ at this resolution (issue 10). All zero
/// for a flat picture, or when not computed (then it never matches).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fine(pub [i8; FINE_LEN]);

/// The dot product of two descriptors, exactly (|sum| ≤ 256 · 128², well inside `i32`):
/// integer arithmetic, so the result is the same on every CPU; with AVX2 where the CPU has
/// it (8–16 products per instruction), else the portable SIMD the compiler finds.
#[inline]
pub fn dot(a: &[i8; FINE_LEN], b: &[i8; FINE_LEN]) -> i32 {
    DOT.get_or_init(choose_dot)(a, b)
}

type DotFn = fn(&[i8; FINE_LEN], &[i8; FINE_LEN]) -> i32;

static DOT: std::sync::OnceLock<DotFn> = std::sync::OnceLock::new();

fn choose_dot() -> DotFn {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has just been found to support AVX2.
        return |a, b| unsafe { dot_avx2(a, b) };
    }
    dot_portable
}

#[inline(always)]
fn dot_portable(a: &[i8; FINE_LEN], b: &[i8; FINE_LEN]) -> i32 {
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| i32::from(*x) * i32::from(*y))
        .sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_avx2(a: &[i8; FINE_LEN], b: &[i8; FINE_LEN]) -> i32 {
    use std::arch::x86_64::*;
    let mut acc = _mm256_setzero_si256();
    for k in (0..FINE_LEN).step_by(16) {
        // SAFETY: `k + 16 <= FINE_LEN`, so both 16-byte loads are inside the arrays
        // (unaligned loads).
        let (x, y) = unsafe {
            (
                _mm_loadu_si128(a.as_ptr().add(k).cast()),
                _mm_loadu_si128(b.as_ptr().add(k).cast()),
            )
        };
        // 16 products of sign-extended values, summed in pairs into 8 lanes of i32.
        let p = _mm256_madd_epi16(_mm256_cvtepi8_epi16(x), _mm256_cvtepi8_epi16(y));
        acc = _mm256_add_epi32(acc, p);
    }
    let s = _mm_add_epi32(
        _mm256_castsi256_si128(acc),
        _mm256_extracti128_si256::<1>(acc),
    );
    let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b01_00_11_10>(s));
    let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b10_11_00_01>(s));
    _mm_cvtsi128_si32(s)
}

impl Default for Fine {
    fn default() -> Self {
        Fine([0; FINE_LEN])
    }
}

impl Fine {
    /// From a 16×16 grey thumbnail (row-major): normalised and quantised.
    pub fn from_thumbnail(px: &[f64]) -> Fine {
        let mut out = [0i8; FINE_LEN];
        if px.len() != FINE_LEN {
            return Fine(out);
        }
        let mean = px.iter().sum::<f64>() / FINE_LEN as f64;
        let var = px.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / FINE_LEN as f64;
        let sd = var.sqrt();
        if sd < 2.0 {
            return Fine(out);
        }
        for (o, p) in out.iter_mut().zip(px) {
            *o = ((p - mean) / sd * 32.0).round().clamp(-127.0, 127.0) as i8;
        }
        Fine(out)
    }

    /// True when computed from a picture with detail (not flat, not missing).
    pub fn is_set(&self) -> bool {
        self.0.iter().any(|v| *v != 0)
    }

    /// Correlation −1..1 of two descriptors; 0 when either is not set.
    pub fn similarity(&self, other: &Fine) -> f64 {
        Self::correlation(dot(&self.0, &other.0), self.norm2(), other.norm2())
    }

    /// The sum of squares (the squared norm).
    pub fn norm2(&self) -> i32 {
        dot(&self.0, &self.0)
    }

    /// The correlation from the dot product and the two squared norms.
    #[inline]
    fn correlation(ab: i32, aa: i32, bb: i32) -> f64 {
        if aa == 0 || bb == 0 {
            return 0.0;
        }
        ab as f64 / ((aa as f64).sqrt() * (bb as f64).sqrt())
    }

    /// The best correlation with any of `views` (this descriptor's norm computed once).
    pub fn best(&self, views: &[Fine]) -> f64 {
        let aa = self.norm2();
        if aa == 0 {
            return 0.0;
        }
        views
            .iter()
            .map(|v| Self::correlation(dot(&self.0, &v.0), aa, v.norm2()))
            .fold(0.0, f64::max)
    }

    /// [`Fine::best`] with the views' squared norms computed beforehand ([`Fine::norms`]):
    /// the same value, one dot product per view instead of two.
    pub fn best_normed(&self, views: &[Fine], norms: &[i32]) -> f64 {
        let aa = self.norm2();
        if aa == 0 {
            return 0.0;
        }
        views
            .iter()
            .zip(norms)
            .map(|(v, &bb)| Self::correlation(dot(&self.0, &v.0), aa, bb))
            .fold(0.0, f64::max)
    }

    /// The index of the view of `views` (squared norms `norms`) that correlates best with
    /// this descriptor (`None` when none correlates positively).
    pub fn best_view(&self, views: &[Fine], norms: &[i32]) -> Option<usize> {
        let aa = self.norm2();
        let mut best = (0.0, None);
        for (i, (v, &bb)) in views.iter().zip(norms).enumerate() {
            let c = Self::correlation(dot(&self.0, &v.0), aa, bb);
            if c > best.0 {
                best = (c, Some(i));
            }
        }
        best.1
    }

    /// The squared norms of `views`, for [`Fine::best_normed`].
    pub fn norms(views: &[Fine]) -> Vec<i32> {
        views.iter().map(Fine::norm2).collect()
    }

    /// [`Fine::best_of_views`] with the views' squared norms computed beforehand.
    pub fn best_of_views_normed(
        &self,
        views: &[Fine],
        norms: &[i32],
        cheap: usize,
        look_further: bool,
    ) -> f64 {
        if norms.len() != views.len() {
            return self.best_of_views(views, cheap, look_further);
        }
        let k = cheap.min(views.len());
        let best = self.best_normed(&views[..k], &norms[..k]);
        if look_further || best >= FINE_LOOK_FURTHER {
            best.max(self.best_normed(&views[k..], &norms[k..]))
        } else {
            best
        }
    }

    /// The best correlation with the views of an official avatar: the first `cheap` views
    /// always, the rest (the crops) only when the cheap ones reach [`FINE_LOOK_FURTHER`] or
    /// `look_further` says so.
    pub fn best_of_views(&self, views: &[Fine], cheap: usize, look_further: bool) -> f64 {
        let (first, rest) = views.split_at(cheap.min(views.len()));
        let best = self.best(first);
        if look_further || best >= FINE_LOOK_FURTHER {
            best.max(self.best(rest))
        } else {
            best
        }
    }

    /// The raw bytes (for the cache and the background data).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().map(|v| *v as u8).collect()
    }

    /// From [`Fine::to_bytes`]; all zero when the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Fine {
        let mut out = [0i8; FINE_LEN];
        if bytes.len() == FINE_LEN {
            for (o, b) in out.iter_mut().zip(bytes) {
                *o = *b as i8;
            }
        }
        Fine(out)
    }
}

/// The bits of a DCT-sign hash that a horizontal mirror flips: those of odd horizontal
/// frequency u (a mirrored picture's DCT coefficient (u, v) is (−1)^u times the original's).
pub fn mirror_bits() -> u64 {
    (1..DCT_K * DCT_K)
        .filter(|i| (i % DCT_K) % 2 == 1)
        .fold(0u64, |m, i| m | 1 << (i - 1))
}

/// Weight of each bit: low frequencies say more about what a picture shows and survive crops
/// and overlays better than high ones.
pub(crate) fn bit_weights() -> [f64; DCT_BITS] {
    let mut w = [0.0; DCT_BITS];
    for (i, wi) in w.iter_mut().enumerate() {
        let (u, v) = ((i + 1) % DCT_K, (i + 1) / DCT_K);
        *wi = 1.0 / (1.0 + (u + v) as f64 / 2.0);
    }
    w
}

/// What [`AvatarHash::distance`] weighs, computed once.
struct DistanceTables {
    weights: [f64; DCT_BITS],
    total: f64,
    mirror: u64,
    /// The bits that carry a weight.
    bits: u64,
}

static DISTANCE_TABLES: std::sync::LazyLock<DistanceTables> = std::sync::LazyLock::new(|| {
    let weights = bit_weights();
    DistanceTables {
        weights,
        total: weights.iter().sum(),
        mirror: mirror_bits(),
        bits: (1u64 << DCT_BITS) - 1,
    }
});

impl AvatarHash {
    /// Builds a hash from the four view hashes (in the order of [`HASH_VIEWS`]).
    pub fn from_hashes(h: [u64; 4], information: f64) -> Self {
        AvatarHash {
            lightness: h[0],
            lightness_c88: h[1],
            lightness_c64: h[2],
            luma: h[3],
            gradient: 0,
            gradient_mirrored: 0,
            information,
            fine: Fine::default(),
            colour: [0; 3],
            centre_colour: [0; 3],
            local: None,
            outline: None,
            fine_whole: None,
        }
    }

    /// Adds the gradient hash of the picture and of its mirror image.
    pub fn with_gradient(self, gradient: u64, gradient_mirrored: u64) -> Self {
        AvatarHash {
            gradient,
            gradient_mirrored,
            ..self
        }
    }

    /// Adds the fine descriptor.
    pub fn with_fine(self, fine: Fine) -> Self {
        AvatarHash { fine, ..self }
    }

    /// Adds the fine descriptor of the whole picture ([`AvatarHash::fine_whole`]).
    pub fn with_fine_whole(self, fine_whole: Option<Fine>) -> Self {
        AvatarHash {
            fine_whole: fine_whole.map(Box::new),
            ..self
        }
    }

    /// Adds the outline of a picture with little detail.
    pub fn with_outline(self, outline: Option<Outline>) -> Self {
        AvatarHash {
            outline: outline.map(std::sync::Arc::new),
            ..self
        }
    }

    /// Adds the mean colour of the whole picture and of its central part.
    pub fn with_colours(self, colour: [u8; 3], centre_colour: [u8; 3]) -> Self {
        AvatarHash {
            colour,
            centre_colour,
            ..self
        }
    }

    /// The fine descriptor, the mean colours, the outline and the corners as stored in the
    /// cache: 262 bytes, one byte saying whether an outline follows (then 1,024 bytes), then
    /// 36 per corner.
    pub fn fine_bytes(&self) -> Vec<u8> {
        let mut b = self.fine.to_bytes();
        b.extend(self.colour);
        b.extend(self.centre_colour);
        // Which optional parts follow: 1 the outline, 2 the whole picture's descriptor.
        b.push(u8::from(self.outline.is_some()) | (u8::from(self.fine_whole.is_some()) << 1));
        if let Some(outline) = &self.outline {
            b.extend(outline.to_bytes());
        }
        if let Some(whole) = &self.fine_whole {
            b.extend(whole.to_bytes());
        }
        if let Some(local) = &self.local {
            b.extend(local.to_bytes());
        }
        b
    }

    /// Restores what [`AvatarHash::fine_bytes`] wrote.
    pub fn with_fine_bytes(self, bytes: &[u8]) -> Self {
        let fine = Fine::from_bytes(bytes.get(..FINE_LEN).unwrap_or_default());
        let colour_at = |at: usize| match bytes.get(at..at + 3) {
            Some(c) => [c[0], c[1], c[2]],
            None => [0; 3],
        };
        let (colour, centre_colour) = (colour_at(FINE_LEN), colour_at(FINE_LEN + 3));
        let mut rest = bytes.get(FINE_LEN + 6..).unwrap_or_default();
        let (mut outline, mut fine_whole) = (None, None);
        if let Some((&flags, after)) = rest.split_first() {
            rest = after;
            if flags & 1 != 0 {
                let len = crate::avatar::outline::OUTLINE_LEN.min(rest.len());
                outline = Outline::from_bytes(&rest[..len]).map(std::sync::Arc::new);
                rest = &rest[len..];
            }
            if flags & 2 != 0 {
                let len = FINE_LEN.min(rest.len());
                fine_whole = Some(Box::new(Fine::from_bytes(&rest[..len])));
                rest = &rest[len..];
            }
        }
        let local = (!rest.is_empty()).then(|| std::sync::Arc::new(Keypoints::from_bytes(rest)));
        AvatarHash {
            fine,
            colour,
            centre_colour,
            local,
            outline,
            fine_whole,
            ..self
        }
    }

    /// Adds the picture's corners.
    pub fn with_local(self, local: Keypoints) -> Self {
        AvatarHash {
            local: Some(std::sync::Arc::new(local)),
            ..self
        }
    }

    /// Hamming distance 0..64 of the gradient hashes, mirrored or not.
    pub fn gradient_distance(&self, other: &AvatarHash) -> u32 {
        (self.gradient ^ other.gradient)
            .count_ones()
            .min((self.gradient_mirrored ^ other.gradient).count_ones())
    }

    /// The four view hashes, in the order of [`HASH_VIEWS`].
    pub fn hashes(&self) -> [u64; 4] {
        [
            self.lightness,
            self.lightness_c88,
            self.lightness_c64,
            self.luma,
        ]
    }

    /// Distance 0..64 to another avatar: the weighted share of differing bits, scaled to 64,
    /// for the best-aligned pair of views, mirrored or not. 0 is the same picture; unrelated
    /// pictures are around 32.
    pub fn distance(&self, other: &AvatarHash) -> u32 {
        let t = &*DISTANCE_TABLES;
        let mut best = f64::MAX;
        for a in self.hashes() {
            for b in other.hashes() {
                for diff in [a ^ b, a ^ b ^ t.mirror] {
                    // The weights of the differing bits, added in the order of the bits.
                    let mut bits = diff & t.bits;
                    let mut d = 0.0;
                    while bits != 0 {
                        d += t.weights[bits.trailing_zeros() as usize];
                        bits &= bits - 1;
                    }
                    best = best.min(d);
                }
            }
        }
        // Division is monotonic: the least share is the least sum over the total.
        (best / t.total * 64.0).round() as u32
    }
}

/// Gradient-hash distance (0..64) beyond which two avatars that match on the DCT views are
/// still taken for different pictures. Copies (re-encoded, resized, recoloured, mirrored,
/// framed, cropped) stay well below it; measured with `narisumashi eval`.
pub const GRADIENT_DISAGREES: u32 = 24;

/// Fine correlation at or above which an avatar may be the same picture as an official one —
/// if hardly any background picture comes as close ([`SAME_PICTURE_CHANCE`]).
pub const FINE_SAME: f64 = 0.92;
/// Fine correlation with the picture, grey, mirrored or rotated, at which the crops of the
/// official avatar are compared too (unrelated pictures are mostly below).
pub const FINE_LOOK_FURTHER: f64 = 0.35;
/// How many views of `OfficialFeatures::avatar_views` are always compared (the rest are
/// crops); matches `crate::avatar::CHEAP_VIEWS`.
pub const FINE_CHEAP_VIEWS: usize = 21;
/// The fine correlation asked of flat pictures (information below [`FLAT_INFORMATION`]): an
/// exact copy of a flat logo reaches it, another mark on the same colour does not.
pub const FINE_SAME_FLAT: f64 = 0.975;
/// Information (`crate::avatar::information`) below which a picture is flat.
pub const FLAT_INFORMATION: f64 = 0.3;
/// Information below which a picture keeps its outline ([`crate::avatar::outline`]): pictures
/// with little detail (flat logos, icons of a set on a colour), whose copies must also keep
/// our colours.
pub const OUTLINE_INFORMATION: f64 = 0.6;
/// Outline correlation ([`crate::avatar::outline`]) from which two pictures with little detail
/// are the same picture when their fine correlation reaches [`FINE_SAME`] (not
/// [`FINE_SAME_FLAT`] for flat ones), and may differ in the mean colour of the whole where the
/// middles agree: copies shrunk, framed, skewed or recoloured keep their outline (0.9–1.0 on
/// generated sets).
pub const OUTLINE_SAME: f64 = 0.9;
/// Outline correlation below which two pictures with little detail are different marks on
/// the same template, however alike their thumbnails: another glyph of the same icon set on
/// the same colour (0.3–0.7 on generated sets, against 0.75–1.0 for copies). For flat pictures
/// it also overrules a DCT match (edited copies of pictures with more detail, turned or
/// labelled, fall below it).
pub const OUTLINE_TEMPLATE: f64 = 0.7;
/// How far (per RGB channel) the mean colours of two pictures' middles may be for a copy in a
/// frame or on a canvas ([`AvatarHash::centre_colour`]); the whole's are allowed 48.
pub const CENTRE_COLOUR_TOLERANCE: i32 = 16;
/// The official avatar's views the outlines are always compared in (the picture, grey,
/// mirrored), besides the one the fine descriptor finds closest.
pub const OUTLINE_BASE_VIEWS: usize = 3;
/// Share of the background corpus reaching the candidate's fine correlation at or below which
/// the likeness is specific to this official avatar.
pub const SAME_PICTURE_CHANCE: f64 = 0.01;
/// Fine correlation below which a DCT match is another picture on the same template.
pub const FINE_TEMPLATE: f64 = 0.6;
/// Evidence of a handle that is the organisation's romanised name exactly (`koga_city`).
const ORG_HANDLE_EXACT: f64 = 0.85;
/// Fine correlation from which the detector looks closer at the official avatar: it aligns
/// the best view with the candidate by finer crops ([`AlignViews`]).
pub const FINE_ALIGN_FROM: f64 = 0.8;
/// What an aligned correlation must exceed the same-picture bars by: aligning searches, and a
/// search raises unrelated pictures a little too (by 0.02–0.1 against 0.05–0.15 for copies
/// cut 15–20 % unevenly, measured on generated sets), so the aligned value is held to a
/// higher bar than the precomputed views' best.
pub const FINE_ALIGNED_MARGIN: f64 = 0.03;
/// From this fine correlation, with a chance of at most [`LIKENESS_CHANCE`], a likeness that
/// is not the same picture is some evidence (up to [`LIKENESS_EVIDENCE`] at [`FINE_SAME`]).
pub const FINE_LIKENESS_FROM: f64 = 0.72;
/// A local match ([`super::local`]) is the same picture when at least this many of the
/// candidate's corners land on the official avatar's under one transform, recovering at
/// least [`LOCAL_MIN_RECOVERED`] of the official corners where the candidate has any, and
/// no more than [`LOCAL_SAME_PICTURE_CHANCE`] of the background corpus does as much (with
/// today's corpus of 1,508 pictures: none of them).
pub const LOCAL_MIN_CORNERS: u32 = local::MIN_CORNERS;
pub const LOCAL_MIN_RECOVERED: f32 = 0.55;
pub const LOCAL_SAME_PICTURE_CHANCE: f64 = 0.001;
pub const LIKENESS_CHANCE: f64 = 0.002;
pub const LIKENESS_EVIDENCE: f64 = 0.4;

/// A closer look at an official avatar, for candidates its views find nearly alike: the
/// best correlation once the best view's crop is aligned with the candidate in finer steps
/// than the precomputed views ([`crate::avatar::OfficialPicture`] at the edge keeps the
/// picture). Pure: computes from pixels held in memory.
pub trait AlignViews: Send + Sync + std::fmt::Debug {
    /// The best correlation of `candidate` with the picture, starting from the view of
    /// `views` (the official's views, in their order) that correlates best.
    fn aligned(&self, candidate: &Fine, views: &[Fine]) -> f64;

    /// The outline of view `view` ([`crate::avatar::outline`]), for a picture with little
    /// detail; `None` for a picture with detail or a view it does not have.
    fn outline(&self, view: usize) -> Option<&Outline>;
}

/// What the detector knows of one official account, precomputed once per run.
#[derive(Clone, Debug)]
pub struct OfficialFeatures {
    pub account: OfficialAccount,
    handle_forms: handle::HandleForms,
    name_form: String,
    pub avatar: Option<AvatarHash>,
    /// Fine descriptors of the official avatar rotated, cropped unevenly, mirrored and in
    /// grey (`crate::avatar::official_views`); empty when only the hash is known.
    pub avatar_views: Vec<Fine>,
    /// Their squared norms ([`Fine::norms`]).
    avatar_view_norms: Vec<i32>,
    /// The background corpus measured against those views.
    calibration: Calibration,
    /// The official picture, for a closer look ([`AlignViews`]); `None` when only the
    /// views or the hash are known.
    pub picture: Option<std::sync::Arc<dyn AlignViews>>,
    /// What candidate pruning compares ([`super::prune`]).
    pub(crate) prune: prune::Features,
    /// The official avatar's corners at several scales ([`super::local`]); `None` when only
    /// the hash is known.
    pub local: Option<Keypoints>,
}

impl OfficialFeatures {
    pub fn new(account: OfficialAccount, avatar: Option<AvatarHash>) -> Self {
        let handle_forms = handle::forms(&account.handle);
        let name_form = name::comparable(&account.display_name);
        let views: Vec<Fine> = avatar
            .as_ref()
            .map(|a| a.fine)
            .into_iter()
            .filter(Fine::is_set)
            .collect();
        let mut prune = prune::Features::new(&account.handle, &handle_forms, Some(&name_form));
        prune.fine = prune::FineBalls::new(&views);
        OfficialFeatures {
            prune,
            handle_forms,
            name_form,
            account,
            avatar,
            calibration: Calibration::new(&views, background::corpus()),
            avatar_view_norms: Fine::norms(&views),
            avatar_views: views,
            picture: None,
            local: None,
        }
    }

    /// Adds the official avatar's corners (`crate::avatar::official_features`).
    pub fn with_local(mut self, local: Keypoints) -> Self {
        self.local = Some(local);
        self
    }

    /// Keeps the official picture for a closer look at near matches ([`AlignViews`]).
    pub fn with_picture(mut self, picture: std::sync::Arc<dyn AlignViews>) -> Self {
        self.picture = Some(picture);
        self
    }

    /// Adds the views of the official avatar (computed once per run at the edge) and
    /// calibrates them against the background corpus.
    pub fn with_views(mut self, views: Vec<Fine>) -> Self {
        self.calibration = Calibration::new(&views, background::corpus());
        self.prune.fine = prune::FineBalls::new(&views);
        self.avatar_view_norms = Fine::norms(&views);
        self.avatar_views = views;
        self
    }
}

/// The candidate as the detector needs it.
#[derive(Clone, Debug, Default)]
pub struct CandidateView<'a> {
    pub handle: &'a str,
    pub display_name: Option<&'a str>,
    pub bio: Option<&'a str>,
    pub avatar: Option<AvatarHash>,
    /// Days since the account was created, when the platform says (computed at the edge).
    pub age_days: Option<u32>,
    pub posts: Option<u64>,
    pub followers: Option<u64>,
    pub verified: Option<bool>,
}

/// What is computed once per candidate, whatever the official account it is compared with.
struct Prepared {
    handle_forms: handle::HandleForms,
    name_form: Option<String>,
    /// The display name folded ([`crate::detect::normalize::fold_name`]), markers kept.
    name_folded: Option<String>,
    /// The name says whose the account is: another organisation, a shop, a person, an
    /// outlet ([`name::names_someone_else`]).
    names_someone_else: bool,
    in_name: Vec<&'static Municipality>,
    claims_official: bool,
    mentions_organization: bool,
    /// The bio or the name says plainly that the account is unofficial.
    disclaims: bool,
    /// Where it says so.
    disclaimer_field: Option<Field>,
    /// Where the name or the bio uses the lures impostors post, if anywhere.
    lures: Option<Field>,
    /// The bio folded ([`crate::detect::normalize::fold_name`]), once for every bio rule.
    bio_folded: Option<String>,
    /// What candidate pruning compares ([`super::prune`]).
    prune: prune::Features,
    /// Our places the compared name contains (indices into `Detector::place_forms`), the
    /// only ones the word comparison can use ([`Detector::places_of`]).
    name_places: Vec<u32>,
    /// The folded name names one of our places.
    names_our_place: bool,
    /// A municipality the display name names is ours.
    in_name_ours: bool,
    /// The official avatars the candidate's avatar matches by its corners
    /// ([`Detector::local_matches`]).
    local: Vec<(usize, LocalMatch, f64)>,
    /// Another place's whole name in our handles' pattern, if the handle has one (computed
    /// when first asked: [`Detector::another_place_presented`]).
    handle_place: std::cell::OnceCell<Option<&'static Municipality>>,
}

impl Prepared {
    /// `organization_folded`: the organisation's name, [`crate::detect::normalize::fold_name`]d.
    fn new(c: &CandidateView, organization_folded: &str, readings: &[PlaceReading]) -> Self {
        // Each text folded once, for the claims, the lures and the mentions alike.
        let bio_folded = c.bio.map(crate::detect::normalize::fold_name);
        let display_fold = c.display_name.map(crate::detect::normalize::fold_name);
        let display_folded = display_fold.clone().map(|f| read_places(f, readings));
        let bio_claims = bio_folded
            .as_deref()
            .map(bio::claims_folded)
            .unwrap_or_default();
        let name_claims = display_folded
            .as_deref()
            .map(bio::claims_folded)
            .unwrap_or_default();
        let handle_forms = handle::forms(c.handle);
        // Only a display name that is not blank is compared.
        let name_form = display_folded.clone().map(name::comparable_folded);
        let compared_name = c
            .display_name
            .filter(|d| !d.trim().is_empty())
            .and(name_form.as_deref());
        Prepared {
            prune: prune::Features::new(c.handle, &handle_forms, compared_name),
            handle_forms,
            name_form: compared_name.map(str::to_string),
            name_folded: compared_name.and(display_folded.clone()),
            names_someone_else: compared_name
                .and(display_folded.as_deref())
                .is_some_and(name::names_someone_else),
            in_name: display_fold
                .as_deref()
                .map(places::named_in_folded)
                .unwrap_or_default(),
            claims_official: bio_claims.claims_official || name_claims.claims_official,
            mentions_organization: bio_folded
                .as_deref()
                .is_some_and(|b| bio::mentions_name_folded(b, organization_folded)),
            disclaims: bio_claims.disclaims || name_claims.disclaims,
            lures: if display_folded.as_deref().is_some_and(bio::lures_folded) {
                Some(Field::DisplayName)
            } else if bio_folded.as_deref().is_some_and(bio::lures_folded) {
                Some(Field::Bio)
            } else {
                None
            },
            bio_folded,
            disclaimer_field: if name_claims.disclaims {
                Some(Field::DisplayName)
            } else if bio_claims.disclaims {
                Some(Field::Bio)
            } else {
                None
            },
            name_places: Vec::new(),
            names_our_place: false,
            in_name_ours: false,
            local: Vec::new(),
            handle_place: std::cell::OnceCell::new(),
        }
    }
}

/// Our place written in kana (「ぶんきょう防災」, the whole name's reading or its stem's) and
/// its name (both folded): names are read with the place's own name, so that every rule
/// finds it.
#[derive(Clone, Debug)]
struct PlaceReading {
    kana: String,
    written: String,
}

/// Readings shorter than this many kana are words of their own too often (こが, いせ).
const MIN_READING_KANA: usize = 4;

/// The readings of our places' names and stems, longest first.
fn place_readings(places: &[&'static Municipality]) -> Vec<PlaceReading> {
    let fold = crate::detect::normalize::fold_name;
    // A prefecture's stem read is written as its stem (「みやざき県警察」 is 「宮崎県警察」), a
    // municipality's as its name (「はままつ」 is 「浜松市」).
    let stem_written = |m: &Municipality| {
        if m.name == m.prefecture {
            m.stem
        } else {
            m.name
        }
    };
    // One part read and the other written (「はままつ市」, 「岡山けん」): the name as written.
    let half_read: Vec<(String, &str)> = places
        .iter()
        .filter(|m| m.stem != m.name && !m.stem_kana.is_empty())
        .flat_map(|m| {
            let kind = m.name.strip_prefix(m.stem);
            let kind_read = m.kana.strip_prefix(m.stem_kana).filter(|k| !k.is_empty());
            [
                kind.map(|kind| (format!("{}{kind}", m.stem_kana), m.name)),
                kind_read.map(|read| (format!("{}{read}", m.stem), m.name)),
            ]
        })
        .flatten()
        .collect();
    let mut v: Vec<PlaceReading> = places
        .iter()
        .flat_map(|m| [(m.kana, m.name), (m.stem_kana, stem_written(m))])
        .chain(half_read.iter().map(|(k, n)| (k.as_str(), *n)))
        .filter(|(kana, _)| kana.chars().count() >= MIN_READING_KANA)
        .map(|(kana, written)| PlaceReading {
            kana: fold(kana),
            written: fold(written),
        })
        .collect();
    v.sort_by_key(|r| std::cmp::Reverse(r.kana.chars().count()));
    v.dedup_by(|a, b| a.kana == b.kana);
    v
}

/// A folded name with our places' kana readings written as the places are.
fn read_places(mut folded: String, readings: &[PlaceReading]) -> String {
    for r in readings {
        if folded.contains(r.kana.as_str()) {
            folded = folded.replace(r.kana.as_str(), &r.written);
        }
    }
    folded
}

/// A name or handle of the organisation itself (not of one registered account) that
/// impostors copy: 「みらい県警察」, `mirai_police` (issue 10, item 5).
#[derive(Clone, Debug)]
struct OrgTarget {
    /// The comparable form of the organisation's name (and of name + department).
    names: Vec<String>,
    /// Romanised handles: our place's romaji joined with the department words' romaji, or
    /// with the kind of place (`koga_city`). For the latter only a match that keeps the
    /// kind word counts: `koga_news` is not `koga_city`.
    handles: Vec<(String, handle::HandleForms, bool)>,
}

/// The registry, the thresholds and the organisation, ready to assess candidates.
#[derive(Clone, Debug)]
pub struct Detector {
    /// Fixed once built (`by_handle` and the per-official indices below refer to it).
    pub(crate) officials: Vec<OfficialFeatures>,
    pub thresholds: Detection,
    pub organization: String,
    /// The municipalities the organisation and its official accounts name (ours).
    pub places: Vec<&'static Municipality>,
    /// Our places as names are compared (folded), including the place at the head of the
    /// organisation's name when no municipality table knows it.
    place_forms: Vec<String>,
    /// `place_forms` searched in one pass ([`places_in`]).
    place_set: WordSet,
    /// Our places' kana readings ([`read_places`]).
    place_readings: Vec<PlaceReading>,
    /// Our place's romaji in the official handles (`mirai` of `mirai_koho`), folded as
    /// [`Detector::shares_only_our_place`] compares them.
    place_romaji_folded: Vec<String>,
    /// The same romaji, each [`crate::detect::normalize::fold_name`]d (as `name::latin_place_role`
    /// folds them), once per registry.
    place_romaji_name_folded: Vec<String>,
    /// Our places as written (and the place at the head of the organisation's name), each with
    /// its fold, in the order [`Detector::role_evidence`] searches them.
    places_written: Vec<(String, String)>,
    /// Our places' prefectures, folded.
    prefectures_folded: Vec<String>,
    /// For a prefectural police, the places of its prefecture its stations are named after
    /// (folded names and stems, [`name::police_station`]); empty otherwise.
    station_places: Vec<String>,
    /// The organisation's name, folded.
    organization_folded: String,
    /// Per official account (in order), our places its name form contains (indices into
    /// `place_forms`): with a registry of many places, the word comparison of a pair needs
    /// only the places either name contains, not all of them.
    official_places: Vec<Vec<u32>>,
    /// The same for the organisation's target names.
    org_places: Vec<Vec<u32>>,
    /// The first official account of each (platform, canonical handle).
    by_handle: HashMap<(Platform, String), usize>,
    /// `name::comparable` of each place's prefecture (in `places` order).
    prefecture_forms: Vec<String>,
    /// The organisation's romanised handles as pruning reads them (in `org.handles` order).
    org_handle_chars: Vec<prune::HandleChars>,
    org: OrgTarget,
    /// Skips official accounts a candidate provably cannot score against ([`prune`]); on by
    /// default, off only to check that it changes nothing.
    pub pruning: bool,
    pub(crate) pruner: prune::Pruner,
    /// The fitted combination of the evidence ([`model`]).
    pub model: &'static Model,
    /// The official avatars' corners, indexed ([`super::local`]).
    local_index: LocalIndex,
    /// Per official account (in order): how far the background corpus's corners come with
    /// its avatar's, measured the first time a candidate needs it.
    local_calibrations: std::sync::OnceLock<Vec<LocalCalibration>>,
    /// [`Detector::local_matches`] of the pictures seen lately.
    local_seen: PerPicture<Vec<(usize, LocalMatch, f64)>>,
}

/// Evidence that one official account is being imitated.
struct Comparison {
    signals: Signals,
    score: f64,
    reasons: Vec<Reason>,
    evidence: Evidence,
}

/// The numbers behind a verdict, each 0..1: what `eval --features` exports for fitting the
/// combination (scripts/fit_detector.py) and what the fitted model reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Evidence {
    /// Handle evidence after discounts, and before.
    pub handle: f64,
    pub handle_raw: f64,
    pub handle_similarity: f64,
    /// Display-name evidence after discounts; 1 when it reads the same as the official name.
    pub name: f64,
    pub name_exact: f64,
    /// Avatar evidence; the fine correlation, the background chance (1 when unknown), the
    /// DCT distance / 64 (1 when not compared) and the detail of the avatars.
    pub avatar: f64,
    pub avatar_fine: f64,
    pub avatar_chance: f64,
    pub avatar_distance: f64,
    pub avatar_information: f64,
    /// For two pictures with little detail, how well their outlines coincide (0 when not
    /// compared).
    pub avatar_outline: f64,
    /// 1 when the avatar is the same picture as the official one (not the same template).
    pub avatar_copy: f64,
    pub bio: f64,
    /// The organisation itself imitated: its name or handle; our place with a word of its
    /// offices, departments or topics (「みらい市役所 給付金窓口」).
    pub organization: f64,
    pub organization_handle: f64,
    pub organization_role: f64,
    /// 1 when that name says nothing but our place and such words (「介護保険｜古賀市」).
    pub organization_role_alone: f64,
    /// 1 when the name or the bio claims to be official (「【公式】」, 「公式アカウントです」).
    pub claims: f64,
    /// Account facts and lures.
    pub facts: f64,
    pub lures: f64,
    /// 1 when a discount or a cap applied.
    pub other_place: f64,
    pub handle_only: f64,
    pub disclaims: f64,
    /// The plain combination `1 − Π(1 − e)` of handle, name, avatar, bio and organisation:
    /// whether the account resembles us at all (account facts only count from 0.3).
    pub combined: f64,
}

fn ramp(x: f64, from: f64, to: f64) -> f64 {
    ((x - from) / (to - from)).clamp(0.0, 1.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// How much closer the whole picture's descriptor must come than the trimmed one's to be
/// compared instead ([`AvatarHash::fine_whole`]): the trimmed one has an outline too.
const WHOLE_MARGIN: f64 = 0.05;

/// What is left of name and handle evidence when the candidate names a different real
/// municipality: such resemblance comes from sharing a naming pattern, not from imitation.
const OTHER_PLACE_FACTOR: f64 = 0.1;
/// What an avatar like ours still counts on an account whose name is another place's
/// ([`Reason::AvatarOfAnotherPlace`]).
const ANOTHER_PLACE_AVATAR_FACTOR: f64 = 0.3;

/// Most a handle resemblance counts when the name, the avatar and the bio are all plainly
/// someone else's (`city_kobo`, a craft workshop, next to `city_koho`): a weak suspect at most.
const HANDLE_ONLY_CAP: f64 = 0.35;
/// A fine likeness that at least this share of unrelated pictures reaches says nothing about
/// whose picture it is.
const AVATAR_COMMON_CHANCE: f64 = 0.01;

/// The indices of the places `form` contains, in order (`places` is `Detector::place_set`,
/// whose words are never empty).
fn places_in(form: &str, places: &WordSet) -> Vec<u32> {
    places.all_in(form).into_iter().map(|i| i as u32).collect()
}

/// A handle (or a place's romaji) as [`Detector::shares_only_our_place`] compares them:
/// look-alike letters and romanisation folded.
fn romaji_fold(h: &str) -> String {
    handle::fold_romaji(&handle::forms(h).paired)
}

/// The place at the head of an organisation's name: up to the first 都・道・府・県・市・区・町・村
/// (「みらい県警察」 → 「みらい県」), when there is more after it or it is the whole name.
fn head_place(org: &str) -> Option<String> {
    let chars: Vec<char> = org.chars().collect();
    // 道 ends a place only in 北海道 (「京丹後上下水道局」 is a waterworks, not a place).
    let i = chars.iter().enumerate().position(|(i, c)| {
        "都府県市区町村".contains(*c) || (*c == '道' && i >= 2 && chars[i - 2..i] == ['北', '海'])
    })?;
    (i >= 1).then(|| chars[..=i].iter().collect())
}

/// Stems of our places (「京丹後」 of 京丹後市, 「浜松」 of 浜松市) that count as the place
/// itself: stems of two characters or more (「浜松 広報」). A stem that begins another
/// municipality's name (宮崎 of 宮崎県 and of 宮崎市) is not ours. A two-character stem is as
/// often a family name (古賀さん); it counts only where the name also has a desk of ours and
/// nothing of someone else ([`name::place_role`]), and measured so (stop 17: no false alarm
/// more on 15 own and 8 independent sets, +5 paraphrased names caught).
fn place_stems(places: &[&'static Municipality]) -> Vec<String> {
    // A prefecture's stem is its own even where a municipality of it begins with it (宮崎 of
    // 宮崎県 and 宮崎市: 「宮崎 防犯情報」 for 宮崎県警察); a name that names the
    // municipality itself (「宮崎市 防災」) is the municipality's ([`Detector::role_evidence`]).
    let is_prefecture = |m: &Municipality| m.name == m.prefecture;
    let begins_another = |m: &Municipality| {
        places::all().iter().any(|o| {
            o.name.starts_with(m.stem)
                && !places.iter().any(|p| p.name == o.name)
                && !(is_prefecture(m) && o.prefecture == m.name)
        })
    };
    places
        .iter()
        .filter(|m| m.stem != m.name && m.stem.chars().count() >= 2 && !begins_another(m))
        .map(|m| crate::detect::normalize::fold_name(m.stem))
        .collect()
}

/// The places a prefectural police names its stations after: the municipalities of our
/// prefecture, their names and stems (at least two characters), folded.
fn station_places(organization: &str, places: &[&'static Municipality]) -> Vec<String> {
    let fold = crate::detect::normalize::fold_name;
    if !fold(organization).contains(&fold("警察")) {
        return Vec::new();
    }
    let mut out: Vec<String> = places
        .iter()
        .filter(|p| p.name == p.prefecture)
        .flat_map(|pref| {
            places::all()
                .iter()
                .filter(move |m| m.prefecture == pref.name && m.name != m.prefecture)
        })
        .flat_map(|m| [fold(m.name), fold(m.stem)])
        .filter(|p| p.chars().count() >= 2)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Romanisations of department and topic words in organisation names.
const DEPARTMENT_ROMAJI: &[(&str, &[&str])] = &[
    ("警察", &["police", "keisatsu"]),
    ("県警", &["police", "kenkei"]),
    ("消防", &["fire", "shobo"]),
    ("広報", &["koho", "pr"]),
    ("防災", &["bosai", "disaster"]),
    ("観光", &["kanko", "tourism"]),
    ("教育委員会", &["kyoiku", "edu"]),
    ("議会", &["gikai"]),
    ("水道", &["suido", "water"]),
    ("病院", &["hospital", "byoin"]),
    ("図書館", &["library", "toshokan"]),
];

impl OrgTarget {
    fn new(organization: &str, place_romaji: &[String]) -> Self {
        let mut names = vec![name::comparable(organization)];
        names.retain(|n| n.chars().count() >= 2);
        let folded = crate::detect::normalize::fold_name(organization);
        let mut handles = Vec::new();
        // A prefecture's organisation also writes its kind: `kumamoto_pref_police`.
        let of_prefecture = head_place(organization)
            .is_some_and(|p| p.ends_with(['県', '府', '都']) || p == "北海道");
        for (word, romaji) in DEPARTMENT_ROMAJI {
            if !folded.contains(&crate::detect::normalize::fold_name(word)) {
                continue;
            }
            for p in place_romaji {
                for r in *romaji {
                    let mut forms = vec![format!("{p}_{r}")];
                    if of_prefecture {
                        forms.push(format!("{p}_pref_{r}"));
                    }
                    for h in forms {
                        handles.push((h.clone(), handle::forms(&h), false));
                    }
                }
            }
        }
        // A municipality or prefecture itself: `koga_city`, `city_koga`, `kamoenaimura`,
        // `koga_city_official`.
        let kind = head_place(organization)
            .filter(|p| *p == organization)
            .and_then(|p| p.chars().last())
            .and_then(|last| PLACE_KIND_ROMAJI.iter().find(|(k, _)| *k == last));
        if let Some((_, kinds)) = kind {
            for p in place_romaji {
                for k in *kinds {
                    for h in [
                        format!("{p}_{k}"),
                        format!("{k}_{p}"),
                        format!("{p}_{k}_official"),
                    ] {
                        handles.push((h.clone(), handle::forms(&h), true));
                    }
                }
            }
        }
        OrgTarget { names, handles }
    }
}

/// Romanised words for a kind of municipality, by the last character of its name.
const PLACE_KIND_ROMAJI: &[(char, &[&str])] = &[
    ('市', &["city", "shi"]),
    ('区', &["city", "ku"]),
    ('町', &["town", "machi", "cho"]),
    ('村', &["village", "mura", "son"]),
    ('県', &["pref", "ken"]),
    ('府', &["pref", "fu"]),
    ('都', &["metro", "to"]),
    ('道', &["pref"]),
];

/// The romanised place words of our handles: words of official handles that name one of our
/// municipalities; when no official handle names one (a made-up place), the first word of
/// each official handle (`mirai` of `mirai_koho`). A department's own handle (`kp_kotsu`)
/// does not make its word (`kotsu`) a place when other handles name the place.
fn place_romaji(officials: &[OfficialFeatures], places: &[&'static Municipality]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut first_words: Vec<String> = Vec::new();
    for o in officials {
        let local = handle::local_part(&o.account.handle).to_lowercase();
        let words: Vec<&str> = local.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        // The place itself, not the word around it (`kishiwada` of `kishiwadakoho`).
        out.extend(
            words
                .iter()
                .filter(|w| w.len() >= 3)
                .flat_map(|w| places::named_in_handle(w))
                .filter(|m| places.iter().any(|p| p.name == m.name))
                .map(|m| m.romaji.clone()),
        );
        first_words.extend(
            words
                .first()
                .filter(|w| w.len() >= 3)
                .map(|w| w.to_string()),
        );
    }
    if out.is_empty() {
        out = first_words;
    }
    // As names write our places in Latin letters: `Shingo Village` for the table's `shingou`.
    let named: Vec<&Municipality> = places
        .iter()
        .copied()
        .filter(|m| out.contains(&m.romaji))
        .collect();
    for m in named {
        let written = m.romaji_written.to_lowercase();
        out.extend(
            [
                ("ou", "o"),
                ("ou", "oh"),
                ("uu", "u"),
                ("oo", "o"),
                ("ei", "e"),
            ]
            .iter()
            .filter(|(long, _)| written.contains(long))
            .map(|(long, short)| written.replace(long, short)),
        );
        out.push(written);
    }
    out.sort();
    out.dedup();
    out
}

/// Evidence 0..1 from how a display name imitates a target name, and how.
fn name_evidence(
    target: &str,
    form: &str,
    places: &[String],
    floor: f64,
) -> Option<(f64, NameMatch, f64)> {
    name_evidence_at(target, form, name::similarity(target, form), places, floor)
}

/// [`name_evidence`] with the names' similarity already computed (`sim`).
fn name_evidence_at(
    target: &str,
    form: &str,
    sim: f64,
    places: &[String],
    floor: f64,
) -> Option<(f64, NameMatch, f64)> {
    if target.is_empty() || form.is_empty() {
        return None;
    }
    if sim >= 0.999 {
        return Some((0.8, NameMatch::SameReading, 1.0));
    }
    let w = name::words(target, form, places);
    let mut best: Option<(f64, NameMatch, f64)> = None;
    let mut consider = |e: f64, how: NameMatch| {
        if e > best.as_ref().map_or(0.0, |b| b.0) {
            best = Some((e, how, sim));
        }
    };
    if let Some(added) = w.contains.clone() {
        consider(0.75, NameMatch::Contains { added });
    }
    if w.reordered {
        consider(0.75, NameMatch::Reordered);
    }
    if w.truncated {
        consider(0.6, NameMatch::Truncated);
    }
    if let Some((place, topic)) = w.place_topic.clone() {
        let e = if w.rest_cover >= 0.5 { 0.65 } else { 0.45 };
        consider(e, NameMatch::PlaceAndTopic { place, topic });
    }
    if sim >= floor {
        let edits = strsim::levenshtein(target, form);
        let len = target.chars().count();
        let by_edits = if edits == 1 && len >= 6 { 0.6 } else { 0.0 };
        consider(
            f64::max(by_edits, 0.7 * ramp(sim, floor, 1.0)),
            NameMatch::Similar,
        );
    }
    best
}

impl Detector {
    pub fn new(
        officials: Vec<OfficialFeatures>,
        thresholds: Detection,
        organization: &str,
    ) -> Self {
        let mut places = places::named_in_text(organization);
        for o in &officials {
            places.extend(places::named_in_text(&o.account.display_name));
        }
        // A romanised name in a handle may be several places (`kagoshima`: 鹿児島県 and
        // 鹿児島市); the one the names already say is the one meant.
        let named_in_names = places.clone();
        for o in &officials {
            places.extend(
                places::named_in_handle(&o.account.handle)
                    .into_iter()
                    .filter(|m| {
                        !named_in_names
                            .iter()
                            .any(|p| p.romaji == m.romaji && p.name != m.name)
                    }),
            );
        }
        places.sort_by_key(|m| m.code);
        places.dedup();
        let mut place_forms: Vec<String> = places
            .iter()
            .map(|m| crate::detect::normalize::fold_name(m.name))
            .collect();
        place_forms
            .extend(head_place(organization).map(|p| crate::detect::normalize::fold_name(&p)));
        for o in &officials {
            place_forms.extend(
                head_place(&o.account.display_name)
                    .map(|p| crate::detect::normalize::fold_name(&p)),
            );
        }
        place_forms.extend(place_stems(&places));
        place_forms.retain(|p| p.chars().count() >= 2);
        place_forms.sort();
        place_forms.dedup();
        let station_places = station_places(organization, &places);
        let place_romaji = place_romaji(&officials, &places);
        let place_readings = place_readings(&places);
        let org = OrgTarget::new(organization, &place_romaji);
        let place_romaji_folded = place_romaji.iter().map(|p| romaji_fold(p)).collect();
        let fold = crate::detect::normalize::fold_name;
        let place_romaji_name_folded = place_romaji.iter().map(|p| fold(p)).collect();
        let places_written = places
            .iter()
            .map(|m| m.name.to_string())
            .chain(head_place(organization))
            .map(|p| {
                let f = fold(&p);
                (p, f)
            })
            .collect();
        let prefectures_folded = places.iter().map(|m| fold(m.prefecture)).collect();
        let place_set = WordSet::new(&place_forms);
        let official_places = officials
            .iter()
            .map(|o| places_in(&o.name_form, &place_set))
            .collect();
        let org_places = org.names.iter().map(|n| places_in(n, &place_set)).collect();
        let mut by_handle = HashMap::new();
        for (i, o) in officials.iter().enumerate() {
            by_handle
                .entry((o.account.platform, canonical_handle(&o.account.handle)))
                .or_insert(i);
        }
        let prefecture_forms = places
            .iter()
            .map(|m| name::comparable(m.prefecture))
            .collect();
        let org_handle_chars = org
            .handles
            .iter()
            .map(|(_, f, _)| prune::HandleChars::new(f))
            .collect();
        let local_index = LocalIndex::new(
            &officials
                .iter()
                .map(|o| o.local.as_ref())
                .collect::<Vec<_>>(),
        );
        Detector {
            prefecture_forms,
            org_handle_chars,
            place_romaji_folded,
            place_romaji_name_folded,
            places_written,
            prefectures_folded,
            organization_folded: fold(organization),
            station_places,
            official_places,
            org_places,
            by_handle,
            officials,
            pruner: prune::Pruner::new(&thresholds, &bit_weights()),
            thresholds,
            organization: organization.to_string(),
            places,
            place_forms,
            place_set,
            place_readings,
            org,
            pruning: true,
            model: Model::fitted(),
            local_index,
            local_calibrations: std::sync::OnceLock::new(),
            local_seen: PerPicture::default(),
        }
    }

    /// The official avatars whose corners the candidate's avatar carries, as no background
    /// picture does ([`LOCAL_MIN_CORNERS`], [`LOCAL_MIN_RECOVERED`],
    /// [`LOCAL_SAME_PICTURE_CHANCE`]): (official index, match, chance).
    fn local_matches(&self, c: &CandidateView) -> Vec<(usize, LocalMatch, f64)> {
        let Some(local) = c.avatar.as_ref().and_then(|a| a.local.as_ref()) else {
            return Vec::new();
        };
        if self.local_index.is_empty() || local.0.len() < LOCAL_MIN_CORNERS as usize {
            return Vec::new();
        }
        self.local_seen
            .get_or_compute(local, || self.local_matches_of(local))
    }

    /// [`Detector::local_matches`] of one picture's corners.
    fn local_matches_of(&self, local: &Keypoints) -> Vec<(usize, LocalMatch, f64)> {
        self.local_index
            .matches(local)
            .into_iter()
            .filter(|m| m.inliers >= LOCAL_MIN_CORNERS && m.recovered >= LOCAL_MIN_RECOVERED)
            .filter_map(|m| {
                let calibration = &self.local_calibrations.get_or_init(|| {
                    LocalCalibration::of_all(
                        &self.local_index,
                        self.officials.len(),
                        background::corners(),
                    )
                })[m.official];
                let chance = calibration.chance(m.inliers);
                (!calibration.is_empty() && chance <= LOCAL_SAME_PICTURE_CHANCE)
                    .then_some((m.official, m, chance))
            })
            .collect()
    }

    /// The registered official account with this platform and handle, if any.
    pub fn official(&self, platform: Platform, handle: &str) -> Option<&OfficialAccount> {
        // `by_handle` is keyed as `OfficialAccount::is` compares, and the officials are fixed
        // when the detector is built: a miss is no official account (no scan of them all).
        self.by_handle
            .get(&(platform, canonical_handle(handle)))
            .map(|&i| &self.officials[i].account)
    }

    /// The places the word comparison of `target` (its places `target_places`) and a name
    /// (its places `name_places`) may use: those either contains, in `place_forms` order.
    /// [`name::words`] reads a place only when one of the two names contains it, so this gives
    /// the same answer as all of `place_forms`.
    fn places_of(&self, target_places: Option<&Vec<u32>>, name_places: &[u32]) -> Vec<String> {
        let Some(t) = target_places else {
            return self.place_forms.clone();
        };
        let mut idx: Vec<u32> = t.iter().chain(name_places).copied().collect();
        idx.sort_unstable();
        idx.dedup();
        idx.iter()
            .map(|&i| self.place_forms[i as usize].clone())
            .collect()
    }

    /// The place the account presents itself as belonging to, when it is not ours nor in the
    /// prefecture we are (a police station of our prefecture is ours to impostors): the first
    /// place the display name names, in Japanese or in Latin letters, and none of ours; or,
    /// when the name names no place, another place's whole name in our handle's pattern.
    fn another_place_presented(
        &self,
        c: &CandidateView,
        prep: &Prepared,
    ) -> Option<&'static Municipality> {
        if prep.in_name_ours || prep.names_our_place {
            return None;
        }
        let in_our_prefecture = |m: &Municipality| {
            self.places
                .iter()
                .any(|p| p.name == p.prefecture && p.name == m.prefecture)
        };
        if let Some(m) = prep.in_name.first() {
            return Some(*m).filter(|m| !self.is_ours(m) && !in_our_prefecture(m));
        }
        // In Latin letters (「Oita Prefectural Police」): one place, none of ours.
        let named = c.display_name.map(name::latin_places_presented);
        if let Some(theirs) = named.as_ref().and_then(|n| n.first()) {
            return named
                .iter()
                .flatten()
                .all(|m| !self.is_ours(m) && !in_our_prefecture(m))
                .then_some(*theirs);
        }
        // A name that names no place: the handle, when it is one of ours with another place's
        // whole name in the place of ours (`okayamakenkei` beside `shizuokakenkei`; not
        // `kasaoka_city` beside `kameoka_city`, a typo that happens to spell a place), and
        // nothing else says ours or lures. Against every official handle: the emblem the
        // kind shares is on all of our accounts.
        if prep.mentions_organization || prep.lures.is_some() {
            return None;
        }
        *prep.handle_place.get_or_init(|| {
            if places::named_in_handle(c.handle).is_empty() {
                return None;
            }
            self.officials.iter().find_map(|o| {
                places::replaced_in_handle(c.handle, &o.account.handle, &self.places)
                    .filter(|r| !r.typo && !in_our_prefecture(r.place))
                    .map(|r| r.place)
            })
        })
    }

    /// A comparable name ([`name::comparable`]) without our prefecture in front of it, if it
    /// starts with our prefecture and more follows (「福岡県古賀市」: 「古賀市」).
    fn without_our_prefecture<'a>(&self, form: &'a str) -> Option<&'a str> {
        self.prefecture_forms
            .iter()
            .filter_map(|p| form.strip_prefix(p.as_str()))
            .find(|rest| !rest.is_empty())
    }

    /// One of our places, or the prefecture one of them is in.
    fn is_ours(&self, m: &Municipality) -> bool {
        self.places
            .iter()
            .any(|p| p.name == m.name || p.prefecture == m.name)
    }

    /// A different real municipality the candidate names (and none of ours): in its display
    /// name (`None`), or in the place-name role of the official handle (whether the handle is
    /// a typo of ours: [`places::Replaced::typo`]).
    fn other_place(
        &self,
        official: &OfficialFeatures,
        c: &CandidateView,
        prep: &Prepared,
    ) -> Option<(&'static Municipality, Option<bool>)> {
        let in_name = prep.in_name.as_slice();
        if prep.in_name_ours {
            return None;
        }
        in_name.first().map(|m| (*m, None)).or_else(|| {
            places::replaced_in_handle(c.handle, &official.account.handle, &self.places)
                .map(|r| (r.place, Some(r.typo)))
        })
    }

    /// Whether two handles have our place's romaji in common and, apart from it, words that
    /// are neither one inside the other nor one typo apart.
    fn shares_only_our_place(&self, official: &str, candidate: &str) -> bool {
        // Look-alike letters and romanisation (`tovvn`, `kouhou`) folded first: they are
        // imitation, not another word. Both with the letter pairs folded and without (`kcnkci`
        // for `kenkei` has `ci` read as `d` in the one, two look-alike letters in the other).
        let forms = |h: &str| {
            let f = handle::forms(h);
            [
                handle::fold_romaji(&f.paired),
                handle::fold_romaji(&f.plain),
            ]
        };
        let (o, c) = (forms(official), forms(candidate));
        let Some(p) = self
            .place_romaji_folded
            .iter()
            .filter(|p| p.len() >= 3 && o[0].contains(p.as_str()) && c[0].contains(p.as_str()))
            .max_by_key(|p| p.len())
        else {
            return false;
        };
        let rest = |h: &str| -> String {
            h.replacen(p.as_str(), "", 1)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect()
        };
        // `bunkyo_pr` for `bunkyo_koho`: one department in two languages.
        let department = |w: &str| {
            DEPARTMENT_ROMAJI
                .iter()
                .position(|(_, romaji)| romaji.iter().any(|r| romaji_fold(r) == w))
        };
        let another_word = |o: &str, c: &str| {
            let (ro, rc) = (rest(o), rest(c));
            if ro.len() < 2 || rc.len() < 2 || ro.contains(&rc) || rc.contains(&ro) {
                return false;
            }
            if department(&ro).is_some() && department(&ro) == department(&rc) {
                return false;
            }
            let edits = super::edit::osa_distance(&ro, &rc);
            edits >= 2 && edits * 3 > ro.len().min(rc.len())
        };
        another_word(&o[0], &c[0])
            && (!(o[1].contains(p.as_str()) && c[1].contains(p.as_str()))
                || another_word(&o[1], &c[1]))
    }

    /// Handle evidence against one official handle, with its reason.
    fn handle_evidence(
        &self,
        official: &OfficialFeatures,
        c: &CandidateView,
        prep: &Prepared,
        platform: Platform,
    ) -> (f64, handle::HandleMatch, Option<Reason>) {
        let t = &self.thresholds;
        let o = &official.account;
        // The canonical local parts, computed once per account for pruning.
        let same_local = official.prune.local_key == prep.prune.local_key;
        let hm = handle::compare(&official.handle_forms, &prep.handle_forms, same_local);
        if hm.form == "exact" {
            let r = Reason::HandleImitates {
                handle: c.handle.to_string(),
                official: o.handle.clone(),
                official_platform: o.platform,
                edits: vec![HandleEdit::OtherPlatform { platform }],
                similarity: 1.0,
            };
            return (0.95, hm, Some(r));
        }
        if hm.similarity < t.handle_floor {
            return (0.0, hm, None);
        }
        // Typosquatters make one edit; two edits (`kokusai` for `bousai`) are as often
        // another word, so they count only through the similarity.
        let by_edits = match (hm.edits, hm.length) {
            (0, _) => 0.9,
            (1, l) if l >= 6 => 0.75,
            _ => 0.0,
        };
        let mut e = f64::max(by_edits, 0.8 * ramp(hm.similarity, t.handle_floor, 1.0));
        if self.shares_only_our_place(&o.handle, c.handle) {
            // `kanazawa_taro` next to `kanazawa_koho`: our place, then a word of its own. The
            // place is a naming pattern, not imitation.
            e = 0.0;
        }
        if e == 0.0 {
            return (0.0, hm, None);
        }
        let r = Reason::HandleImitates {
            handle: c.handle.to_string(),
            official: o.handle.clone(),
            official_platform: o.platform,
            edits: handle::explain(&o.handle, c.handle),
            similarity: round3(hm.similarity),
        };
        (e, hm, Some(r))
    }

    /// Avatar evidence against one official avatar: (evidence, similarity, reason, copy),
    /// filling the avatar fields of `ev`.
    ///
    /// Two descriptors: the DCT-sign hashes (robust, but different icons of one set on one
    /// colour come close) and the fine thumbnail, compared with the official avatar's views
    /// (rotated, cropped unevenly, mirrored, grey). A fine correlation that almost no
    /// background picture reaches is the same picture, however simple; a DCT match that the
    /// fine descriptor contradicts is the same template, not the same picture.
    fn avatar_evidence(
        &self,
        official: &OfficialFeatures,
        c: &CandidateView,
        local: Option<(&LocalMatch, f64)>,
        ev: &mut Evidence,
    ) -> (f64, Option<f64>, Option<Reason>, bool) {
        let t = &self.thresholds;
        ev.avatar_chance = 1.0;
        ev.avatar_distance = 1.0;
        let (Some(a), Some(b)) = (official.avatar.as_ref(), c.avatar.as_ref()) else {
            return (0.0, None, None, false);
        };
        let o = &official.account;
        let dct = a.distance(b);
        let mut d = dct;
        let gradient = a.gradient_distance(b);
        let info = a.information.min(b.information);
        // Pictures with little detail must also be of the same colours to be the same.
        let close = |x: [u8; 3], y: [u8; 3], tolerance: i32| {
            (0..3).all(|i| (x[i] as i32 - y[i] as i32).abs() <= tolerance)
        };
        let same_colour = info >= 0.6 || close(a.colour, b.colour, 48);
        ev.avatar_distance = dct as f64 / 64.0;
        ev.avatar_information = info;
        // Crops of the official avatar are compared when the DCT views already find the
        // pictures somewhat alike, or the fine views do.
        let near = dct <= t.avatar_max_distance + 6;
        let best_of = |f: &Fine| {
            (f.is_set() && !official.avatar_views.is_empty()).then(|| {
                f.best_of_views_normed(
                    &official.avatar_views,
                    &official.avatar_view_norms,
                    FINE_CHEAP_VIEWS,
                    near,
                )
            })
        };
        // The candidate described as its picture was trimmed, or whole when that is clearly
        // closer (then its outline, of the trimmed part, is not compared).
        let mut fine = best_of(&b.fine);
        let mut b_fine = &b.fine;
        let mut b_outline = b.outline.as_deref();
        if let Some(whole) = b.fine_whole.as_deref() {
            if let Some(w) = best_of(whole).filter(|w| fine.is_none_or(|f| *w > f + WHOLE_MARGIN)) {
                (fine, b_fine, b_outline) = (Some(w), whole, None);
            }
        }
        let chance = fine
            .filter(|_| !official.calibration.is_empty())
            .map(|f| official.calibration.chance(f));
        ev.avatar_fine = fine.unwrap_or(0.0).max(0.0);
        ev.avatar_chance = chance.unwrap_or(1.0);
        // Two pictures with little detail: how well their outlines coincide (computed when
        // first asked), in the picture itself, grey and mirrored, and the view the fine
        // descriptor finds best aligned with the candidate.
        let outline_cell = std::cell::OnceCell::new();
        let outline = || {
            *outline_cell.get_or_init(|| {
                let o = b_outline.filter(|_| info < OUTLINE_INFORMATION)?;
                let picture = official.picture.as_ref()?;
                let fine_view =
                    b_fine.best_view(&official.avatar_views, &official.avatar_view_norms);
                let mut outlines = (0..OUTLINE_BASE_VIEWS)
                    .chain(fine_view)
                    .filter_map(|i| picture.outline(i))
                    .peekable();
                outlines.peek()?;
                Some(outlines.map(|v| o.similarity(v)).fold(0.0, f64::max))
            })
        };

        // The same picture by the fine descriptor, weighed by how rare such a likeness is.
        if let (Some(f), Some(ch)) = (fine, chance) {
            // Flat pictures (a mark on a colour) correlate more easily; ask more of them, less
            // when their outlines coincide, and nothing of pictures with little detail whose
            // outlines do not.
            let near_outline = (info < OUTLINE_INFORMATION && f >= FINE_ALIGN_FROM)
                .then(outline)
                .flatten();
            let bar = match near_outline {
                Some(o) if o >= OUTLINE_SAME => FINE_SAME,
                _ if info < FLAT_INFORMATION => FINE_SAME_FLAT,
                _ => FINE_SAME,
            };
            let other_mark = near_outline.is_some_and(|o| o < OUTLINE_TEMPLATE);
            // A copy in a frame or on a canvas keeps the colours of its middle, where the fine
            // descriptor looks, if not of the whole (its outline says it is the copy): closely,
            // for a mark filling the middle of another colour's logo is near in the mean too.
            let same_colour = same_colour
                || (near_outline.is_some_and(|o| o >= OUTLINE_SAME)
                    && close(a.centre_colour, b.centre_colour, CENTRE_COLOUR_TOLERANCE));
            // Nearly alike: align the official picture with the candidate (uneven crops
            // between the views' steps), held to a higher bar.
            let aligned = || {
                official
                    .picture
                    .as_ref()
                    .filter(|_| (FINE_ALIGN_FROM..bar).contains(&f))
                    .is_some_and(|p| {
                        p.aligned(b_fine, &official.avatar_views) >= bar + FINE_ALIGNED_MARGIN
                    })
            };
            if !other_mark && ch <= SAME_PICTURE_CHANCE && same_colour && (f >= bar || aligned()) {
                ev.avatar_outline = near_outline.unwrap_or(0.0);
                let e = 0.85 - 0.25 * ramp(ch, 0.002, SAME_PICTURE_CHANCE);
                let reason = Reason::AvatarMatches {
                    official: o.handle.clone(),
                    distance: dct.min(t.avatar_match_distance),
                    chance: (ch * 10_000.0).round() / 10_000.0,
                };
                return (e, Some(1.0 - dct.min(d) as f64 / 64.0), Some(reason), true);
            }
        }

        // The same picture by its corners: a copy labelled, put on a canvas, framed, skewed or
        // cut beyond what the views undo, that no background picture matches as well.
        if let Some((m, ch)) = local {
            let reason = Reason::AvatarCornersMatch {
                official: o.handle.clone(),
                corners: m.inliers,
                recovered: round3(m.recovered as f64),
                chance: (ch * 10_000.0).round() / 10_000.0,
            };
            return (0.85, Some(1.0 - dct as f64 / 64.0), Some(reason), true);
        }

        // Much alike by the fine descriptor, and rarely so for an unrelated picture: a copy
        // edited more than the views and the alignment undo (a label across it, a skew, a
        // styled frame). Some evidence, not a match: photographs of the same place come as
        // close.
        let likeness = match (fine, chance) {
            (Some(f), Some(ch))
                if ch <= LIKENESS_CHANCE && info >= FLAT_INFORMATION && same_colour =>
            {
                Some((
                    LIKENESS_EVIDENCE * ramp(f, FINE_LIKENESS_FROM, FINE_SAME),
                    f,
                    ch,
                ))
            }
            _ => None,
        };

        // A second opinion on DCT matches: the gradient hash, and the fine descriptor. Different
        // pictures built on the same template (a ring and a text band in the same places, a
        // glyph on the same colour) match on the DCT views; their details still disagree.
        // (The fine veto needs the official avatar's views: a mirrored copy matches only them.)
        let full_views = official.avatar_views.len() > 1;
        let fine_differs = full_views && fine.is_some_and(|f| f < FINE_TEMPLATE);
        let template = d <= t.avatar_match_distance
            && (gradient > GRADIENT_DISAGREES
                || fine_differs
                || (info < FLAT_INFORMATION && outline().is_some_and(|o| o < OUTLINE_TEMPLATE)));
        ev.avatar_outline = outline_cell.get().copied().flatten().unwrap_or(0.0);
        // A DCT match that the fine descriptor finds common (an unrelated picture comes as
        // close at least once in a hundred: a different icon on the same plate) is a
        // resemblance, not a match. (With the official avatar's views only: a mirrored copy
        // matches only them.)
        let common = !template
            && full_views
            && d <= t.avatar_match_distance
            && chance.is_some_and(|c| c >= AVATAR_COMMON_CHANCE);
        if template || common {
            d = t.avatar_match_distance + 1;
        }
        let sim = Some(1.0 - d as f64 / 64.0);
        let weight = 0.25 + 0.75 * ramp(info, 0.3, 0.45);
        let matched = d <= t.avatar_match_distance;
        let closeness = if matched {
            0.85 - 0.15 * d as f64 / t.avatar_match_distance.max(1) as f64
        } else {
            0.45 * (1.0
                - ramp(
                    d as f64,
                    t.avatar_match_distance as f64,
                    t.avatar_max_distance as f64,
                ))
        };
        let e = closeness * weight;
        if let Some((like, f, ch)) = likeness.filter(|(like, ..)| *like > e && !matched) {
            let reason = Reason::AvatarLooksAlike {
                official: o.handle.clone(),
                similarity: round3(f),
                chance: (ch * 10_000.0).round() / 10_000.0,
            };
            return (like, sim, Some(reason), false);
        }
        let reason = if template {
            Some(Reason::AvatarSameTemplate {
                official: o.handle.clone(),
                distance: dct,
                detail_distance: if gradient > GRADIENT_DISAGREES {
                    gradient
                } else if fine_differs {
                    ((1.0 - fine.unwrap_or(0.0)) * 32.0).round() as u32
                } else {
                    ((1.0 - outline().unwrap_or(0.0)) * 32.0).round() as u32
                },
            })
        } else if e > 0.05 {
            Some(if matched {
                Reason::AvatarMatches {
                    official: o.handle.clone(),
                    distance: d,
                    chance: chance
                        .map_or(round3(1.0 - weight), |c| (c * 10_000.0).round() / 10_000.0),
                }
            } else {
                Reason::AvatarResembles {
                    official: o.handle.clone(),
                    distance: if common { dct } else { d },
                }
            })
        } else {
            None
        };
        (e, sim, reason, matched && !template)
    }

    /// Compares the candidate with one official account; `official_index` is its place in
    /// `self.officials`, if it is one of them.
    fn compare(
        &self,
        official: &OfficialFeatures,
        official_index: Option<usize>,
        c: &CandidateView,
        prep: &Prepared,
        platform: Platform,
    ) -> Comparison {
        let t = &self.thresholds;
        let o = &official.account;
        let mut reasons = Vec::new();

        let (mut e_handle, hm, handle_reason) = self.handle_evidence(official, c, prep, platform);
        reasons.extend(handle_reason);

        // Display name, compared as a string and as words.
        let mut name_sim = None;
        let mut exact_name = false;
        let mut e_name = 0.0;
        if let Some(form) = prep.name_form.as_deref() {
            let sim = name::similarity(&official.name_form, form);
            name_sim = Some(sim);
            // An official name that is only our place (「文京区」) is a name many innocent
            // accounts use with words around it; only the same reading counts then.
            let place_only = self.place_forms.binary_search(&official.name_form).is_ok();
            // Our prefecture before a name that is only our place (「静岡県浜松市」 for
            // 「浜松市」): the same reading once it is left out.
            let (form, sim) = match place_only.then(|| self.without_our_prefecture(form)) {
                Some(Some(rest)) if name::similarity(&official.name_form, rest) >= 0.999 => {
                    (rest, 1.0)
                }
                _ => (form, sim),
            };
            let official_index = official_index.and_then(|i| self.official_places.get(i));
            if let Some((e, how, sim)) = name_evidence_at(
                &official.name_form,
                form,
                sim,
                &self.places_of(official_index, &prep.name_places),
                t.display_name_floor,
            )
            .filter(|(_, how, _)| !place_only || *how == NameMatch::SameReading)
            {
                exact_name = how == NameMatch::SameReading;
                e_name = e;
                reasons.push(Reason::DisplayNameImitates {
                    name: c.display_name.unwrap_or_default().to_string(),
                    official: o.handle.clone(),
                    official_name: o.display_name.clone(),
                    how,
                    similarity: round3(sim),
                });
            }
        }

        let mut ev = Evidence {
            handle_raw: e_handle,
            handle_similarity: hm.similarity,
            name_exact: f64::from(u8::from(exact_name)),
            ..Evidence::default()
        };
        let local = official_index.and_then(|i| prep.local.iter().find(|l| l.0 == i));
        let (mut e_avatar, avatar_sim, mut avatar_reason, avatar_copy) =
            self.avatar_evidence(official, c, local.map(|l| (&l.1, l.2)), &mut ev);
        ev.avatar_copy = f64::from(u8::from(avatar_copy));

        // A different real place: its own account, not a typo of ours. A copy of the official
        // name or handle (look-alike letters aside) is imitation whatever else it says; so is
        // a handle that spells another place when the name or the avatar imitate ours.
        let same_handle = hm.edits == 0 && matches!(hm.form, "exact" | "plain");
        let names_our_place = prep.names_our_place;
        if !same_handle && !exact_name && !names_our_place && (e_handle > 0.0 || e_name > 0.0) {
            if let Some((m, in_handle_typo)) = self.other_place(official, c, prep) {
                // Our picture counts with a typo of our handle, not with another place's whole
                // name in it (the emblem of the kind is theirs too).
                let imitates_otherwise =
                    in_handle_typo.is_some_and(|typo| e_name >= 0.5 || avatar_copy && typo);
                if imitates_otherwise {
                    reasons.push(Reason::OtherPlaceNotDiscounted {
                        place: m.name.to_string(),
                        prefecture: m.prefecture.to_string(),
                    });
                } else {
                    e_handle *= OTHER_PLACE_FACTOR;
                    e_name *= OTHER_PLACE_FACTOR;
                    ev.other_place = 1.0;
                    reasons.push(Reason::OtherPlaceDiscount {
                        place: m.name.to_string(),
                        prefecture: m.prefecture.to_string(),
                    });
                }
            }
        }
        // Our picture on an account whose name says it is another place's, with nothing else
        // of ours: organisations of one kind share emblems and templates (every prefectural
        // police the same 旭日章), so the picture is theirs too.
        let name_is_ours = e_name > 0.0 && ev.other_place == 0.0;
        if e_avatar > 0.0 && !name_is_ours && e_handle < HANDLE_ONLY_CAP && !same_handle {
            if let Some(m) = self.another_place_presented(c, prep) {
                e_avatar *= ANOTHER_PLACE_AVATAR_FACTOR;
                ev.other_place = 1.0;
                avatar_reason = Some(Reason::AvatarOfAnotherPlace {
                    place: m.name.to_string(),
                    prefecture: m.prefecture.to_string(),
                });
            }
        }
        reasons.extend(avatar_reason);

        // Only the handle resembles, and the name, the avatar and the bio are all there and
        // all someone else's: a weak suspect at most. A handle that keeps the whole
        // official handle and adds to it (`_jp`, `official_`) is a deliberate copy, not a
        // neighbouring word, so it is not capped.
        let official_local = &official.prune.local_key;
        let candidate_local = &prep.prune.local_key;
        // A word added (`_jp`, `official`), not one letter (`kkoga_bosai` is a typo).
        let keeps_whole_handle = official_local.chars().count() >= 5
            && candidate_local.chars().count() >= official_local.chars().count() + 2
            && candidate_local.contains(official_local.as_str());
        // The avatar is someone else's: not a copy, and no likeness that an unrelated picture
        // rarely reaches (a simple emblem resembles many pictures a little). When the official
        // account has no avatar, the candidate's own picture cannot be ours.
        let avatar_someone_elses = c.avatar.is_some()
            && (official.avatar.is_none()
                || e_avatar == 0.0
                || (!avatar_copy && ev.avatar_chance >= AVATAR_COMMON_CHANCE));
        // The name is someone else's: unlike ours, or saying whose it is (「…の出来事bot」,
        // 「…経済新聞」 beside an official name that is only our place).
        let name_someone_elses = name_sim.is_some_and(|s| s < 0.5) || prep.names_someone_else;
        if e_handle > HANDLE_ONLY_CAP
            && !same_handle
            && !keeps_whole_handle
            && e_name == 0.0
            && name_someone_elses
            && avatar_someone_elses
            && c.bio.is_some_and(|b| !b.trim().is_empty())
            && !prep.claims_official
            && prep.lures.is_none()
        {
            e_handle = HANDLE_ONLY_CAP;
            ev.handle_only = 1.0;
            reasons.push(Reason::HandleOnly);
        }

        // Bio: a claim to be official, naming the organisation or the account. A claim alone
        // proves nothing (every partner organisation claims to be the official account of
        // something); it supports a name or handle that already imitates clearly.
        let mut e_bio = 0.0;
        if let Some(folded) = prep.bio_folded.as_deref() {
            let imitates = e_handle.max(e_name) >= 0.5;
            if imitates
                && prep.claims_official
                && (prep.mentions_organization || bio::mentions_folded(folded, &o.display_name))
            {
                e_bio = if exact_name { 0.5 } else { 0.3 };
                reasons.push(Reason::BioClaimsOfficial {
                    organization: self.organization.clone(),
                });
            }
        }

        ev.handle = e_handle;
        ev.name = e_name;
        ev.avatar = e_avatar;
        ev.bio = e_bio;
        let score = self.model.pair_logit(&ev);
        Comparison {
            evidence: ev,
            signals: Signals {
                handle: Some(round3(hm.similarity)),
                display_name: name_sim.map(round3),
                avatar: avatar_sim.map(round3),
            },
            score,
            reasons,
        }
    }

    /// [`Detector::compare`] of a pair that pruning proves scores 0 (the last official account,
    /// always compared for the signals it reports when nothing resembles): the handle, name
    /// and avatar similarities and the avatar's measurements, without the searches for
    /// evidence that is provably none (`tests::pruning_changes_nothing` checks that both give
    /// the same assessment).
    fn compare_scoring_nothing(
        &self,
        official: &OfficialFeatures,
        c: &CandidateView,
        prep: &Prepared,
    ) -> Comparison {
        let handle_similarity = handle::similarity(&official.handle_forms, &prep.handle_forms);
        let name_sim = prep
            .name_form
            .as_deref()
            .map(|form| name::similarity(&official.name_form, form));
        let mut ev = Evidence {
            handle_similarity,
            ..Evidence::default()
        };
        let (e_avatar, avatar_sim, avatar_reason, avatar_copy) =
            self.avatar_evidence(official, c, None, &mut ev);
        ev.avatar_copy = f64::from(u8::from(avatar_copy));
        ev.avatar = e_avatar;
        Comparison {
            score: self.model.pair_logit(&ev),
            evidence: ev,
            signals: Signals {
                handle: Some(round3(handle_similarity)),
                display_name: name_sim.map(round3),
                avatar: avatar_sim.map(round3),
            },
            reasons: avatar_reason.into_iter().collect(),
        }
    }

    /// Evidence that the candidate imitates the organisation itself (its name, its name with
    /// a department, their romanisation as a handle), whatever account it resembles.
    /// Returns the evidence from the name, from the handle, and the reasons.
    fn organization_evidence(&self, c: &CandidateView, prep: &Prepared) -> (f64, f64, Vec<Reason>) {
        let mut best = (0.0, Vec::new());
        // 「福岡県古賀市」: the organisation's name after its prefecture reads the same.
        let forms = prep
            .name_form
            .as_deref()
            .map(|form| std::iter::once(form).chain(self.without_our_prefecture(form)));
        for form in forms.into_iter().flatten() {
            for (k, target) in self.org.names.iter().enumerate() {
                let places = self.places_of(self.org_places.get(k), &prep.name_places);
                if let Some((e, how, _)) = name_evidence(target, form, &places, 0.9) {
                    // Our place alone (「文京区」) is a name many innocent accounts use with
                    // words around it; only the whole name counts then.
                    let place_only = self.place_forms.binary_search(target).is_ok();
                    if place_only && how != NameMatch::SameReading {
                        continue;
                    }
                    if e > best.0 {
                        best = (
                            e,
                            vec![Reason::DisplayNameImitatesOrganization {
                                name: c.display_name.unwrap_or_default().to_string(),
                                organization: self.organization.clone(),
                                how,
                            }],
                        );
                    }
                }
            }
        }
        let mut by_handle = (0.0, Vec::new());
        for (k, (romanised, forms, keeps_kind)) in self.org.handles.iter().enumerate() {
            // Only 0 or 1 edit counts: a handle provably 2 edits away is skipped (exact).
            if self
                .org_handle_chars
                .get(k)
                .is_some_and(|h| h.edits_at_least_two(prep.prune.handle_chars()))
            {
                continue;
            }
            let hm = handle::compare(forms, &prep.handle_forms, false);
            if *keeps_kind && hm.form != "plain" {
                continue;
            }
            if hm.edits > 0
                && places::replaced_in_handle(c.handle, romanised, &self.places).is_some()
            {
                // `toga_city` next to `koga_city`: another place's own name.
                continue;
            }
            // Alike only once folded (`kumamoto_kenkee`: another romanisation) is as near as
            // one edit, not the organisation's own name.
            let e = match hm.edits {
                0 if hm.form == "plain" => ORG_HANDLE_EXACT,
                0 => 0.75,
                1 if hm.length >= 6 => 0.75,
                _ => 0.0,
            };
            if e > by_handle.0 {
                by_handle = (
                    e,
                    vec![Reason::HandleImitatesOrganization {
                        handle: c.handle.to_string(),
                        organization: self.organization.clone(),
                        romanised: romanised.clone(),
                        edits: handle::explain(romanised, c.handle),
                    }],
                );
            }
        }
        let (e_name, mut reasons) = best;
        reasons.extend(by_handle.1);
        (e_name, by_handle.0, reasons)
    }

    /// Evidence that the name presents the account as a part of the organisation: our place
    /// and a word of its offices, departments or topics, nothing saying it is someone else.
    /// Also whether the name says nothing else ([`name::only_place_and_roles`]).
    fn role_evidence(&self, c: &CandidateView, prep: &Prepared) -> Option<(f64, bool, Reason)> {
        let folded = prep.name_folded.as_deref()?;
        // Our place inside the name of a municipality that is not ours (宮崎 of 宮崎市 for
        // 宮崎県警察): that municipality's account, not ours.
        let inside_another = |place: &str| {
            prep.in_name.iter().any(|m| {
                !self.is_ours(m) && m.folded().len() > place.len() && m.folded().contains(place)
            })
        };
        let (place, role) = name::place_role_in(folded, &self.place_forms, &self.place_set)
            .filter(|(place, _)| !inside_another(place))
            .or_else(|| name::latin_place_role_folded(folded, &self.place_romaji_name_folded))
            .or_else(|| name::police_station(folded, &self.station_places))?;
        // The place as written (「宮崎県」), not folded (「宮埼県」).
        let (place, folded_place) = match self.places_written.iter().find(|(_, f)| *f == place) {
            Some((written, f)) => (written.clone(), f.clone()),
            None => {
                let f = crate::detect::normalize::fold_name(&place);
                (place, f)
            }
        };
        let alone = name::only_place_and_roles(folded, &folded_place, &self.prefectures_folded);
        Some((
            0.5,
            alone,
            Reason::DisplayNameImitatesOrganization {
                name: c.display_name.unwrap_or_default().to_string(),
                organization: self.organization.clone(),
                how: NameMatch::PlaceAndTopic { place, topic: role },
            },
        ))
    }

    /// Account facts: supporting evidence only, never enough alone (issue 10, item 7).
    fn facts_evidence(c: &CandidateView) -> (f64, Vec<Reason>) {
        let mut e: f64 = 0.0;
        let mut reasons = Vec::new();
        if let Some(age_days) = c.age_days.filter(|d| *d <= 30) {
            e += 0.12;
            reasons.push(Reason::NewAccount { age_days });
        }
        if let Some(posts) = c.posts.filter(|p| *p <= 3) {
            e += 0.08;
            reasons.push(Reason::FewPosts { posts });
        }
        if let Some(followers) = c.followers.filter(|f| *f <= 10) {
            e += 0.05;
            reasons.push(Reason::FewFollowers { followers });
        }
        if c.verified == Some(true) {
            reasons.push(Reason::Verified);
        }
        (e.min(0.25), reasons)
    }

    /// Assesses one candidate against every official account, on every platform.
    pub fn assess(&self, platform: Platform, c: &CandidateView) -> Assessment {
        if let Some(o) = self.official(platform, c.handle) {
            return Assessment {
                verdict: VerdictKind::Official,
                score: 0.0,
                matched: Some(MatchedAccount {
                    platform: o.platform,
                    handle: o.handle.clone(),
                }),
                signals: Signals {
                    handle: Some(1.0),
                    display_name: None,
                    avatar: None,
                },
                reasons: Vec::new(),
                reason_codes: vec![Reason::OfficialAccount {
                    platform,
                    handle: o.handle.clone(),
                }],
                evidence: Evidence::default(),
            };
        }
        let mut prep = Prepared::new(c, &self.organization_folded, &self.place_readings);
        if let Some(form) = prep.name_form.as_deref() {
            prep.name_places = places_in(form, &self.place_set);
        }
        prep.names_our_place = prep
            .name_folded
            .as_deref()
            .is_some_and(|f| self.place_set.any_in(f));
        prep.in_name_ours = prep.in_name.iter().any(|m| self.is_ours(m));
        prep.local = self.local_matches(c);
        // Scores are never below 0, and of equal scores the last official account wins; so
        // skipping accounts that provably score 0 changes nothing as long as the last one is
        // always compared.
        let last = self.officials.len().saturating_sub(1);
        let best = self
            .officials
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let may_score = !self.pruning
                    || prep.local.iter().any(|l| l.0 == i)
                    || self.pruner.may_score(
                        &o.prune,
                        o.avatar.as_ref(),
                        &prep.prune,
                        c.avatar.as_ref(),
                    );
                if may_score {
                    Some((o, self.compare(o, Some(i), c, &prep, platform)))
                } else if i == last {
                    Some((o, self.compare_scoring_nothing(o, c, &prep)))
                } else {
                    None
                }
            })
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score));
        let Some((official, mut cmp)) = best else {
            return Assessment {
                verdict: VerdictKind::Clear,
                score: 0.0,
                matched: None,
                signals: Signals::default(),
                reasons: Vec::new(),
                reason_codes: vec![Reason::NoOfficials],
                evidence: Evidence::default(),
            };
        };

        // The organisation itself, whatever account it resembles.
        let (e_org, mut e_org_handle, org_reasons) = self.organization_evidence(c, &prep);
        let ev = &mut cmp.evidence;
        // A handle one edit from the organisation's romanised name, with name, avatar and bio
        // someone else's, is the handle evidence already capped (HandleOnly), not a second
        // piece of evidence.
        if ev.handle_only == 1.0 && e_org_handle < ORG_HANDLE_EXACT {
            e_org_handle = 0.0;
        }
        ev.organization = e_org;
        ev.organization_handle = e_org_handle;
        cmp.reasons.extend(org_reasons);
        if let Some((e_role, alone, reason)) = self.role_evidence(c, &prep) {
            ev.organization_role = e_role;
            ev.organization_role_alone = f64::from(u8::from(alone));
            cmp.reasons.push(reason);
        }
        ev.combined = 1.0
            - [
                ev.handle,
                ev.name,
                ev.avatar,
                ev.bio,
                e_org,
                e_org_handle,
                ev.organization_role,
            ]
            .iter()
            .map(|e| 1.0 - e)
            .product::<f64>();

        // Account facts and lures support resemblance that is already there.
        let (e_facts, mut fact_reasons) = Self::facts_evidence(c);
        ev.facts = e_facts;
        // Another place's account, or another organisation of ours (協会, 商工会), claiming
        // to be official says nothing about us: it is the official account of itself.
        let names_another_place = prep.in_name.iter().any(|m| !self.is_ours(m));
        ev.claims = f64::from(u8::from(
            prep.claims_official
                && ev.other_place == 0.0
                && !names_another_place
                && !prep.names_someone_else,
        ));
        if let Some(field) = prep.lures {
            ev.lures = 1.0;
            fact_reasons.push(Reason::Lures { field });
        }
        let resembles = ev.combined > 0.0;
        if ev.combined >= 0.3 {
            cmp.reasons.extend(fact_reasons);
        }

        // Say-so of being unofficial, in the bio or the name.
        ev.disclaims = f64::from(u8::from(prep.disclaims));
        if prep.disclaims && resembles {
            cmp.reasons.push(Reason::Unofficial {
                field: prep.disclaimer_field.unwrap_or(Field::Bio),
            });
        }

        let score = round3(self.model.probability(ev));
        let verdict = if score >= self.thresholds.suspect_threshold {
            VerdictKind::Suspect
        } else {
            VerdictKind::Clear
        };
        if cmp.reasons.is_empty() {
            cmp.reasons.push(Reason::NoResemblance);
        } else if verdict == VerdictKind::Clear {
            cmp.reasons.push(Reason::BelowThreshold {
                probability: score,
                threshold: self.thresholds.suspect_threshold,
            });
        }
        Assessment {
            verdict,
            score,
            matched: (score > 0.0).then(|| MatchedAccount {
                platform: official.account.platform,
                handle: official.account.handle.clone(),
            }),
            signals: cmp.signals,
            reasons: Vec::new(),
            reason_codes: cmp.reasons,
            evidence: cmp.evidence,
        }
    }
}

/// Convenience for tests and callers with one candidate.
pub fn assess(detector: &Detector, platform: Platform, c: &CandidateView) -> Assessment {
    detector.assess(platform, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn official(platform: Platform, handle: &str, name: &str) -> OfficialFeatures {
        OfficialFeatures::new(
            OfficialAccount {
                platform,
                handle: handle.into(),
                display_name: name.into(),
                url: format!("https://x.com/{handle}"),
                avatar: None,
                operator: None,
                bio: None,
                purpose: None,
            },
            None,
        )
    }

    fn detector() -> Detector {
        Detector::new(
            vec![
                official(
                    Platform::X,
                    "b_diverjinzai",
                    "文京区中小企業ダイバーシティ人材採用促進事業",
                ),
                official(Platform::X, "bunkyo_koho", "文京区"),
            ],
            Detection::default(),
            "文京区",
        )
    }

    fn view<'a>(handle: &'a str, name: Option<&'a str>, bio: Option<&'a str>) -> CandidateView<'a> {
        CandidateView {
            handle,
            display_name: name,
            bio,
            avatar: None,
            ..Default::default()
        }
    }

    #[test]
    fn a_dct_match_that_unrelated_pictures_reach_is_no_match() {
        // A plain left-to-right ramp: many pictures correlate with it.
        let ramp: Vec<f64> = (0..FINE_LEN).map(|i| (i % FINE_SIDE) as f64).collect();
        let hash = |fine: Fine| AvatarHash::from_hashes([7, 8, 9, 10], 0.8).with_fine(fine);
        let official = OfficialFeatures::new(
            OfficialAccount {
                platform: Platform::X,
                handle: "bunkyo_koho".into(),
                display_name: "文京区".into(),
                url: "https://x.com/bunkyo_koho".into(),
                avatar: None,
                operator: None,
                bio: None,
                purpose: None,
            },
            Some(hash(Fine::from_thumbnail(&ramp))),
        )
        // Its views: itself and its mirror image (with one view only, a DCT match stands).
        .with_views(vec![
            Fine::from_thumbnail(&ramp),
            Fine::from_thumbnail(&ramp.iter().map(|v| 15.0 - v).collect::<Vec<_>>()),
        ]);
        let d = Detector::new(vec![official], Detection::default(), "文京区");
        let look = |fine: Fine| {
            d.assess(
                Platform::X,
                &CandidateView {
                    handle: "prize_4821",
                    avatar: Some(hash(fine)),
                    ..Default::default()
                },
            )
        };
        // The same DCT hashes, and the ramp with bands of other detail on it: as alike as
        // unrelated pictures often are.
        let banded: Vec<f64> = ramp
            .iter()
            .enumerate()
            .map(|(i, v)| v + if (i / FINE_SIDE) % 4 < 2 { 12.0 } else { 0.0 })
            .collect();
        let a = look(Fine::from_thumbnail(&banded));
        assert!(
            a.evidence.avatar_chance >= AVATAR_COMMON_CHANCE,
            "{:?}",
            a.evidence
        );
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
        assert!(
            a.reason_codes
                .iter()
                .any(|r| matches!(r, Reason::AvatarResembles { distance: 0, .. })),
            "{:?}",
            a.reason_codes
        );
        // The same picture is a match.
        let same = look(Fine::from_thumbnail(&ramp));
        assert!(
            same.reason_codes
                .iter()
                .any(|r| matches!(r, Reason::AvatarMatches { .. })),
            "{:?}",
            same.reason_codes
        );
    }

    #[test]
    fn the_place_at_the_head_of_a_name() {
        assert_eq!(head_place("みらい県警察").as_deref(), Some("みらい県"));
        assert_eq!(head_place("北海道警察").as_deref(), Some("北海道"));
        assert_eq!(
            head_place("京丹後上下水道局"),
            None,
            "a waterworks, not a place"
        );
        assert_eq!(head_place("市役所"), None);
    }

    #[test]
    fn official_account_is_official_never_suspect() {
        let a = detector().assess(Platform::X, &view("@B_DiverJinzai", None, None));
        assert_eq!(a.verdict, VerdictKind::Official);
    }

    #[test]
    fn handle_typo_is_suspect_with_reason() {
        let a = detector().assess(Platform::X, &view("b_diverjnzai", None, None));
        assert_eq!(a.verdict, VerdictKind::Suspect, "{a:?}");
        assert_eq!(a.matched.unwrap().handle, "b_diverjinzai");
        assert!(
            matches!(
                &a.reason_codes[0],
                Reason::HandleImitates { official, edits, .. }
                    if official == "b_diverjinzai"
                        && edits == &[HandleEdit::Typo { from: "i".into(), to: String::new() }]
            ),
            "{:?}",
            a.reason_codes
        );
    }

    #[test]
    fn same_handle_on_other_platform_is_suspect() {
        let a = detector().assess(Platform::Misskey, &view("b_diverjinzai", None, None));
        assert_eq!(a.verdict, VerdictKind::Suspect);
    }

    #[test]
    fn copied_name_claiming_official_is_suspect() {
        let a = detector().assess(
            Platform::X,
            &view(
                "prize_2026",
                Some("【公式】文京区"),
                Some("文京区の公式アカウントです"),
            ),
        );
        assert_eq!(a.verdict, VerdictKind::Suspect, "{a:?}");
    }

    #[test]
    fn innocent_word_sharing_account_is_clear() {
        let a = detector().assess(
            Platform::X,
            &view(
                "bunkyo_ramen",
                Some("文京区のラーメン好き"),
                Some("文京区のラーメンを食べ歩き"),
            ),
        );
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
    }

    #[test]
    fn unofficial_fan_account_is_clear() {
        let a = detector().assess(
            Platform::X,
            &view(
                "bunkyo_fan",
                Some("文京区（非公式）"),
                Some("文京区が好きな非公式ファンアカウントです"),
            ),
        );
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
    }

    #[test]
    fn avatar_hash_views_round_trip_and_mirror() {
        let h4 = [
            0x1234_5678_9abc_def0u64 >> 1,
            0x0f0f_0f0f_0f0f_0f0f,
            7,
            1 << 62,
        ];
        let h = AvatarHash::from_hashes(h4, 1.0);
        assert_eq!(h.hashes(), h4);
        assert_eq!(h.distance(&h), 0);
        let m = AvatarHash::from_hashes(h4.map(|x| x ^ mirror_bits()), 1.0);
        assert_eq!(h.distance(&m), 0, "a mirrored copy is the same picture");
        let full = (1u64 << DCT_BITS) - 1;
        let a = AvatarHash::from_hashes([0x5555_5555_5555_5555 & full; 4], 1.0);
        let b = AvatarHash::from_hashes([0x3333_3333_3333_3333 & full; 4], 1.0);
        assert!(a.distance(&b) > 16, "{}", a.distance(&b));
    }

    #[test]
    fn avatar_distance_is_the_weighted_share_of_differing_bits() {
        // The definition, bit by bit: the least weighted share over the view pairs, mirrored
        // or not, scaled to 64.
        fn by_definition(x: &AvatarHash, y: &AvatarHash) -> u32 {
            let weights = bit_weights();
            let total: f64 = weights.iter().sum();
            let mut best = f64::MAX;
            for a in x.hashes() {
                for b in y.hashes() {
                    for diff in [a ^ b, a ^ b ^ mirror_bits()] {
                        let d: f64 = (0..DCT_BITS)
                            .filter(|i| diff >> i & 1 == 1)
                            .map(|i| weights[i])
                            .sum();
                        best = best.min(d / total);
                    }
                }
            }
            (best * 64.0).round() as u32
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let a = AvatarHash::from_hashes([next(), next(), next(), next()], 1.0);
            // Near copies too: a few bits flipped in each view.
            let near = a.hashes().map(|h| h ^ (next() & next() & next()));
            for b in [
                AvatarHash::from_hashes([next(), next(), next(), next()], 1.0),
                AvatarHash::from_hashes(near, 1.0),
            ] {
                assert_eq!(a.distance(&b), by_definition(&a, &b));
            }
        }
    }

    fn with_avatar(avatar: AvatarHash) -> Detector {
        let mut d = detector();
        d.officials[0].avatar = Some(avatar);
        d
    }

    #[test]
    fn gradient_hash_vetoes_a_dct_match_of_a_different_picture() {
        let views = [0x1234_5678_9abc_def0u64 >> 1, 0x0f0f, 7, 1 << 40];
        let official = AvatarHash::from_hashes(views, 1.0).with_gradient(0, 0);
        let copy = AvatarHash::from_hashes(views, 1.0).with_gradient(0b111, 0);
        let template = AvatarHash::from_hashes(views, 1.0).with_gradient(u64::MAX >> 24, 0);
        let d = with_avatar(official);
        let look = |a: AvatarHash| {
            d.assess(
                Platform::X,
                &CandidateView {
                    handle: "someone_else",
                    display_name: Some("まったく別の名前"),
                    bio: None,
                    avatar: Some(a),
                    ..Default::default()
                },
            )
        };
        let a = look(copy);
        assert_eq!(a.verdict, VerdictKind::Suspect, "{a:?}");
        assert!(
            matches!(a.reason_codes[0], Reason::AvatarMatches { .. }),
            "{:?}",
            a.reason_codes
        );
        let a = look(template);
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
        assert!(
            a.reason_codes.iter().any(|r| matches!(
                r,
                Reason::AvatarSameTemplate {
                    detail_distance: 40,
                    ..
                }
            )),
            "{:?}",
            a.reason_codes
        );
    }

    /// A picture with many corners: rectangles of pseudo-random shades and sizes.
    fn blocks(seed: u32) -> image::RgbImage {
        let mut s = seed.wrapping_mul(2654435761).max(1);
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s
        };
        let mut img = image::RgbImage::from_pixel(128, 128, image::Rgb([120, 140, 160]));
        for _ in 0..40 {
            let (x, y, w, h) = (next() % 120, next() % 120, 8 + next() % 30, 8 + next() % 30);
            let c = image::Rgb([next() as u8, next() as u8, next() as u8]);
            for yy in y..(y + h).min(128) {
                for xx in x..(x + w).min(128) {
                    img.put_pixel(xx, yy, c);
                }
            }
        }
        img
    }

    #[test]
    fn a_copy_edited_beyond_the_hashes_is_found_by_its_corners() {
        let original = image::DynamicImage::ImageRgb8(blocks(7));
        let o = official(Platform::X, "bunkyo_koho", "文京区")
            .with_local(crate::avatar::official_local_features(&original));
        let o = OfficialFeatures {
            avatar: Some(crate::avatar::hash_image(&original)),
            ..o
        };
        let d = Detector::new(vec![o], Detection::default(), "文京区");
        let look = |img: image::RgbImage| {
            d.assess(
                Platform::X,
                &CandidateView {
                    handle: "gift_2931",
                    display_name: Some("毎日抽選"),
                    bio: None,
                    avatar: Some(crate::avatar::hash_image(&image::DynamicImage::ImageRgb8(
                        img,
                    ))),
                    ..Default::default()
                },
            )
        };
        // Shrunk to 80 % onto a canvas of another picture's pattern, with a white label
        // across its lower part: the hashes see another picture; the corners do not.
        let canvas = blocks(8);
        let small = image::imageops::resize(
            original.as_rgb8().unwrap(),
            102,
            102,
            image::imageops::FilterType::Triangle,
        );
        let mut copy = canvas.clone();
        image::imageops::overlay(&mut copy, &small, 14, 10);
        for y in 96..112 {
            for x in 0..128 {
                copy.put_pixel(x, y, image::Rgb([250, 250, 250]));
            }
        }
        let a = look(copy);
        assert_eq!(a.verdict, VerdictKind::Suspect, "{a:?}");
        assert!(
            a.reason_codes
                .iter()
                .any(|r| matches!(r, Reason::AvatarCornersMatch { corners, .. } if *corners >= 8)),
            "{:?}",
            a.reason_codes
        );
        // Another picture of the same kind (rectangles) on the same canvas is not a copy.
        let mut other = canvas;
        let different =
            image::imageops::resize(&blocks(9), 102, 102, image::imageops::FilterType::Triangle);
        image::imageops::overlay(&mut other, &different, 14, 10);
        let a = look(other);
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
    }

    #[test]
    fn word_comparison_needs_only_the_places_either_name_contains() {
        // Many places, as a prefecture's registry has: the subset of `places_of` must give
        // the same name evidence as every place.
        let d = Detector::new(
            [
                ("mirai_koho", "みらい市広報"),
                ("mirai_kosodate", "みらい市子育て支援課"),
                ("toon_bosai", "東温市危機管理防災課"),
                ("bunkyo_koho", "文京区"),
                ("chuo_lib", "中央区図書館"),
                ("kita_kanko", "北区観光"),
            ]
            .iter()
            .map(|(h, n)| official(Platform::X, h, n))
            .collect(),
            Detection::default(),
            "みらい市",
        );
        assert!(d.place_forms.len() >= 4, "{:?}", d.place_forms);
        let names = [
            "子育て支援課＠みらい市",
            "危機管理・防災＠東温市",
            "東京都みらい市子育て支援課 お知らせ",
            "みらい市のラーメン好き",
            "文京区",
            "北区観光協会",
            "中央区 図書館だより",
            "広報みらい",
            "東温市と文京区の広報",
        ];
        for (i, o) in d.officials.iter().enumerate() {
            for n in names {
                let form = name::comparable(n);
                let subset = d.places_of(d.official_places.get(i), &places_in(&form, &d.place_set));
                assert_eq!(
                    name_evidence(&o.name_form, &form, &subset, 0.7),
                    name_evidence(&o.name_form, &form, &d.place_forms, 0.7),
                    "{} / {n}",
                    o.name_form
                );
            }
        }
    }

    #[test]
    fn dot_products_are_exact_on_every_path() {
        let mut x = 12345u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8 as i8
        };
        let mut cases: Vec<([i8; FINE_LEN], [i8; FINE_LEN])> = vec![
            ([i8::MIN; FINE_LEN], [i8::MIN; FINE_LEN]),
            ([i8::MAX; FINE_LEN], [i8::MIN; FINE_LEN]),
            ([0; FINE_LEN], [i8::MAX; FINE_LEN]),
        ];
        for _ in 0..50 {
            let (mut a, mut b) = ([0i8; FINE_LEN], [0i8; FINE_LEN]);
            a.iter_mut().for_each(|v| *v = next());
            b.iter_mut().for_each(|v| *v = next());
            cases.push((a, b));
        }
        for (a, b) in &cases {
            let exact: i32 = a.iter().zip(b).map(|(x, y)| *x as i32 * *y as i32).sum();
            assert_eq!(dot_portable(a, b), exact);
            assert_eq!(dot(a, b), exact);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2.
                assert_eq!(unsafe { dot_avx2(a, b) }, exact);
            }
        }
    }
}
