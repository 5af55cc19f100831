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
    fn only_web_links_are_linked() {
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("data:text/html,x").is_none());
        assert_eq!(
            safe_href("https://x.com/a").as_deref(),
            Some("https://x.com/a")
        );
    }
}
