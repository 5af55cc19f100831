//! `narisumashi eval LABELS.jsonl`: runs the detector over a labelled set of accounts and
//! reports precision, recall and F1, recall per attack kind and false positives per innocent
//! kind (issue 3). The set is built by `scripts/gen_eval.py`; each line is a candidate in the
//! file-source format plus `label` (`impostor` | `innocent`), `kind` and optionally `variant`.
//!
//! The registry is the one of `--config`. Nothing is written to the database: official and
//! candidate avatars are hashed directly, so an evaluation never disturbs the suspects list.

use crate::avatar;
use crate::config::Config;
use crate::detect::{AvatarHash, Detector, OfficialFeatures};
use crate::model::{Candidate, VerdictKind};
use crate::scan;
use crate::sources::file;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The expected answer for one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Impostor,
    Innocent,
}

/// One labelled account.
#[derive(Clone, Debug)]
pub struct Labelled {
    pub line: usize,
    pub candidate: Candidate,
    pub label: Label,
    pub kind: String,
    pub variant: Option<String>,
}

/// How one kind fared: for attack kinds `flagged / total` is the recall, for innocent kinds
/// `flagged` is the number of false positives.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct KindResult {
    pub total: usize,
    pub flagged: usize,
    pub rate: f64,
}

/// One account the detector got wrong, with its reasons, for reading failures.
#[derive(Clone, Debug, Serialize)]
pub struct Mistake {
    pub line: usize,
    pub label: Label,
    pub kind: String,
    pub variant: Option<String>,
    pub platform: String,
    pub handle: String,
    pub display_name: Option<String>,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// What `eval --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    pub accounts: usize,
    pub impostors: usize,
    pub innocents: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Recall per attack kind.
    pub attack_kinds: BTreeMap<String, KindResult>,
    /// False positives per innocent kind.
    pub innocent_kinds: BTreeMap<String, KindResult>,
    pub mistakes: Vec<Mistake>,
    /// Lines skipped (malformed) and avatars that could not be read.
    pub errors: Vec<String>,
    /// How the score, a probability of impersonation, matches the observed rate: accounts
    /// by score in tenths, with the share of impostors among them (issue 10).
    pub calibration: Vec<CalibrationBin>,
    /// The detector's features per account, for `--features` (not printed).
    #[serde(skip)]
    pub features: Vec<FeatureRow>,
}

/// Accounts whose score fell in `[from, to)` (the last bin includes 1.0).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CalibrationBin {
    pub from: f64,
    pub to: f64,
    pub accounts: usize,
    pub impostors: usize,
    /// Mean score of the bin (the predicted probability).
    pub predicted: f64,
    /// Share of impostors in the bin (the observed rate); 0 when the bin is empty.
    pub observed: f64,
}

/// One line of `eval --features`: the label and the detector's evidence.
#[derive(Clone, Debug, Serialize)]
pub struct FeatureRow {
    pub line: usize,
    pub label: Label,
    pub kind: String,
    pub score: f64,
    #[serde(flatten)]
    pub evidence: crate::detect::Evidence,
    /// The fitted model's inputs (`detect::model::FEATURES`), what scripts/fit_detector.py reads.
    pub inputs: std::collections::BTreeMap<&'static str, f64>,
}

/// Bins accounts by score in tenths.
pub fn calibration(scored: &[(f64, bool)]) -> Vec<CalibrationBin> {
    (0..10)
        .map(|i| {
            let (from, to) = (i as f64 / 10.0, (i + 1) as f64 / 10.0);
            let inside: Vec<&(f64, bool)> = scored
                .iter()
                .filter(|(s, _)| *s >= from && (*s < to || (i == 9 && *s <= 1.0)))
                .collect();
            let n = inside.len();
            let imp = inside.iter().filter(|(_, i)| *i).count();
            let mean = if n == 0 {
                0.0
            } else {
                inside.iter().map(|(s, _)| s).sum::<f64>() / n as f64
            };
            CalibrationBin {
                from,
                to,
                accounts: n,
                impostors: imp,
                predicted: round4(mean),
                observed: if n == 0 {
                    0.0
                } else {
                    round4(imp as f64 / n as f64)
                },
            }
        })
        .collect()
}

/// Parses a labels file. Lines that cannot be read are reported, not fatal; a file without
/// a single labelled account is an error.
pub fn parse_labels(text: &str, base_dir: &Path) -> (Vec<Labelled>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                errors.push(format!("line {n}: {e}, skipped"));
                continue;
            }
        };
        let label = match value.get("label").and_then(|l| l.as_str()) {
            Some("impostor") => Label::Impostor,
            Some("innocent") => Label::Innocent,
            other => {
                errors.push(format!(
                    "line {n}: label must be \"impostor\" or \"innocent\" (got {other:?}), skipped"
                ));
                continue;
            }
        };
        let kind = value
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("unspecified")
            .to_string();
        let variant = value
            .get("variant")
            .and_then(|k| k.as_str())
            .map(String::from);
        // The candidate fields are read exactly as the file source reads them.
        let mut d = file::parse(line, base_dir, "labels");
        match d.candidates.pop() {
            Some(candidate) => out.push(Labelled {
                line: n,
                candidate,
                label,
                kind,
                variant,
            }),
            None => errors.extend(
                d.errors
                    .into_iter()
                    .map(|e| e.replacen("labels line 1", &format!("line {n}"), 1)),
            ),
        }
    }
    (out, errors)
}

/// Reads a local avatar file (an evaluation set is local; URLs are not fetched).
fn read_local(reference: &str, limit: usize) -> Result<Vec<u8>> {
    if crate::config::is_url(reference) {
        bail!("evaluation avatars must be local files, not URLs ({reference})");
    }
    avatar::read_file(Path::new(reference), limit)
}

/// Hashes a local avatar file and keeps it as the official account's picture
/// ([`avatar::official_features`]).
fn official_file(
    account: &crate::model::OfficialAccount,
    reference: &str,
    limit: usize,
) -> Result<OfficialFeatures> {
    let bytes = read_local(reference, limit)?;
    avatar::official_features(account.clone(), avatar::hash_bytes(&bytes)?, &bytes)
}

/// Hashes a local avatar file.
fn hash_file(reference: &str, limit: usize) -> Result<AvatarHash> {
    avatar::hash_bytes(&read_local(reference, limit)?)
}

/// Builds the detector for the registry of `config`, hashing official avatars directly.
pub fn detector(config: &Config, errors: &mut Vec<String>) -> Detector {
    let officials = config
        .official
        .iter()
        .map(|o| {
            o.avatar
                .as_ref()
                .and_then(|a| {
                    official_file(
                        o,
                        &config.resolve_avatar(a),
                        config.network.max_avatar_bytes,
                    )
                    .map_err(|e| errors.push(format!("avatar of official @{}: {e:#}", o.handle)))
                    .ok()
                })
                .unwrap_or_else(|| OfficialFeatures::new(o.clone(), None))
        })
        .collect();
    Detector::new(
        officials,
        config.detection.clone(),
        &config.organization.name,
    )
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Evaluates the detector on labelled accounts.
pub fn evaluate(config: &Config, accounts: &[Labelled], mut errors: Vec<String>) -> EvalReport {
    let detector = detector(config, &mut errors);
    let limit = config.network.max_avatar_bytes;

    // Hash every distinct avatar once, on all cores (the set has hundreds of images).
    let mut refs: Vec<&str> = accounts
        .iter()
        .filter(|a| !a.candidate.profile.default_avatar)
        .filter_map(|a| a.candidate.profile.avatar.as_deref())
        .collect();
    refs.sort_unstable();
    refs.dedup();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = refs.len().div_ceil(threads).max(1);
    let hashed: Vec<(&str, Result<AvatarHash>)> = std::thread::scope(|s| {
        let handles: Vec<_> = refs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|r| (*r, hash_file(r, limit)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut hashes: HashMap<&str, AvatarHash> = HashMap::new();
    for (r, h) in hashed {
        match h {
            Ok(h) => {
                hashes.insert(r, h);
            }
            Err(e) => errors.push(format!("avatar {r}: {e:#}")),
        }
    }

    let mut tp = 0;
    let mut fp = 0;
    let mut fneg = 0;
    let mut attack_kinds: BTreeMap<String, KindResult> = BTreeMap::new();
    let mut innocent_kinds: BTreeMap<String, KindResult> = BTreeMap::new();
    let mut mistakes = Vec::new();
    let mut scored = Vec::new();
    let mut features = Vec::new();
    for a in accounts {
        let p = &a.candidate.profile;
        let hash = if p.default_avatar {
            None
        } else {
            p.avatar.as_deref().and_then(|r| hashes.get(r).cloned())
        };
        let assessment = scan::assess(config, &detector, &a.candidate, hash);
        let flagged = assessment.verdict == VerdictKind::Suspect;
        if assessment.verdict != VerdictKind::Official {
            scored.push((assessment.score, a.label == Label::Impostor));
        }
        features.push(FeatureRow {
            line: a.line,
            label: a.label,
            kind: a.kind.clone(),
            score: assessment.score,
            inputs: crate::detect::model::Model::inputs(&assessment.evidence),
            evidence: assessment.evidence,
        });
        let kinds = match a.label {
            Label::Impostor => &mut attack_kinds,
            Label::Innocent => &mut innocent_kinds,
        };
        let k = kinds.entry(a.kind.clone()).or_default();
        k.total += 1;
        k.flagged += usize::from(flagged);
        match (a.label, flagged) {
            (Label::Impostor, true) => tp += 1,
            (Label::Innocent, true) => fp += 1,
            (Label::Impostor, false) => fneg += 1,
            (Label::Innocent, false) => {}
        }
        if flagged != (a.label == Label::Impostor) {
            mistakes.push(Mistake {
                line: a.line,
                label: a.label,
                kind: a.kind.clone(),
                variant: a.variant.clone(),
                platform: a.candidate.platform.as_str().to_string(),
                handle: p.handle.clone(),
                display_name: p.display_name.clone(),
                score: assessment.score,
                reasons: assessment.reasons,
            });
        }
    }
    for k in attack_kinds.values_mut().chain(innocent_kinds.values_mut()) {
        k.rate = round4(ratio(k.flagged, k.total));
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fneg);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let impostors = accounts
        .iter()
        .filter(|a| a.label == Label::Impostor)
        .count();
    EvalReport {
        accounts: accounts.len(),
        impostors,
        innocents: accounts.len() - impostors,
        true_positives: tp,
        false_positives: fp,
        false_negatives: fneg,
        precision: round4(precision),
        recall: round4(recall),
        f1: round4(f1),
        attack_kinds,
        innocent_kinds,
        mistakes,
        errors,
        calibration: calibration(&scored),
        features,
    }
}

/// Reads a labels file and evaluates it.
pub fn run(config: &Config, labels: &Path, features: Option<&Path>) -> Result<EvalReport> {
    let text = std::fs::read_to_string(labels)
        .with_context(|| format!("cannot read labels {}", labels.display()))?;
    let base = labels
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (accounts, errors) = parse_labels(&text, base);
    if accounts.is_empty() {
        bail!("{} holds no labelled account", labels.display());
    }
    let report = evaluate(config, &accounts, errors);
    if let Some(path) = features {
        let mut out = String::new();
        for row in &report.features {
            out += &serde_json::to_string(row)?;
            out.push('\n');
        }
        std::fs::write(path, out)
            .with_context(|| format!("cannot write features {}", path.display()))?;
    }
    Ok(report)
}

/// The report as text for a person.
pub fn render_text(r: &EvalReport) -> String {
    let mut s = String::new();
    s += &format!(
        "{} accounts ({} impostors, {} innocent)\n",
        r.accounts, r.impostors, r.innocents
    );
    s += &format!(
        "precision {:.3}  recall {:.3}  F1 {:.3}  (TP {}, FP {}, FN {})\n",
        r.precision, r.recall, r.f1, r.true_positives, r.false_positives, r.false_negatives
    );
    s += "\nrecall per attack kind:\n";
    for (k, v) in &r.attack_kinds {
        s += &format!("  {k:<24} {:>3}/{:<3}  {:.3}\n", v.flagged, v.total, v.rate);
    }
    s += "\nfalse positives per innocent kind:\n";
    for (k, v) in &r.innocent_kinds {
        s += &format!("  {k:<24} {:>3}/{:<3}\n", v.flagged, v.total);
    }
    s += "\ncalibration (score = predicted probability of impersonation):\n";
    s += "  score       accounts  impostors  predicted  observed\n";
    for b in &r.calibration {
        s += &format!(
            "  {:.1}–{:.1}  {:>9}  {:>9}  {:>9.3}  {:>8.3}\n",
            b.from, b.to, b.accounts, b.impostors, b.predicted, b.observed
        );
    }
    if !r.mistakes.is_empty() {
        s += "\nmistakes:\n";
        for m in &r.mistakes {
            let what = match m.label {
                Label::Impostor => "missed",
                Label::Innocent => "false alarm",
            };
            s += &format!(
                "  line {}: {what} [{}{}] {} @{} 「{}」 score {:.2}\n",
                m.line,
                m.kind,
                m.variant
                    .as_deref()
                    .map(|v| format!(" / {v}"))
                    .unwrap_or_default(),
                m.platform,
                m.handle,
                m.display_name.as_deref().unwrap_or(""),
                m.score
            );
            for reason in &m.reasons {
                s += &format!("      - {reason}\n");
            }
        }
    }
    for e in &r.errors {
        s += &format!("error: {e}\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_parsed_with_kinds_and_bad_lines_reported() {
        let text = r#"{"platform":"x","handle":"a","label":"impostor","kind":"handle_typo"}
{"platform":"x","handle":"b","label":"maybe","kind":"k"}
not json
{"platform":"myspace","handle":"c","label":"innocent","kind":"k"}
{"platform":"x","handle":"d","avatar":"i/d.png","label":"innocent","kind":"word_sharing","variant":"v"}
"#;
        let (accounts, errors) = parse_labels(text, Path::new("/set"));
        assert_eq!(accounts.len(), 2);
        assert_eq!(accounts[0].label, Label::Impostor);
        assert_eq!(accounts[1].kind, "word_sharing");
        assert_eq!(accounts[1].variant.as_deref(), Some("v"));
        assert_eq!(accounts[1].line, 5);
        assert_eq!(
            accounts[1].candidate.profile.avatar.as_deref(),
            Some("/set/i/d.png")
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("line 4")), "{errors:?}");
    }

    #[test]
    fn metrics_count_flags_per_kind() {
        let config = Config::parse(
            r#"
[organization]
name = "文京区"
department = "広報課"
website = "https://www.city.bunkyo.lg.jp/"
[[official]]
platform = "x"
handle = "bunkyo_koho"
display_name = "文京区広報"
url = "https://x.com/bunkyo_koho"
"#,
            Path::new("."),
        )
        .unwrap();
        let text = r#"{"platform":"x","handle":"bunkyo_kohoo","label":"impostor","kind":"typo"}
{"platform":"x","handle":"sato_hanako","label":"impostor","kind":"typo"}
{"platform":"x","handle":"bunkyo_koho","label":"innocent","kind":"official"}
{"platform":"x","handle":"ramen_taro","display_name":"ラーメン太郎","label":"innocent","kind":"other"}
"#;
        let (accounts, errors) = parse_labels(text, Path::new("."));
        let r = evaluate(&config, &accounts, errors);
        assert_eq!(
            (r.true_positives, r.false_negatives, r.false_positives),
            (1, 1, 0)
        );
        assert_eq!(r.precision, 1.0);
        assert_eq!(r.recall, 0.5);
        assert_eq!(r.attack_kinds["typo"].rate, 0.5);
        assert_eq!(r.innocent_kinds["official"].flagged, 0);
        assert_eq!(r.mistakes.len(), 1);
        assert_eq!(r.mistakes[0].handle, "sato_hanako");
        assert!(render_text(&r).contains("missed [typo]"));
    }
}
