//! Pages and documents as strings; only `crate::publish` writes them. Templates live in
//! `templates/` and are compiled in by askama, which escapes every value in `.html` templates.
//! Attacker-controlled text additionally passes through [`visible`], so hidden characters are
//! shown, never applied.

pub mod pages;

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
    fn only_web_links_are_linked() {
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("data:text/html,x").is_none());
        assert_eq!(
            safe_href("https://x.com/a").as_deref(),
            Some("https://x.com/a")
        );
    }
}
