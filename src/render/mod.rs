//! Pages and documents as strings; only `crate::publish` writes them. Templates live in
//! `templates/` and are compiled in by askama, which escapes every value in `.html` templates.
//! Attacker-controlled text additionally passes through [`visible`], so hidden characters are
//! shown, never applied.

pub mod differences;
pub mod lang;
pub mod pages;
pub mod reasons;
pub mod review_page;

use crate::detect::normalize::{is_bidi_control, is_invisible};

/// Longest name or handle shown on a page, in characters.
pub const MAX_SHOWN_CHARS: usize = 80;

/// Makes attacker-controlled text safe to show: invisible and bidi characters become visible
/// `<U+202E>` markers, control characters are dropped and the text is cut to `max` characters.
/// (HTML escaping is the template engine's job.)
pub fn visible(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (shown, c) in text.chars().enumerate() {
        if shown >= max {
            out.push('…');
            break;
        }
        if is_invisible(c) || is_bidi_control(c) || c.is_control() {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A URL safe to put in an `href`: http(s) only, otherwise nothing.
pub fn safe_href(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

/// Width and height, at most, of an avatar embedded in a page.
pub const AVATAR_PIXELS: u32 = 96;

/// An avatar as a `data:` URI for embedding in a page: decoded under the limits of
/// [`crate::avatar::decode`], scaled down to [`AVATAR_PIXELS`] and re-encoded as PNG, so the
/// page never carries the attacker's original bytes (or any format a browser might sniff).
/// `None` when the bytes are not a decodable image.
pub fn avatar_data_uri(bytes: &[u8]) -> Option<String> {
    use base64::Engine;
    let png = avatar_png(bytes, AVATAR_PIXELS)?;
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// An avatar decoded under the limits of [`crate::avatar::decode`], scaled down to at most
/// `max` pixels each way and re-encoded as PNG: what `serve` sends instead of the attacker's
/// original bytes. `None` when the bytes are not a decodable image.
pub fn avatar_png(bytes: &[u8], max: u32) -> Option<Vec<u8>> {
    let img = crate::avatar::decode(bytes).ok()?;
    let small = img.thumbnail(max, max).to_rgba8();
    let mut png = std::io::Cursor::new(Vec::new());
    small.write_to(&mut png, image::ImageFormat::Png).ok()?;
    Some(png.into_inner())
}

/// An avatar as a small JPEG `data:` URI for the internal review page, which may show many:
/// decoded under the same limits, scaled to `px`, flattened onto white and re-encoded; a
/// picture that stays above [`THUMBNAIL_MAX_BYTES`] (noise, fine detail) is encoded coarser
/// and then smaller, so no one picture can blow up the page.
pub fn avatar_thumbnail_uri(bytes: &[u8], px: u32) -> Option<String> {
    use base64::Engine;
    let img = crate::avatar::decode(bytes).ok()?;
    let flatten = |px: u32| {
        let small = img.thumbnail(px, px).to_rgba8();
        image::RgbImage::from_fn(small.width(), small.height(), |x, y| {
            let p = small.get_pixel(x, y).0;
            let a = p[3] as u32;
            let mix = |c: u8| ((c as u32 * a + 255 * (255 - a)) / 255) as u8;
            image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
        })
    };
    let encode = |img: &image::RgbImage, quality: u8| {
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
            .encode_image(img)
            .ok()
            .map(|_| jpeg)
    };
    let full = flatten(px);
    let mut jpeg = encode(&full, 75)?;
    if jpeg.len() > THUMBNAIL_MAX_BYTES {
        jpeg = encode(&full, 40)?;
    }
    if jpeg.len() > THUMBNAIL_MAX_BYTES {
        jpeg = encode(&flatten((px * 2 / 3).max(16)), 40)?;
    }
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    ))
}

/// The size a review-page thumbnail should stay under; real avatars take 2–5 kB at quality 75.
pub const THUMBNAIL_MAX_BYTES: usize = 6 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_become_visible() {
        assert_eq!(visible("abc\u{202E}def", 80), "abc<U+202E>def");
        assert_eq!(visible("a\u{200B}b", 80), "a<U+200B>b");
        assert_eq!(visible("a\nb", 80), "a<U+000A>b");
        assert_eq!(visible(&"長".repeat(100), 5), "長長長長長…");
    }

    #[test]
    fn avatars_are_re_encoded_small_pngs() {
        use base64::Engine;
        let big = image::RgbImage::from_fn(400, 300, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut jpeg = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(big)
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .unwrap();
        let uri = avatar_data_uri(&jpeg.into_inner()).unwrap();
        let b64 = uri.strip_prefix("data:image/png;base64,").unwrap();
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let back = image::load_from_memory(&png).unwrap();
        assert_eq!((back.width(), back.height()), (96, 72));
        assert!(avatar_data_uri(b"<svg onload=alert(1)>").is_none());
    }

    #[test]
    fn thumbnails_are_small_jpegs_even_for_noise() {
        use base64::Engine;
        let mut x = 7u32;
        let noise = image::RgbImage::from_fn(300, 300, |_, _| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
        });
        let mut png = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(noise)
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let uri = avatar_thumbnail_uri(&png.into_inner(), 96).unwrap();
        let b64 = uri.strip_prefix("data:image/jpeg;base64,").unwrap();
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert!(
            jpeg.len() <= THUMBNAIL_MAX_BYTES * 3 / 2,
            "{} bytes",
            jpeg.len()
        );
        let back = image::load_from_memory(&jpeg).unwrap();
        assert!(back.width() <= 96 && back.width() >= 64);
        assert!(avatar_thumbnail_uri(b"<svg onload=alert(1)>", 96).is_none());
    }

    #[test]
    fn only_web_links_are_linked() {
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("data:text/html,x").is_none());
        assert_eq!(
            safe_href("https://x.com/a").as_deref(),
            Some("https://x.com/a")
        );
    }
}
