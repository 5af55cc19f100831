//! The fitted combination (issue 10): how the evidence of the signals becomes one number, the
//! probability that the account impersonates us.
//!
//! Each signal gives evidence `e` in 0..1 (`score::Evidence`). The model is a logistic
//! regression on `−ln(1 − 0.99·e)` of each, so that independent evidence adds up in log-odds
//! as it does in the noisy-OR `1 − Π(1 − e)` it replaces. Its weights are fitted by
//! `scripts/fit_detector.py` on sets made by `scripts/gen_eval.py` and committed in
//! `data/detector_weights.tsv` with the seeds they came from. Weights of resemblance are
//! never negative (more resemblance never lowers the probability), so an official account
//! the candidate shares nothing with adds nothing, and pruning it changes nothing.
//!
//! Adding a signal: give it a field in `Evidence`, a line in [`FEATURES`] and its weight in
//! the table (refit).

use super::score::Evidence;
use std::sync::LazyLock;

/// How a feature enters the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Resemblance to one official account: decides which account is matched.
    Pair,
    /// About the candidate alone (the organisation imitated, account facts, a disclaimer).
    Candidate,
}

/// One input of the model: its name in the weights table and how it is read from the
/// evidence.
pub struct Feature {
    pub name: &'static str,
    pub scope: Scope,
    pub value: fn(&Evidence) -> f64,
}

/// Evidence `e` as log-odds-like strength: 0 for none, 4.6 for certain.
fn strength(e: f64) -> f64 {
    -(1.0 - 0.99 * e.clamp(0.0, 1.0)).ln()
}

/// Whether the candidate imitates us at all, by the plain combination of handle, name,
/// avatar, bio and organisation evidence: facts and lures only count then.
fn resembles(e: &Evidence) -> bool {
    e.combined >= 0.3
}

/// Whether the avatar is the same picture as the official one.
fn avatar_copy(e: &Evidence) -> bool {
    e.avatar_copy > 0.0
}

/// The model's inputs, in the order of the weights table.
pub const FEATURES: &[Feature] = &[
    Feature {
        name: "handle",
        scope: Scope::Pair,
        value: |e| strength(e.handle),
    },
    Feature {
        name: "name",
        scope: Scope::Pair,
        value: |e| strength(e.name),
    },
    Feature {
        name: "avatar",
        scope: Scope::Pair,
        value: |e| strength(e.avatar),
    },
    Feature {
        name: "bio",
        scope: Scope::Pair,
        value: |e| strength(e.bio),
    },
    Feature {
        name: "organization",
        scope: Scope::Candidate,
        value: |e| strength(e.organization),
    },
    Feature {
        name: "organization_handle",
        scope: Scope::Candidate,
        value: |e| strength(e.organization_handle),
    },
    Feature {
        name: "organization_role",
        scope: Scope::Candidate,
        value: |e| strength(e.organization_role),
    },
    Feature {
        name: "organization_role_alone",
        scope: Scope::Candidate,
        value: |e| e.organization_role_alone,
    },
    Feature {
        name: "claims_given_resemblance",
        scope: Scope::Candidate,
        value: |e| if resembles(e) { e.claims } else { 0.0 },
    },
    Feature {
        name: "facts_given_resemblance",
        scope: Scope::Candidate,
        value: |e| if resembles(e) { strength(e.facts) } else { 0.0 },
    },
    Feature {
        name: "lures_given_resemblance",
        scope: Scope::Candidate,
        value: |e| if resembles(e) { e.lures } else { 0.0 },
    },
    Feature {
        name: "disclaims_copied_avatar",
        scope: Scope::Candidate,
        value: |e| e.disclaims * f64::from(u8::from(avatar_copy(e))),
    },
    Feature {
        name: "disclaims",
        scope: Scope::Candidate,
        value: |e| e.disclaims * f64::from(u8::from(!avatar_copy(e))),
    },
];

/// Fitted weights, one per feature, and the intercept.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub intercept: f64,
    pub weights: Vec<f64>,
}

const TABLE: &str = include_str!("../../data/detector_weights.tsv");

static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::parse(TABLE).expect("data/detector_weights.tsv is valid"));

impl Model {
    /// The committed model.
    pub fn fitted() -> &'static Model {
        &MODEL
    }

    /// Reads `name<TAB>weight` lines (`#` comments), one for `intercept` and one per feature.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut intercept = None;
        let mut weights = vec![None; FEATURES.len()];
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: expected name<TAB>weight", n + 1))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("line {}: {value:?} is not a number", n + 1))?;
            if name == "intercept" {
                intercept = Some(value);
            } else {
                let i = FEATURES
                    .iter()
                    .position(|f| f.name == name)
                    .ok_or_else(|| format!("line {}: unknown feature {name:?}", n + 1))?;
                if FEATURES[i].scope == Scope::Pair && value < 0.0 {
                    return Err(format!("line {}: {name} must not be negative", n + 1));
                }
                weights[i] = Some(value);
            }
        }
        let weights = weights
            .into_iter()
            .zip(FEATURES)
            .map(|(w, f)| w.ok_or_else(|| format!("no weight for {}", f.name)))
            .collect::<Result<_, _>>()?;
        Ok(Model {
            intercept: intercept.ok_or("no intercept")?,
            weights,
        })
    }

    fn sum(&self, e: &Evidence, scope: Scope) -> f64 {
        FEATURES
            .iter()
            .zip(&self.weights)
            .filter(|(f, _)| f.scope == scope)
            .map(|(f, w)| w * (f.value)(e))
            .sum()
    }

    /// The model's inputs by name, as `eval --features` writes them for the fit.
    pub fn inputs(e: &Evidence) -> std::collections::BTreeMap<&'static str, f64> {
        FEATURES.iter().map(|f| (f.name, (f.value)(e))).collect()
    }

    /// How strongly the candidate resembles one official account: 0 when it shares nothing
    /// with it. The official account with the most is the one matched.
    pub fn pair_logit(&self, e: &Evidence) -> f64 {
        self.sum(e, Scope::Pair)
    }

    /// The probability of impersonation. Without any resemblance, to an account or to the
    /// organisation, it is 0: nobody is imitated.
    pub fn probability(&self, e: &Evidence) -> f64 {
        let pair = self.pair_logit(e);
        if pair <= 0.0
            && e.organization <= 0.0
            && e.organization_handle <= 0.0
            && e.organization_role <= 0.0
        {
            return 0.0;
        }
        let z = self.intercept + pair + self.sum(e, Scope::Candidate);
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_names_every_feature() {
        let m = Model::fitted();
        assert_eq!(m.weights.len(), FEATURES.len());
        assert!(FEATURES
            .iter()
            .zip(&m.weights)
            .all(|(f, w)| f.scope == Scope::Candidate || *w >= 0.0));
    }

    #[test]
    fn parse_refuses_unknown_missing_and_negative_weights() {
        let full: String = std::iter::once("intercept\t-2".to_string())
            .chain(FEATURES.iter().map(|f| format!("{}\t1", f.name)))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(Model::parse(&full).is_ok());
        assert!(Model::parse(&format!("{full}\nnew_signal\t1"))
            .unwrap_err()
            .contains("unknown"));
        assert!(Model::parse("intercept\t0")
            .unwrap_err()
            .contains("no weight"));
        assert!(Model::parse(&full.replace("handle\t1", "handle\t-1"))
            .unwrap_err()
            .contains("negative"));
    }

    #[test]
    fn no_resemblance_is_probability_zero_and_more_is_never_less() {
        let m = Model::fitted();
        let none = Evidence::default();
        assert_eq!(m.probability(&none), 0.0);
        let mut e = Evidence {
            handle: 0.4,
            combined: 0.4,
            ..Evidence::default()
        };
        let p1 = m.probability(&e);
        assert!(p1 > 0.0);
        e.name = 0.8;
        assert!(m.probability(&e) >= p1);
    }

    #[test]
    fn facts_alone_are_never_a_suspect() {
        let m = Model::fitted();
        let e = Evidence {
            facts: 0.25,
            lures: 1.0,
            ..Evidence::default()
        };
        assert_eq!(m.probability(&e), 0.0);
    }
}
