//! Account facts as the platform APIs report them: when the account was created, how many posts
//! and followers it has, whether the platform verified it. They are attacker-influenced and
//! optional everywhere, so parsing is lenient: a missing or malformed fact becomes `None`, it
//! never fails the lookup of the account it belongs to.

use crate::model::rfc3339_utc;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A non-negative whole number (`"postsCount": 12`); anything else is `None`.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_u64(),
        _ => None,
    })
}

/// A boolean; anything else is `None`.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        _ => None,
    })
}

/// An RFC 3339 date-time, normalised to UTC; anything else is `None`.
pub fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => rfc3339_utc(&s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Facts {
        #[serde(default, deserialize_with = "count")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "flag")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "timestamp")]
        t: Option<String>,
    }

    fn parse(json: &str) -> Facts {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn good_facts_are_read() {
        let f = parse(r#"{"n": 42, "b": true, "t": "2024-05-01T12:00:00.000Z"}"#);
        assert_eq!(f.n, Some(42));
        assert_eq!(f.b, Some(true));
        assert_eq!(f.t.as_deref(), Some("2024-05-01T12:00:00Z"));
    }

    #[test]
    fn missing_or_malformed_facts_are_none_not_errors() {
        for json in [
            r#"{}"#,
            r#"{"n": null, "b": null, "t": null}"#,
            r#"{"n": -3, "b": "yes", "t": "yesterday"}"#,
            r#"{"n": "12", "b": 1, "t": 1700000000}"#,
            r#"{"n": 1.5, "b": [], "t": {}}"#,
        ] {
            let f = parse(json);
            assert_eq!((f.n, f.b, f.t), (None, None, None), "{json}");
        }
    }
}
