#!/usr/bin/env python3
"""Collects a background corpus of real, varied avatar-like images (issue 10).

    python3 scripts/collect_background.py            # → ~/.cache/narisumashi/background
    python3 scripts/collect_background.py --out DIR --icons 2400 --crops-per-photo 40

The detector calibrates each official avatar against it: how close does an *unrelated* picture
come to this one? So the pictures must be real and varied, not drawn by our own generator:

- icons from Debian's icon-theme packages (Adwaita, Papirus, Breeze, Tango; installed with
  apt-get when missing), SVGs rasterised with cairosvg, the largest PNG otherwise, each
  composited onto an opaque square the way avatars are: a colour icon on white, on a pale tint
  or on a saturated colour; a monochrome (symbolic) glyph in white or black on a saturated
  colour — the "flat logo" style of many official accounts;
- the photographs that ship inside the scikit-image wheel (`skimage/data/*`, nothing fetched),
  each whole (centre square) and as many square crops of varied size and position, plus a few of
  the small face photographs of its bundled LFW subset.

A fifth of the icons (chosen by a hash of their path) and five photographs are left out (see
`held_out`): `gen_eval.py` draws its official logos and innocent look-alikes from that part only, so a
detector calibrated on this folder is never scored on the very pictures it was calibrated on.

One 200×200 RGB PNG per image, and `manifest.tsv` (file, kind, source, style). Deterministic:
the same packages and the same `--seed` give the same files (every choice comes from a
`random.Random` seeded with the seed and the source's path). A finished folder is stamped;
running again with the same settings does nothing unless `--force`.
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import importlib
import io
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

SIZE = 200
ICON_ROOT = Path("/usr/share/icons")
# (theme folder, Debian package, share of the icon quota)
THEMES = [
    ("Papirus", "papirus-icon-theme", 0.45),
    ("breeze", "breeze-icon-theme", 0.25),
    ("Adwaita", "adwaita-icon-theme", 0.20),
    ("Tango", "tango-icon-theme", 0.10),
]
PY_DEPS = [("PIL", "pillow"), ("numpy", "numpy"), ("cairosvg", "cairosvg"),
           ("skimage", "scikit-image")]
# Photographs of scikit-image's wheel that look like something a person could upload (the
# multi-page TIFFs, masks and arrays are left out).
SKIMAGE_PHOTOS = ["astronaut.png", "brick.png", "camera.png", "cell.png", "chelsea.png",
                  "chessboard_RGB.png", "clock_motion.png", "coffee.png", "coins.png", "color.png",
                  "grass.png", "gravel.png", "horse.png", "hubble_deep_field.jpg", "ihc.png",
                  "logo.png", "microaneurysms.png", "moon.png", "motorcycle_left.png",
                  "motorcycle_right.png", "page.png", "phantom.png", "retina.jpg", "rocket.jpg",
                  "text.png"]




# Photographs kept for evaluation sets (official photo avatars, innocents' pictures).
HELD_OUT_PHOTOS = {"chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_right.png", "coins.png"}


def held_out(key: str) -> bool:
    """True for what is kept for evaluation sets: a fifth of the icons, chosen by a hash of
    their path below /usr/share/icons, and the photographs of `HELD_OUT_PHOTOS` (`key` is then
    `skimage:<file>`)."""
    if key.startswith("skimage:"):
        return key.split(":", 1)[1] in HELD_OUT_PHOTOS
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 5 == 0


# --------------------------------------------------------------------------------------------
# Installing what is missing


def ensure_python_deps(install: bool) -> None:
    missing = []
    for module, package in PY_DEPS:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if not missing:
        return
    if not install:
        sys.exit(f"missing Python packages: {' '.join(missing)} (pip install them)")
    print(f"pip install {' '.join(missing)}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=True)
    importlib.invalidate_caches()


def ensure_icon_themes(install: bool) -> list[tuple[str, str, float]]:
    """The themes that are (or could be made) present."""
    missing = [pkg for theme, pkg, _ in THEMES if not (ICON_ROOT / theme / "index.theme").exists()]
    if missing and install and shutil.which("apt-get"):
        cmd = ["apt-get", "install", "-y", "-qq", *missing]
        if os.geteuid() != 0:
            cmd = ["sudo", "-n", *cmd] if shutil.which("sudo") else None
        if cmd:
            print(" ".join(cmd), file=sys.stderr)
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            if subprocess.run(cmd, env=env).returncode != 0:
                update = cmd[: cmd.index("install")] + ["update", "-qq"]
                subprocess.run(update, env=env)
                subprocess.run(cmd, env=env)
    present = [t for t in THEMES if (ICON_ROOT / t[0] / "index.theme").exists()]
    for theme, pkg, _ in THEMES:
        if (theme, pkg) not in [(t, p) for t, p, _ in present]:
            print(f"warning: icon theme {theme} ({pkg}) is not installed; skipped",
                  file=sys.stderr)
    return present


# --------------------------------------------------------------------------------------------
# Icons


def size_of(part: str) -> int | None:
    """The pixel size a theme folder name stands for (`64x64`, `48`, `scalable`, `symbolic`)."""
    if part in ("scalable", "symbolic"):
        return 10_000
    if part.endswith("@2x"):
        part = part[:-3]
    if "x" in part:
        a, _, b = part.partition("x")
        if a.isdigit() and b.isdigit():
            return int(a)
    if part.isdigit():
        return int(part)
    return None


def index_theme(theme: str) -> list[tuple[str, str, Path]]:
    """One (context, name, best file) per icon: an SVG if there is one, else the largest PNG.
    Files reached through several links count once."""
    root = ICON_ROOT / theme
    best: dict[tuple[str, str], tuple[int, Path]] = {}
    for dirpath, _dirs, files in os.walk(root):
        rel = Path(dirpath).relative_to(root).parts
        if any(p in ("cursors", "animations") for p in rel):
            continue
        sizes = [s for s in (size_of(p) for p in rel) if s is not None]
        size = max(sizes) if sizes else 0
        contexts = [p for p in rel if size_of(p) is None]
        context = contexts[0] if contexts else "misc"
        for f in files:
            if not f.endswith((".svg", ".png")):
                continue
            name = f.rsplit(".", 1)[0]
            key = (context, name)
            rank = size + (1 if f.endswith(".svg") else 0)
            if key not in best or rank > best[key][0] or (
                    rank == best[key][0] and str(Path(dirpath) / f) < str(best[key][1])):
                best[key] = (rank, Path(dirpath) / f)
    seen: set[Path] = set()
    out = []
    for (context, name), (_, path) in sorted(best.items()):
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real in seen or real.stat().st_size == 0:
            continue
        seen.add(real)
        out.append((context, name, real))
    return out


def pick_icons(entries, quota: int, rng: random.Random):
    """`quota` icons spread over the theme's contexts (apps, places, mimetypes, actions, …)."""
    by_context: dict[str, list] = {}
    for e in entries:
        by_context.setdefault(e[0], []).append(e)
    for v in by_context.values():
        rng.shuffle(v)
    order = sorted(by_context)
    out = []
    while len(out) < quota and any(by_context.values()):
        for c in order:
            if by_context[c] and len(out) < quota:
                out.append(by_context[c].pop())
    return out


def load_icon(path: Path, px: int):
    """The icon as an RGBA image `px` wide, or None when it cannot be drawn."""
    from PIL import Image

    try:
        if path.suffix == ".svg":
            import cairosvg

            data = cairosvg.svg2png(url=str(path), output_width=px, output_height=px,
                                    unsafe=False)
            img = Image.open(io.BytesIO(data))
        else:
            img = Image.open(path)
            img.load()
        img = img.convert("RGBA")
    except Exception:  # noqa: BLE001 — a broken icon in a theme is skipped, not fatal
        return None
    if img.getbbox() is None:
        return None
    if img.size != (px, px):
        img = img.resize((px, px), Image.LANCZOS)
    return img


def saturated(rng: random.Random) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.45, 0.95), rng.uniform(0.45, 0.9))
    return int(r * 255), int(g * 255), int(b * 255)


def pale(rng: random.Random) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.05, 0.25), rng.uniform(0.9, 1.0))
    return int(r * 255), int(g * 255), int(b * 255)


def is_monochrome(img) -> bool:
    """True for a symbolic glyph: its visible pixels are (nearly) one grey colour."""
    import numpy as np

    a = np.asarray(img, dtype=np.float32)
    visible = a[..., 3] > 128
    if visible.sum() < 20:
        return True
    rgb = a[..., :3][visible]
    spread = rgb.max(axis=1) - rgb.min(axis=1)
    return float(spread.mean()) < 12 and float(rgb.std(axis=0).mean()) < 30


def avatar_from_icon(icon_path: Path, rng: random.Random):
    """An opaque square avatar made of the icon, and a word for the style used."""
    from PIL import Image

    scale = rng.uniform(0.55, 0.85)
    px = max(16, int(SIZE * scale))
    icon = load_icon(icon_path, px)
    if icon is None:
        return None, None
    if is_monochrome(icon):
        bg = saturated(rng)
        ink = (255, 255, 255) if rng.random() < 0.75 else (20, 20, 20)
        alpha = icon.getchannel("A")
        icon = Image.new("RGBA", icon.size, ink + (255,))
        icon.putalpha(alpha)
        style = "glyph_on_colour"
    else:
        r = rng.random()
        if r < 0.45:
            bg, style = (255, 255, 255), "on_white"
        elif r < 0.6:
            bg, style = pale(rng), "on_tint"
        else:
            bg, style = saturated(rng), "on_colour"
    canvas = Image.new("RGBA", (SIZE, SIZE), bg + (255,))
    off = ((SIZE - px) // 2 + rng.randint(-6, 6), (SIZE - px) // 2 + rng.randint(-6, 6))
    canvas.alpha_composite(icon, dest=(max(0, off[0]), max(0, off[1])))
    return canvas.convert("RGB"), style


# --------------------------------------------------------------------------------------------
# Photographs


def skimage_data_dir() -> Path:
    import skimage

    return Path(skimage.__file__).resolve().parent / "data"


def load_photo(path: Path):
    from PIL import Image

    img = Image.open(path)
    img.load()
    if img.mode in ("I;16", "I", "F"):
        import numpy as np

        a = np.asarray(img, dtype=np.float64)
        a = (255 * (a - a.min()) / max(1e-9, a.max() - a.min())).astype("uint8")
        img = Image.fromarray(a)
    return img.convert("RGB")


def square(img, left: int, top: int, side: int):
    from PIL import Image

    return img.crop((left, top, left + side, top + side)).resize((SIZE, SIZE), Image.LANCZOS)


def photo_images(crops_per_photo: int, faces: int, seed: int):
    """(image, kind, source, style) for every photograph, crop and face."""
    import numpy as np
    from PIL import Image

    data = skimage_data_dir()
    for name in SKIMAGE_PHOTOS:
        path = data / name
        if held_out(f"skimage:{name}"):
            continue
        if not path.exists():
            print(f"warning: {path} is not in this scikit-image wheel; skipped", file=sys.stderr)
            continue
        img = load_photo(path)
        w, h = img.size
        side = min(w, h)
        rng = random.Random(f"{seed}:photo:{name}")
        yield square(img, (w - side) // 2, (h - side) // 2, side), "photo", f"skimage:{name}", \
            "centre_square"
        for _ in range(crops_per_photo):
            s = max(24, int(side * rng.uniform(0.2, 0.9)))
            left, top = rng.randint(0, w - s), rng.randint(0, h - s)
            yield square(img, left, top, s), "photo_crop", f"skimage:{name}", \
                f"crop_{left}_{top}_{s}"
    lfw = data / "lfw_subset.npy"
    if faces and lfw.exists():
        arr = np.load(lfw)
        rng = random.Random(f"{seed}:faces")
        for i in sorted(rng.sample(range(len(arr)), min(faces, len(arr)))):
            a = (np.clip(arr[i], 0, 1) * 255).astype("uint8")
            img = Image.fromarray(a).convert("RGB").resize((SIZE, SIZE), Image.BICUBIC)
            yield img, "face", f"skimage:lfw_subset.npy[{i}]", "upscaled"


# --------------------------------------------------------------------------------------------


def stamp_of(args, themes) -> str:
    script = Path(__file__).read_bytes()
    parts = [hashlib.sha256(script).hexdigest(), str(args.seed), str(args.icons),
             str(args.crops_per_photo), str(args.faces), ",".join(t for t, _, _ in themes)]
    return "\n".join(parts) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path,
                    default=Path.home() / ".cache" / "narisumashi" / "background")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--icons", type=int, default=2400, help="icons in all, over the themes")
    ap.add_argument("--crops-per-photo", type=int, default=40)
    ap.add_argument("--faces", type=int, default=100, help="faces from the bundled LFW subset")
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get / pip install what is missing")
    ap.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = ap.parse_args()

    ensure_python_deps(not args.no_install)
    themes = ensure_icon_themes(not args.no_install)
    out = args.out.expanduser()
    stamp = stamp_of(args, themes)
    stamp_file = out / ".complete"
    if not args.force and stamp_file.exists() and stamp_file.read_text() == stamp:
        print(f"{out}: up to date ({sum(1 for _ in out.glob('*.png'))} images)")
        return
    out.mkdir(parents=True, exist_ok=True)
    stamp_file.unlink(missing_ok=True)
    for old in out.glob("*.png"):
        old.unlink()

    rows = []
    n = 0

    def write(img, kind, source, style, label):
        nonlocal n
        n += 1
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in label)[:60]
        name = f"{n:05d}-{safe}.png"
        img.save(out / name, "PNG")
        rows.append((name, kind, source, style))

    total_share = sum(share for _, _, share in themes) or 1
    for theme, pkg, share in themes:
        quota = round(args.icons * share / total_share)
        entries = [e for e in index_theme(theme)
                   if not held_out(str(e[2].relative_to(ICON_ROOT)))]
        rng = random.Random(f"{args.seed}:pick:{theme}")
        # Draw more than needed: a few icons in every theme do not render.
        picked = pick_icons(entries, int(quota * 1.15) + 10, rng)
        done = 0
        for context, name, path in picked:
            if done >= quota:
                break
            rel = path.relative_to(ICON_ROOT)
            img, style = avatar_from_icon(path, random.Random(f"{args.seed}:icon:{rel}"))
            if img is None:
                continue
            write(img, "icon", f"{pkg}:{rel}", style, f"{theme}-{context}-{name}")
            done += 1
        print(f"{theme}: {done} icons of {len(entries)}", file=sys.stderr)
    n_icons = len(rows)
    for img, kind, source, style in photo_images(args.crops_per_photo, args.faces, args.seed):
        write(img, kind, source, style, source.split(":", 1)[1].split(".")[0] + "-" + kind)
    with open(out / "manifest.tsv", "w", encoding="utf-8") as f:
        f.write("file\tkind\tsource\tstyle\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    stamp_file.write_text(stamp)
    print(f"wrote {len(rows)} images to {out} ({n_icons} icons, {len(rows) - n_icons} photos, "
          f"crops and faces); manifest.tsv lists their sources")


if __name__ == "__main__":
    main()
