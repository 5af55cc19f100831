//! Cleaning of the attacker-controlled text platforms return: every string is cut to a sane
//! length, Mastodon's HTML bios become plain text, Misskey's MFM markup is reduced to its words.

/// Longest display name kept (platforms allow 50–64; more is not a real name).
pub const MAX_NAME_CHARS: usize = 200;
/// Longest bio kept.
pub const MAX_BIO_CHARS: usize = 2000;
/// Longest URL or id kept.
pub const MAX_URL_CHARS: usize = 2000;
/// Longest handle kept (a DNS name is at most 253; `user@host` a little more).
pub const MAX_HANDLE_CHARS: usize = 320;

/// The first `max` characters of `s`, without control characters other than newlines.
pub fn bound(s: &str, max: usize) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(max)
        .collect()
}

/// An optional field, trimmed and bounded; empty becomes `None`.
pub fn field(s: Option<&str>, max: usize) -> Option<String> {
    let t = bound(s?.trim(), max);
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Decodes the HTML entities Mastodon's sanitiser emits (named basics and numeric ones).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let decoded = after.find(';').filter(|&j| j <= 10).and_then(|j| {
            let name = &after[..j];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, j))
        });
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Mastodon's `note` (sanitised HTML) as plain text: tags dropped, paragraph and line breaks
/// kept as newlines, entities decoded.
pub fn html_to_text(html: &str, max: usize) -> String {
    // Bound the input first: the work below is linear, but there is no reason to do it on
    // megabytes.
    let html: String = html.chars().take(max * 8).collect();
    let mut text = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let after = &rest[i..];
        match after.find('>') {
            Some(j) => {
                let tag = after[1..j].trim().to_ascii_lowercase();
                if tag.starts_with("br") || tag == "/p" || tag.starts_with("/div") {
                    text.push('\n');
                }
                rest = &after[j + 1..];
            }
            None => {
                // An unclosed `<` is text.
                text.push_str(after);
                rest = "";
            }
        }
    }
    text.push_str(rest);
    let decoded = decode_entities(&text);
    let lines: Vec<&str> = decoded
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    bound(&lines.join("\n"), max)
}

/// Misskey's MFM as plain text: `$[fn.args content]` becomes `content`, emphasis markers and
/// the few HTML-like tags MFM knows (`<center>`, `<small>`, `<i>`, `<plain>`) are dropped.
pub fn mfm_to_text(mfm: &str, max: usize) -> String {
    let src: String = mfm.chars().take(max * 8).collect();
    let mut out = String::with_capacity(src.len());
    let mut depth = 0usize;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek() == Some(&'[') {
            chars.next();
            // Skip the function name and its arguments, up to the first space.
            for n in chars.by_ref() {
                if n == ' ' || n == ']' {
                    break;
                }
            }
            depth += 1;
        } else if c == ']' && depth > 0 {
            depth -= 1;
        } else {
            out.push(c);
        }
    }
    let mut text = out;
    for marker in ["***", "**", "__", "~~"] {
        text = text.replace(marker, "");
    }
    for tag in [
        "<center>",
        "</center>",
        "<small>",
        "</small>",
        "<i>",
        "</i>",
        "<b>",
        "</b>",
        "<s>",
        "</s>",
        "<plain>",
        "</plain>",
    ] {
        text = text.replace(tag, "");
    }
    bound(text.trim(), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_html_becomes_text() {
        let note = "<p>例市の&quot;公式&quot;アカウント&amp;お知らせ</p><p>第2行<br />第3行 &#x1F600; &#12354; &bogus; a &lt; b</p><script>x</script>";
        assert_eq!(
            html_to_text(note, 500),
            "例市の\"公式\"アカウント&お知らせ\n第2行\n第3行 😀 あ &bogus; a < b\nx"
        );
        assert_eq!(html_to_text("a < b", 10), "a < b");
    }

    #[test]
    fn mfm_becomes_text() {
        assert_eq!(
            mfm_to_text(
                "$[x2 **例市**] の <center>公式</center> $[fg.color=f00 $[spin 注意]]",
                100
            ),
            "例市 の 公式 注意"
        );
    }

    #[test]
    fn fields_are_bounded_and_cleaned() {
        assert_eq!(bound("ab\u{0}c\u{1b}[31md", 4), "abc[");
        assert_eq!(field(Some("  "), 10), None);
        assert_eq!(
            field(Some(&"あ".repeat(500)), 10).unwrap().chars().count(),
            10
        );
        assert_eq!(html_to_text(&"<b>x</b>".repeat(10_000), 50).len(), 50);
    }
}
