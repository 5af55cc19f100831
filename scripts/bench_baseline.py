#!/usr/bin/env python3
"""The Python baseline of scripts/bench: the scan a city engineer would write with Pillow,
ImageHash and RapidFuzz (pinned by scripts/bench, in its own virtualenv). One process, one core.

  bench_baseline.py hash AVATAR_DIR SECONDS       -> images/s of imagehash.phash, and of decoding
  bench_baseline.py text WORKLOAD_DIR SECONDS     -> candidate x official comparisons/s
  bench_baseline.py scan WORKLOAD_DIR             -> the whole scan: hash every avatar, compare
                                                     with every official, record in SQLite
"""
import json, os, sqlite3, sys, time, unicodedata

import imagehash
from PIL import Image
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler


def rate(items, secs, f):
    """Items per second of CPU time (robust to a loaded machine), and of wall time."""
    t0, c0, done = time.perf_counter(), time.process_time(), 0
    while done == 0 or time.perf_counter() - t0 < secs:
        for x in items:
            f(x)
        done += len(items)
    return done / (time.process_time() - c0), done / (time.perf_counter() - t0)


def fold(s):
    return unicodedata.normalize("NFKC", s or "").lower()


def sim(a, b):
    if not a or not b:
        return 0.0
    return 0.65 * DamerauLevenshtein.normalized_similarity(a, b) + 0.35 * JaroWinkler.similarity(a, b)


def load(work):
    officials = json.load(open(os.path.join(work, "officials.json"), encoding="utf-8"))
    with open(os.path.join(work, "candidates.jsonl"), encoding="utf-8") as f:
        cands = [json.loads(l) for l in f]
    return officials, cands


def compare(c, officials, oh, ch):
    best = 0.0
    for o, h in zip(officials, oh):
        s = max(sim(fold(c.get("handle")), fold(o["handle"])),
                sim(fold(c.get("display_name")), fold(o["display_name"])))
        if ch is not None and h is not None:
            s = max(s, 1 - (ch - h) / 64)
        best = max(best, s)
    return best


def phash(work, path):
    try:
        return imagehash.phash(Image.open(os.path.join(work, path)))
    except Exception:
        return None


mode = sys.argv[1]
if mode == "hash":
    d, secs = sys.argv[2], float(sys.argv[3])
    files = sorted(os.path.join(d, n) for n in os.listdir(d))
    blobs = [open(p, "rb").read() for p in files]
    import io
    h, hw = rate(blobs, secs, lambda b: imagehash.phash(Image.open(io.BytesIO(b))))
    dec, _ = rate(blobs, secs, lambda b: Image.open(io.BytesIO(b)).load())
    print(json.dumps({"hash_per_cpu_s": h, "hash_per_s": hw, "decode_per_cpu_s": dec}))
elif mode == "text":
    work, secs = sys.argv[2], float(sys.argv[3])
    officials, cands = load(work)
    cands = cands[:20000]
    r, rw = rate(cands, secs, lambda c: compare(c, officials, [None] * len(officials), None))
    print(json.dumps({"comparisons_per_cpu_s": r * len(officials), "comparisons_per_s": rw * len(officials)}))
elif mode == "scan":
    work = sys.argv[2]
    officials, cands = load(work)
    oh = [phash(work, o["avatar"]) for o in officials]
    db = sqlite3.connect(os.path.join(work, "baseline.db"))
    db.execute("CREATE TABLE IF NOT EXISTS results (platform, handle, score, suspect)")
    flagged = 0
    with db:
        for c in cands:
            ch = phash(work, c["avatar"]) if c.get("avatar") else None
            s = compare(c, officials, oh, ch)
            s = float(s)
            flagged += int(s >= 0.9)
            db.execute("INSERT INTO results VALUES (?, ?, ?, ?)", (c["platform"], c["handle"], s, s >= 0.9))
    print(json.dumps({"candidates": len(cands), "flagged": flagged}))
