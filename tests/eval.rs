//! Runs `narisumashi eval` on the committed labelled set (`fixtures/eval/`, built by
//! `scripts/gen_eval.py --seed 11 --scale 0.6 --icon-themes Tango --out fixtures/eval` from the
//! demo registry) and fails below the measured numbers. The issue-3 families keep their floor of
//! 0.85 recall each; the issue-10 families (flat-logo copies, rotations, uneven crops, names
//! compared as words, variant kanji, impostors of the organisation, handle look-alikes, …) were
//! added with the detector of that time measuring precision 0.954 and recall 0.860 on the whole
//! set; the issue-10 detector measures precision 0.986 and recall 0.983 (TP 281, FP 4, FN 5), so
//! the floors sit three or four accounts below that: a regression of a few accounts fails.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn eval_json() -> Value {
    let out = Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(root())
        .args([
            "--config",
            "fixtures/demo/narisumashi.toml",
            "eval",
            "fixtures/eval/labels.jsonl",
            "--json",
        ])
        .env_remove("NARISUMASHI_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "eval failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("eval --json prints one JSON object")
}

#[test]
fn detection_meets_the_targets_on_the_committed_set() {
    let r = eval_json();
    let mistakes = serde_json::to_string_pretty(&r["mistakes"]).unwrap();
    assert!(r["accounts"].as_u64().unwrap() >= 400, "{}", r["accounts"]);
    // Issue 10 families are in the set; their recall floor follows the detector (see above).
    let attack_kinds = r["attack_kinds"].as_object().unwrap();
    for kind in [
        "avatar_flat_copy",
        "avatar_rotate",
        "avatar_uneven_crop",
        "name_wrapped",
        "name_truncated",
        "name_reordered",
        "name_paraphrase",
        "name_variant_kanji",
        "org_impostor",
        "handle_double_swap",
        "handle_place_typo",
    ] {
        let total = attack_kinds[kind]["total"].as_u64();
        assert!(total.is_some_and(|t| t >= 5), "{kind}: too few samples");
    }
    assert!(
        r["errors"].as_array().unwrap().is_empty(),
        "{}",
        r["errors"]
    );
    let precision = r["precision"].as_f64().unwrap();
    let recall = r["recall"].as_f64().unwrap();
    assert!(precision >= 0.975, "precision {precision}\n{mistakes}");
    assert!(recall >= 0.975, "recall {recall}\n{mistakes}");
    let kinds = r["attack_kinds"].as_object().unwrap();
    // Every attack family of issue 3 is in the set.
    for kind in [
        "handle_typo",
        "handle_confusable",
        "handle_affix",
        "handle_romanisation",
        "name_lookalike",
        "name_trick",
        "exact_name_claim",
        "avatar_jpeg",
        "avatar_downscale",
        "avatar_crop",
        "avatar_frame",
        "avatar_brightness",
        "avatar_contrast",
        "avatar_hue",
        "avatar_mirror",
        "avatar_grayscale",
        "avatar_text",
        "avatar_combo",
        "classic_clone",
        "cross_platform",
    ] {
        let k = &kinds[kind];
        let rate = k["rate"]
            .as_f64()
            .unwrap_or_else(|| panic!("no kind {kind}"));
        assert!(k["total"].as_u64().unwrap() >= 5, "{kind}: too few samples");
        assert!(rate >= 0.85, "{kind}: recall {rate}\n{mistakes}");
    }
    let innocent = r["innocent_kinds"].as_object().unwrap();
    for kind in [
        "official",
        "word_sharing",
        "other_municipality",
        "unofficial_fan",
        "related_person",
        "default_avatar",
        "flat_icon",
        "handle_near_unrelated",
        "same_department_elsewhere",
        "local_business",
        "news_aggregator",
        "flat_icon_same_set",
    ] {
        assert!(innocent.contains_key(kind), "no innocent kind {kind}");
    }
    // The official accounts themselves are never flagged.
    assert_eq!(innocent["official"]["flagged"], 0, "{mistakes}");
}

#[test]
fn text_report_names_the_numbers() {
    let out = Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(root())
        .args([
            "--config",
            "fixtures/demo/narisumashi.toml",
            "eval",
            "fixtures/eval/labels.jsonl",
        ])
        .env_remove("NARISUMASHI_CONFIG")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "precision",
        "recall per attack kind:",
        "false positives per innocent kind:",
        "avatar_crop",
        "other_municipality",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
}

#[test]
fn a_missing_labels_file_is_a_usage_error() {
    Command::cargo_bin("narisumashi")
        .unwrap()
        .current_dir(root())
        .args([
            "--config",
            "fixtures/demo/narisumashi.toml",
            "eval",
            "fixtures/eval/nope.jsonl",
        ])
        .assert()
        .failure()
        .code(2);
}
