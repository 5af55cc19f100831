//! Avatars: bounded loading (local file or URL), guarded decoding (dimension and byte budgets
//! before pixels are decoded, [`decode`]) and the perceptual hashes the detector compares,
//! all computed from one shared thumbnail ([`decode::thumbnail`]).

pub mod decode;

use crate::config::Network;
use crate::detect::score::{HashView, HASH_VIEWS};
use crate::detect::AvatarHash;
use anyhow::{bail, Context, Result};
use image::{imageops, DynamicImage, GrayImage};
use image_hasher::{HashAlg, HasherConfig};
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
    let mut out = img.clone();
    for _ in 0..2 {
        match frame_box(&out.to_rgb8()) {
            Some((left, top, right, bottom)) => {
                out = out.crop_imm(left, top, right - left, bottom - top);
            }
            None => break,
        }
    }
    out
}

/// The box inside a uniform frame, if the image has one.
fn frame_box(rgb: &image::RgbImage) -> Option<(u32, u32, u32, u32)> {
    let (w, h) = rgb.dimensions();
    if w < 16 || h < 16 {
        return None;
    }
    let corner = rgb.get_pixel(0, 0).0;
    let near = |p: [u8; 3]| (0..3).all(|i| (p[i] as i32 - corner[i] as i32).abs() <= 28);
    if ![(w - 1, 0), (0, h - 1), (w - 1, h - 1)]
        .iter()
        .all(|&(x, y)| near(rgb.get_pixel(x, y).0))
    {
        return None;
    }
    let differs = |x: u32, y: u32| !near(rgb.get_pixel(x, y).0);
    let row_uniform = |y: u32| (0..w).filter(|&x| differs(x, y)).count() * 50 <= w as usize;
    let col_uniform = |x: u32| (0..h).filter(|&y| differs(x, y)).count() * 50 <= h as usize;
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
    let thumb: GrayImage =
        imageops::resize(&img.to_luma8(), 32, 32, imageops::FilterType::Triangle);
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
    let rgb = img.to_rgb8();
    GrayImage::from_fn(rgb.width(), rgb.height(), |x, y| {
        let [r, g, b] = rgb.get_pixel(x, y).0;
        let (hi, lo) = (r.max(g).max(b) as u16, r.min(g).min(b) as u16);
        image::Luma([((hi + lo) / 2) as u8])
    })
}

/// Signs of the lowest `DCT_K`×`DCT_K` DCT-II coefficients (without the mean) of a 32×32
/// thumbnail: bit `v·K + u − 1` is set when coefficient (u, v) is positive. Signs of low
/// frequencies survive re-encoding, scaling, brightness and contrast changes, and mirroring
/// flips exactly the bits of odd horizontal frequency ([`crate::detect::score::mirror_bits`]).
fn dct_signs(gray: &GrayImage) -> u64 {
    use crate::detect::score::DCT_K;
    let thumb = imageops::resize(
        gray,
        DCT_SIDE as u32,
        DCT_SIDE as u32,
        imageops::FilterType::Triangle,
    );
    let px: Vec<f64> = thumb.pixels().map(|p| p[0] as f64).collect();
    let cos = &*DCT_COS;
    let mut bits = 0u64;
    for v in 0..DCT_K {
        // Rows first: r[x] = Σ_y px[y][x]·cos_v(y).
        let row: Vec<f64> = (0..DCT_SIDE)
            .map(|x| {
                (0..DCT_SIDE)
                    .map(|y| px[y * DCT_SIDE + x] * cos[v * DCT_SIDE + y])
                    .sum()
            })
            .collect();
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
fn center_crop(img: &DynamicImage, fraction: f64) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let cw = (w as f64 * fraction / 2.0) as u32;
    let ch = (h as f64 * fraction / 2.0) as u32;
    if cw == 0 || ch == 0 || w <= 2 * cw || h <= 2 * ch {
        return img.clone();
    }
    img.crop_imm(cw, ch, w - 2 * cw, h - 2 * ch)
}

/// Computes the perceptual hashes of a decoded image: after the frame is trimmed, one
/// DCT-sign hash per view of [`HASH_VIEWS`] (lightness of the whole picture and of its central
/// 88 % and 64 %, luma of the whole picture).
pub fn hash_image(img: &DynamicImage) -> AvatarHash {
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
    AvatarHash::from_hashes(hashes, information(&trimmed)).with_gradient(g, gm)
}

/// Decodes avatar bytes to the shared thumbnail and hashes it.
pub fn hash_bytes(bytes: &[u8]) -> Result<AvatarHash> {
    Ok(hash_image(&decode::thumbnail(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};
    use std::io::Cursor;

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
