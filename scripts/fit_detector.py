#!/usr/bin/env python3
"""Fits the detector's combination (issue 10) and writes data/detector_weights.tsv.

    # sets from the generator, on registries the detector was not developed on
    for s in 1001 1002 1003 1004 1005 1006; do
      python3 scripts/gen_eval.py --seed $s --registry-from-municipality random \\
          --registry-seed $s --out /tmp/train/s$s
    done
    # the evidence of every account, as the current model selects the matched account
    for s in ...; do
      narisumashi --config /tmp/train/s$s/registry/narisumashi.toml \\
          eval /tmp/train/s$s/labels.jsonl --features /tmp/train/s$s/features.jsonl
    done
    python3 scripts/fit_detector.py --train /tmp/train/s100[1-4]/features.jsonl \\
        --validate /tmp/train/s100[56]/features.jsonl --out data/detector_weights.tsv

Then rebuild, export the features again and refit once more: which official account is
matched depends on the weights (the one with the strongest resemblance), so the second fit
sees the evidence the model itself selects. Two rounds are enough; the script prints how much
the weights moved.

The model is a logistic regression on the inputs `eval --features` writes (`inputs`, named as
in src/detect/model.rs FEATURES), with an L2 penalty. Weights of resemblance, the organisation,
account facts and lures are kept ≥ 0 and those of disclaimers ≤ 0, so more resemblance never
lowers the probability (and pruning stays exact). Accounts with no resemblance at all are not
in the fit: the detector gives them probability 0. Every kind of account weighs the same
within its label, so a rare attack counts as much as a common one, and the labels keep their
share of the data: the probability is that of an account of the generated mix.
"""

import argparse
import datetime
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

# Sign of each weight: +1 never negative, -1 never positive.
SIGNS = {
    "handle": 1,
    "name": 1,
    "avatar": 1,
    "bio": 1,
    "organization": 1,
    "organization_role": 1,
    "organization_role_alone": 1,
    "claims_given_resemblance": 1,
    "facts_given_resemblance": 1,
    "lures_given_resemblance": 1,
    "disclaims_copied_avatar": -1,
    "disclaims": -1,
}


# Inputs that share another input's weight: a handle imitating the organisation's romanised
# name is a handle imitating ours, worth what the handle is worth.
TIED = {"organization_handle": "handle"}


def load(paths):
    rows = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                r["set"] = str(p)
                rows.append(r)
    return rows


def resembles(r):
    return r["inputs"]["handle"] + r["inputs"]["name"] + r["inputs"]["avatar"] \
        + r["inputs"]["bio"] > 0 \
        or r["organization"] > 0 or r["organization_handle"] > 0 or r["organization_role"] > 0


def matrix(rows, names):
    x = np.array([[r["inputs"][n] + sum(r["inputs"][t] for t, to in TIED.items() if to == n)
                   for n in names] for r in rows], dtype=float)
    y = np.array([1.0 if r["label"] == "impostor" else 0.0 for r in rows])
    return x, y


def kind_weights(rows):
    """Every (label, kind) group weighs the same within its label; labels keep their counts."""
    groups = {}
    for r in rows:
        groups.setdefault((r["label"], r["kind"]), []).append(r)
    per_label = {}
    for (label, _), g in groups.items():
        per_label.setdefault(label, []).append(len(g))
    w = []
    for r in rows:
        counts = per_label[r["label"]]
        w.append(sum(counts) / len(counts) / len(groups[(r["label"], r["kind"])]))
    return np.array(w)


def fit(x, y, w, l2):
    n, k = x.shape

    def loss(theta):
        b, beta = theta[0], theta[1:]
        z = b + x @ beta
        # log(1 + e^z) - y z, stable
        ll = np.logaddexp(0, z) - y * z
        p = 1 / (1 + np.exp(-z))
        grad_z = (p - y) * w
        f = (w * ll).sum() / w.sum() + l2 * (beta @ beta)
        g = np.concatenate([[grad_z.sum()], x.T @ grad_z]) / w.sum()
        g[1:] += 2 * l2 * beta
        return f, g

    bounds = [(None, None)] + [(0, None) if SIGNS[n] > 0 else (None, 0) for n in NAMES]
    r = minimize(loss, np.zeros(k + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    if not r.success:
        sys.exit(f"fit did not converge: {r.message}")
    return r.x[0], r.x[1:]


def scores(rows, b, beta, names):
    out = []
    for r in rows:
        if not resembles(r):
            out.append(0.0)
            continue
        z = b + sum(beta[i] * r["inputs"][n] for i, n in enumerate(names)) \
            + sum(beta[names.index(to)] * r["inputs"][t] for t, to in TIED.items())
        out.append(1 / (1 + math.exp(-z)))
    return out


def report(label, rows, b, beta, names, threshold):
    s = scores(rows, b, beta, names)
    tp = sum(1 for r, p in zip(rows, s) if p >= threshold and r["label"] == "impostor")
    fp = sum(1 for r, p in zip(rows, s) if p >= threshold and r["label"] != "impostor")
    fn = sum(1 for r, p in zip(rows, s) if p < threshold and r["label"] == "impostor")
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    line = f"{label}: {len(rows)} accounts, P {prec:.3f} R {rec:.3f} F1 {f1:.3f} (FP {fp}, FN {fn})"
    print(line)
    return line


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", nargs="+", required=True, help="features.jsonl files to fit on")
    ap.add_argument("--validate", nargs="*", default=[], help="features.jsonl files only to report on")
    ap.add_argument("--l2", type=float, default=0.001)
    ap.add_argument("--threshold", type=float, default=0.5, help="[detection] suspect_threshold")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--note", default="", help="where the sets came from (seeds, registries)")
    a = ap.parse_args()

    global NAMES
    rows = load(a.train)
    NAMES = list(SIGNS)
    missing = (set(NAMES) | set(TIED)) - set(rows[0]["inputs"])
    extra = set(rows[0]["inputs"]) - set(NAMES) - set(TIED)
    if missing or extra:
        sys.exit(f"inputs differ from the model's features: missing {missing}, unknown {extra}")
    fitted = [r for r in rows if resembles(r)]
    x, y = matrix(fitted, NAMES)
    b, beta = fit(x, y, kind_weights(fitted), a.l2)

    old = {}
    if a.out.exists():
        for line in a.out.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                k, v = line.split("\t")
                old[k] = float(v)
    moved = max([abs(old.get("intercept", 0) - b)] + [abs(old.get(n, 0) - w) for n, w in zip(NAMES, beta)])
    print(f"intercept {b:+.3f}  " + "  ".join(f"{n} {w:+.3f}" for n, w in zip(NAMES, beta)))
    print(f"largest change from {a.out}: {moved:.3f}")
    lines = [report("train", rows, b, beta, NAMES, a.threshold)]
    for v in a.validate:
        lines.append(report(f"validate {Path(v).parent.name}", load([v]), b, beta, NAMES, a.threshold))

    header = [
        "# The detector's fitted combination (src/detect/model.rs): logistic regression on the",
        "# inputs of `eval --features`. Written by scripts/fit_detector.py; do not edit by hand.",
        f"# fitted {datetime.date.today().isoformat()} on {len(rows)} accounts ({len(fitted)} with any resemblance),",
        f"# L2 {a.l2}, every kind weighing the same within its label.",
    ]
    if a.note:
        header.append(f"# sets: {a.note}")
    header += [f"# {line}" for line in lines]
    body = [f"intercept\t{b:.4f}"] + [f"{n}\t{w:.4f}" for n, w in zip(NAMES, beta)] \
        + [f"{t}\t{beta[NAMES.index(to)]:.4f}" for t, to in TIED.items()]
    a.out.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
