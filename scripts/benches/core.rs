//! The library's hot paths on real files, for `scripts/bench`: avatar hashing (thumbnail +
//! every hash view), the decoding floors (thumbnail only, and a whole decode), and text
//! scoring (one candidate against every official account, no avatars), each on all cores and
//! on one. Prints one JSON object of rates.
//!
//!   bench-core CONFIG CANDIDATES.jsonl AVATAR_DIR [SECONDS]

use narisumashi::avatar;
use narisumashi::config::Config;
use narisumashi::detect::{Detector, OfficialFeatures};
use narisumashi::scan;
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

/// Runs `f` over `items` repeatedly for at least `secs`; returns items per second.
fn rate<T: Sync>(items: &[T], secs: f64, parallel: bool, f: impl Fn(&T) + Sync) -> f64 {
    let start = Instant::now();
    let mut done = 0usize;
    while done == 0 || start.elapsed().as_secs_f64() < secs {
        if parallel {
            items.par_iter().for_each(&f);
        } else {
            items.iter().for_each(&f);
        }
        done += items.len();
    }
    done as f64 / start.elapsed().as_secs_f64()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (config, candidates, dir) = (&args[1], &args[2], &args[3]);
    let secs: f64 = args.get(4).map(|s| s.parse()).transpose()?.unwrap_or(3.0);
    let config = Config::load(Path::new(config))?;

    let mut images = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_file() {
            images.push(std::fs::read(&p)?);
        }
    }
    images.sort();
    let hash = |b: &Vec<u8>| {
        std::hint::black_box(avatar::hash_bytes(b).ok());
    };
    let thumb = |b: &Vec<u8>| {
        std::hint::black_box(avatar::decode::thumbnail(b).ok());
    };
    let full = |b: &Vec<u8>| {
        std::hint::black_box(avatar::decode(b).ok());
    };

    let text = std::fs::read_to_string(candidates)?;
    let parsed = narisumashi::sources::file::parse(&text, Path::new("."), "bench");
    let cands: Vec<_> = parsed.candidates.into_iter().take(20_000).collect();
    let officials: Vec<OfficialFeatures> = config
        .official
        .iter()
        .map(|o| OfficialFeatures::new(o.clone(), None))
        .collect();
    let n_off = officials.len();
    let detector = Detector::new(
        officials,
        config.detection.clone(),
        &config.organization.name,
    );
    let score = |c: &narisumashi::model::Candidate| {
        std::hint::black_box(scan::assess(&config, &detector, c, None));
    };

    let out = serde_json::json!({
        "images": images.len(),
        "hash_per_s": rate(&images, secs, true, hash),
        "hash_per_s_1core": rate(&images, secs, false, hash),
        "thumbnail_per_s": rate(&images, secs, true, thumb),
        "thumbnail_per_s_1core": rate(&images, secs, false, thumb),
        "full_decode_per_s": rate(&images, secs, true, full),
        "full_decode_per_s_1core": rate(&images, secs, false, full),
        "officials": n_off,
        "candidates": cands.len(),
        "comparisons_per_s": rate(&cands, secs, true, score) * n_off as f64,
        "comparisons_per_s_1core": rate(&cands, secs, false, score) * n_off as f64,
    });
    println!("{out}");
    Ok(())
}
