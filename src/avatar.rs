//! Avatars: bounded loading (local file or URL), guarded decoding (dimension and byte budgets
//! before pixels are decoded, [`decode`]) and the perceptual hashes the detector compares,
//! all computed from one shared thumbnail ([`decode::thumbnail`]).

pub mod decode;
pub mod keypoints;
pub mod outline;

use crate::config::Network;
use crate::detect::score::{
    AlignViews, Fine, HashView, FINE_MARGIN, FINE_SIDE, HASH_VIEWS, OUTLINE_INFORMATION,
};
use crate::detect::AvatarHash;
use anyhow::{bail, Context, Result};
use image::{imageops, DynamicImage, GrayImage};
use outline::Outline;
use std::path::Path;

pub use decode::{MAX_DECODE_BYTES, MAX_DIMENSION};
/// Largest allocation the decoder may make (the per-image byte budget).
pub const MAX_DECODE_ALLOC: u64 = MAX_DECODE_BYTES;

/// Reads a local avatar file, refusing files over the size limit.
pub fn read_file(path: &Path, limit: usize) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read avatar {}", path.display()))?;
    if meta.len() as usize > limit {
        bail!("avatar {} is larger than {limit} bytes", path.display());
    }
    std::fs::read(path).with_context(|| format!("cannot read avatar {}", path.display()))
}

/// Loads avatar bytes from a local path or an http(s) URL.
pub async fn load(client: &reqwest::Client, network: &Network, reference: &str) -> Result<Vec<u8>> {
    if crate::config::is_url(reference) {
        Ok(crate::http::fetch_image(client, network, reference, network.max_avatar_bytes).await?)
    } else {
        let path = Path::new(reference).to_path_buf();
        let limit = network.max_avatar_bytes;
        tokio::task::spawn_blocking(move || read_file(&path, limit)).await?
    }
}

/// Decodes a whole image with limits on dimensions and a byte budget (for re-encoding evidence;
/// hashing uses [`decode::thumbnail`]).
pub fn decode(bytes: &[u8]) -> Result<DynamicImage> {
    decode::full_decode(bytes)
}

/// Cuts away a uniform frame (a border added around a copied logo, or a plain margin), so the
/// hash sees the picture itself. A frame surrounds the picture: all four corners share one
/// colour and every side has a band of it. Runs twice, for a frame around a plain margin.
/// Leaves the image alone when no clear frame exists (a gradient background is not a frame).
pub fn trim_frame(img: &DynamicImage) -> DynamicImage {
    trimmed(img).into_owned()
}

/// [`trim_frame`], borrowing the picture when it has no frame (most have none).
fn trimmed(img: &DynamicImage) -> std::borrow::Cow<'_, DynamicImage> {
    let mut out = std::borrow::Cow::Borrowed(img);
    for _ in 0..2 {
        match frame_box(&rgb_of(&out)) {
            Some((left, top, right, bottom)) => {
                out = std::borrow::Cow::Owned(out.crop_imm(left, top, right - left, bottom - top));
            }
            None => break,
        }
    }
    out
}

/// The RGB pixels of a picture, borrowed when it already is 8-bit RGB (the shared thumbnail),
/// converted as `to_rgb8` converts otherwise.
fn rgb_of(img: &DynamicImage) -> std::borrow::Cow<'_, image::RgbImage> {
    match img.as_rgb8() {
        Some(rgb) => std::borrow::Cow::Borrowed(rgb),
        None => std::borrow::Cow::Owned(img.to_rgb8()),
    }
}

/// The box inside a uniform frame, if the image has one.
fn frame_box(rgb: &image::RgbImage) -> Option<(u32, u32, u32, u32)> {
    let (w, h) = rgb.dimensions();
    if w < 16 || h < 16 {
        return None;
    }
    let px = rgb.as_raw();
    let (wu, hu) = (w as usize, h as usize);
    let at = |x: usize, y: usize| {
        let i = (y * wu + x) * 3;
        [px[i], px[i + 1], px[i + 2]]
    };
    let corner = at(0, 0);
    let near = |p: [u8; 3]| (0..3).all(|i| p[i].abs_diff(corner[i]) <= 28);
    if ![(wu - 1, 0), (0, hu - 1), (wu - 1, hu - 1)]
        .iter()
        .all(|&(x, y)| near(at(x, y)))
    {
        return None;
    }
    let differs = |p: &[u8]| !near([p[0], p[1], p[2]]);
    let row_uniform = |y: u32| {
        let row = &px[y as usize * wu * 3..(y as usize + 1) * wu * 3];
        row.chunks_exact(3).filter(|p| differs(p)).count() * 50 <= wu
    };
    let col_uniform = |x: u32| {
        let column = px[x as usize * 3..].chunks(wu * 3);
        column.filter(|p| differs(p)).count() * 50 <= hu
    };
    let mut top = 0;
    while top < h / 3 && row_uniform(top) {
        top += 1;
    }
    let mut bottom = h;
    while bottom > h - h / 3 && row_uniform(bottom - 1) {
        bottom -= 1;
    }
    let mut left = 0;
    while left < w / 3 && col_uniform(left) {
        left += 1;
    }
    let mut right = w;
    while right > w - w / 3 && col_uniform(right - 1) {
        right -= 1;
    }
    if top == 0 || left == 0 || bottom == h || right == w {
        return None;
    }
    Some((left, top, right, bottom))
}

/// 0..1: how much detail an image carries (histogram entropy and edge density of a small
/// grey thumbnail). Flat icons and default silhouettes score low.
pub fn information(img: &DynamicImage) -> f64 {
    information_of_thumbnail(&resize_gray(&img.to_luma8(), 32, 32))
}

/// [`information`] of the 32×32 grey thumbnail of a picture's luma.
fn information_of_thumbnail(thumb: &GrayImage) -> f64 {
    let mut hist = [0u32; 16];
    for p in thumb.pixels() {
        hist[(p[0] >> 4) as usize] += 1;
    }
    let n = (32 * 32) as f64;
    let entropy: f64 = hist
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum();
    let mut edges = 0.0;
    for y in 0..31 {
        for x in 0..31 {
            let p = thumb.get_pixel(x, y)[0] as f64;
            edges += (p - thumb.get_pixel(x + 1, y)[0] as f64).abs()
                + (p - thumb.get_pixel(x, y + 1)[0] as f64).abs();
        }
    }
    let edge_density = (edges / (31.0 * 31.0 * 2.0) / 40.0).min(1.0);
    (0.6 * entropy / 4.0 + 0.4 * edge_density).clamp(0.0, 1.0)
}

/// A resampling filter of `image::imageops::resize`: its kernel and support.
#[derive(Clone, Copy)]
enum Filter {
    /// `FilterType::Triangle`.
    Triangle,
    /// `FilterType::Lanczos3` (what `image_hasher` resizes with by default).
    Lanczos3,
}

impl Filter {
    fn support(self) -> f32 {
        match self {
            Filter::Triangle => 1.0,
            Filter::Lanczos3 => 3.0,
        }
    }

    /// The kernel, as `image` 0.25 computes it (`triangle_kernel`, `lanczos3_kernel`).
    fn kernel(self, x: f32) -> f32 {
        match self {
            Filter::Triangle => {
                if x.abs() < 1.0 {
                    1.0 - x.abs()
                } else {
                    0.0
                }
            }
            Filter::Lanczos3 => {
                let sinc = |t: f32| {
                    let a = t * std::f32::consts::PI;
                    if t == 0.0 {
                        1.0
                    } else {
                        a.sin() / a
                    }
                };
                if x.abs() < 3.0 {
                    sinc(x) * sinc(x / 3.0)
                } else {
                    0.0
                }
            }
        }
    }
}

/// The weights of one output pixel of `image`'s resampling along one axis: the first
/// input pixel and the normalised weights, computed with the same `f32` operations in the same
/// order as `image::imageops::resize` (0.25), so the result is bit for bit the same.
fn filter_weights(len: u32, new_len: u32, filter: Filter) -> Vec<(u32, Vec<f32>)> {
    let ratio = len as f32 / new_len as f32;
    let sratio = if ratio < 1.0 { 1.0 } else { ratio };
    let src_support = filter.support() * sratio;
    (0..new_len)
        .map(|out| {
            let input = (out as f32 + 0.5) * ratio;
            let left = ((input - src_support).floor() as i64).clamp(0, len as i64 - 1) as u32;
            let right =
                ((input + src_support).ceil() as i64).clamp(left as i64 + 1, len as i64) as u32;
            let input = input - 0.5;
            let mut ws: Vec<f32> = Vec::with_capacity((right - left) as usize);
            let mut sum = 0.0;
            for i in left..right {
                let w = filter.kernel((i as f32 - input) / sratio);
                ws.push(w);
                sum += w;
            }
            for w in ws.iter_mut() {
                *w /= sum;
            }
            (left, ws)
        })
        .collect()
}

/// The weights of one axis, as [`filter_weights`] computes them, kept per thread for the sizes
/// seen recently (every avatar resizes from a handful of sizes to the same few).
type AxisWeights = std::rc::Rc<Vec<(u32, Vec<f32>)>>;

fn axis_weights(len: u32, new_len: u32, filter: Filter) -> AxisWeights {
    thread_local! {
        static WEIGHTS: std::cell::RefCell<std::collections::HashMap<(u32, u32, u8), AxisWeights>> =
            Default::default();
    }
    WEIGHTS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= 512 {
            cache.clear();
        }
        cache
            .entry((len, new_len, filter as u8))
            .or_insert_with(|| std::rc::Rc::new(filter_weights(len, new_len, filter)))
            .clone()
    })
}

/// `imageops::resize(gray, new_w, new_h, FilterType::Triangle)` for a grey picture, bit for
/// bit (a vertical pass into `f32`, then a horizontal one rounded to `u8`, as `image` does),
/// without `image`'s four channels and per-pixel bounds checks: the resizes of the hash and
/// of the official views are most of their cost.
pub fn resize_gray(gray: &GrayImage, new_w: u32, new_h: u32) -> GrayImage {
    let (w, h) = gray.dimensions();
    if w == 0 || h == 0 || (w, h) == (new_w, new_h) || new_w == 0 || new_h == 0 {
        return imageops::resize(gray, new_w, new_h, imageops::FilterType::Triangle);
    }
    let out = resize_raw::<1>(
        gray.as_raw(),
        w,
        (0, 0, w, h),
        new_w,
        new_h,
        Filter::Triangle,
    );
    GrayImage::from_raw(new_w, new_h, out).expect("the buffer has the picture's size")
}

/// `imageops::resize(gray, new_w, new_h, FilterType::Lanczos3)`, bit for bit, as raw pixels.
fn resize_gray_lanczos3(gray: &GrayImage, new_w: u32, new_h: u32) -> Vec<u8> {
    let (w, h) = gray.dimensions();
    if w == 0 || h == 0 || (w, h) == (new_w, new_h) || new_w == 0 || new_h == 0 {
        return imageops::resize(gray, new_w, new_h, imageops::FilterType::Lanczos3).into_raw();
    }
    resize_raw::<1>(
        gray.as_raw(),
        w,
        (0, 0, w, h),
        new_w,
        new_h,
        Filter::Lanczos3,
    )
}

/// [`resize_gray`] of the part `(x, y, w, h)` of a grey picture (as `imageops::crop_imm`
/// bounds it), without copying the part first.
fn resize_gray_part(gray: &GrayImage, part: (u32, u32, u32, u32), nw: u32, nh: u32) -> GrayImage {
    let (iw, ih) = gray.dimensions();
    let (x, y) = (part.0.min(iw), part.1.min(ih));
    let (w, h) = (part.2.min(iw - x), part.3.min(ih - y));
    if w == 0 || h == 0 || (w, h) == (nw, nh) || nw == 0 || nh == 0 {
        return resize_gray(&imageops::crop_imm(gray, x, y, w, h).to_image(), nw, nh);
    }
    let out = resize_raw::<1>(gray.as_raw(), iw, (x, y, w, h), nw, nh, Filter::Triangle);
    GrayImage::from_raw(nw, nh, out).expect("the buffer has the picture's size")
}

/// [`resize_gray`] for an RGB picture (each channel as `image` resamples it).
pub fn resize_rgb(rgb: &image::RgbImage, new_w: u32, new_h: u32) -> image::RgbImage {
    let (w, h) = rgb.dimensions();
    if w == 0 || h == 0 || (w, h) == (new_w, new_h) || new_w == 0 || new_h == 0 {
        return imageops::resize(rgb, new_w, new_h, imageops::FilterType::Triangle);
    }
    let out = resize_raw::<3>(
        rgb.as_raw(),
        w,
        (0, 0, w, h),
        new_w,
        new_h,
        Filter::Triangle,
    );
    image::RgbImage::from_raw(new_w, new_h, out).expect("the buffer has the picture's size")
}

/// Resampling (as `image` resamples) of the part `(x0, y0, w, h)` of `C`-channel 8-bit pixels
/// in rows of `stride` pixels.
fn resize_raw<const C: usize>(
    px: &[u8],
    stride: u32,
    part: (u32, u32, u32, u32),
    new_w: u32,
    new_h: u32,
    filter: Filter,
) -> Vec<u8> {
    let tmp = vertical_pass::<C>(px, stride, part, new_h, filter);
    horizontal_pass::<C>(&tmp, part.2, new_w, new_h, filter, false)
}

/// The vertical pass of [`resize_raw`]: `new_h` rows of `w·C` sums in `f32`.
fn vertical_pass<const C: usize>(
    px: &[u8],
    stride: u32,
    (x0, y0, w, h): (u32, u32, u32, u32),
    new_h: u32,
    filter: Filter,
) -> Vec<f32> {
    let row_len = w as usize * C;
    let stride = stride as usize * C;
    let first = x0 as usize * C;
    let mut tmp = vec![0f32; row_len * new_h as usize];
    for (oy, (top, ws)) in axis_weights(h, new_h, filter).iter().enumerate() {
        // Input rows outermost, so the inner loop runs along a row (and vectorises); each sum
        // still adds its terms from 0.0 in the order of `ws`, as `image` does.
        let row = &mut tmp[oy * row_len..(oy + 1) * row_len];
        for (i, &wgt) in ws.iter().enumerate() {
            let start = (y0 as usize + *top as usize + i) * stride + first;
            for (t, &p) in row.iter_mut().zip(&px[start..start + row_len]) {
                *t += p as f32 * wgt;
            }
        }
    }
    tmp
}

/// The horizontal pass of [`resize_raw`] over the `w`-pixel rows of a vertical pass, rounded
/// to `u8`. With `mirrored`, of the mirror image: the vertical pass of a mirrored picture is
/// its own, each row reversed, so the rows are read backwards.
fn horizontal_pass<const C: usize>(
    tmp: &[f32],
    w: u32,
    new_w: u32,
    new_h: u32,
    filter: Filter,
    mirrored: bool,
) -> Vec<u8> {
    let (row_len, new_w_us) = (w as usize * C, new_w as usize);
    let mut out = vec![0u8; new_w_us * C * new_h as usize];
    let weights = axis_weights(w, new_w, filter);
    for (row, out) in tmp
        .chunks_exact(row_len)
        .zip(out.chunks_exact_mut(new_w_us * C))
    {
        for ((left, ws), out) in weights.iter().zip(out.chunks_exact_mut(C)) {
            // The taps of this output pixel, first to last (backwards when mirrored).
            let (start, end) = if mirrored {
                let end = w as usize - *left as usize;
                (end - ws.len(), end)
            } else {
                (*left as usize, *left as usize + ws.len())
            };
            let taps = &row[start * C..end * C];
            for (c, out) in out.iter_mut().enumerate() {
                let mut acc = 0.0f32;
                if C == 1 {
                    if mirrored {
                        for (t, wgt) in taps.iter().rev().zip(ws) {
                            acc += t * wgt;
                        }
                    } else {
                        for (t, wgt) in taps.iter().zip(ws) {
                            acc += t * wgt;
                        }
                    }
                } else if mirrored {
                    for (t, wgt) in taps.chunks_exact(C).rev().zip(ws) {
                        acc += t[c] * wgt;
                    }
                } else {
                    for (t, wgt) in taps.chunks_exact(C).zip(ws) {
                        acc += t[c] * wgt;
                    }
                }
                *out = round_u8(acc);
            }
        }
    }
    out
}

/// `acc.clamp(0.0, 255.0).round() as u8` (half away from zero), without a call to `roundf`:
/// `v - trunc(v)` is exact for `v` in 0..=255.
#[inline]
fn round_u8(acc: f32) -> u8 {
    let v = acc.clamp(0.0, 255.0);
    let i = v as u32;
    (if v - i as f32 >= 0.5 { i + 1 } else { i }) as u8
}

/// Side of the grey thumbnail the DCT runs on.
const DCT_SIDE: usize = 32;

/// The DCT-II basis, `cos((2x + 1)·u·π / 2N)` for the `DCT_K` lowest frequencies u, computed once.
static DCT_COS: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
    (0..crate::detect::score::DCT_K)
        .flat_map(|u| {
            (0..DCT_SIDE).map(move |x| {
                ((2 * x + 1) as f64 * u as f64 * std::f64::consts::PI / (2 * DCT_SIDE) as f64).cos()
            })
        })
        .collect()
});

/// HSL lightness, `(max + min) / 2`: unchanged by a hue rotation, so a hue-shifted copy keeps
/// its hash; a greyscale copy stays close because its lightness is its grey level.
fn lightness(img: &DynamicImage) -> GrayImage {
    lightness_of_rgb(&rgb_of(img))
}

/// `img.to_luma8()`, computed as `image` 0.25 computes it for 8-bit sRGB pixels (its own
/// conversion for anything else).
fn luma(img: &DynamicImage) -> GrayImage {
    match img.as_rgb8() {
        Some(rgb) if rgb.color_space() == image::metadata::Cicp::SRGB => luma_of_rgb(rgb),
        _ => img.to_luma8(),
    }
}

/// Per channel value `v`, `(v / 255) · k` with `k` the channel's luminance coefficient: the
/// terms `image` adds (`CicpTransform::clamp_rgb_luma`: BT.709 primaries, D65, as moxcms
/// derives them, `acc + a·b` in `f32` without fused multiply-add on this target).
static LUMA_TERMS: std::sync::LazyLock<[[f32; 256]; 3]> = std::sync::LazyLock::new(|| {
    let k = moxcms::ColorPrimaries::BT_709
        .transform_to_xyz(moxcms::Chromaticity::D65)
        .v[1];
    const R: f32 = 1.0 / u8::MAX as f32;
    std::array::from_fn(|c| std::array::from_fn(|v| v as f32 * R * k[c]))
});

/// [`luma`] of 8-bit sRGB pixels, from [`LUMA_TERMS`], bit for bit `to_luma8` (test
/// `luma_is_image_s_to_luma8`).
fn luma_of_rgb(rgb: &image::RgbImage) -> GrayImage {
    let [r, g, b] = &*LUMA_TERMS;
    let grey: Vec<u8> = rgb
        .as_raw()
        .chunks_exact(3)
        .map(|p| {
            let y = 0.0 + r[p[0] as usize] + g[p[1] as usize] + b[p[2] as usize];
            // `(y · 255).round() as u8`: the same value, saturating alike, without `roundf`.
            round_u8(y * u8::MAX as f32)
        })
        .collect();
    GrayImage::from_raw(rgb.width(), rgb.height(), grey).expect("one grey value per pixel")
}

/// [`lightness`] of RGB pixels.
fn lightness_of_rgb(rgb: &image::RgbImage) -> GrayImage {
    let mut grey = vec![0u8; rgb.as_raw().len() / 3];
    for (g, p) in grey.iter_mut().zip(rgb.as_raw().chunks_exact(3)) {
        let (hi, lo) = (
            p[0].max(p[1]).max(p[2]) as u16,
            p[0].min(p[1]).min(p[2]) as u16,
        );
        *g = ((hi + lo) / 2) as u8;
    }
    GrayImage::from_raw(rgb.width(), rgb.height(), grey).expect("one grey value per pixel")
}

/// Signs of the lowest `DCT_K`×`DCT_K` DCT-II coefficients (without the mean) of a 32×32
/// thumbnail: bit `v·K + u − 1` is set when coefficient (u, v) is positive. Signs of low
/// frequencies survive re-encoding, scaling, brightness and contrast changes, and mirroring
/// flips exactly the bits of odd horizontal frequency ([`crate::detect::score::mirror_bits`]).
#[cfg(test)]
fn dct_signs(gray: &GrayImage) -> u64 {
    dct_signs_of_thumbnail(&resize_gray(gray, DCT_SIDE as u32, DCT_SIDE as u32))
}

/// [`dct_signs`] of the 32×32 thumbnail itself.
fn dct_signs_of_thumbnail(thumb: &GrayImage) -> u64 {
    use crate::detect::score::DCT_K;
    let mut px = [0f64; DCT_SIDE * DCT_SIDE];
    for (p, &v) in px.iter_mut().zip(thumb.as_raw()) {
        *p = v as f64;
    }
    let cos = &*DCT_COS;
    let mut bits = 0u64;
    let mut row = [0f64; DCT_SIDE];
    for v in 0..DCT_K {
        // Rows first: r[x] = Σ_y px[y][x]·cos_v(y), y ascending for every x at once (each sum
        // adds its terms in the same order as one sum per x would).
        row.fill(-0.0);
        for (y, px) in px.chunks_exact(DCT_SIDE).enumerate() {
            let k = cos[v * DCT_SIDE + y];
            for (r, &p) in row.iter_mut().zip(px) {
                *r += p * k;
            }
        }
        for u in 0..DCT_K {
            if u == 0 && v == 0 {
                continue;
            }
            let c: f64 = (0..DCT_SIDE).map(|x| row[x] * cos[u * DCT_SIDE + x]).sum();
            if c > 0.0 {
                bits |= 1 << (v * DCT_K + u - 1);
            }
        }
    }
    bits
}

/// The central part of an image, `fraction` of each side cut away in total.
#[cfg(test)]
fn center_crop(img: &DynamicImage, fraction: f64) -> DynamicImage {
    let (x, y, w, h) = center_part(img.width(), img.height(), fraction);
    if (w, h) == (img.width(), img.height()) {
        return img.clone();
    }
    img.crop_imm(x, y, w, h)
}

/// The part `(x, y, w, h)` of a `w`×`h` picture kept when `fraction` of each side is cut
/// away in total (nothing is cut when a side would be cut by less than a pixel).
fn center_part(w: u32, h: u32, fraction: f64) -> (u32, u32, u32, u32) {
    let cw = (w as f64 * fraction / 2.0) as u32;
    let ch = (h as f64 * fraction / 2.0) as u32;
    if cw == 0 || ch == 0 || w <= 2 * cw || h <= 2 * ch {
        return (0, 0, w, h);
    }
    (cw, ch, w - 2 * cw, h - 2 * ch)
}

/// `image_hasher`'s gradient hash (`HashAlg::Gradient`, 8×8, Lanczos3, least significant bit
/// first) of a grey picture, as a `u64`: the picture resized to 9×8, each pixel compared with
/// its right neighbour.
#[cfg(test)]
fn gradient_hash(gray: &GrayImage) -> u64 {
    gradient_bits(&resize_gray_lanczos3(gray, 9, 8))
}

/// The bits of [`gradient_hash`] from the 9×8 picture.
fn gradient_bits(px: &[u8]) -> u64 {
    let mut bits = 0u64;
    for (y, row) in px.chunks_exact(9).enumerate() {
        for x in 0..8 {
            if row[x] < row[x + 1] {
                bits |= 1 << (y * 8 + x);
            }
        }
    }
    bits
}

/// [`gradient_hash`] of a grey picture and of its mirror image, bit for bit, sharing one
/// vertical pass (no mirrored copy).
fn gradient_hashes(gray: &GrayImage) -> (u64, u64) {
    let (w, h) = gray.dimensions();
    if w == 0 || h == 0 || (w, h) == (9, 8) {
        let mirrored = imageops::flip_horizontal(gray);
        return (
            gradient_bits(&resize_gray_lanczos3(gray, 9, 8)),
            gradient_bits(&resize_gray_lanczos3(&mirrored, 9, 8)),
        );
    }
    let tmp = vertical_pass::<1>(gray.as_raw(), w, (0, 0, w, h), 8, Filter::Lanczos3);
    let pass = |mirrored| horizontal_pass::<1>(&tmp, w, 9, 8, Filter::Lanczos3, mirrored);
    (gradient_bits(&pass(false)), gradient_bits(&pass(true)))
}

/// Computes the perceptual hashes of a decoded image: after the frame is trimmed, one
/// DCT-sign hash per view of [`HASH_VIEWS`] (lightness of the whole picture and of its central
/// 88 % and 64 %, luma of the whole picture).
///
/// The lightness plane is computed once and the crops are resized from it in place; the luma
/// view's 32×32 thumbnail also gives [`information`]. Every value is the same, bit for bit, as
/// computing each view from its own copy (test `hash_image_is_the_per_view_computation`).
pub fn hash_image(img: &DynamicImage) -> AvatarHash {
    let trimmed = trimmed(img);
    let light = lightness(&trimmed);
    let (w, h) = light.dimensions();
    let side = DCT_SIDE as u32;
    let luma = resize_gray(&luma(&trimmed), side, side);
    let hashes = HASH_VIEWS.map(|view| match view {
        HashView::Lightness { crop } => dct_signs_of_thumbnail(&resize_gray_part(
            &light,
            center_part(w, h, crop),
            side,
            side,
        )),
        HashView::Luma => dct_signs_of_thumbnail(&luma),
    });
    let (g, gm) = gradient_hashes(&light);
    let source = fine_source(img, &trimmed);
    let untrimmed;
    let fine_grey = if std::ptr::eq(source, &*trimmed) {
        &light
    } else {
        untrimmed = lightness(img);
        &untrimmed
    };
    // Described trimmed out of a margin: the whole picture too.
    let fine_whole = (std::ptr::eq(source, &*trimmed) && !std::ptr::eq(img, &*trimmed))
        .then(|| fine_of(&lightness(img)));
    let information = information_of_thumbnail(&luma);
    // Pictures with little detail also get their outline: it tells their copies from their
    // look-alikes.
    let outline = (information < OUTLINE_INFORMATION).then(|| outline_of(fine_grey));
    AvatarHash::from_hashes(hashes, information)
        .with_gradient(g, gm)
        .with_fine(fine_of(fine_grey))
        .with_fine_whole(fine_whole)
        .with_outline(outline)
        .with_colours(mean_colour(img), centre_colour(source))
        .with_local(keypoints::keypoints(&light, keypoints::MAX_KEYPOINTS))
}

/// Mean RGB colour of a picture.
pub fn mean_colour(img: &DynamicImage) -> [u8; 3] {
    let (w, h) = (img.width(), img.height());
    mean_colour_of(img, (0, 0, w, h))
}

/// Mean RGB colour of the window of a picture that [`fine_of`] takes (its central part).
pub fn centre_colour(img: &DynamicImage) -> [u8; 3] {
    let (w, h) = (img.width(), img.height());
    mean_colour_of(img, window_of_part((w, h), (0, 0, w, h)))
}

/// Mean RGB colour of the part `(x, y, w, h)` of a picture (inside it).
fn mean_colour_of(img: &DynamicImage, (x, y, cw, ch): (u32, u32, u32, u32)) -> [u8; 3] {
    let rgb = rgb_of(img);
    let row_len = rgb.width() as usize * 3;
    let mut sum = [0u64; 3];
    if row_len > 0 {
        let rows = rgb
            .as_raw()
            .chunks_exact(row_len)
            .skip(y as usize)
            .take(ch as usize);
        for row in rows {
            for p in row[x as usize * 3..(x + cw) as usize * 3].chunks_exact(3) {
                sum[0] += p[0] as u64;
                sum[1] += p[1] as u64;
                sum[2] += p[2] as u64;
            }
        }
    }
    let n = (cw as u64 * ch as u64).max(1);
    sum.map(|s| (s / n) as u8)
}

/// What the fine descriptor is taken of: the picture without its frame, unless "the frame" is
/// most of it (a small mark on a flat colour, where trimming would leave only the mark's inside).
fn fine_source<'a>(img: &'a DynamicImage, trimmed: &'a DynamicImage) -> &'a DynamicImage {
    let area = |i: &DynamicImage| i.width() as u64 * i.height() as u64;
    if area(trimmed) * 5 >= area(img) * 2 {
        trimmed
    } else {
        img
    }
}

/// The fine descriptor of a grey picture: its central part (without [`FINE_MARGIN`] of each
/// side) as a 16×16 thumbnail, normalised.
pub fn fine_of(gray: &GrayImage) -> Fine {
    let (w, h) = gray.dimensions();
    fine_of_part(gray, (0, 0, w, h))
}

/// [`fine_of`] of the part `(x, y, w, h)` of a grey picture (bounded as `crop_imm` bounds it),
/// without copying it: the central part as [`center_part`] cuts it, resized.
fn fine_of_part(gray: &GrayImage, part: (u32, u32, u32, u32)) -> Fine {
    fine_of_window(gray, window_of_part(gray.dimensions(), part))
}

/// The window the descriptors take of the part `(x, y, w, h)` of a picture of `size`: the
/// part bounded by the picture, without [`FINE_MARGIN`] of each side.
fn window_of_part((iw, ih): (u32, u32), part: (u32, u32, u32, u32)) -> (u32, u32, u32, u32) {
    let (x, y) = (part.0.min(iw), part.1.min(ih));
    let (w, h) = (part.2.min(iw - x), part.3.min(ih - y));
    let fraction = 2.0 * FINE_MARGIN;
    let cw = (w as f64 * fraction / 2.0) as u32;
    let ch = (h as f64 * fraction / 2.0) as u32;
    if cw == 0 || ch == 0 || w <= 2 * cw || h <= 2 * ch {
        (x, y, w, h)
    } else {
        (x + cw, y + ch, w - 2 * cw, h - 2 * ch)
    }
}

/// The fine descriptor of exactly the part `(x, y, w, h)` of a grey picture (no margin).
fn fine_of_window(gray: &GrayImage, window: (u32, u32, u32, u32)) -> Fine {
    let thumb = resize_gray_part(gray, window, FINE_SIDE as u32, FINE_SIDE as u32);
    let px: Vec<f64> = thumb.pixels().map(|p| p[0] as f64).collect();
    Fine::from_thumbnail(&px)
}

/// The outline descriptor of a grey picture, taken of the window [`fine_of`] takes.
pub fn outline_of(gray: &GrayImage) -> Outline {
    let (w, h) = gray.dimensions();
    Outline::of_window(gray, window_of_part((w, h), (0, 0, w, h)))
}

/// A grey picture rotated by `degrees` about its centre (bilinear; outside pixels take the
/// nearest edge pixel), same size.
pub fn rotate(gray: &GrayImage, degrees: f64) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (cx, cy) = ((w as f64 - 1.0) / 2.0, (h as f64 - 1.0) / 2.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let at = |x: i64, y: i64| {
        let x = x.clamp(0, w as i64 - 1) as u32;
        let y = y.clamp(0, h as i64 - 1) as u32;
        gray.get_pixel(x, y)[0] as f64
    };
    GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f64 - cx, y as f64 - cy);
        let sx = cos * dx + sin * dy + cx;
        let sy = -sin * dx + cos * dy + cy;
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
            + at(x0 + 1, y0) * fx * (1.0 - fy)
            + at(x0, y0 + 1) * (1.0 - fx) * fy
            + at(x0 + 1, y0 + 1) * fx * fy;
        image::Luma([v.round().clamp(0.0, 255.0) as u8])
    })
}

/// Rotations (degrees) of an official avatar the detector compares copies with.
pub const VIEW_ROTATIONS: [f64; 6] = [-9.0, -6.0, -3.0, 3.0, 6.0, 9.0];
/// Uneven crops of an official avatar: share cut from one side and from the other, per axis
/// (up to 20 % in all, unevenly), every combination of both axes.
pub const VIEW_CROPS: [(f64, f64); 15] = [
    (0.0, 0.0),
    (0.0, 0.05),
    (0.0, 0.1),
    (0.0, 0.15),
    (0.0, 0.2),
    (0.05, 0.0),
    (0.05, 0.05),
    (0.05, 0.1),
    (0.05, 0.15),
    (0.1, 0.0),
    (0.1, 0.05),
    (0.1, 0.1),
    (0.15, 0.0),
    (0.15, 0.05),
    (0.2, 0.0),
];
/// The picture shrunk onto a larger canvas (a frame no trimming removes, a "fit" onto a
/// blurred background): the canvas's share beyond each side of the picture, relative to the
/// picture. The descriptor's central window then covers 78–100 % of the picture.
pub const VIEW_SHRINKS: [f64; 4] = [0.057, 0.114, 0.164, 0.214];
/// How many of the first views of [`official_views`] are the cheap ones (the picture, grey,
/// mirrored, rotated); the crops follow.
pub const CHEAP_VIEWS: usize = 3 + 3 * VIEW_ROTATIONS.len();

/// A grey picture rotated by `degrees` into a canvas large enough for all of it, the corners
/// filled with `fill` (what an editor's "rotate" does with expansion on).
fn rotate_expanded(gray: &GrayImage, degrees: f64, fill: u8) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let nw = (w as f64 * cos.abs() + h as f64 * sin.abs()).ceil() as u32;
    let nh = (w as f64 * sin.abs() + h as f64 * cos.abs()).ceil() as u32;
    let (cx, cy) = ((w as f64 - 1.0) / 2.0, (h as f64 - 1.0) / 2.0);
    let (ncx, ncy) = ((nw as f64 - 1.0) / 2.0, (nh as f64 - 1.0) / 2.0);
    GrayImage::from_fn(nw, nh, |x, y| {
        let (dx, dy) = (x as f64 - ncx, y as f64 - ncy);
        let sx = (cos * dx + sin * dy + cx).round();
        let sy = (-sin * dx + cos * dy + cy).round();
        if sx < 0.0 || sy < 0.0 || sx >= w as f64 || sy >= h as f64 {
            image::Luma([fill])
        } else {
            *gray.get_pixel(sx as u32, sy as u32)
        }
    })
}

/// The fine descriptors of an official avatar under the changes impostors make that the
/// DCT-sign hashes do not survive (issue 10, item 2): the picture itself, its luma (what a
/// greyscale copy keeps), its mirror image, rotations by 3–9° (same size, and expanded onto a
/// black or white canvas), then uneven crops of up to 20 % ([`VIEW_CROPS`]), then the picture
/// shrunk onto a larger canvas ([`VIEW_SHRINKS`]). The first
/// [`CHEAP_VIEWS`] are compared with every candidate; the crops only with candidates those
/// already find somewhat alike. Computed once per official avatar per run.
pub fn official_views(img: &DynamicImage) -> Vec<Fine> {
    OfficialPicture::new(img).views()
}

/// Which picture a view of [`official_views`] was cut from.
#[derive(Clone, Copy, Debug, PartialEq)]
enum ViewBase {
    Light,
    Luma,
    Mirror,
    Rotated(f64),
    Expanded(f64, u8),
    /// The picture trimmed to its mark, when its descriptors are taken of the whole picture
    /// ([`fine_source`]): a copy cut closer keeps less of the plain colour around the mark,
    /// and its own descriptors are then taken of the mark alone.
    Trimmed,
}

/// A crop as the shares `[left, right, top, bottom]` cut from each side.
type Crop = [f64; 4];

/// An official avatar kept for a closer look ([`AlignViews`]): its lightness and luma at
/// thumbnail size, and how each of its views was made.
#[derive(Debug)]
pub struct OfficialPicture {
    light: GrayImage,
    luma: GrayImage,
    /// The lightness of the picture trimmed to its mark ([`ViewBase::Trimmed`]).
    trimmed_light: Option<GrayImage>,
    layout: Vec<(ViewBase, Crop)>,
    /// For a picture with little detail, the outline of each view, computed when first asked
    /// ([`AlignViews::outline`]; boxed, so that the views never asked for cost a pointer, not
    /// a kilobyte); `None` for a picture with detail.
    outlines: Option<Vec<std::sync::OnceLock<Box<Outline>>>>,
}

/// Steps of the alignment: a crop side moves by these shares, coarse to fine.
const ALIGN_STEPS: [f64; 2] = [0.025, 0.0125];
/// The most an alignment cuts from an axis (both sides together).
const ALIGN_MAX_CUT: f64 = 0.3;
/// The most an alignment widens a side beyond the picture ([`VIEW_SHRINKS`]).
const ALIGN_MAX_WIDEN: f64 = 0.25;
/// The moves of an alignment: one side of the crop, or both sides of an axis together
/// (`1.0`: the window grows or shrinks; `-1.0`: it slides).
const ALIGN_MOVES: [(usize, Option<usize>, f64); 8] = [
    (0, None, 0.0),
    (1, None, 0.0),
    (2, None, 0.0),
    (3, None, 0.0),
    (0, Some(1), 1.0),
    (0, Some(1), -1.0),
    (2, Some(3), 1.0),
    (2, Some(3), -1.0),
];
/// The most moves an alignment makes per step size.
const ALIGN_MAX_MOVES: usize = 12;
/// How far (degrees) an alignment also turns the picture from its view's turn, either way:
/// half the step of [`VIEW_ROTATIONS`].
const ALIGN_TURN: f64 = 1.5;

impl OfficialPicture {
    /// The picture as [`official_views`] sees it (frame trimmed).
    pub fn new(img: &DynamicImage) -> Self {
        let trimmed = trim_frame(img);
        let source = fine_source(img, &trimmed);
        let mut layout = vec![
            (ViewBase::Light, [0.0; 4]),
            (ViewBase::Luma, [0.0; 4]),
            (ViewBase::Mirror, [0.0; 4]),
        ];
        for deg in VIEW_ROTATIONS {
            layout.push((ViewBase::Rotated(deg), [0.0; 4]));
            layout.push((ViewBase::Expanded(deg, 0), [0.0; 4]));
            layout.push((ViewBase::Expanded(deg, 255), [0.0; 4]));
        }
        let light = lightness(source);
        let (w, h) = light.dimensions();
        for (l, r) in VIEW_CROPS {
            for (t, b) in VIEW_CROPS {
                if l + r + t + b == 0.0 {
                    continue;
                }
                if crop_box((w, h), [l, r, t, b]).is_some() {
                    layout.push((ViewBase::Light, [l, r, t, b]));
                }
            }
        }
        for z in VIEW_SHRINKS {
            layout.push((ViewBase::Light, [-z; 4]));
        }
        let trimmed_light = (!std::ptr::eq(source, &trimmed)
            && (trimmed.width(), trimmed.height()) != (img.width(), img.height()))
            .then(|| lightness(&trimmed));
        if trimmed_light.is_some() {
            layout.push((ViewBase::Trimmed, [0.0; 4]));
        }
        OfficialPicture {
            luma: source.to_luma8(),
            light,
            trimmed_light,
            layout,
            outlines: None,
        }
    }

    /// Keeps the outlines of the views too (computed when first asked): for a picture with
    /// little detail.
    pub fn with_outlines(mut self) -> Self {
        self.outlines = Some(
            (0..self.layout.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        );
        self
    }

    /// The outline descriptor of view `i` ([`outline_of`]), cut as the fine view is.
    fn outline_of_view(&self, i: usize) -> Outline {
        let Some(&(base, crop)) = self.layout.get(i) else {
            return Outline::default();
        };
        let img = self.base(base);
        window_of_crop(img.dimensions(), crop)
            .map_or_else(Outline::default, |window| Outline::of_window(&img, window))
    }

    /// The picture a view is cut from.
    fn base(&self, base: ViewBase) -> std::borrow::Cow<'_, GrayImage> {
        use std::borrow::Cow;
        match base {
            ViewBase::Light => Cow::Borrowed(&self.light),
            ViewBase::Luma => Cow::Borrowed(&self.luma),
            ViewBase::Mirror => Cow::Owned(imageops::flip_horizontal(&self.light)),
            ViewBase::Rotated(deg) => Cow::Owned(rotate(&self.light, deg)),
            ViewBase::Expanded(deg, fill) => Cow::Owned(rotate_expanded(&self.light, deg, fill)),
            ViewBase::Trimmed => Cow::Borrowed(self.trimmed_light.as_ref().unwrap_or(&self.light)),
        }
    }

    /// Every view, in the order of [`official_views`].
    pub fn views(&self) -> Vec<Fine> {
        let mut out = Vec::with_capacity(self.layout.len());
        let mut last: Option<(ViewBase, std::borrow::Cow<'_, GrayImage>)> = None;
        for &(base, crop) in &self.layout {
            if last.as_ref().is_none_or(|(b, _)| *b != base) {
                last = Some((base, self.base(base)));
            }
            let img = &last.as_ref().expect("set above").1;
            out.push(fine_of_crop(img, crop));
        }
        // A flat view (all zero) never matches; it keeps the cheap views in their places.
        out
    }

    /// From the view `i`, moves its crop while the correlation with `candidate` rises
    /// ([`align_crop`]), on the view's picture and on it turned by [`ALIGN_TURN`] either way.
    fn align_from(&self, candidate: &Fine, i: usize, best: f64) -> f64 {
        let Some(&(base, crop)) = self.layout.get(i) else {
            return best;
        };
        let mut out = align_crop(candidate, &self.base(base), crop, best);
        // Turned between the views' steps too (a copy turned 7° and cut): the same crop
        // search on the picture turned half a step either way from the view's turn.
        let turn = match base {
            ViewBase::Rotated(deg) | ViewBase::Expanded(deg, _) => Some(deg),
            ViewBase::Light => Some(0.0),
            _ => None,
        };
        for deg in turn
            .into_iter()
            .flat_map(|d| [d - ALIGN_TURN, d + ALIGN_TURN])
        {
            let img = rotate(&self.light, deg);
            let start = candidate.similarity(&fine_of_crop(&img, crop));
            out = out.max(align_crop(candidate, &img, crop, start));
        }
        out
    }
}

/// From `crop` of `img`, moves the crop while the correlation with `candidate` rises
/// ([`ALIGN_MOVES`], by [`ALIGN_STEPS`]): a greedy search over a few dozen thumbnails.
fn align_crop(candidate: &Fine, img: &GrayImage, mut crop: Crop, mut best: f64) -> f64 {
    for step in ALIGN_STEPS {
        for _ in 0..ALIGN_MAX_MOVES {
            let mut next = None;
            for (side, other, sign) in ALIGN_MOVES {
                for delta in [-step, step] {
                    let mut c = crop;
                    c[side] = (c[side] + delta).max(-ALIGN_MAX_WIDEN);
                    if let Some(o) = other {
                        c[o] = (c[o] + sign * delta).max(-ALIGN_MAX_WIDEN);
                    }
                    if c == crop || c[0] + c[1] > ALIGN_MAX_CUT || c[2] + c[3] > ALIGN_MAX_CUT {
                        continue;
                    }
                    let v = candidate.similarity(&fine_of_crop(img, c));
                    if v > next.map_or(best, |(_, b)| b) {
                        next = Some((c, v));
                    }
                }
            }
            match next {
                Some((c, v)) => (crop, best) = (c, v),
                None => break,
            }
        }
    }
    best
}

/// The box `(x, y, w, h)` of `crop` in a picture of `size`, if at least 8×8 remains.
fn crop_box((w, h): (u32, u32), [l, r, t, b]: Crop) -> Option<(u32, u32, u32, u32)> {
    let x = (w as f64 * l) as u32;
    let y = (h as f64 * t) as u32;
    let cw = (w as f64 * (1.0 - l - r)) as u32;
    let ch = (h as f64 * (1.0 - t - b)) as u32;
    (cw >= 8 && ch >= 8).then_some((x, y, cw, ch))
}

/// The window the descriptors take of a crop of a picture of `size` (`None` if too little is
/// left). A negative share widens the box beyond the picture (the copy is the picture shrunk
/// onto a larger canvas): then the window, the box without its margin, is clamped to the
/// picture.
fn window_of_crop((w, h): (u32, u32), crop: Crop) -> Option<(u32, u32, u32, u32)> {
    if crop.iter().any(|c| *c < 0.0) {
        let window = |size: u32, near: f64, far: f64| {
            let side = size as f64 * (1.0 - near - far);
            let start = (size as f64 * near + side * FINE_MARGIN).max(0.0);
            let end = (size as f64 * (1.0 - far) - side * FINE_MARGIN).min(size as f64);
            (start as u32, (end - start).max(0.0) as u32)
        };
        let ((x, cw), (y, ch)) = (window(w, crop[0], crop[1]), window(h, crop[2], crop[3]));
        return (cw >= 8 && ch >= 8).then_some((x, y, cw, ch));
    }
    crop_box((w, h), crop).map(|part| window_of_part((w, h), part))
}

/// The fine descriptor of a crop of a grey picture (all zero if too little is left).
fn fine_of_crop(gray: &GrayImage, crop: Crop) -> Fine {
    window_of_crop(gray.dimensions(), crop)
        .map_or_else(Fine::default, |window| fine_of_window(gray, window))
}

impl AlignViews for OfficialPicture {
    /// Aligns from the best view, from the best view of the picture itself (crops of it)
    /// and from the best turned view, when those are other ones (a rotation may win before
    /// the crop is found, a crop before the turn is).
    fn aligned(&self, candidate: &Fine, views: &[Fine]) -> f64 {
        let scores: Vec<f64> = views.iter().map(|v| candidate.similarity(v)).collect();
        let best_of = |keep: &dyn Fn(ViewBase) -> bool| {
            scores
                .iter()
                .enumerate()
                .filter(|(i, _)| self.layout.get(*i).is_some_and(|(b, _)| keep(*b)))
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, v)| (i, *v))
        };
        let Some((i, v)) = best_of(&|_| true) else {
            return 0.0;
        };
        let mut best = self.align_from(candidate, i, v);
        if let Some((j, w)) = best_of(&|b| b == ViewBase::Light).filter(|(j, _)| *j != i) {
            best = best.max(self.align_from(candidate, j, w));
        }
        // And from the best turned view, when another won: a copy turned and cut may be
        // nearer a crop of the picture itself before it is aligned.
        let turned = |b: ViewBase| matches!(b, ViewBase::Rotated(_) | ViewBase::Expanded(..));
        if let Some((k, u)) = best_of(&turned).filter(|(k, _)| *k != i) {
            best = best.max(self.align_from(candidate, k, u));
        }
        best
    }

    fn outline(&self, view: usize) -> Option<&Outline> {
        let cell = self.outlines.as_ref()?.get(view)?;
        Some(cell.get_or_init(|| Box::new(self.outline_of_view(view))))
    }
}

/// The background data of `crate::detect::background`: one [`Fine`] descriptor per image of
/// `dir` that decodes and has detail, in file-name order
/// ([`crate::detect::background::fine_bytes`]), and the same pictures' corners, for
/// `crate::detect::local` ([`crate::detect::background::corners_bytes`]). Returns both files
/// and the count.
pub fn background_file(dir: &Path) -> Result<(Vec<u8>, Vec<u8>, usize)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| matches!(x.to_str(), Some("png" | "jpg" | "jpeg")))
        })
        .collect();
    paths.sort();
    let mut fines = Vec::new();
    let mut corners = Vec::new();
    for p in &paths {
        let Ok(bytes) = read_file(p, 8 * 1024 * 1024) else {
            continue;
        };
        let Ok(h) = hash_bytes(&bytes) else {
            continue;
        };
        if h.fine.is_set() {
            corners.push(h.local.as_deref().cloned().unwrap_or_default());
            fines.push(h.fine);
        }
    }
    use crate::detect::background::{corners_bytes, fine_bytes};
    Ok((fine_bytes(&fines), corners_bytes(&corners), fines.len()))
}

/// Decodes avatar bytes and computes [`official_views`].
pub fn official_views_of_bytes(bytes: &[u8]) -> Result<Vec<Fine>> {
    Ok(official_views(&decode::thumbnail(bytes)?))
}

/// An official account's features with everything its avatar's pixels give, computed once per
/// run: the views (rotated, cropped, grey, [`OfficialPicture::views`]), the picture candidates
/// are aligned with ([`OfficialPicture`]) and its corners at several scales
/// ([`official_local_features`]). Fails when the bytes do not decode.
pub fn official_features(
    account: crate::model::OfficialAccount,
    hash: AvatarHash,
    bytes: &[u8],
) -> Result<crate::detect::OfficialFeatures> {
    let thumbnail = decode::thumbnail(bytes)?;
    let mut picture = OfficialPicture::new(&thumbnail);
    if hash.outline.is_some() {
        picture = picture.with_outlines();
    }
    Ok(crate::detect::OfficialFeatures::new(account, Some(hash))
        .with_views(picture.views())
        .with_local(official_local_features(&thumbnail))
        .with_picture(std::sync::Arc::new(picture)))
}

/// The local features ([`keypoints::Keypoints`]) of a candidate's picture: the corners of its
/// lightness plane, after the frame is trimmed (as the hashes see it).
pub fn local_features(img: &DynamicImage) -> keypoints::Keypoints {
    keypoints::keypoints(&lightness(&trimmed(img)), keypoints::MAX_KEYPOINTS)
}

/// The local features of an official avatar: [`local_features`] at several scales.
pub fn official_local_features(img: &DynamicImage) -> keypoints::Keypoints {
    keypoints::official_keypoints(&lightness(&trimmed(img)))
}

/// Decodes avatar bytes to the shared thumbnail and hashes it.
pub fn hash_bytes(bytes: &[u8]) -> Result<AvatarHash> {
    Ok(hash_image(&decode::thumbnail(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fine_of_a_part_is_fine_of_the_copied_crop() {
        let img = GrayImage::from_fn(97, 64, |x, y| {
            image::Luma([((x * 7 + y * y * 3) % 251) as u8])
        });
        for part in [
            (0, 0, 97, 64),
            (5, 3, 80, 50),
            (9, 6, 88, 58),
            (90, 60, 40, 40),
            (0, 0, 8, 9),
        ] {
            let (x, y, w, h) = part;
            let copied = imageops::crop_imm(&img, x, y, w, h).to_image();
            assert_eq!(
                fine_of_part(&img, part),
                fine_of_reference(&copied),
                "{part:?}"
            );
        }
    }

    /// `fine_of` as it was written first: copy, centre crop, resize with `image`.
    fn fine_of_reference(gray: &GrayImage) -> Fine {
        let img = DynamicImage::ImageLuma8(gray.clone());
        let inner = center_crop(&img, 2.0 * FINE_MARGIN).to_luma8();
        let thumb = imageops::resize(&inner, 16, 16, imageops::FilterType::Triangle);
        let px: Vec<f64> = thumb.pixels().map(|p| p[0] as f64).collect();
        Fine::from_thumbnail(&px)
    }

    #[test]
    fn grey_and_rgb_resizes_are_image_s_triangle_resize_bit_for_bit() {
        let mut x = 0x9e37_79b9_u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let sizes = [
            (1, 1),
            (3, 40),
            (16, 16),
            (17, 33),
            (31, 32),
            (48, 48),
            (64, 90),
            (97, 128),
            (128, 128),
            (200, 57),
            (301, 300),
        ];
        for (w, h) in sizes {
            // Noise, and smooth gradients (where rounding ties are likelier).
            for smooth in [false, true] {
                let img = GrayImage::from_fn(w, h, |px, py| {
                    let v = if smooth {
                        (px * 255 / w.max(1) + py * 3) % 256
                    } else {
                        next() % 256
                    };
                    image::Luma([v as u8])
                });
                let rgb = RgbImage::from_fn(w, h, |px, py| {
                    let v = img.get_pixel(px, py)[0];
                    Rgb([v, v.wrapping_mul(3), (next() % 256) as u8])
                });
                for (nw, nh) in [(32, 32), (16, 16), (9, 8), (7, 40), (1, 1), (w, h)] {
                    let ours = resize_gray(&img, nw, nh);
                    let theirs = imageops::resize(&img, nw, nh, imageops::FilterType::Triangle);
                    assert_eq!(ours, theirs, "{w}x{h} -> {nw}x{nh}, smooth {smooth}");
                    let ours = resize_gray_lanczos3(&img, nw, nh);
                    let theirs = imageops::resize(&img, nw, nh, imageops::FilterType::Lanczos3);
                    assert_eq!(ours, theirs.into_raw(), "Lanczos3 {w}x{h} -> {nw}x{nh}");
                    let ours = resize_rgb(&rgb, nw, nh);
                    let theirs = imageops::resize(&rgb, nw, nh, imageops::FilterType::Triangle);
                    assert_eq!(ours, theirs, "RGB {w}x{h} -> {nw}x{nh}, smooth {smooth}");
                }
            }
        }
    }
    use image::{Rgb, RgbImage};
    use std::io::Cursor;

    /// `hash_image` as it was first written: every view from its own copy, `information` from
    /// its own thumbnail, the gradient hashes by `image_hasher`.
    fn hash_image_reference(img: &DynamicImage) -> AvatarHash {
        use image_hasher::{HashAlg, HasherConfig};
        let trimmed = trim_frame(img);
        let hashes = HASH_VIEWS.map(|view| match view {
            HashView::Lightness { crop } => dct_signs(&lightness(&center_crop(&trimmed, crop))),
            HashView::Luma => dct_signs(&trimmed.to_luma8()),
        });
        let gradient = HasherConfig::new()
            .hash_alg(HashAlg::Gradient)
            .hash_size(8, 8)
            .to_hasher();
        let to_u64 = |h: image_hasher::ImageHash| {
            let mut buf = [0u8; 8];
            let bytes = h.as_bytes();
            let n = bytes.len().min(8);
            buf[..n].copy_from_slice(&bytes[..n]);
            u64::from_le_bytes(buf)
        };
        let light = DynamicImage::ImageLuma8(lightness(&trimmed));
        let g = to_u64(gradient.hash_image(&light));
        let gm = to_u64(gradient.hash_image(&light.fliph()));
        AvatarHash::from_hashes(hashes, information(&trimmed))
            .with_gradient(g, gm)
            .with_fine(fine_of(&lightness(fine_source(img, &trimmed))))
            .with_fine_whole(
                (std::ptr::eq(fine_source(img, &trimmed), &trimmed)
                    && (trimmed.width(), trimmed.height()) != (img.width(), img.height()))
                    .then(|| fine_of(&lightness(img))),
            )
            .with_outline(
                (information(&trimmed) < OUTLINE_INFORMATION)
                    .then(|| outline_of(&lightness(fine_source(img, &trimmed)))),
            )
            .with_colours(
                mean_colour(&DynamicImage::ImageRgb8(img.to_rgb8())),
                centre_colour(fine_source(img, &trimmed)),
            )
            .with_local(local_features(img))
    }

    #[test]
    fn gradient_hashes_are_those_of_the_picture_and_of_its_mirrored_copy() {
        for (w, h) in [(128, 128), (100, 75), (37, 90), (9, 8), (10, 3), (1, 1)] {
            let gray = picture(w, h, w * 31 + h).to_luma8();
            let mirrored = imageops::flip_horizontal(&gray);
            assert_eq!(
                gradient_hashes(&gray),
                (gradient_hash(&gray), gradient_hash(&mirrored)),
                "{w}×{h}"
            );
            if w == 128 {
                assert_ne!(gradient_hash(&gray), gradient_hash(&mirrored));
            }
        }
    }

    /// Every red and green level against 16 blue levels (and every blue level), as `image`
    /// converts them. (Checked for all 2²⁴ colours once, in a release build.)
    #[test]
    fn luma_is_image_s_to_luma8() {
        let blues: Vec<u8> = if std::env::var_os("NARISUMASHI_EVERY_COLOUR").is_some() {
            (0..=255).collect()
        } else {
            (0..=255).step_by(17).chain([1, 127, 128, 254]).collect()
        };
        for b in blues {
            let rgb = image::RgbImage::from_fn(256, 256, |x, y| image::Rgb([x as u8, y as u8, b]));
            let img = DynamicImage::ImageRgb8(rgb);
            assert_eq!(luma(&img), img.to_luma8(), "blue {b}");
        }
        let rgb = image::RgbImage::from_fn(256, 256, |x, y| {
            image::Rgb([y as u8, (x * 7) as u8, x as u8])
        });
        let img = DynamicImage::ImageRgb8(rgb);
        assert_eq!(luma(&img), img.to_luma8());
    }

    #[test]
    fn hash_image_is_the_per_view_computation() {
        let framed = |w: u32, h: u32, m: u32| {
            let inner = picture(w - 2 * m, h - 2 * m, w * h);
            let mut out = RgbImage::from_pixel(w, h, Rgb([250, 250, 250]));
            imageops::replace(&mut out, &inner.to_rgb8(), m as i64, m as i64);
            DynamicImage::ImageRgb8(out)
        };
        let mut images = vec![
            framed(128, 128, 20),
            framed(100, 64, 3),
            framed(64, 64, 24),
            pattern(1, 1),
            pattern(9, 8),
            pattern(32, 32),
            DynamicImage::ImageLuma8(pattern(77, 51).to_luma8()),
        ];
        for (i, (w, h)) in [(128, 128), (128, 97), (48, 128), (17, 23), (128, 5)]
            .into_iter()
            .enumerate()
        {
            images.push(picture(w, h, i as u32 + 1));
            images.push(pattern(w, h));
        }
        for img in &images {
            let (w, h) = (img.width(), img.height());
            assert_eq!(hash_image(img), hash_image_reference(img), "{w}x{h}");
        }
    }

    fn pattern(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let v = ((x * 7 + y * 13) % 97) as u8;
            Rgb([v.wrapping_mul(2), (x * 255 / w) as u8, (y * 255 / h) as u8])
        }))
    }

    fn png(img: &DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// An avatar-like picture: a diagonal gradient, an off-centre disc, a bar and a square,
    /// placed by `seed`.
    fn picture(w: u32, h: u32, seed: u32) -> DynamicImage {
        let s = seed as f64;
        let (cx, cy) = (w as f64 * (0.3 + 0.1 * (s % 4.0)), h as f64 * 0.4);
        let r = w as f64 * (0.2 + 0.02 * (s % 3.0));
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            let (xf, yf) = (x as f64, y as f64);
            if ((xf - cx).powi(2) + (yf - cy).powi(2)).sqrt() < r {
                Rgb([250, 240, (40 * seed % 255) as u8])
            } else if yf > h as f64 * 0.75 && yf < h as f64 * 0.85 && xf > w as f64 * 0.1 {
                Rgb([20, 30, 90])
            } else if xf > w as f64 * 0.7 && xf < w as f64 * 0.9 && yf < h as f64 * 0.3 {
                Rgb([200, 40, 60])
            } else {
                let t = (xf / w as f64 + yf / h as f64) / 2.0;
                Rgb([(40.0 + 150.0 * t) as u8, (120.0 - 60.0 * t) as u8, 180])
            }
        }))
    }

    fn hue_rotate(img: &DynamicImage) -> DynamicImage {
        // RGB → GBR keeps max and min, so lightness, and changes every hue.
        let mut rgb = img.to_rgb8();
        for p in rgb.pixels_mut() {
            let [r, g, b] = p.0;
            p.0 = [g, b, r];
        }
        DynamicImage::ImageRgb8(rgb)
    }

    #[test]
    fn copies_of_a_picture_stay_close() {
        let original = picture(256, 256, 1);
        let a = hash_image(&original);
        let mut framed =
            DynamicImage::ImageRgb8(RgbImage::from_pixel(290, 290, Rgb([200, 30, 40])));
        imageops::overlay(&mut framed, &original, 17, 17);
        let mut jpeg = Cursor::new(Vec::new());
        original
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .unwrap();
        let copies = [
            (
                "downscaled",
                original.resize(64, 64, imageops::FilterType::Triangle),
            ),
            ("mirrored", original.fliph()),
            ("cropped 8 %", original.crop_imm(6, 14, 236, 236)),
            ("framed", framed),
            ("hue-shifted", hue_rotate(&original)),
            ("jpeg", decode(jpeg.get_ref()).unwrap()),
        ];
        for (what, copy) in copies {
            let d = a.distance(&hash_image(&copy));
            assert!(d <= 9, "{what}: distance {d}");
        }
        // Lightness is not luma: a greyscale copy matches through the luma view.
        let grey = DynamicImage::ImageLuma8(original.to_luma8());
        let d = a.distance(&hash_image(&grey));
        assert!(d <= 9, "greyscale: distance {d}");
    }

    #[test]
    fn official_views_keep_their_layout_and_catch_rotated_and_cropped_copies() {
        assert_eq!(CHEAP_VIEWS, crate::detect::score::FINE_CHEAP_VIEWS);
        let original = picture(240, 240, 2);
        let views = official_views(&original);
        assert_eq!(
            views.len(),
            CHEAP_VIEWS + VIEW_CROPS.len() * VIEW_CROPS.len() - 1 + VIEW_SHRINKS.len()
        );
        let copy = |img: &DynamicImage| {
            hash_image(img)
                .fine
                .best_of_views(&views, CHEAP_VIEWS, true)
        };
        let rotated = DynamicImage::ImageLuma8(rotate(&original.to_luma8(), 7.0));
        assert!(copy(&rotated) > 0.92, "rotated: {}", copy(&rotated));
        let cropped = original.crop_imm(36, 5, 240 - 36 - 5, 240 - 5 - 30);
        assert!(copy(&cropped) > 0.92, "cropped: {}", copy(&cropped));
        let other = picture(240, 240, 7).flipv();
        assert!(copy(&other) < 0.9, "other: {}", copy(&other));
    }

    /// A detailed picture: small blobs of light placed by `seed` (not periodic, so only the
    /// right alignment matches).
    fn blobs(seed: u64) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(100, 100, move |x, y| {
            let mut r = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            let mut next = || {
                r ^= r << 13;
                r ^= r >> 7;
                r ^= r << 17;
                (r >> 11) as f64 / (1u64 << 53) as f64
            };
            let mut a = 20.0;
            for _ in 0..50 {
                let (cx, cy) = (next() * 100.0, next() * 100.0);
                let (s, k) = (2.0 + next() * 2.5, next());
                let d2 = (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2);
                a += 235.0 * k * (-d2 / (2.0 * s * s)).exp();
            }
            let a = a.clamp(0.0, 255.0) as u8;
            Rgb([a, a / 2, 255 - a])
        }))
    }

    #[test]
    fn alignment_finds_uneven_crops_between_the_views_steps() {
        let original = blobs(3);
        let picture = OfficialPicture::new(&original);
        let views = picture.views();
        assert_eq!(views, official_views(&original));
        // Cut 15–20 % per axis, unevenly, between the 5 % steps of the views: below the
        // same-picture bar on the views, near 1 once aligned.
        for (l, r, t, b) in [(17, 3, 15, 5), (7, 12, 17, 3)] {
            let copy = hash_image(&original.crop_imm(l, t, 100 - l - r, 100 - t - b)).fine;
            let (coarse, aligned) = (copy.best(&views), picture.aligned(&copy, &views));
            assert!(
                coarse < 0.92,
                "{l},{r},{t},{b}: the views alone reach {coarse}"
            );
            assert!(aligned > 0.98, "{l},{r},{t},{b}: aligned {aligned}");
        }
        let other = hash_image(&blobs(8)).fine;
        assert!(picture.aligned(&other, &views) < 0.5);
    }

    /// A small mark on a plain colour: its descriptors are of the whole picture, but a copy
    /// cut closer is taken of the mark alone ([`fine_source`]); the trimmed view finds it.
    #[test]
    fn a_small_marks_copy_cut_close_is_found_by_the_trimmed_view() {
        let original = DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, |x, y| {
            let (xf, yf) = (x as f64 - 100.0, y as f64 - 95.0);
            // A warning triangle with a bar, white on blue, 58 % of the side.
            let triangle = yf > -50.0 && yf < 48.0 && xf.abs() < (yf + 50.0) * 0.6;
            let bar = xf.abs() < 6.0 && yf > -25.0 && yf < 25.0;
            if triangle && !bar {
                Rgb([250, 250, 250])
            } else {
                Rgb([40, 110, 190])
            }
        }));
        let picture = OfficialPicture::new(&original);
        let views = picture.views();
        assert_eq!(
            picture.layout.last().map(|(b, _)| *b),
            Some(ViewBase::Trimmed)
        );
        // 20 % cut, most of it from one side: the copy's descriptor is of the mark alone.
        let copy = hash_image(&original.crop_imm(36, 33, 160, 160)).fine;
        let trimmed = copy.similarity(views.last().unwrap());
        let others = copy.best(&views[..views.len() - 1]);
        assert!(trimmed > 0.99, "trimmed view: {trimmed}");
        assert!(
            others < 0.95,
            "the others alone: {others} (trimmed {trimmed})"
        );
        // Pictures with detail have no such view.
        let detailed = OfficialPicture::new(&blobs(3));
        assert!(!detailed.layout.iter().any(|(b, _)| *b == ViewBase::Trimmed));
    }

    /// A caption under a small mark moves where the trim cuts (the mark and the caption):
    /// the copy's whole picture, described too, is what matches the official one's views.
    #[test]
    fn a_captioned_copy_of_a_small_mark_is_matched_whole() {
        let mark = |caption: bool| {
            DynamicImage::ImageRgb8(RgbImage::from_fn(200, 200, move |x, y| {
                let (xf, yf) = (x as f64 - 100.0, y as f64 - 90.0);
                let square = xf.abs() < 55.0 && yf.abs() < 55.0;
                let letters = (xf + 20.0).abs() < 10.0 && yf.abs() < 30.0
                    || (xf - 24.0).abs() < 8.0 && yf.abs() < 30.0;
                let text =
                    caption && (155..175).contains(&y) && (40..160).contains(&x) && x % 12 < 8;
                if text {
                    Rgb([250, 220, 0])
                } else if square && !letters {
                    Rgb([40, 120, 200])
                } else if square {
                    Rgb([250, 250, 250])
                } else {
                    Rgb([0, 140, 80])
                }
            }))
        };
        let views = official_views(&mark(false));
        let copy = hash_image(&mark(true));
        let whole = copy
            .fine_whole
            .as_deref()
            .expect("trimmed out of its margin");
        let (trimmed, whole) = (copy.fine.best(&views), whole.best(&views));
        assert!(trimmed < 0.9, "trimmed: {trimmed}");
        assert!(whole > 0.95, "whole: {whole}");
        // A picture with nothing to trim has no second descriptor.
        assert!(hash_image(&blobs(3)).fine_whole.is_none());
    }

    /// A copy turned between the views' 3° steps and cut unevenly: the alignment turns the
    /// picture half a step too.
    #[test]
    fn alignment_turns_between_the_views_steps() {
        // Grey, so that turning its grey picture turns the picture.
        let original = DynamicImage::ImageLuma8(blobs(4).to_luma8());
        let picture = OfficialPicture::new(&original);
        let views = picture.views();
        let turned = DynamicImage::ImageLuma8(rotate(&original.to_luma8(), 7.5));
        let copy = hash_image(&turned.crop_imm(11, 4, 100 - 11 - 3, 100 - 4 - 9)).fine;
        let (coarse, aligned) = (copy.best(&views), picture.aligned(&copy, &views));
        assert!(aligned > coarse + 0.02, "views {coarse}, aligned {aligned}");
        assert!(aligned > 0.95, "aligned {aligned}");
        let other = hash_image(&blobs(9)).fine;
        assert!(picture.aligned(&other, &views) < 0.5);
    }

    /// A copy shrunk onto a canvas that is no frame (a gradient, here): caught by the
    /// shrunk views, and closer still once aligned.
    #[test]
    fn shrunk_copies_on_a_canvas_are_found() {
        let original = blobs(5);
        let picture = OfficialPicture::new(&original);
        let views = picture.views();
        for (side, x, y) in [(80, 12, 8), (88, 5, 7), (74, 15, 12)] {
            let mut canvas = DynamicImage::ImageRgb8(RgbImage::from_fn(100, 100, |px, py| {
                Rgb([(px * 2) as u8, 90, (py * 2) as u8])
            }));
            let small = original.resize_exact(side, side, imageops::FilterType::Triangle);
            imageops::overlay(&mut canvas, &small, x, y);
            let copy = hash_image(&canvas).fine;
            let before = copy.best(&views[..views.len() - VIEW_SHRINKS.len()]);
            let aligned = picture.aligned(&copy, &views);
            assert!(before < 0.9, "{side}: without the shrunk views {before}");
            assert!(aligned > 0.95, "{side} at {x},{y}: aligned {aligned}");
        }
    }

    /// The detector: a copy cut between the views' steps is the same picture once the
    /// official picture is kept for alignment, and only then.
    #[test]
    fn the_detector_aligns_near_matches() {
        use crate::config::Detection;
        use crate::detect::score::{CandidateView, Detector, OfficialFeatures};
        use crate::model::{OfficialAccount, Platform, VerdictKind};
        use std::sync::Arc;
        let original = blobs(3);
        let account = OfficialAccount {
            platform: Platform::X,
            handle: "koga_bosai".into(),
            display_name: "古賀市危機管理防災課".into(),
            url: "https://x.com/koga_bosai".into(),
            avatar: None,
            operator: None,
            bio: None,
            purpose: None,
        };
        let detector = |with_picture: bool| {
            let mut o = OfficialFeatures::new(account.clone(), Some(hash_image(&original)))
                .with_views(official_views(&original));
            if with_picture {
                o = o.with_picture(Arc::new(OfficialPicture::new(&original)));
            }
            Detector::new(vec![o], Detection::default(), "古賀市")
        };
        let copy = CandidateView {
            handle: "present_4821",
            avatar: Some(hash_image(&original.crop_imm(17, 15, 80, 80))),
            ..Default::default()
        };
        let matches = |d: &Detector| {
            let a = d.assess(Platform::X, &copy);
            a.reason_codes
                .iter()
                .any(|r| matches!(r, crate::detect::reason::Reason::AvatarMatches { .. }))
                && a.verdict == VerdictKind::Suspect
        };
        assert!(matches(&detector(true)));
        assert!(!matches(&detector(false)));
    }

    #[test]
    fn different_pictures_are_far() {
        let a = hash_image(&picture(256, 256, 1));
        let b = hash_image(&picture(256, 256, 6).flipv());
        assert!(a.distance(&b) > 16, "{}", a.distance(&b));
    }

    #[test]
    fn flat_images_carry_little_information() {
        let flat = DynamicImage::ImageRgb8(RgbImage::from_pixel(128, 128, Rgb([0, 80, 160])));
        assert!(information(&flat) < 0.1);
        assert!(information(&pattern(128, 128)) > 0.4);
    }

    #[test]
    fn frames_are_trimmed() {
        let inner = pattern(100, 100);
        let mut framed =
            DynamicImage::ImageRgb8(RgbImage::from_pixel(130, 130, Rgb([255, 255, 255])));
        imageops::overlay(&mut framed, &inner, 15, 15);
        let t = trim_frame(&framed);
        assert!((t.width() as i32 - 100).abs() <= 2 && (t.height() as i32 - 100).abs() <= 2);
    }

    #[test]
    fn hostile_bytes_are_refused() {
        assert!(hash_bytes(b"<svg onload=alert(1)>").is_err());
        let huge = RgbImage::new(MAX_DIMENSION + 1, 1);
        assert!(hash_bytes(&png(&DynamicImage::ImageRgb8(huge))).is_err());
        let mut truncated = png(&pattern(64, 64));
        truncated.truncate(truncated.len() / 2);
        assert!(hash_bytes(&truncated).is_err());
        assert!(hash_bytes(&png(&pattern(64, 64))).is_ok());
    }
}
