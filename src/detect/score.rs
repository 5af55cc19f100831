//! Signals → verdict. Each signal's similarity becomes a piece of evidence (0..1); the pieces
//! combine as independent evidence (`1 − Π(1 − e)`), then disclaimers and the allow-list damp
//! the result. Every piece of evidence that counted is explained in a reason.

use super::{bio, handle, name};
use crate::config::Detection;
use crate::model::{
    canonical_handle, Assessment, MatchedAccount, OfficialAccount, Platform, Signals, VerdictKind,
};

/// Perceptual hashes of one avatar, computed by `crate::avatar`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AvatarHash {
    /// DCT-based perceptual hash (pHash), 64 bits.
    pub phash: u64,
    /// Gradient (difference) hash, 64 bits.
    pub gradient: u64,
    /// The same hashes of the mirrored image.
    pub phash_mirrored: u64,
    pub gradient_mirrored: u64,
    /// 0..1: how much detail the image has. Flat, simple images score low and their hashes
    /// collide with other flat images, so a match between them proves little.
    pub information: f64,
}

impl AvatarHash {
    /// Hamming distance (0..64) to another avatar, mirrored or not, averaging both hashes.
    pub fn distance(&self, other: &AvatarHash) -> u32 {
        let straight =
            (self.phash ^ other.phash).count_ones() + (self.gradient ^ other.gradient).count_ones();
        let mirrored = (self.phash_mirrored ^ other.phash).count_ones()
            + (self.gradient_mirrored ^ other.gradient).count_ones();
        straight.min(mirrored).div_ceil(2)
    }
}

/// What the detector knows of one official account, precomputed once per run.
#[derive(Clone, Debug)]
pub struct OfficialFeatures {
    pub account: OfficialAccount,
    handle_forms: handle::HandleForms,
    name_form: String,
    pub avatar: Option<AvatarHash>,
}

impl OfficialFeatures {
    pub fn new(account: OfficialAccount, avatar: Option<AvatarHash>) -> Self {
        OfficialFeatures {
            handle_forms: handle::forms(&account.handle),
            name_form: name::comparable(&account.display_name),
            account,
            avatar,
        }
    }
}

/// The candidate as the detector needs it.
#[derive(Clone, Debug, Default)]
pub struct CandidateView<'a> {
    pub handle: &'a str,
    pub display_name: Option<&'a str>,
    pub bio: Option<&'a str>,
    pub avatar: Option<AvatarHash>,
}

/// The registry, the thresholds and the organisation, ready to assess candidates.
#[derive(Clone, Debug)]
pub struct Detector {
    pub officials: Vec<OfficialFeatures>,
    pub thresholds: Detection,
    pub organization: String,
}

/// Evidence that one official account is being imitated.
struct Comparison {
    signals: Signals,
    score: f64,
    reasons: Vec<String>,
}

fn ramp(x: f64, from: f64, to: f64) -> f64 {
    ((x - from) / (to - from)).clamp(0.0, 1.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Detector {
    pub fn new(
        officials: Vec<OfficialFeatures>,
        thresholds: Detection,
        organization: &str,
    ) -> Self {
        Detector {
            officials,
            thresholds,
            organization: organization.to_string(),
        }
    }

    /// The registered official account with this platform and handle, if any.
    pub fn official(&self, platform: Platform, handle: &str) -> Option<&OfficialAccount> {
        self.officials
            .iter()
            .map(|o| &o.account)
            .find(|o| o.is(platform, handle))
    }

    fn compare(
        &self,
        official: &OfficialFeatures,
        c: &CandidateView,
        platform: Platform,
    ) -> Comparison {
        let t = &self.thresholds;
        let o = &official.account;
        let mut reasons = Vec::new();
        let mut evidence: Vec<f64> = Vec::new();

        // Handle.
        let same_local = canonical_handle(handle::local_part(&o.handle))
            == canonical_handle(handle::local_part(c.handle));
        let hm = handle::compare(&official.handle_forms, &handle::forms(c.handle), same_local);
        let mut e_handle = 0.0;
        if hm.form == "exact" {
            e_handle = 0.95;
            reasons.push(format!(
                "handle @{} is the official {} handle @{}, used on {} where it is not registered",
                c.handle,
                o.platform.label_en(),
                o.handle,
                platform.label_en()
            ));
        } else if hm.similarity >= t.handle_floor {
            let by_edits = match (hm.edits, hm.length) {
                (0, _) => 0.9,
                (1, l) if l >= 6 => 0.75,
                (2, l) if l >= 10 => 0.55,
                _ => 0.0,
            };
            e_handle = f64::max(by_edits, 0.8 * ramp(hm.similarity, t.handle_floor, 1.0));
            let how = match hm.form {
                "plain" if hm.edits == 0 => {
                    "the same once look-alike characters and separators are ignored".to_string()
                }
                "core" | "words" if hm.edits == 0 => {
                    "the same once affixes, place words, romanisation and word order are ignored"
                        .to_string()
                }
                _ => format!("{} edit(s) away", hm.edits),
            };
            reasons.push(format!(
                "handle @{} imitates @{}: {} (similarity {:.2})",
                c.handle, o.handle, how, hm.similarity
            ));
        }
        evidence.push(e_handle);

        // Display name.
        let mut name_sim = None;
        let mut exact_name = false;
        if let Some(dn) = c.display_name.filter(|d| !d.trim().is_empty()) {
            let form = name::comparable(dn);
            let sim = name::similarity(&official.name_form, &form);
            name_sim = Some(sim);
            let mut e_name = 0.0;
            if sim >= 0.999 {
                exact_name = true;
                e_name = 0.8;
                reasons.push(format!(
                    "display name 「{dn}」 reads the same as the official 「{}」",
                    o.display_name
                ));
            } else if sim >= t.display_name_floor {
                let edits = strsim::levenshtein(&official.name_form, &form);
                let len = official.name_form.chars().count();
                let by_edits = if edits == 1 && len >= 6 { 0.6 } else { 0.0 };
                e_name = f64::max(by_edits, 0.7 * ramp(sim, t.display_name_floor, 1.0));
                reasons.push(format!(
                    "display name 「{dn}」 resembles the official 「{}」 (similarity {sim:.2})",
                    o.display_name
                ));
            }
            evidence.push(e_name);
        }

        // Avatar.
        let mut avatar_sim = None;
        if let (Some(a), Some(b)) = (official.avatar, c.avatar) {
            let d = a.distance(&b);
            avatar_sim = Some(1.0 - d as f64 / 64.0);
            let info = a.information.min(b.information);
            let weight = 0.25 + 0.75 * ramp(info, 0.15, 0.45);
            let closeness = if d <= t.avatar_match_distance {
                0.85 - 0.15 * d as f64 / t.avatar_match_distance.max(1) as f64
            } else {
                0.4 * (1.0
                    - ramp(
                        d as f64,
                        t.avatar_match_distance as f64,
                        t.avatar_max_distance as f64,
                    ))
            };
            let e_avatar = closeness * weight;
            if e_avatar > 0.05 {
                let simple = if weight < 0.9 {
                    " (a simple image, so this counts for less)"
                } else {
                    ""
                };
                let verb = if d <= t.avatar_match_distance {
                    "matches"
                } else {
                    "resembles"
                };
                reasons.push(format!(
                    "avatar {verb} @{} (distance {d}/64){simple}",
                    o.handle
                ));
            }
            evidence.push(e_avatar);
        }

        // Bio: a claim to be official, naming the organisation or the account.
        if let Some(text) = c.bio {
            let claims = bio::claims(text);
            // A claim alone proves nothing (every partner organisation claims to be the
            // official account of something); it supports a name or handle that imitates.
            let imitates = evidence.iter().take(2).any(|&e| e > 0.0);
            if claims.claims_official
                && imitates
                && (bio::mentions(text, &self.organization) || bio::mentions(text, &o.display_name))
            {
                evidence.push(if exact_name { 0.5 } else { 0.3 });
                reasons.push(format!(
                    "bio claims to be the official account of {}",
                    self.organization
                ));
            }
        }

        let score = 1.0 - evidence.iter().map(|e| 1.0 - e).product::<f64>();
        Comparison {
            signals: Signals {
                handle: Some(round3(hm.similarity)),
                display_name: name_sim.map(round3),
                avatar: avatar_sim.map(round3),
            },
            score,
            reasons,
        }
    }

    /// Assesses one candidate against every official account, on every platform.
    pub fn assess(&self, platform: Platform, c: &CandidateView) -> Assessment {
        if let Some(o) = self.official(platform, c.handle) {
            return Assessment {
                verdict: VerdictKind::Official,
                score: 0.0,
                matched: Some(MatchedAccount {
                    platform: o.platform,
                    handle: o.handle.clone(),
                }),
                signals: Signals {
                    handle: Some(1.0),
                    display_name: None,
                    avatar: None,
                },
                reasons: vec![format!(
                    "@{} is a registered official account on {}",
                    o.handle,
                    platform.label_en()
                )],
            };
        }
        let best = self
            .officials
            .iter()
            .map(|o| (o, self.compare(o, c, platform)))
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score));
        let Some((official, mut cmp)) = best else {
            return Assessment {
                verdict: VerdictKind::Clear,
                score: 0.0,
                matched: None,
                signals: Signals::default(),
                reasons: vec!["the registry has no official accounts to compare with".into()],
            };
        };

        // Say-so of being unofficial, in the bio or the name.
        let disclaimer = [c.bio, c.display_name]
            .into_iter()
            .flatten()
            .any(|t| bio::claims(t).disclaims);
        if disclaimer && cmp.score > 0.0 {
            let avatar_copy = cmp
                .signals
                .avatar
                .is_some_and(|s| s >= 1.0 - self.thresholds.avatar_match_distance as f64 / 64.0);
            cmp.score *= if avatar_copy { 0.6 } else { 0.3 };
            cmp.reasons.push("says plainly that it is unofficial (fan, parody or personal account), which lowers the score".into());
        }

        let score = round3(cmp.score);
        let verdict = if score >= self.thresholds.suspect_threshold {
            VerdictKind::Suspect
        } else {
            VerdictKind::Clear
        };
        if cmp.reasons.is_empty() {
            cmp.reasons
                .push("no signal resembles any official account".into());
        } else if verdict == VerdictKind::Clear {
            cmp.reasons.push(format!(
                "score {score:.2} is below the suspect threshold {:.2}",
                self.thresholds.suspect_threshold
            ));
        }
        Assessment {
            verdict,
            score,
            matched: (score > 0.0).then(|| MatchedAccount {
                platform: official.account.platform,
                handle: official.account.handle.clone(),
            }),
            signals: cmp.signals,
            reasons: cmp.reasons,
        }
    }
}

/// Convenience for tests and callers with one candidate.
pub fn assess(detector: &Detector, platform: Platform, c: &CandidateView) -> Assessment {
    detector.assess(platform, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn official(platform: Platform, handle: &str, name: &str) -> OfficialFeatures {
        OfficialFeatures::new(
            OfficialAccount {
                platform,
                handle: handle.into(),
                display_name: name.into(),
                url: format!("https://x.com/{handle}"),
                avatar: None,
                operator: None,
                bio: None,
                purpose: None,
            },
            None,
        )
    }

    fn detector() -> Detector {
        Detector::new(
            vec![
                official(
                    Platform::X,
                    "b_diverjinzai",
                    "文京区中小企業ダイバーシティ人材採用促進事業",
                ),
                official(Platform::X, "bunkyo_koho", "文京区"),
            ],
            Detection::default(),
            "文京区",
        )
    }

    fn view<'a>(handle: &'a str, name: Option<&'a str>, bio: Option<&'a str>) -> CandidateView<'a> {
        CandidateView {
            handle,
            display_name: name,
            bio,
            avatar: None,
        }
    }

    #[test]
    fn official_account_is_official_never_suspect() {
        let a = detector().assess(Platform::X, &view("@B_DiverJinzai", None, None));
        assert_eq!(a.verdict, VerdictKind::Official);
    }

    #[test]
    fn handle_typo_is_suspect_with_reason() {
        let a = detector().assess(Platform::X, &view("b_diverjnzai", None, None));
        assert_eq!(a.verdict, VerdictKind::Suspect, "{a:?}");
        assert_eq!(a.matched.unwrap().handle, "b_diverjinzai");
        assert!(a.reasons[0].contains("@b_diverjinzai"), "{:?}", a.reasons);
    }

    #[test]
    fn same_handle_on_other_platform_is_suspect() {
        let a = detector().assess(Platform::Misskey, &view("b_diverjinzai", None, None));
        assert_eq!(a.verdict, VerdictKind::Suspect);
    }

    #[test]
    fn copied_name_claiming_official_is_suspect() {
        let a = detector().assess(
            Platform::X,
            &view(
                "prize_2026",
                Some("【公式】文京区"),
                Some("文京区の公式アカウントです"),
            ),
        );
        assert_eq!(a.verdict, VerdictKind::Suspect, "{a:?}");
    }

    #[test]
    fn innocent_word_sharing_account_is_clear() {
        let a = detector().assess(
            Platform::X,
            &view(
                "bunkyo_ramen",
                Some("文京区のラーメン好き"),
                Some("文京区のラーメンを食べ歩き"),
            ),
        );
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
    }

    #[test]
    fn unofficial_fan_account_is_clear() {
        let a = detector().assess(
            Platform::X,
            &view(
                "bunkyo_fan",
                Some("文京区（非公式）"),
                Some("文京区が好きな非公式ファンアカウントです"),
            ),
        );
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
    }

    #[test]
    fn avatar_distance_uses_mirror() {
        let a = AvatarHash {
            phash: 0xF0F0,
            gradient: 0xFF,
            phash_mirrored: 0x0F0F,
            gradient_mirrored: 0xFF00,
            information: 1.0,
        };
        let b = AvatarHash {
            phash: 0x0F0F,
            gradient: 0xFF00,
            phash_mirrored: 0xF0F0,
            gradient_mirrored: 0xFF,
            information: 1.0,
        };
        assert_eq!(b.distance(&a), 0);
    }
}
