//! Signals → verdict. Each signal's similarity becomes a piece of evidence (0..1); the pieces
//! combine as independent evidence (`1 − Π(1 − e)`), then disclaimers and the allow-list damp
//! the result. Every piece of evidence that counted is explained in a reason.

use super::places::{self, Municipality};
use super::reason::{Field, HandleEdit, NameMatch, Reason};
use super::{bio, handle, name, prune};
use crate::config::Detection;
use crate::model::{
    canonical_handle, Assessment, MatchedAccount, OfficialAccount, Platform, Signals, VerdictKind,
};

/// Side of the block of lowest DCT frequencies whose signs make one avatar hash.
pub const DCT_K: usize = 8;
/// Bits of one DCT-sign hash: the K×K block without the mean (63, one `u64`).
const DCT_BITS: usize = DCT_K * DCT_K - 1;

/// What one of the four hashes of an avatar is taken of.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HashView {
    /// Lightness `(max + min) / 2`, unchanged by a hue rotation, of the picture with
    /// `crop` of each dimension cut away around the centre.
    Lightness { crop: f64 },
    /// Luma (the grey level a greyscale copy has) of the whole picture.
    Luma,
}

/// The four views hashed, in the order of the fields of [`AvatarHash`]. The crops line a copy
/// cropped by 5–15 % up with the whole picture, and skip a label added near an edge.
pub const HASH_VIEWS: [HashView; 4] = [
    HashView::Lightness { crop: 0.0 },
    HashView::Lightness { crop: 0.12 },
    HashView::Lightness { crop: 0.36 },
    HashView::Luma,
];

/// Perceptual hashes of one avatar, computed by `crate::avatar::hash_image`: one 63-bit
/// DCT-sign hash per view of [`HASH_VIEWS`], in the four fields below (cached in the database
/// under the same names; `store::AVATAR_HASH_ALGORITHM` names the algorithm). Compare with
/// [`AvatarHash::hashes`] rather than field by field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AvatarHash {
    /// Lightness, whole picture.
    pub lightness: u64,
    /// Lightness, central 88 %.
    pub lightness_c88: u64,
    /// Lightness, central 64 %.
    pub lightness_c64: u64,
    /// Luma, whole picture.
    pub luma: u64,
    /// Gradient (difference) hash of the whole picture, 8x8, and of its mirror image.
    pub gradient: u64,
    pub gradient_mirrored: u64,
    /// 0..1: how much detail the image has. Flat, simple images score low and their hashes
    /// collide with other flat images, so a match between them proves little.
    pub information: f64,
}

/// The bits of a DCT-sign hash that a horizontal mirror flips: those of odd horizontal
/// frequency u (a mirrored picture's DCT coefficient (u, v) is (−1)^u times the original's).
pub fn mirror_bits() -> u64 {
    (1..DCT_K * DCT_K)
        .filter(|i| (i % DCT_K) % 2 == 1)
        .fold(0u64, |m, i| m | 1 << (i - 1))
}

/// Weight of each bit: low frequencies say more about what a picture shows and survive crops
/// and overlays better than high ones.
pub(crate) fn bit_weights() -> [f64; DCT_BITS] {
    let mut w = [0.0; DCT_BITS];
    for (i, wi) in w.iter_mut().enumerate() {
        let (u, v) = ((i + 1) % DCT_K, (i + 1) / DCT_K);
        *wi = 1.0 / (1.0 + (u + v) as f64 / 2.0);
    }
    w
}

impl AvatarHash {
    /// Builds a hash from the four view hashes (in the order of [`HASH_VIEWS`]).
    pub fn from_hashes(h: [u64; 4], information: f64) -> Self {
        AvatarHash {
            lightness: h[0],
            lightness_c88: h[1],
            lightness_c64: h[2],
            luma: h[3],
            gradient: 0,
            gradient_mirrored: 0,
            information,
        }
    }

    /// Adds the gradient hash of the picture and of its mirror image.
    pub fn with_gradient(self, gradient: u64, gradient_mirrored: u64) -> Self {
        AvatarHash {
            gradient,
            gradient_mirrored,
            ..self
        }
    }

    /// Hamming distance 0..64 of the gradient hashes, mirrored or not.
    pub fn gradient_distance(&self, other: &AvatarHash) -> u32 {
        (self.gradient ^ other.gradient)
            .count_ones()
            .min((self.gradient_mirrored ^ other.gradient).count_ones())
    }

    /// The four view hashes, in the order of [`HASH_VIEWS`].
    pub fn hashes(&self) -> [u64; 4] {
        [
            self.lightness,
            self.lightness_c88,
            self.lightness_c64,
            self.luma,
        ]
    }

    /// Distance 0..64 to another avatar: the weighted share of differing bits, scaled to 64,
    /// for the best-aligned pair of views, mirrored or not. 0 is the same picture; unrelated
    /// pictures are around 32.
    pub fn distance(&self, other: &AvatarHash) -> u32 {
        let weights = bit_weights();
        let total: f64 = weights.iter().sum();
        let mirror = mirror_bits();
        let mut best = f64::MAX;
        for a in self.hashes() {
            for b in other.hashes() {
                for diff in [a ^ b, a ^ b ^ mirror] {
                    let d: f64 = weights
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| diff >> i & 1 == 1)
                        .map(|(_, w)| w)
                        .sum();
                    best = best.min(d / total);
                }
            }
        }
        (best * 64.0).round() as u32
    }
}

/// Gradient-hash distance (0..64) beyond which two avatars that match on the DCT views are
/// still taken for different pictures. Copies (re-encoded, resized, recoloured, mirrored,
/// framed, cropped) stay well below it; measured with `narisumashi eval`.
pub const GRADIENT_DISAGREES: u32 = 24;

/// What the detector knows of one official account, precomputed once per run.
#[derive(Clone, Debug)]
pub struct OfficialFeatures {
    pub account: OfficialAccount,
    handle_forms: handle::HandleForms,
    name_form: String,
    pub avatar: Option<AvatarHash>,
    /// What candidate pruning compares ([`super::prune`]).
    pub(crate) prune: prune::Features,
}

impl OfficialFeatures {
    pub fn new(account: OfficialAccount, avatar: Option<AvatarHash>) -> Self {
        let handle_forms = handle::forms(&account.handle);
        let name_form = name::comparable(&account.display_name);
        OfficialFeatures {
            prune: prune::Features::new(&account.handle, &handle_forms, Some(&name_form)),
            handle_forms,
            name_form,
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

/// What is computed once per candidate, whatever the official account it is compared with.
struct Prepared {
    handle_forms: handle::HandleForms,
    name_form: Option<String>,
    in_name: Vec<&'static Municipality>,
    claims_official: bool,
    mentions_organization: bool,
    /// The bio or the name says plainly that the account is unofficial.
    disclaims: bool,
    /// Where it says so.
    disclaimer_field: Option<Field>,
    /// What candidate pruning compares ([`super::prune`]).
    prune: prune::Features,
}

impl Prepared {
    fn new(c: &CandidateView, organization: &str) -> Self {
        let bio_claims = c.bio.map(bio::claims).unwrap_or_default();
        let name_claims = c.display_name.map(bio::claims).unwrap_or_default();
        let handle_forms = handle::forms(c.handle);
        // Only a display name that is not blank is compared.
        let name_form = c.display_name.map(name::comparable);
        let compared_name = c
            .display_name
            .filter(|d| !d.trim().is_empty())
            .and(name_form.as_deref());
        Prepared {
            prune: prune::Features::new(c.handle, &handle_forms, compared_name),
            handle_forms,
            name_form,
            in_name: c
                .display_name
                .map(places::named_in_text)
                .unwrap_or_default(),
            claims_official: bio_claims.claims_official,
            mentions_organization: c.bio.is_some_and(|b| bio::mentions(b, organization)),
            disclaims: bio_claims.disclaims || name_claims.disclaims,
            disclaimer_field: if name_claims.disclaims {
                Some(Field::DisplayName)
            } else if bio_claims.disclaims {
                Some(Field::Bio)
            } else {
                None
            },
        }
    }
}

/// The registry, the thresholds and the organisation, ready to assess candidates.
#[derive(Clone, Debug)]
pub struct Detector {
    pub officials: Vec<OfficialFeatures>,
    pub thresholds: Detection,
    pub organization: String,
    /// The municipalities the organisation and its official accounts name (ours).
    pub places: Vec<&'static Municipality>,
    /// Skips official accounts a candidate provably cannot score against ([`prune`]); on by
    /// default, off only to check that it changes nothing.
    pub pruning: bool,
    pub(crate) pruner: prune::Pruner,
}

/// Evidence that one official account is being imitated.
struct Comparison {
    signals: Signals,
    score: f64,
    reasons: Vec<Reason>,
}

fn ramp(x: f64, from: f64, to: f64) -> f64 {
    ((x - from) / (to - from)).clamp(0.0, 1.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// What is left of name and handle evidence when the candidate names a different real
/// municipality: such resemblance comes from sharing a naming pattern, not from imitation.
const OTHER_PLACE_FACTOR: f64 = 0.1;

impl Detector {
    pub fn new(
        officials: Vec<OfficialFeatures>,
        thresholds: Detection,
        organization: &str,
    ) -> Self {
        let mut places = places::named_in_text(organization);
        for o in &officials {
            places.extend(places::named_in_text(&o.account.display_name));
            places.extend(places::named_in_handle(&o.account.handle));
        }
        places.sort_by_key(|m| m.code);
        places.dedup();
        Detector {
            officials,
            pruner: prune::Pruner::new(&thresholds, &bit_weights()),
            thresholds,
            organization: organization.to_string(),
            places,
            pruning: true,
        }
    }

    /// The registered official account with this platform and handle, if any.
    pub fn official(&self, platform: Platform, handle: &str) -> Option<&OfficialAccount> {
        self.officials
            .iter()
            .map(|o| &o.account)
            .find(|o| o.is(platform, handle))
    }

    fn is_ours(&self, m: &Municipality) -> bool {
        self.places.iter().any(|p| p.name == m.name)
    }

    /// A different real municipality the candidate names (and none of ours), in its display
    /// name or in the place-name role of the official handle, if any.
    fn other_place(
        &self,
        official: &OfficialFeatures,
        c: &CandidateView,
        in_name: &[&'static Municipality],
    ) -> Option<&'static Municipality> {
        if in_name.iter().any(|m| self.is_ours(m)) {
            return None;
        }
        in_name.first().copied().or_else(|| {
            places::replaced_in_handle(c.handle, &official.account.handle, &self.places)
        })
    }

    fn compare(
        &self,
        official: &OfficialFeatures,
        c: &CandidateView,
        prep: &Prepared,
        platform: Platform,
    ) -> Comparison {
        let in_name = prep.in_name.as_slice();
        let t = &self.thresholds;
        let o = &official.account;
        let mut reasons = Vec::new();

        // Handle.
        let same_local = canonical_handle(handle::local_part(&o.handle))
            == canonical_handle(handle::local_part(c.handle));
        let hm = handle::compare(&official.handle_forms, &prep.handle_forms, same_local);
        let mut e_handle = 0.0;
        if hm.form == "exact" {
            e_handle = 0.95;
            reasons.push(Reason::HandleImitates {
                handle: c.handle.to_string(),
                official: o.handle.clone(),
                official_platform: o.platform,
                edits: vec![HandleEdit::OtherPlatform { platform }],
                similarity: 1.0,
            });
        } else if hm.similarity >= t.handle_floor {
            // Typosquatters make one edit; two edits (`kokusai` for `bousai`) are as often
            // another word, so they count only through the similarity.
            let by_edits = match (hm.edits, hm.length) {
                (0, _) => 0.9,
                (1, l) if l >= 6 => 0.75,
                _ => 0.0,
            };
            e_handle = f64::max(by_edits, 0.8 * ramp(hm.similarity, t.handle_floor, 1.0));
            reasons.push(Reason::HandleImitates {
                handle: c.handle.to_string(),
                official: o.handle.clone(),
                official_platform: o.platform,
                edits: handle::explain(&o.handle, c.handle),
                similarity: round3(hm.similarity),
            });
        }

        // Display name.
        let mut name_sim = None;
        let mut exact_name = false;
        let mut e_name = 0.0;
        if let Some(dn) = c.display_name.filter(|d| !d.trim().is_empty()) {
            let form = prep.name_form.as_deref().unwrap_or_default();
            let sim = name::similarity(&official.name_form, form);
            name_sim = Some(sim);
            if sim >= 0.999 {
                exact_name = true;
                e_name = 0.8;
                reasons.push(Reason::DisplayNameImitates {
                    name: dn.to_string(),
                    official: o.handle.clone(),
                    official_name: o.display_name.clone(),
                    how: NameMatch::SameReading,
                    similarity: 1.0,
                });
            } else if sim >= t.display_name_floor {
                let edits = strsim::levenshtein(&official.name_form, form);
                let len = official.name_form.chars().count();
                let by_edits = if edits == 1 && len >= 6 { 0.6 } else { 0.0 };
                e_name = f64::max(by_edits, 0.7 * ramp(sim, t.display_name_floor, 1.0));
                reasons.push(Reason::DisplayNameImitates {
                    name: dn.to_string(),
                    official: o.handle.clone(),
                    official_name: o.display_name.clone(),
                    how: NameMatch::Similar,
                    similarity: round3(sim),
                });
            }
        }

        // A different real place: its own account, not a typo of ours. A copy of the official
        // name or handle (look-alike letters aside) is imitation whatever else it says.
        let same_handle = hm.edits == 0 && matches!(hm.form, "exact" | "plain");
        if !same_handle && !exact_name && (e_handle > 0.0 || e_name > 0.0) {
            if let Some(m) = self.other_place(official, c, in_name) {
                e_handle *= OTHER_PLACE_FACTOR;
                e_name *= OTHER_PLACE_FACTOR;
                reasons.push(Reason::OtherPlaceDiscount {
                    place: m.name.to_string(),
                    prefecture: m.prefecture.to_string(),
                });
            }
        }

        // Avatar.
        let mut avatar_sim = None;
        let mut e_avatar = 0.0;
        if let (Some(a), Some(b)) = (official.avatar, c.avatar) {
            let mut d = a.distance(&b);
            // A second opinion: the gradient hash. Different pictures built on the same
            // template (a ring and a text band in the same places) can match on the DCT
            // views; their gradients still disagree, a copy's do not.
            let gradient = a.gradient_distance(&b);
            let vetoed = d <= t.avatar_match_distance && gradient > GRADIENT_DISAGREES;
            if vetoed {
                d = t.avatar_match_distance + 1;
            }
            avatar_sim = Some(1.0 - d as f64 / 64.0);
            let info = a.information.min(b.information);
            let weight = 0.25 + 0.75 * ramp(info, 0.3, 0.45);
            let closeness = if d <= t.avatar_match_distance {
                0.85 - 0.15 * d as f64 / t.avatar_match_distance.max(1) as f64
            } else {
                0.45 * (1.0
                    - ramp(
                        d as f64,
                        t.avatar_match_distance as f64,
                        t.avatar_max_distance as f64,
                    ))
            };
            e_avatar = closeness * weight;
            if vetoed {
                reasons.push(Reason::AvatarSameTemplate {
                    official: o.handle.clone(),
                    distance: a.distance(&b),
                    detail_distance: gradient,
                });
            } else if e_avatar > 0.05 {
                reasons.push(if d <= t.avatar_match_distance {
                    Reason::AvatarMatches {
                        official: o.handle.clone(),
                        distance: d,
                        // Until the background calibration: flat images collide often.
                        chance: round3(1.0 - weight).max(0.0),
                    }
                } else {
                    Reason::AvatarResembles {
                        official: o.handle.clone(),
                        distance: d,
                    }
                });
            }
        }

        // Bio: a claim to be official, naming the organisation or the account. A claim alone
        // proves nothing (every partner organisation claims to be the official account of
        // something); it supports a name or handle that already imitates clearly.
        let mut e_bio = 0.0;
        if let Some(text) = c.bio {
            let imitates = e_handle.max(e_name) >= 0.5;
            if imitates
                && prep.claims_official
                && (prep.mentions_organization || bio::mentions(text, &o.display_name))
            {
                e_bio = if exact_name { 0.5 } else { 0.3 };
                reasons.push(Reason::BioClaimsOfficial {
                    organization: self.organization.clone(),
                });
            }
        }

        let score = 1.0
            - [e_handle, e_name, e_avatar, e_bio]
                .iter()
                .map(|e| 1.0 - e)
                .product::<f64>();
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
                reasons: Vec::new(),
                reason_codes: vec![Reason::OfficialAccount {
                    platform,
                    handle: o.handle.clone(),
                }],
            };
        }
        let prep = Prepared::new(c, &self.organization);
        // Scores are never below 0, and of equal scores the last official account wins; so
        // skipping accounts that provably score 0 changes nothing as long as the last one is
        // always compared.
        let last = self.officials.len().saturating_sub(1);
        let best = self
            .officials
            .iter()
            .enumerate()
            .filter(|&(i, o)| {
                !self.pruning
                    || i == last
                    || self.pruner.may_score(
                        &o.prune,
                        o.avatar.as_ref(),
                        &prep.prune,
                        c.avatar.as_ref(),
                    )
            })
            .map(|(_, o)| (o, self.compare(o, c, &prep, platform)))
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score));
        let Some((official, mut cmp)) = best else {
            return Assessment {
                verdict: VerdictKind::Clear,
                score: 0.0,
                matched: None,
                signals: Signals::default(),
                reasons: Vec::new(),
                reason_codes: vec![Reason::NoOfficials],
            };
        };

        // Say-so of being unofficial, in the bio or the name.
        let disclaimer = prep.disclaims;
        if disclaimer && cmp.score > 0.0 {
            let avatar_copy = cmp
                .signals
                .avatar
                .is_some_and(|s| s >= 1.0 - self.thresholds.avatar_match_distance as f64 / 64.0);
            cmp.score *= if avatar_copy { 0.6 } else { 0.3 };
            cmp.reasons.push(Reason::Unofficial {
                field: prep.disclaimer_field.unwrap_or(Field::Bio),
            });
        }

        let score = round3(cmp.score);
        let verdict = if score >= self.thresholds.suspect_threshold {
            VerdictKind::Suspect
        } else {
            VerdictKind::Clear
        };
        if cmp.reasons.is_empty() {
            cmp.reasons.push(Reason::NoResemblance);
        } else if verdict == VerdictKind::Clear {
            cmp.reasons.push(Reason::BelowThreshold {
                probability: score,
                threshold: self.thresholds.suspect_threshold,
            });
        }
        Assessment {
            verdict,
            score,
            matched: (score > 0.0).then(|| MatchedAccount {
                platform: official.account.platform,
                handle: official.account.handle.clone(),
            }),
            signals: cmp.signals,
            reasons: Vec::new(),
            reason_codes: cmp.reasons,
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
        assert!(
            matches!(
                &a.reason_codes[0],
                Reason::HandleImitates { official, edits, .. }
                    if official == "b_diverjinzai"
                        && edits == &[HandleEdit::Typo { from: "i".into(), to: String::new() }]
            ),
            "{:?}",
            a.reason_codes
        );
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
    fn avatar_hash_views_round_trip_and_mirror() {
        let h4 = [
            0x1234_5678_9abc_def0u64 >> 1,
            0x0f0f_0f0f_0f0f_0f0f,
            7,
            1 << 62,
        ];
        let h = AvatarHash::from_hashes(h4, 1.0);
        assert_eq!(h.hashes(), h4);
        assert_eq!(h.distance(&h), 0);
        let m = AvatarHash::from_hashes(h4.map(|x| x ^ mirror_bits()), 1.0);
        assert_eq!(h.distance(&m), 0, "a mirrored copy is the same picture");
        let full = (1u64 << DCT_BITS) - 1;
        let a = AvatarHash::from_hashes([0x5555_5555_5555_5555 & full; 4], 1.0);
        let b = AvatarHash::from_hashes([0x3333_3333_3333_3333 & full; 4], 1.0);
        assert!(a.distance(&b) > 16, "{}", a.distance(&b));
    }

    fn with_avatar(avatar: AvatarHash) -> Detector {
        let mut d = detector();
        d.officials[0].avatar = Some(avatar);
        d
    }

    #[test]
    fn gradient_hash_vetoes_a_dct_match_of_a_different_picture() {
        let views = [0x1234_5678_9abc_def0u64 >> 1, 0x0f0f, 7, 1 << 40];
        let official = AvatarHash::from_hashes(views, 1.0).with_gradient(0, 0);
        let copy = AvatarHash::from_hashes(views, 1.0).with_gradient(0b111, 0);
        let template = AvatarHash::from_hashes(views, 1.0).with_gradient(u64::MAX >> 24, 0);
        let d = with_avatar(official);
        let look = |a: AvatarHash| {
            d.assess(
                Platform::X,
                &CandidateView {
                    handle: "someone_else",
                    display_name: Some("まったく別の名前"),
                    bio: None,
                    avatar: Some(a),
                },
            )
        };
        let a = look(copy);
        assert_eq!(a.verdict, VerdictKind::Suspect, "{a:?}");
        assert!(
            matches!(a.reason_codes[0], Reason::AvatarMatches { .. }),
            "{:?}",
            a.reason_codes
        );
        let a = look(template);
        assert_eq!(a.verdict, VerdictKind::Clear, "{a:?}");
        assert!(
            a.reason_codes.iter().any(|r| matches!(
                r,
                Reason::AvatarSameTemplate {
                    detail_distance: 40,
                    ..
                }
            )),
            "{:?}",
            a.reason_codes
        );
    }
}
