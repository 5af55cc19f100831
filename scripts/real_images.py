"""Real pictures for the evaluation sets: icons from Debian's icon themes and photographs from
scikit-image's wheel — only the part that `collect_background.py` leaves out of the background
corpus (`held_out`), so a detector calibrated on that corpus is not scored on its own pictures.

    pip install pillow numpy cairosvg scikit-image
    apt-get install tango-icon-theme adwaita-icon-theme papirus-icon-theme breeze-icon-theme

Not a script of its own; used by `gen_eval.py` and `eval_registry.py`. When a theme or
scikit-image is missing, `available()` says so and the callers fall back to drawn pictures.
"""

from __future__ import annotations

import random
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import collect_background as cb  # noqa: E402

# Tango is in the public domain; its icons are the ones committed in fixtures/.
DEFAULT_THEMES = ("Tango", "Adwaita", "Papirus", "breeze")


class RealImages:
    def __init__(self, themes=DEFAULT_THEMES):
        self.themes = [t for t in themes if (cb.ICON_ROOT / t / "index.theme").exists()]
        missing = [t for t in themes if t not in self.themes]
        if missing:
            print(f"warning: icon themes not installed: {', '.join(missing)}", file=sys.stderr)
        try:
            import cairosvg  # noqa: F401
            import numpy  # noqa: F401
            self.can_draw_icons = True
        except ImportError:
            print("warning: cairosvg/numpy missing: no real icons (pip install cairosvg numpy)",
                  file=sys.stderr)
            self.can_draw_icons = False
        try:
            self.photo_dir = cb.skimage_data_dir()
        except ImportError:
            print("warning: scikit-image missing: no real photographs", file=sys.stderr)
            self.photo_dir = None

    @lru_cache(maxsize=None)
    def icons(self) -> list[Path]:
        """Held-out icon files of the chosen themes, sorted (deterministic)."""
        if not self.can_draw_icons:
            return []
        out = []
        for theme in self.themes:
            for _context, _name, path in cb.index_theme(theme):
                if cb.held_out(str(path.relative_to(cb.ICON_ROOT))):
                    out.append(path)
        return sorted(set(out))

    def available(self) -> bool:
        return bool(self.icons())

    def glyph(self, rng: random.Random, exclude: set[Path] | None = None, tries: int = 40,
              like: Path | None = None):
        """A monochrome (symbolic) icon as RGBA 256 px, and its path; (None, None) if none.
        `like`: draw from the same theme and context (`Papirus/…/actions`) as that icon."""
        from PIL import Image

        icons = self.icons()
        if like is not None:
            same = [p for p in icons if same_set(p, like) and p != like]
            icons = same or icons
        for _ in range(tries):
            if not icons:
                break
            path = rng.choice(icons)
            if exclude and path in exclude:
                continue
            img = cb.load_icon(path, 256)
            if img is None:
                continue
            if cb.is_monochrome(img):
                return img, path
            # A colour icon becomes a glyph by its silhouette.
            if rng.random() < 0.3:
                sil = Image.new("RGBA", img.size, (255, 255, 255, 255))
                sil.putalpha(img.getchannel("A"))
                return sil, path
        return None, None

    def colour_icon(self, rng: random.Random, tries: int = 40):
        """A full-colour icon as RGBA 256 px, and its path."""
        icons = self.icons()
        for _ in range(tries):
            if not icons:
                break
            path = rng.choice(icons)
            img = cb.load_icon(path, 256)
            if img is not None and not cb.is_monochrome(img):
                return img, path
        return None, None

    def photos(self) -> list[Path]:
        if self.photo_dir is None:
            return []
        return [self.photo_dir / n for n in sorted(cb.HELD_OUT_PHOTOS)
                if (self.photo_dir / n).exists()]

    def photo_crop(self, rng: random.Random, size: int = 400):
        """A square crop of a held-out photograph, or None."""
        photos = self.photos()
        if not photos:
            return None
        img = cb.load_photo(rng.choice(photos))
        w, h = img.size
        side = min(w, h)
        s = max(32, int(side * rng.uniform(0.35, 1.0)))
        left, top = rng.randint(0, w - s), rng.randint(0, h - s)
        from PIL import Image

        return img.crop((left, top, left + s, top + s)).resize((size, size), Image.LANCZOS)


def icon_set(path: Path) -> tuple[str, str]:
    """(theme, context) of an icon file below /usr/share/icons."""
    parts = path.relative_to(cb.ICON_ROOT).parts
    contexts = [p for p in parts[1:-1] if cb.size_of(p) is None]
    return parts[0], (contexts[0] if contexts else "")


def same_set(a: Path, b: Path) -> bool:
    try:
        return icon_set(a) == icon_set(b)
    except ValueError:
        return False


def flat_logo(glyph, background, size: int = 400, scale: float = 0.62, ink=(255, 255, 255),
              offset=(0, 0)):
    """A flat logo: one glyph in `ink` on a square of `background`."""
    from PIL import Image

    px = max(16, int(size * scale))
    g = glyph.resize((px, px), Image.LANCZOS)
    alpha = g.getchannel("A")
    g = Image.new("RGBA", g.size, tuple(ink) + (255,))
    g.putalpha(alpha)
    canvas = Image.new("RGBA", (size, size), tuple(background) + (255,))
    canvas.alpha_composite(g, dest=((size - px) // 2 + offset[0], (size - px) // 2 + offset[1]))
    return canvas.convert("RGB")


def on_background(icon, background, size: int = 400, scale: float = 0.7):
    """A colour icon composited on a square of `background`."""
    from PIL import Image

    px = max(16, int(size * scale))
    g = icon.resize((px, px), Image.LANCZOS)
    canvas = Image.new("RGBA", (size, size), tuple(background) + (255,))
    canvas.alpha_composite(g, dest=((size - px) // 2, (size - px) // 2))
    return canvas.convert("RGB")
