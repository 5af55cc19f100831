#!/usr/bin/env python3
"""Synthetic workload for scripts/bench: a registry of K official accounts, N candidates, and A
distinct avatars of realistic sizes (48-400 px) and formats (JPEG and PNG, RGB, greyscale,
palette, RGBA), with a few per cent of look-alikes (typos, copied names, copied avatars) and
duplicates, so every path of a scan is exercised. Needs Pillow. Deterministic per --seed.

  bench_workload.py --out DIR --officials K --candidates N --avatars A [--seed S]
"""
import argparse, json, os, random

from PIL import Image, ImageDraw

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--officials", type=int, default=14)
ap.add_argument("--candidates", type=int, default=20000)
ap.add_argument("--avatars", type=int, default=5000)
ap.add_argument("--seed", type=int, default=9)
ap.add_argument("--reuse-avatars", help="directory of avatars made by an earlier run")
a = ap.parse_args()
rng = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

places = []
with open(os.path.join(root, "data", "municipalities.tsv"), encoding="utf-8") as f:
    next(f)
    for line in f:
        code, pref, name, kana, stem, stem_kana, romaji = line.rstrip("\n").split("\t")
        places.append((name, romaji))

# --- avatars -------------------------------------------------------------------------------
avatar_dir = a.reuse_avatars or os.path.join(a.out, "avatars")
os.makedirs(avatar_dir, exist_ok=True)


def avatar(i):
    size = rng.choice([48, 64, 96, 128, 200, 200, 240, 256, 300, 400, 400])
    mode = rng.choice(["RGB", "RGB", "RGB", "L", "P", "RGBA"])
    bg = tuple(rng.randrange(256) for _ in range(3))
    img = Image.new("RGB", (size, size), bg)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(2, 6)):
        x0, y0 = rng.randrange(size), rng.randrange(size)
        x1, y1 = x0 + rng.randrange(size // 2 + 1), y0 + rng.randrange(size // 2 + 1)
        fill = tuple(rng.randrange(256) for _ in range(3))
        (d.ellipse if rng.random() < 0.5 else d.rectangle)([x0, y0, x1, y1], fill=fill)
    if mode != "RGB":
        img = img.convert(mode)
    if rng.random() < 0.5 and mode in ("RGB", "L"):
        name = f"a{i:05d}.jpg"
        img.save(os.path.join(avatar_dir, name), quality=rng.choice([75, 85, 92]))
    else:
        name = f"a{i:05d}.png"
        img.save(os.path.join(avatar_dir, name))
    return name


if a.reuse_avatars:
    names = sorted(os.listdir(avatar_dir))[: a.avatars]
else:
    names = [avatar(i) for i in range(a.avatars)]
rel = os.path.relpath(avatar_dir, a.out)
paths = [os.path.join(rel, n) for n in names]

# --- registry --------------------------------------------------------------------------------
depts = [("広報", "koho"), ("防災", "bousai"), ("観光", "kanko"), ("子育て", "kosodate"),
         ("図書館", "library"), ("水道", "suido"), ("選挙", "senkyo"), ("議会", "gikai"),
         ("健康", "kenko"), ("移住", "iju"), ("農業", "nogyo"), ("消防", "shobo")]
platforms = ["x", "bluesky", "instagram", "misskey"]
officials = []
seen = set()
while len(officials) < a.officials:
    place, romaji = rng.choice(places)
    dept, dr = rng.choice(depts)
    handle = f"{romaji}_{dr}" if len(officials) % 3 else f"city_{romaji}_{dr}"
    if handle in seen:
        continue
    seen.add(handle)
    officials.append({"platform": rng.choice(platforms), "handle": handle,
                      "display_name": f"{place}{dept}", "avatar": paths[len(officials) % len(paths)]})
with open(os.path.join(a.out, "narisumashi.toml"), "w", encoding="utf-8") as f:
    f.write('[organization]\nname = "文京区"\ndepartment = "区民部経済課"\n'
            'website = "https://www.city.bunkyo.lg.jp/"\n\n[storage]\ndatabase = "bench.db"\n\n')
    for o in officials:
        f.write(f'[[official]]\nplatform = "{o["platform"]}"\nhandle = "{o["handle"]}"\n'
                f'display_name = "{o["display_name"]}"\nurl = "https://example.jp/{o["handle"]}"\n'
                f'avatar = "{o["avatar"]}"\n\n')
    f.write('[[source]]\nkind = "file"\npath = "candidates.jsonl"\n')
with open(os.path.join(a.out, "officials.json"), "w", encoding="utf-8") as f:
    json.dump(officials, f, ensure_ascii=False)

# --- candidates ------------------------------------------------------------------------------
letters = "abcdefghijklmnopqrstuvwxyz_"
words = ["ラーメン", "カフェ", "東京", "太郎", "花子", "情報", "写真", "本郷", "白山", "応援",
         "猫", "旅行", "日記", "グルメ", "まちづくり"]


def typo(h):
    i = rng.randrange(len(h))
    return h[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + h[i + 1:]


with open(os.path.join(a.out, "candidates.jsonl"), "w", encoding="utf-8") as f:
    recent = []
    for i in range(a.candidates):
        r = rng.random()
        line = {"platform": rng.choice(platforms)}
        if r < 0.01 and recent:  # the same account seen twice
            line = dict(rng.choice(recent))
        elif r < 0.04:  # a look-alike of an official account
            o = rng.choice(officials)
            kind = rng.randrange(3)
            line["handle"] = typo(o["handle"]) if kind == 0 else f"{o['handle']}_{rng.randrange(100)}"
            line["display_name"] = o["display_name"] if kind != 2 else "【公式】" + o["display_name"]
            line["bio"] = o["display_name"] + "の公式アカウントです"
            line["avatar"] = o["avatar"] if kind != 0 else rng.choice(paths)
        else:
            place, romaji = rng.choice(places)
            line["handle"] = "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) + str(i)
            line["display_name"] = "".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
            if rng.random() < 0.2:
                line["display_name"] = place + line["display_name"]
            line["bio"] = line["display_name"] + "について発信しています"
            if rng.random() < 0.9:
                line["avatar"] = rng.choice(paths)
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
        if i % 97 == 0:
            recent = (recent + [line])[-50:]
