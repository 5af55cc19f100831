//! Property tests (issue 8) for the parsers that read attacker- or operator-written text: the
//! candidate-file parser, the normaliser and the config loader. Whatever the input, they never
//! panic, and their answers keep the invariants the rest of the program relies on.

use narisumashi::config::Config;
use narisumashi::sources::file;
use proptest::prelude::*;
use std::path::Path;

fn line_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Arbitrary bytes: invalid UTF-8, NULs, control and bidi characters.
        proptest::collection::vec(any::<u8>(), 0..200),
        // Well-formed lines with hostile field values.
        (any::<String>(), any::<String>(), any::<String>()).prop_map(|(h, n, b)| {
            serde_json::json!({"platform": "x", "handle": format!("a{h}"), "display_name": n, "bio": b})
                .to_string()
                .into_bytes()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Every line is either a candidate, skipped as blank or comment, or reported once by
    /// number; a bad line never takes others with it.
    #[test]
    fn candidate_file_parser_loses_only_bad_lines(lines in proptest::collection::vec(line_strategy(), 0..12)) {
        let mut bytes = Vec::new();
        let good_line = br#"{"platform":"x","handle":"good_one"}"#;
        for l in &lines {
            let clean: Vec<u8> = l.iter().copied().filter(|b| *b != b'\n').collect();
            bytes.extend_from_slice(&clean);
            bytes.push(b'\n');
            bytes.extend_from_slice(good_line);
            bytes.push(b'\n');
        }
        let d = file::parse_bytes(&bytes, Path::new("."), "f");
        let good = d.candidates.iter().filter(|c| c.profile.handle == "good_one").count();
        prop_assert_eq!(good, lines.len());
        prop_assert!(d.errors.len() <= lines.len());
        for c in &d.candidates {
            prop_assert!(c.profile.display_name.as_ref().is_none_or(|n| n.chars().count() <= file::MAX_FIELD_CHARS));
            prop_assert!(c.profile.bio.as_ref().is_none_or(|n| n.chars().count() <= file::MAX_FIELD_CHARS));
            prop_assert!(!c.profile.handle.is_empty());
        }
    }

    /// The normaliser never panics on any text; what it returns holds no whitespace and no
    /// invisible or bidi characters; hidden characters and full-width forms change nothing.
    #[test]
    fn normaliser_is_total_and_blind_to_hidden_and_wide_forms(s in any::<String>(), ascii in "[a-zA-Z0-9_]{0,24}", at in 0usize..24) {
        use narisumashi::detect::normalize::{fold_name, is_bidi_control, is_invisible, skeleton_lower, visible_text};
        let folded = fold_name(&s);
        prop_assert!(!folded.chars().any(|c| c.is_whitespace() || is_invisible(c) || is_bidi_control(c)));
        let _ = (skeleton_lower(&s), visible_text(&s));
        let cut = ascii.len().min(at);
        let hidden = format!("{}\u{200B}{}\u{202E}", &ascii[..cut], &ascii[cut..]);
        prop_assert_eq!(fold_name(&hidden), fold_name(&ascii));
        let wide: String = ascii.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
        prop_assert_eq!(fold_name(&wide), fold_name(&ascii));
    }

    /// The config loader and the checker never panic on arbitrary text, and the checker
    /// reports at least one problem for whatever the loader refuses.
    #[test]
    fn config_loader_and_checker_are_total(text in any::<String>()) {
        let loaded = Config::parse(&text, Path::new("."));
        let problems = narisumashi::config_check::check_text(&text, Path::new("."), "f.toml", &|_| None);
        if loaded.is_err() {
            prop_assert!(!problems.is_empty());
        }
    }

    /// Mutations of a valid config: never a panic, and refusals are reported by the checker.
    #[test]
    fn config_mutations_are_reported(pos in 0usize..1200, byte in any::<u8>()) {
        let mut text = narisumashi::init::STARTER_CONFIG.as_bytes().to_vec();
        let at = pos % text.len();
        text[at] = byte;
        if let Ok(text) = String::from_utf8(text) {
            let loaded = Config::parse(&text, Path::new("."));
            let problems = narisumashi::config_check::check_text(&text, Path::new("."), "f.toml", &|_| None);
            if loaded.is_err() {
                prop_assert!(!problems.is_empty(), "{:?}", loaded.err());
            }
        }
    }
}
