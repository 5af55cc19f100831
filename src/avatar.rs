//! Avatars: bounded loading (local file or URL), guarded decoding (dimension and allocation
//! limits before pixels are decoded) and the perceptual hashes the detector compares.

use crate::config::Network;
use crate::detect::AvatarHash;
use anyhow::{bail, Context, Result};
use image::{imageops, DynamicImage, GrayImage, ImageReader, Limits};
use image_hasher::{HashAlg, HasherConfig};
use std::io::Cursor;
use std::path::Path;

/// Largest width or height accepted before decoding.
pub const MAX_DIMENSION: u32 = 4096;
/// Largest allocation the decoder may make.
pub const MAX_DECODE_ALLOC: u64 = 128 * 1024 * 1024;

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

/// Decodes image bytes with limits on dimensions and memory.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .context("unreadable image")?;
    if reader.format().is_none() {
        bail!("not an image (unknown format)");
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    reader.decode().context("cannot decode image")
}

/// Cuts away a uniform frame (a border added around a copied logo, or letterboxing), so the
/// hash sees the picture itself. Leaves the image alone when no clear frame exists.
pub fn trim_frame(img: &DynamicImage) -> DynamicImage {
    let gray = img.to_luma8();
    let (w, h) = gray.dimensions();
    if w < 16 || h < 16 {
        return img.clone();
    }
    let corner = gray.get_pixel(0, 0)[0] as i32;
    let differs = |x: u32, y: u32| (gray.get_pixel(x, y)[0] as i32 - corner).abs() > 24;
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
    if top == 0 && left == 0 && bottom == h && right == w {
        return img.clone();
    }
    img.crop_imm(left, top, right - left, bottom - top)
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

fn to_u64(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = bytes.len().min(8);
    buf[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(buf)
}

/// Computes the perceptual hashes of a decoded image.
pub fn hash_image(img: &DynamicImage) -> AvatarHash {
    let trimmed = trim_frame(img);
    // Hash a modest grey copy: the hashes only look at 8x8 or 9x8 cells anyway.
    let small = DynamicImage::ImageLuma8(imageops::resize(
        &trimmed.to_luma8(),
        64,
        64,
        imageops::FilterType::Triangle,
    ));
    let mirrored = DynamicImage::ImageLuma8(imageops::flip_horizontal(&small.to_luma8()));
    let phash = HasherConfig::new()
        .hash_alg(HashAlg::Mean)
        .preproc_dct()
        .hash_size(8, 8)
        .to_hasher();
    let gradient = HasherConfig::new()
        .hash_alg(HashAlg::Gradient)
        .hash_size(8, 8)
        .to_hasher();
    AvatarHash {
        phash: to_u64(phash.hash_image(&small).as_bytes()),
        gradient: to_u64(gradient.hash_image(&small).as_bytes()),
        phash_mirrored: to_u64(phash.hash_image(&mirrored).as_bytes()),
        gradient_mirrored: to_u64(gradient.hash_image(&mirrored).as_bytes()),
        information: information(&trimmed),
    }
}

/// Decodes and hashes avatar bytes.
pub fn hash_bytes(bytes: &[u8]) -> Result<AvatarHash> {
    Ok(hash_image(&decode(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

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

    #[test]
    fn same_picture_rescaled_and_mirrored_is_close() {
        let a = hash_image(&pattern(256, 256));
        let b = hash_image(&pattern(256, 256).resize(64, 64, imageops::FilterType::Triangle));
        let m = hash_image(&pattern(256, 256).fliph());
        assert!(a.distance(&b) <= 6, "{}", a.distance(&b));
        assert!(a.distance(&m) <= 6, "{}", a.distance(&m));
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
