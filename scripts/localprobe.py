#!/usr/bin/env python3
"""Runs the `localprobe` example on sets of scripts/gen_eval.py and prints, per kind, the best
local consensus each account's avatar reaches with any official avatar: impostors split into
those `eval` missed and caught (SET.base.json, `narisumashi eval --json` of that set),
innocents by kind. For the detector's author on the author's own sets only.

    python3 scripts/localprobe.py /work/own/s6001 /work/own/s6002
"""
import json, subprocess, sys, tomllib, tempfile, os
from collections import defaultdict

probe = os.path.join(os.path.dirname(__file__), "..", "target", "release", "examples", "localprobe")
for d in sys.argv[1:]:
    reg = tomllib.load(open(f"{d}/registry/narisumashi.toml", "rb"))
    rows = [json.loads(l) for l in open(f"{d}/labels.jsonl")]
    with tempfile.TemporaryDirectory() as t:
        open(f"{t}/o", "w").write("\n".join(f"{d}/registry/{o['avatar']}" for o in reg["official"] if o.get("avatar")))
        open(f"{t}/c", "w").write("\n".join(f"{i}\t{d}/{r['avatar']}" for i, r in enumerate(rows, 1) if r.get("avatar")))
        out = subprocess.run([probe, f"{t}/o", f"{t}/c"], capture_output=True, text=True, check=True)
    sys.stderr.write(out.stderr)
    missed = {m["line"] for m in json.load(open(f"{d}.base.json"))["mistakes"]}
    by = defaultdict(list)
    for line in out.stdout.splitlines():
        i, best, recovered, _ = line.split("\t")
        best = f"{best}/{recovered}" if int(best) >= 8 else best
        r = rows[int(i) - 1]
        if r["label"] == "impostor" and r["kind"].startswith("avatar"):
            by[("missed " if int(i) in missed else "caught ") + r["kind"]].append(best)
        elif r["label"] == "innocent" and r["kind"] != "official":
            by["innocent " + r["kind"]].append(best)
    for k in sorted(by):
        print(os.path.basename(d), k, " ".join(sorted(by[k], key=lambda b: int(b.split("/")[0]))))
