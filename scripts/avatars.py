"""Synthetic avatars for the demo fixtures and the evaluation set (no copyrighted logos).

    pip install pillow

Everything here is deterministic given a `random.Random`: the same seed gives the same bytes.
Used by `gen_fixtures.py` and `gen_eval.py`; not a script of its own.
"""

from __future__ import annotations

import colorsys
import io
import math
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageOps

SIZE = 400


def _colour(rng: random.Random, sat=(0.5, 0.9), val=(0.55, 0.95)) -> tuple[int, int, int]:
    h = rng.random()
    s = rng.uniform(*sat)
    v = rng.uniform(*val)
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def _strokes(draw: ImageDraw.ImageDraw, rng: random.Random, box, colour, n_glyphs: int):
    """Text-like strokes: a row of kanji-ish glyphs built from bars and hooks."""
    x0, y0, x1, y1 = box
    gw = (x1 - x0) / n_glyphs
    for i in range(n_glyphs):
        gx = x0 + i * gw + gw * 0.12
        gs = gw * 0.76
        for _ in range(rng.randint(3, 6)):
            kind = rng.random()
            if kind < 0.4:  # horizontal bar
                yy = y0 + rng.uniform(0.1, 0.9) * (y1 - y0)
                a = gx + rng.uniform(0, 0.3) * gs
                b = gx + rng.uniform(0.6, 1.0) * gs
                draw.line([(a, yy), (b, yy)], fill=colour, width=max(2, int(gs * 0.09)))
            elif kind < 0.75:  # vertical bar
                xx = gx + rng.uniform(0.1, 0.9) * gs
                a = y0 + rng.uniform(0, 0.3) * (y1 - y0)
                b = y0 + rng.uniform(0.6, 1.0) * (y1 - y0)
                draw.line([(xx, a), (xx, b)], fill=colour, width=max(2, int(gs * 0.09)))
            else:  # diagonal sweep
                a = (gx + rng.uniform(0, 0.5) * gs, y0 + rng.uniform(0, 0.4) * (y1 - y0))
                b = (gx + rng.uniform(0.5, 1) * gs, y0 + rng.uniform(0.6, 1) * (y1 - y0))
                if rng.random() < 0.5:
                    a, b = (b[0], a[1]), (a[0], b[1])
                draw.line([a, b], fill=colour, width=max(2, int(gs * 0.08)))


def emblem(rng: random.Random, size: int = SIZE) -> Image.Image:
    """A detailed emblem: a two-colour background (gradient or split), a mark made of a disc or
    ring and a polygon, a few dots, and a band of text-like strokes. The layout varies (mark
    position, ring or not, band at the bottom, top or side, or none), as unrelated avatars do;
    rich enough that its perceptual hash is distinctive."""
    c1, c2, c3 = _colour(rng), _colour(rng), _colour(rng, val=(0.2, 0.5))
    img = Image.new("RGB", (size, size))
    px = img.load()
    angle = rng.uniform(0, math.tau)
    ca, sa = math.cos(angle), math.sin(angle)
    split = rng.random() < 0.35
    for y in range(size):
        for x in range(size):
            t = ((x - size / 2) * ca + (y - size / 2) * sa) / size + 0.5
            t = (1.0 if t > 0.5 else 0.0) if split else min(1.0, max(0.0, t))
            px[x, y] = tuple(int(c1[i] * (1 - t) + c2[i] * t) for i in range(3))
    d = ImageDraw.Draw(img)
    band = rng.choice(["bottom", "bottom", "top", "side", "none"])
    cx = size * rng.uniform(0.3, 0.7)
    cy = size * (rng.uniform(0.3, 0.5) if band == "bottom" else rng.uniform(0.35, 0.65))
    if band == "side":
        cx = size * rng.uniform(0.45, 0.7)
    r = size * rng.uniform(0.18, 0.32)
    if rng.random() < 0.6:
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_colour(rng, sat=(0, 0.3), val=(0.85, 1)))
        d.ellipse([cx - r * 0.8, cy - r * 0.8, cx + r * 0.8, cy + r * 0.8], fill=c3)
    else:
        d.rounded_rectangle([cx - r, cy - r, cx + r, cy + r], radius=r * rng.uniform(0, 0.5),
                            fill=c3)
    k = rng.randint(3, 8)
    rot = rng.uniform(0, math.tau)
    pts = [
        (
            cx + r * 0.65 * math.cos(rot + j * math.tau / k) * (1 if j % 2 else rng.uniform(0.4, 1)),
            cy + r * 0.65 * math.sin(rot + j * math.tau / k) * (1 if j % 2 else rng.uniform(0.4, 1)),
        )
        for j in range(k)
    ]
    d.polygon(pts, fill=_colour(rng, val=(0.8, 1.0)))
    for _ in range(rng.randint(2, 5)):
        bx, by = rng.uniform(0, size), rng.uniform(0, size)
        br = size * rng.uniform(0.03, 0.09)
        d.ellipse([bx - br, by - br, bx + br, by + br], fill=_colour(rng))
    band_colour = _colour(rng, sat=(0, 0.2), val=(0.9, 1))
    if band in ("bottom", "top"):
        top = size * (rng.uniform(0.74, 0.8) if band == "bottom" else rng.uniform(0.03, 0.08))
        d.rectangle([0, top, size, top + size * 0.16], fill=band_colour)
        _strokes(d, rng, (size * 0.06, top + size * 0.02, size * 0.94, top + size * 0.14),
                 c3, rng.randint(4, 7))
    elif band == "side":
        d.rectangle([0, 0, size * 0.22, size], fill=band_colour)
        for row in range(rng.randint(3, 5)):
            y0 = size * (0.08 + row * 0.19)
            _strokes(d, rng, (size * 0.03, y0, size * 0.19, y0 + size * 0.14), c3, 1)
    return img


FLAT_SHAPES = ["circle", "square", "triangle", "house", "drop", "star", "bar"]


def flat_icon(rng: random.Random, background, foreground, size: int = SIZE,
              shape: str | None = None) -> Image.Image:
    """A flat icon: one background colour, one simple white-ish shape. Icons like this in the
    same palette hash alike even when they show different things."""
    img = Image.new("RGB", (size, size), background)
    d = ImageDraw.Draw(img)
    s = size
    shape = shape or rng.choice(FLAT_SHAPES)
    m = s * rng.uniform(0.22, 0.3)
    if shape == "circle":
        d.ellipse([m, m, s - m, s - m], fill=foreground)
    elif shape == "square":
        d.rounded_rectangle([m, m, s - m, s - m], radius=s * 0.06, fill=foreground)
    elif shape == "triangle":
        d.polygon([(s / 2, m), (s - m, s - m), (m, s - m)], fill=foreground)
    elif shape == "house":
        d.polygon([(s / 2, m), (s - m, s * 0.48), (m, s * 0.48)], fill=foreground)
        d.rectangle([m * 1.3, s * 0.48, s - m * 1.3, s - m], fill=foreground)
    elif shape == "drop":
        d.ellipse([m, s * 0.4, s - m, s - m], fill=foreground)
        d.polygon([(s / 2, m), (s - m * 1.05, s * 0.58), (m * 1.05, s * 0.58)], fill=foreground)
    elif shape == "star":
        pts = []
        for j in range(10):
            rr = (s / 2 - m) * (1 if j % 2 == 0 else 0.45)
            a = -math.pi / 2 + j * math.pi / 5
            pts.append((s / 2 + rr * math.cos(a), s / 2 + rr * math.sin(a)))
        d.polygon(pts, fill=foreground)
    else:
        d.rectangle([m, s * 0.42, s - m, s * 0.58], fill=foreground)
    return img


def default_silhouette(size: int = 400, background=(207, 217, 222), foreground=(255, 255, 255)):
    """A platform's default avatar: a grey background and a head-and-shoulders silhouette."""
    img = Image.new("RGB", (size, size), background)
    d = ImageDraw.Draw(img)
    s = size
    d.ellipse([s * 0.34, s * 0.18, s * 0.66, s * 0.5], fill=foreground)
    d.ellipse([s * 0.18, s * 0.56, s * 0.82, s * 1.15], fill=foreground)
    return img


def portrait(rng: random.Random, size: int = SIZE) -> Image.Image:
    """A person-like photo avatar (mayor, council member): a soft background, a face shape,
    shoulders in a suit colour, some texture."""
    bg = _colour(rng, sat=(0.1, 0.4), val=(0.6, 0.95))
    img = Image.new("RGB", (size, size), bg)
    d = ImageDraw.Draw(img)
    s = size
    for _ in range(40):
        x, y = rng.uniform(0, s), rng.uniform(0, s * 0.6)
        r = rng.uniform(5, 30)
        c = tuple(min(255, max(0, v + rng.randint(-30, 30))) for v in bg)
        d.ellipse([x - r, y - r, x + r, y + r], fill=c)
    suit = _colour(rng, sat=(0.2, 0.6), val=(0.15, 0.45))
    d.ellipse([s * 0.12, s * 0.62, s * 0.88, s * 1.3], fill=suit)
    d.polygon([(s * 0.44, s * 0.64), (s * 0.56, s * 0.64), (s * 0.5, s * 0.85)], fill=(240, 240, 240))
    skin = (int(rng.uniform(200, 245)), int(rng.uniform(160, 200)), int(rng.uniform(130, 170)))
    fx, fy = s * rng.uniform(0.45, 0.55), s * rng.uniform(0.38, 0.44)
    d.ellipse([fx - s * 0.15, fy - s * 0.2, fx + s * 0.15, fy + s * 0.2], fill=skin)
    hair = _colour(rng, sat=(0.0, 0.3), val=(0.05, 0.3))
    d.chord([fx - s * 0.16, fy - s * 0.23, fx + s * 0.16, fy + s * 0.1], 180, 360, fill=hair)
    for ex in (-0.055, 0.055):
        d.ellipse([fx + s * ex - 6, fy - 8, fx + s * ex + 6, fy + 2], fill=(40, 30, 30))
    d.arc([fx - s * 0.05, fy + s * 0.04, fx + s * 0.05, fy + s * 0.1], 20, 160, fill=(150, 60, 60), width=3)
    return img


# ---------------------------------------------------------------------------------------------
# Copy transforms: what an impostor does to an official avatar.

def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def downscale(img: Image.Image, px: int) -> Image.Image:
    return img.resize((px, px), Image.BILINEAR)


def crop(img: Image.Image, fraction: float, rng: random.Random) -> Image.Image:
    """Crops `fraction` of the width and height in total, split unevenly between the sides."""
    w, h = img.size
    cw, ch = int(w * fraction), int(h * fraction)
    left = int(cw * rng.uniform(0.2, 0.8))
    top = int(ch * rng.uniform(0.2, 0.8))
    return img.crop((left, top, w - (cw - left), h - (ch - top)))


def crop_uneven(img: Image.Image, rng: random.Random, lo: float = 0.15,
                hi: float = 0.20) -> Image.Image:
    """Cuts `lo`..`hi` of the width and, separately, of the height, shared between the two
    sides at random (all of it may come off one side), then squares the result again as a
    platform does."""
    w, h = img.size
    cw, ch = int(w * rng.uniform(lo, hi)), int(h * rng.uniform(lo, hi))
    left = int(cw * rng.random())
    top = int(ch * rng.random())
    out = img.crop((left, top, w - (cw - left), h - (ch - top)))
    return out.resize((w, h), Image.LANCZOS) if rng.random() < 0.5 else out


def rotate(img: Image.Image, rng: random.Random, lo: float = 3.0, hi: float = 10.0):
    """Rotates by `lo`..`hi` degrees either way. Half the time the corners are filled with a
    plain colour, half the time the picture is zoomed until no corner shows. Returns the image
    and a word for the variant."""
    deg = rng.uniform(lo, hi) * rng.choice([-1, 1])
    img = img.convert("RGB")
    if rng.random() < 0.5:
        fill = rng.choice([img.getpixel((0, 0)), (255, 255, 255), (0, 0, 0)])
        return img.rotate(deg, resample=Image.BICUBIC, fillcolor=fill), f"rotate_fill_{deg:+.1f}"
    w, h = img.size
    r = img.rotate(deg, resample=Image.BICUBIC)
    rad = math.radians(abs(deg))
    # The largest centred square with no corner in it.
    k = 1 / (math.cos(rad) + math.sin(rad))
    side = int(min(w, h) * k)
    x0, y0 = (w - side) // 2, (h - side) // 2
    return (r.crop((x0, y0, x0 + side, y0 + side)).resize((w, h), Image.LANCZOS),
            f"rotate_zoom_{deg:+.1f}")


def frame(img: Image.Image, rng: random.Random) -> Image.Image:
    w, _ = img.size
    border = int(w * rng.uniform(0.05, 0.12))
    colour = rng.choice([(255, 255, 255), (0, 0, 0), (200, 30, 40), (240, 200, 0)])
    return ImageOps.expand(img, border=border, fill=colour)


def on_canvas(img: Image.Image, rng: random.Random, lo: float = 0.7, hi: float = 0.9):
    """The picture shrunk to `lo`..`hi` of the side and placed, a little off centre at times,
    on a background that is not one plain colour: a blurred enlargement of itself (as apps
    "fit" a picture into a square), a gradient between two colours, or noise. Returns the image
    and a word for the background."""
    from PIL import ImageFilter
    w, h = img.size
    img = img.convert("RGB")
    s = rng.uniform(lo, hi)
    pw, ph = int(w * s), int(h * s)
    kind = rng.choice(["blurred", "gradient", "noise"])
    if kind == "blurred":
        canvas = img.resize((w, h)).filter(ImageFilter.GaussianBlur(w / 12))
    elif kind == "gradient":
        a, b = _colour(rng), _colour(rng)
        canvas = Image.new("RGB", (w, h))
        d = ImageDraw.Draw(canvas)
        for y in range(h):
            t = y / max(1, h - 1)
            d.line([(0, y), (w, y)], fill=tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3)))
    else:
        base = _colour(rng)
        canvas = Image.new("RGB", (w, h), base)
        px = canvas.load()
        for y in range(h):
            for x in range(w):
                n = rng.randint(-40, 40)
                px[x, y] = tuple(max(0, min(255, c + n)) for c in base)
    free_x, free_y = w - pw, h - ph
    x = int(free_x * rng.uniform(0.3, 0.7))
    y = int(free_y * rng.uniform(0.3, 0.7))
    canvas.paste(img.resize((pw, ph), Image.LANCZOS), (x, y))
    return canvas, kind


def brightness(img, factor):
    return ImageEnhance.Brightness(img).enhance(factor)


def contrast(img, factor):
    return ImageEnhance.Contrast(img).enhance(factor)


def hue_shift(img: Image.Image, shift: float) -> Image.Image:
    """Rotates the hue by `shift` (0..1) keeping saturation and value."""
    hsv = img.convert("HSV")
    h, s, v = hsv.split()
    h = h.point(lambda p: (p + int(shift * 255)) % 256)
    return Image.merge("HSV", (h, s, v)).convert("RGB")


def mirror(img):
    return ImageOps.mirror(img)


def grayscale(img):
    return ImageOps.grayscale(img).convert("RGB")


def text_overlay(img: Image.Image, rng: random.Random) -> Image.Image:
    """A small label in a corner, as in 「公式」 or a campaign sticker."""
    out = img.copy()
    d = ImageDraw.Draw(out)
    w, h = out.size
    bw, bh = w * rng.uniform(0.25, 0.35), h * rng.uniform(0.1, 0.14)
    x = rng.choice([w * 0.04, w - bw - w * 0.04])
    y = rng.choice([h * 0.04, h - bh - h * 0.04])
    d.rectangle([x, y, x + bw, y + bh], fill=rng.choice([(220, 20, 30), (255, 255, 255), (20, 20, 20)]))
    _strokes(d, rng, (x + bw * 0.08, y + bh * 0.15, x + bw * 0.92, y + bh * 0.85),
             rng.choice([(255, 255, 255), (0, 0, 0), (255, 230, 0)]), 3)
    return out


def single_transform(kind: str, img: Image.Image, rng: random.Random) -> Image.Image:
    if kind == "jpeg":
        return jpeg(img, rng.randint(8, 30))
    if kind == "downscale":
        return downscale(img, rng.randint(48, 128))
    if kind == "crop":
        return crop(img, rng.uniform(0.05, 0.12), rng)
    if kind == "frame":
        return frame(img, rng)
    if kind == "brightness":
        return brightness(img, rng.choice([rng.uniform(0.6, 0.8), rng.uniform(1.2, 1.4)]))
    if kind == "contrast":
        return contrast(img, rng.choice([rng.uniform(0.6, 0.8), rng.uniform(1.2, 1.5)]))
    if kind == "hue":
        return hue_shift(img, rng.uniform(0.1, 0.9))
    if kind == "mirror":
        return mirror(img)
    if kind == "grayscale":
        return grayscale(img)
    if kind == "text":
        return text_overlay(img, rng)
    raise ValueError(kind)


TRANSFORMS = ["jpeg", "downscale", "crop", "frame", "brightness", "contrast", "hue", "mirror",
              "grayscale", "text"]


def save(img: Image.Image, path, fmt: str = "PNG", quality: int = 85):
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "JPEG":
        img.convert("RGB").save(path, "JPEG", quality=quality)
    else:
        img.save(path, "PNG", optimize=True)


# --------------------------------------------------------------------------------------------
# Harder edits (issue 10, item 2: what real impostors do to a copied avatar, beyond the small
# corner label and the plain border above). Each returns the image and a word for the variant.

LABEL_TEXTS = ["公式", "お知らせ", "キャンペーン中", "緊急", "期間限定", "当選発表", "プレゼント",
               "給付金", "防災情報", "公式アカウント", "NEW", "OFFICIAL"]
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def _font(size: int):
    from PIL import ImageFont
    try:
        return ImageFont.truetype(CJK_FONT, size)
    except OSError:
        return ImageFont.load_default()


def label(img: Image.Image, rng: random.Random):
    """Japanese text set on the picture, as a band across it (top, bottom or middle, opaque or
    see-through), or as outlined letters straight on the picture. The text covers 10–30 % of
    it."""
    out = img.convert("RGBA")
    w, h = out.size
    text = rng.choice(LABEL_TEXTS)
    style = rng.choice(["band", "band", "see_through", "outlined"])
    layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    band_h = int(h * rng.uniform(0.15, 0.28))
    y = rng.choice([0, h - band_h, (h - band_h) // 2])
    colour = rng.choice([(220, 20, 30), (255, 255, 255), (20, 20, 20), (240, 200, 0),
                         (20, 90, 200)])
    ink = (255, 255, 255) if sum(colour) < 400 else (0, 0, 0)
    if style in ("band", "see_through"):
        alpha = 255 if style == "band" else rng.randint(120, 200)
        d.rectangle([0, y, w, y + band_h], fill=colour + (alpha,))
    font = _font(max(8, int(band_h * 0.7)))
    tw = d.textlength(text, font=font)
    if tw > w * 0.95:
        font = _font(max(8, int(band_h * 0.7 * w * 0.95 / tw)))
        tw = d.textlength(text, font=font)
    x = (w - tw) / 2
    if style == "outlined":
        d.text((x, y), text, font=font, fill=colour + (255,), stroke_width=max(1, w // 80),
               stroke_fill=ink + (255,))
    else:
        d.text((x, y + band_h * 0.1), text, font=font, fill=ink + (255,))
    return Image.alpha_composite(out, layer).convert("RGB"), "label_" + style


def styled_frame(img: Image.Image, rng: random.Random):
    """A border that plain-colour trimming does not take off whole: sides of different widths
    (4–18 % each), two colours, a gradient, or a round cut on a coloured square."""
    img = img.convert("RGB")
    w, h = img.size
    style = rng.choice(["uneven", "double", "gradient", "round"])
    a = rng.choice([(255, 255, 255), (0, 0, 0), (200, 30, 40), (240, 200, 0), (30, 120, 60)])
    b = _colour(rng)
    if style == "round":
        canvas = Image.new("RGB", (w, h), a)
        mask = Image.new("L", (w, h), 0)
        m = int(w * rng.uniform(0.0, 0.06))
        ImageDraw.Draw(mask).ellipse([m, m, w - m, h - m], fill=255)
        canvas.paste(img, (0, 0), mask)
        return canvas, "frame_round"
    sides = [rng.uniform(0.04, 0.18) for _ in range(4)]
    if style != "uneven":
        sides = [rng.uniform(0.06, 0.14)] * 4
    l, t, r, bt = (int(s * w) for s in sides)
    canvas = Image.new("RGB", (w + l + r, h + t + bt), a)
    if style == "double":
        d = ImageDraw.Draw(canvas)
        k = max(2, l // 2)
        d.rectangle([k, k, canvas.width - k, canvas.height - k], fill=b)
    elif style == "gradient":
        d = ImageDraw.Draw(canvas)
        for yy in range(canvas.height):
            f = yy / max(1, canvas.height - 1)
            d.line([(0, yy), (canvas.width, yy)],
                   fill=tuple(int(a[i] + (b[i] - a[i]) * f) for i in range(3)))
    canvas.paste(img, (l, t))
    return canvas.resize((w, h), Image.LANCZOS), "frame_" + style


def perspective(img: Image.Image, rng: random.Random):
    """The picture as photographed or skewed: each corner moved by up to 4–10 % of the side."""
    import numpy as np
    img = img.convert("RGB")
    w, h = img.size
    k = rng.uniform(0.04, 0.10)
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    dst = [(x + rng.uniform(-k, k) * w, y + rng.uniform(-k, k) * h) for x, y in src]
    # Coefficients mapping output points to input points.
    rows = []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    coeffs = np.linalg.solve(np.array(rows, float), np.array(src, float).reshape(8))
    fill = rng.choice([img.getpixel((0, 0)), (255, 255, 255), (0, 0, 0)])
    return img.transform((w, h), Image.PERSPECTIVE, tuple(coeffs), Image.BICUBIC,
                         fillcolor=fill), f"perspective_{k:.2f}"


def thumbnail(img: Image.Image, rng: random.Random):
    """Saved as a small thumbnail (40–96 px) and blown up again, or padded into a larger
    square of one colour (letterbox)."""
    img = img.convert("RGB")
    w, h = img.size
    px = rng.randint(40, 96)
    small = img.resize((px, px), Image.BILINEAR)
    if rng.random() < 0.5:
        return small.resize((w, h), Image.BICUBIC), f"thumb_{px}"
    pad = rng.uniform(0.1, 0.25)
    side = int(px * (1 + pad))
    canvas = Image.new("RGB", (side, side), rng.choice([(255, 255, 255), (0, 0, 0),
                                                       img.getpixel((0, 0))]))
    canvas.paste(small, ((side - px) // 2 + rng.randint(-2, 2), (side - px) // 2))
    return canvas, f"thumb_pad_{px}"


HARD_EDITS = {
    "label": label,
    "styled_frame": styled_frame,
    "perspective": perspective,
    "thumbnail": thumbnail,
}
