//! The library's hot paths on real files, for `scripts/bench`: avatar hashing (thumbnail +
//! every hash view), the decoding floors (thumbnail only, and a whole decode), and text
//! scoring (one candidate against every official account, no avatars), each on all cores and
//! on one. Prints one JSON object of rates.
//!
//!   bench-core CONFIG CANDIDATES.jsonl AVATAR_DIR [SECONDS] [text | dump]
//!
//! With `text` last, only text scoring is measured (for profiling it alone); with `dump`
//! last, every candidate's text assessment and evidence is printed as JSON Lines instead (to
//! check that a change of the scoring code changes no assessment).

use narisumashi::avatar;
use narisumashi::config::Config;
use narisumashi::detect::{Detector, OfficialFeatures};
use narisumashi::scan;
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

/// CPU seconds (user + system) this process has used.
fn cpu_seconds() -> f64 {
    let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let u = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr());
        u.assume_init()
    };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// Runs `f` over `items` repeatedly for at least `secs`; returns items per second of wall
/// time, and per second of CPU time (robust to a loaded machine; for one thread only).
fn rate<T: Sync>(items: &[T], secs: f64, parallel: bool, f: impl Fn(&T) + Sync) -> (f64, f64) {
    if items.is_empty() {
        return (0.0, 0.0);
    }
    let start = Instant::now();
    let cpu = cpu_seconds();
    let mut done = 0usize;
    while done == 0 || start.elapsed().as_secs_f64() < secs {
        if parallel {
            items.par_iter().for_each(&f);
        } else {
            items.iter().for_each(&f);
        }
        done += items.len();
    }
    let n = done as f64;
    (
        n / start.elapsed().as_secs_f64(),
        n / (cpu_seconds() - cpu).max(1e-9),
    )
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

    if args.get(5).map(String::as_str) == Some("dump") {
        for c in &cands {
            let a = scan::assess(&config, &detector, c, None);
            println!(
                "{}",
                serde_json::json!({"handle": c.profile.handle, "assessment": a, "evidence": a.evidence})
            );
        }
        return Ok(());
    }
    if args.get(5).map(String::as_str) == Some("text") {
        let (score_wall, score_cpu) = rate(&cands, secs, false, score);
        let k = n_off as f64;
        println!(
            "{}",
            serde_json::json!({
                "officials": n_off,
                "candidates": cands.len(),
                "comparisons_per_s": score_wall * k,
                "comparisons_per_cpu_s": score_cpu * k,
            })
        );
        return Ok(());
    }
    let (hash_wall, _) = rate(&images, secs, true, hash);
    let (_, hash_cpu) = rate(&images, secs, false, hash);
    let (thumb_wall, _) = rate(&images, secs, true, thumb);
    let (_, thumb_cpu) = rate(&images, secs, false, thumb);
    let (_, full_cpu) = rate(&images, secs, false, full);
    let (score_wall, _) = rate(&cands, secs, true, score);
    let (_, score_cpu) = rate(&cands, secs, false, score);
    let k = n_off as f64;
    let out = serde_json::json!({
        "images": images.len(),
        "hash_per_s": hash_wall,
        "hash_per_cpu_s": hash_cpu,
        "thumbnail_per_s": thumb_wall,
        "thumbnail_per_cpu_s": thumb_cpu,
        "full_decode_per_cpu_s": full_cpu,
        "officials": n_off,
        "candidates": cands.len(),
        "comparisons_per_s": score_wall * k,
        "comparisons_per_cpu_s": score_cpu * k,
    });
    println!("{out}");
    Ok(())
}
