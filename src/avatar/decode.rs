//! Avatar bytes → one small shared thumbnail, in bounded memory.
//!
//! A perceptual hash needs a picture of a few dozen pixels, so nothing here decodes a full-size
//! image when it can avoid it:
//! - JPEG (greyscale and YCbCr, baseline or progressive) is decoded by `jpeg-decoder` at 1/2,
//!   1/4 or 1/8 scale straight from its DCT coefficients;
//! - PNG (every colour type and bit depth, interlaced or not) is reduced row by row as it
//!   inflates: only one row and the thumbnail's sums are ever held;
//! - anything else (GIF, WebP, CMYK or 12-bit JPEG) is decoded whole by `image`, within limits.
//!
//! Every decode is budgeted in **bytes** — width × height × bytes per pixel of the decoded colour
//! type, 16-bit samples included — before any pixel is decoded, and the decodes running at once
//! share one budget ([`MAX_CONCURRENT_DECODE_BYTES`]), however many threads or downloads run.
//! The result is an RGB picture whose longer side is at most [`THUMB_SIDE`], the one image
//! every hash view is computed from.

use anyhow::{bail, Context, Result};
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};
use std::io::Cursor;
use std::sync::{Condvar, Mutex};

/// Longest side of the shared thumbnail.
pub const THUMB_SIDE: u32 = 128;
/// Largest width or height accepted before decoding.
pub const MAX_DIMENSION: u32 = 4096;
/// Most bytes one decode may take (the decoded pixels, plus coefficients for a progressive
/// JPEG). A 4096×4096 RGBA picture at 16 bits per sample would need 128 MiB: it is refused
/// unless it streams (PNG), where it needs one row.
pub const MAX_DECODE_BYTES: u64 = 64 * 1024 * 1024;
/// Most bytes all decodes running at once may take together. A decode that does not fit
/// waits until others finish; none is ever larger than [`MAX_DECODE_BYTES`].
pub const MAX_CONCURRENT_DECODE_BYTES: u64 = 96 * 1024 * 1024;

/// The process-wide decode budget.
static BUDGET: Budget = Budget::new(MAX_CONCURRENT_DECODE_BYTES);

/// A counting semaphore of bytes, for blocking threads (decoding runs on rayon or the blocking
/// pool, never on the async workers).
pub struct Budget {
    cap: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Bytes held from a [`Budget`] until dropped.
pub struct Permit<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub const fn new(cap: u64) -> Self {
        Budget {
            cap,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` (at most the whole budget) are free, and takes them.
    pub fn acquire(&self, bytes: u64) -> Permit<'_> {
        let bytes = bytes.min(self.cap);
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used + bytes > self.cap {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        Permit {
            budget: self,
            bytes,
        }
    }

    /// Bytes taken now.
    pub fn in_use(&self) -> u64 {
        *self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

/// Bytes taken by the decodes running now (for tests and benchmarks).
pub fn decode_bytes_in_use() -> u64 {
    BUDGET.in_use()
}

/// Refuses a decode over the per-image budget; otherwise waits for room in the shared one.
fn reserve(bytes: u64, what: &str) -> Result<Permit<'static>> {
    if bytes > MAX_DECODE_BYTES {
        bail!(
            "{what} would need {} MiB to decode, more than the {} MiB allowed",
            bytes.div_ceil(1024 * 1024),
            MAX_DECODE_BYTES / (1024 * 1024)
        );
    }
    Ok(BUDGET.acquire(bytes))
}

fn check_dimensions(w: u32, h: u32) -> Result<()> {
    if w == 0 || h == 0 {
        bail!("image has no pixels ({w}×{h})");
    }
    if w > MAX_DIMENSION || h > MAX_DIMENSION {
        bail!("image is {w}×{h}, larger than {MAX_DIMENSION} pixels on a side");
    }
    Ok(())
}

/// Sums source pixels into blocks of `factor`×`factor`, the thumbnail's pixels (a box
/// filter: every source pixel counts once, whatever order rows arrive in).
///
/// Whole rows (the usual case) are added column by column into `columns` — one vectorised add
/// per source row. When the last row of a thumbnail row has come, its pixels are averaged
/// straight from the columns into `out` ([`BoxReducer::flush`]); partial rows (interlaced
/// PNG) go through the per-block `sums` and `counts`, averaged by [`BoxReducer::finish`]. Both
/// are integer sums with the same rounding, so the thumbnail is the same as adding pixel by
/// pixel.
struct BoxReducer {
    width: u32,
    height: u32,
    factor: u32,
    out_w: u32,
    out_h: u32,
    /// The thumbnail, RGB; row `oy` is final when `written[oy]`.
    out: Vec<u8>,
    written: Vec<bool>,
    /// Per-block sums and counts of partial rows (empty until one comes).
    sums: Vec<u32>,
    counts: Vec<u32>,
    /// Per-sample column sums of the whole rows not yet added.
    columns: Vec<u16>,
    /// What `columns` holds: thumbnail row, rows summed, pixels per row, layout.
    pending: Option<Pending>,
    /// Dividers of the block counts seen.
    dividers: Vec<Divider>,
    /// Sums of `factor` adjacent pixels' columns ([`BoxReducer::add_blocks`]).
    acc: Vec<u16>,
}

#[derive(Clone, Copy)]
struct Pending {
    oy: u32,
    rows: u32,
    pixels: usize,
    layout: Layout,
}

impl BoxReducer {
    fn new(width: u32, height: u32) -> Self {
        let factor = width.max(height).div_ceil(THUMB_SIDE).max(1);
        let (out_w, out_h) = (width.div_ceil(factor), height.div_ceil(factor));
        BoxReducer {
            width,
            height,
            factor,
            out_w,
            out_h,
            out: vec![0; (out_w * out_h) as usize * 3],
            written: vec![false; out_h as usize],
            sums: Vec::new(),
            counts: Vec::new(),
            columns: Vec::new(),
            pending: None,
            dividers: Vec::new(),
            acc: Vec::new(),
        }
    }

    /// Bytes this reducer holds for a `width`-pixel row of `height` rows.
    fn bytes(width: u32, height: u32) -> u64 {
        let (w, h) = (width.min(THUMB_SIDE * 2), height.min(THUMB_SIDE * 2));
        let factor = w.max(h).div_ceil(THUMB_SIDE).max(1);
        (w.div_ceil(factor) * h.div_ceil(factor)) as u64 * 19 + width as u64 * 8
    }

    /// Adds pixel `i` of a row of `samples` (as laid out by `layout`) at `x0 + i·dx`, row `y`.
    fn add_row(&mut self, y: u32, x0: u32, dx: u32, row: &[u8], layout: Layout) {
        let oy = y / self.factor;
        if x0 == 0 && dx == 1 {
            let pixels = (row.len() / layout.stride()).min(self.width as usize);
            // Sums of at most 256 rows of bytes fit the u16 columns.
            if let Some(p) = self.pending {
                if p.oy != oy || p.pixels != pixels || p.rows >= 256 {
                    self.flush();
                }
            }
            let samples = pixels * layout.stride();
            if self.columns.len() < samples {
                self.columns.resize(samples, 0);
            }
            for (c, &v) in self.columns[..samples].iter_mut().zip(&row[..samples]) {
                *c += v as u16;
            }
            let p = self.pending.get_or_insert(Pending {
                oy,
                rows: 0,
                pixels,
                layout,
            });
            p.rows += 1;
            if p.rows == self.rows_of(oy) {
                self.flush();
            }
            return;
        }
        self.flush();
        self.make_sums();
        let base = oy as usize * self.out_w as usize;
        let mut x = x0;
        for px in row.chunks_exact(layout.stride()) {
            if x >= self.width {
                break;
            }
            let (r, g, b) = layout.rgb(px);
            let o = base + (x / self.factor) as usize;
            self.sums[o * 3] += r as u32;
            self.sums[o * 3 + 1] += g as u32;
            self.sums[o * 3 + 2] += b as u32;
            self.counts[o] += 1;
            x += dx;
        }
    }

    /// Source rows in thumbnail row `oy`.
    fn rows_of(&self, oy: u32) -> u32 {
        self.factor
            .min(self.height.saturating_sub(oy * self.factor))
    }

    fn make_sums(&mut self) {
        if self.sums.is_empty() {
            let n = (self.out_w * self.out_h) as usize;
            self.sums = vec![0; n * 3];
            self.counts = vec![0; n];
        }
    }

    /// Adds the pending column sums to their thumbnail row — straight into `out` when they
    /// are all of it — and clears them.
    fn flush(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let whole = self.sums.is_empty()
            && p.rows == self.rows_of(p.oy)
            && p.pixels == self.width as usize
            && !self.written[p.oy as usize];
        if !whole {
            self.make_sums();
        }
        match p.layout {
            Layout::Gray => self.flush_as::<1, true>(p, whole),
            Layout::GrayAlpha => self.flush_as::<2, true>(p, whole),
            Layout::Rgb => self.flush_as::<3, false>(p, whole),
            Layout::Rgba => self.flush_as::<4, false>(p, whole),
        }
        if whole {
            self.written[p.oy as usize] = true;
        }
        self.columns[..p.pixels * p.layout.stride()].fill(0);
    }

    /// [`BoxReducer::flush`] for `S`-sample pixels (grey in the first sample when `GREY`):
    /// each block of `factor` columns summed at once, the layout known at compile time; the
    /// averages written to `out` when `whole`, else the sums added to `sums`.
    fn flush_as<const S: usize, const GREY: bool>(&mut self, p: Pending, whole: bool) {
        let base = p.oy as usize * self.out_w as usize;
        let columns = &self.columns[..p.pixels * S];
        if whole && self.factor == 1 {
            // One row of one-pixel blocks: the row itself.
            let out = &mut self.out[base * 3..(base + p.pixels) * 3];
            for (o, px) in out.chunks_exact_mut(3).zip(columns.chunks_exact(S)) {
                if GREY {
                    o.fill(px[0] as u8);
                } else {
                    o[0] = px[0] as u8;
                    o[1] = px[1] as u8;
                    o[2] = px[2] as u8;
                }
            }
            return;
        }
        match self.factor {
            2 => self.add_blocks::<S, GREY, 2>(p, whole),
            3 => self.add_blocks::<S, GREY, 3>(p, whole),
            4 => self.add_blocks::<S, GREY, 4>(p, whole),
            _ => self.add_blocks::<S, GREY, 0>(p, whole),
        }
    }

    /// The blocks of [`BoxReducer::flush_as`], `F` (when not 0) the factor, known at compile
    /// time so that a block's sums unroll.
    fn add_blocks<const S: usize, const GREY: bool, const F: usize>(
        &mut self,
        p: Pending,
        whole: bool,
    ) {
        let base = p.oy as usize * self.out_w as usize;
        let columns = &self.columns[..p.pixels * S];
        let block = if F == 0 { self.factor as usize } else { F } * S;
        let sum = |columns: &[u16]| {
            let (mut r, mut g, mut b) = (0u32, 0u32, 0u32);
            let mut add = |px: &[u16]| {
                r += px[0] as u32;
                if !GREY {
                    g += px[1] as u32;
                    b += px[2] as u32;
                }
            };
            if F != 0 && columns.len() == F * S {
                columns[..F * S].chunks_exact(S).for_each(&mut add);
            } else {
                columns.chunks_exact(S).for_each(&mut add);
            }
            if GREY {
                [r, r, r]
            } else {
                [r, g, b]
            }
        };
        let blocks = columns.chunks(block);
        if whole {
            // Every block but the last holds `factor` columns: two divisors for the row.
            let full = self.factor * p.rows;
            let last = (p.pixels as u32 - (self.out_w - 1) * self.factor) * p.rows;
            let (full, last) = (
                divider(&mut self.dividers, full),
                divider(&mut self.dividers, last),
            );
            let out = &mut self.out[base * 3..(base + self.out_w as usize) * 3];
            let n = out.len() / 3;
            if F != 0 && p.pixels >= F {
                // The blocks of `F` whole pixels summed along the row in `F` vectorised adds:
                // `acc[k]` = Σ_j `columns[k + j·S]`, read at each block's first sample (sums of
                // at most F² bytes fit u16). The last, partial block (if any) as below.
                let whole_blocks = p.pixels / F;
                let m = whole_blocks * F * S - S * (F - 1);
                let acc = &mut self.acc;
                acc.clear();
                acc.extend_from_slice(&columns[..m]);
                for j in 1..F {
                    for (a, &c) in acc.iter_mut().zip(&columns[j * S..j * S + m]) {
                        *a += c;
                    }
                }
                let half = full.d / 2;
                for (o, a) in out.chunks_exact_mut(3).zip(acc.chunks(F * S)) {
                    let (r, g, b) = if GREY {
                        (a[0] as u32, a[0] as u32, a[0] as u32)
                    } else {
                        (a[0] as u32, a[1] as u32, a[2] as u32)
                    };
                    o[0] = full.div(r + half) as u8;
                    o[1] = full.div(g + half) as u8;
                    o[2] = full.div(b + half) as u8;
                }
                if whole_blocks < n {
                    let half = last.d / 2;
                    let [r, g, b] = sum(&columns[whole_blocks * F * S..]);
                    let o = &mut out[whole_blocks * 3..whole_blocks * 3 + 3];
                    o[0] = last.div(r + half) as u8;
                    o[1] = last.div(g + half) as u8;
                    o[2] = last.div(b + half) as u8;
                }
                return;
            }
            for (i, (o, columns)) in out.chunks_exact_mut(3).zip(blocks).enumerate() {
                let div = if i + 1 == n { last } else { full };
                let half = div.d / 2;
                let [r, g, b] = sum(columns);
                o[0] = div.div(r + half) as u8;
                o[1] = div.div(g + half) as u8;
                o[2] = div.div(b + half) as u8;
            }
        } else {
            let end = base + blocks.len();
            let sums = self.sums[base * 3..end * 3].chunks_exact_mut(3);
            let counts = &mut self.counts[base..end];
            for ((s, c), columns) in sums.zip(counts).zip(blocks) {
                let [r, g, b] = sum(columns);
                s[0] += r;
                s[1] += g;
                s[2] += b;
                *c += (columns.len() / S) as u32 * p.rows;
            }
        }
    }

    fn finish(mut self) -> Result<RgbImage> {
        self.flush();
        let w = self.out_w as usize;
        let mut div = Divider::new(1);
        for (oy, &written) in self.written.iter().enumerate() {
            let part = oy * w..(oy + 1) * w;
            let counts = self.counts.get(part.clone()).unwrap_or(&[]);
            if written {
                // Rows are never both whole and partial: each source row comes once.
                if counts.iter().any(|&c| c != 0) {
                    bail!("cannot decode image: rows repeated");
                }
                continue;
            }
            if counts.len() != w || counts.contains(&0) {
                bail!("cannot decode image: truncated (rows missing)");
            }
            let sums = &self.sums[part.start * 3..part.end * 3];
            let out = &mut self.out[part.start * 3..part.end * 3];
            for ((o, s), &c) in out
                .chunks_exact_mut(3)
                .zip(sums.chunks_exact(3))
                .zip(counts)
            {
                if c != div.d {
                    div = Divider::new(c);
                }
                let half = c / 2;
                o[0] = div.div(s[0] + half) as u8;
                o[1] = div.div(s[1] + half) as u8;
                o[2] = div.div(s[2] + half) as u8;
            }
        }
        Ok(RgbImage::from_raw(self.out_w, self.out_h, self.out).expect("three samples per pixel"))
    }
}

/// The [`Divider`] of `d`, kept in `cache` for the few counts one picture's blocks have.
fn divider(cache: &mut Vec<Divider>, d: u32) -> Divider {
    if let Some(div) = cache.iter().find(|v| v.d == d) {
        return *div;
    }
    let div = Divider::new(d);
    if cache.len() >= 8 {
        cache.clear();
    }
    cache.push(div);
    div
}

/// Division of averaged sums by one count, by a multiplication: with `m = ⌈2³²/d⌉` and
/// `e = m·d − 2³² < d`, `⌊n·m / 2³²⌋ = ⌊n/d⌋` whenever `n·e < 2³²`, which holds for every sum a
/// block of `d` samples can reach (`n < 256·d`) when `d ≤ 4096`; larger counts divide.
#[derive(Clone, Copy)]
struct Divider {
    d: u32,
    m: u64,
}

impl Divider {
    fn new(d: u32) -> Self {
        Divider {
            d,
            m: (1u64 << 32).div_ceil(d.max(1) as u64),
        }
    }

    #[inline]
    fn div(self, n: u32) -> u32 {
        if self.d <= 4096 {
            ((n as u64 * self.m) >> 32) as u32
        } else {
            n / self.d
        }
    }
}

/// How the 8-bit samples of one pixel are laid out in a decoded row. Alpha is ignored, as
/// `to_rgb8` ignores it.
#[derive(Clone, Copy)]
enum Layout {
    Gray,
    GrayAlpha,
    Rgb,
    Rgba,
}

impl Layout {
    fn stride(self) -> usize {
        match self {
            Layout::Gray => 1,
            Layout::GrayAlpha => 2,
            Layout::Rgb => 3,
            Layout::Rgba => 4,
        }
    }

    #[inline]
    fn rgb(self, px: &[u8]) -> (u8, u8, u8) {
        match self {
            Layout::Gray | Layout::GrayAlpha => (px[0], px[0], px[0]),
            Layout::Rgb | Layout::Rgba => (px[0], px[1], px[2]),
        }
    }
}

/// Decodes image bytes into the shared thumbnail (longer side ≤ [`THUMB_SIDE`]).
pub fn thumbnail(bytes: &[u8]) -> Result<DynamicImage> {
    if bytes.is_empty() {
        bail!("not an image (zero bytes)");
    }
    let format = image::guess_format(bytes).ok();
    let rgb = match format {
        Some(image::ImageFormat::Png) => png_thumbnail(bytes)?,
        Some(image::ImageFormat::Jpeg) => match jpeg_thumbnail(bytes)? {
            Some(t) => t,
            None => reduce(&full_decode(bytes)?)?,
        },
        Some(_) => reduce(&full_decode(bytes)?)?,
        None => bail!("not an image (unknown format)"),
    };
    Ok(DynamicImage::ImageRgb8(rgb))
}

/// Reduces a decoded picture to the thumbnail.
fn reduce(img: &DynamicImage) -> Result<RgbImage> {
    let rgb = img.to_rgb8();
    let (w, h) = rgb.dimensions();
    let mut r = BoxReducer::new(w, h);
    for (y, row) in rgb.as_raw().chunks_exact(w as usize * 3).enumerate() {
        r.add_row(y as u32, 0, 1, row, Layout::Rgb);
    }
    r.finish()
}

/// PNG, reduced as rows inflate. 16-bit samples are cut to 8 and palettes expanded per row, so
/// the memory is one row (at its own bit depth) plus the thumbnail, whatever the picture's size.
fn png_thumbnail(bytes: &[u8]) -> Result<RgbImage> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: MAX_DECODE_BYTES as usize,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder.set_ignore_text_chunk(true);
    let header = decoder
        .read_header_info()
        .context("cannot decode image (PNG header)")?;
    let (w, h) = (header.width, header.height);
    check_dimensions(w, h)?;
    let raw_row = header.raw_row_length_from_width(w) as u64;
    let interlaced = header.interlaced;
    // The raw row, the previous one (filters), the expanded row and the thumbnail's sums.
    let _permit = reserve(raw_row * 2 + w as u64 * 4 + BoxReducer::bytes(w, h), "PNG")?;
    let mut reader = decoder.read_info().context("cannot decode image")?;
    let layout = match reader.output_color_type().0 {
        png::ColorType::Grayscale => Layout::Gray,
        png::ColorType::GrayscaleAlpha => Layout::GrayAlpha,
        png::ColorType::Rgb => Layout::Rgb,
        png::ColorType::Rgba => Layout::Rgba,
        png::ColorType::Indexed => bail!("cannot decode image: palette not expanded"),
    };
    let mut reducer = BoxReducer::new(w, h);
    let mut passes = Adam7Rows::new(w, h, interlaced);
    while let Some(row) = reader.next_row().context("cannot decode image")? {
        let Some((y, x0, dx)) = passes.next() else {
            bail!("cannot decode image: more rows than the header says");
        };
        reducer.add_row(y, x0, dx, row.data(), layout);
    }
    reducer.finish()
}

/// Where each decoded row of a PNG goes: (row, first column, column step). Non-interlaced
/// images have one pass; Adam7 has seven, empty ones skipped (as the decoder skips them).
struct Adam7Rows {
    width: u32,
    height: u32,
    passes: &'static [(u32, u32, u32, u32)],
    pass: usize,
    line: u32,
}

impl Adam7Rows {
    /// (x0, y0, dx, dy) of each pass.
    const ADAM7: [(u32, u32, u32, u32); 7] = [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ];
    const NULL: [(u32, u32, u32, u32); 1] = [(0, 0, 1, 1)];

    fn new(width: u32, height: u32, interlaced: bool) -> Self {
        Adam7Rows {
            width,
            height,
            passes: if interlaced {
                &Self::ADAM7
            } else {
                &Self::NULL
            },
            pass: 0,
            line: 0,
        }
    }
}

impl Iterator for Adam7Rows {
    type Item = (u32, u32, u32);

    fn next(&mut self) -> Option<(u32, u32, u32)> {
        while let Some(&(x0, y0, dx, dy)) = self.passes.get(self.pass) {
            let y = y0 + self.line * dy;
            if x0 < self.width && y < self.height {
                self.line += 1;
                return Some((y, x0, dx));
            }
            self.pass += 1;
            self.line = 0;
        }
        None
    }
}

/// JPEG at the smallest DCT scale that still covers the thumbnail. `None` for colour types
/// left to [`full_decode`] (CMYK, 12-bit).
fn jpeg_thumbnail(bytes: &[u8]) -> Result<Option<RgbImage>> {
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    d.read_info().context("cannot decode image (JPEG header)")?;
    let Some(info) = d.info() else {
        bail!("cannot decode image: no JPEG header");
    };
    let (w, h) = (info.width as u32, info.height as u32);
    check_dimensions(w, h)?;
    let layout = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => Layout::Gray,
        jpeg_decoder::PixelFormat::RGB24 => Layout::Rgb,
        _ => return Ok(None),
    };
    let long = w.max(h);
    let want = |s: u32| (s * THUMB_SIDE).div_ceil(long).max(1).min(s) as u16;
    let (sw, sh) = d
        .scale(want(w), want(h))
        .context("cannot decode image (JPEG scale)")?;
    let components = layout.stride() as u64;
    // Scaled planes and the interleaved output; a progressive image also keeps every
    // coefficient (two bytes each) until its last scan.
    let mut need = sw as u64 * sh as u64 * components * 2 + BoxReducer::bytes(sw as u32, sh as u32);
    if info.coding_process == jpeg_decoder::CodingProcess::DctProgressive {
        need += (w.div_ceil(8) * h.div_ceil(8)) as u64 * 64 * 2 * components;
    }
    let _permit = reserve(need, "JPEG")?;
    d.set_max_decoding_buffer_size(MAX_DECODE_BYTES as usize);
    let pixels = d.decode().context("cannot decode image")?;
    let (sw, sh) = (sw as u32, sh as u32);
    let stride = sw as usize * layout.stride();
    if pixels.len() < stride * sh as usize {
        bail!("cannot decode image: truncated JPEG");
    }
    let mut r = BoxReducer::new(sw, sh);
    for (y, row) in pixels.chunks_exact(stride).take(sh as usize).enumerate() {
        r.add_row(y as u32, 0, 1, row, layout);
    }
    r.finish().map(Some)
}

/// Bytes per pixel of a decoded colour type.
fn bytes_per_pixel(c: image::ColorType) -> u64 {
    c.bytes_per_pixel() as u64
}

/// Decodes a whole picture with `image`, after budgeting its bytes from the header.
pub fn full_decode(bytes: &[u8]) -> Result<DynamicImage> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .context("unreadable image")?;
    if reader.format().is_none() {
        bail!("not an image (unknown format)");
    }
    let mut decoder = reader.into_decoder().context("cannot decode image")?;
    let (w, h) = decoder.dimensions();
    check_dimensions(w, h)?;
    let need = w as u64 * h as u64 * bytes_per_pixel(decoder.color_type());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    decoder
        .set_limits(limits)
        .context("cannot decode image (limits)")?;
    // The decoded picture, and its RGB copy for the thumbnail.
    let _permit = reserve(need + w as u64 * h as u64 * 3, "image")?;
    DynamicImage::from_decoder(decoder).context("cannot decode image")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn the_divider_divides_every_block_sum_exactly() {
        let counts = (1..=70).chain([255, 256, 257, 1000, 1023, 1024, 4095, 4096, 4097, 9999]);
        for d in counts {
            let div = Divider::new(d);
            for n in 0..256 * d + d / 2 + 1 {
                assert_eq!(div.div(n), n / d, "{n} / {d}");
            }
        }
    }

    fn png_of(img: &DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn picture(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            Rgb([
                (x * 255 / w) as u8,
                (y * 255 / h) as u8,
                ((x + y) % 256) as u8,
            ])
        })
    }

    #[test]
    fn thumbnails_are_small_and_keep_the_aspect() {
        let t = thumbnail(&png_of(&DynamicImage::ImageRgb8(picture(400, 200)))).unwrap();
        assert_eq!((t.width(), t.height()), (100, 50));
        let t = thumbnail(&png_of(&DynamicImage::ImageRgb8(picture(48, 48)))).unwrap();
        assert_eq!((t.width(), t.height()), (48, 48));
        let mut jpeg = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(picture(400, 400))
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .unwrap();
        let t = thumbnail(jpeg.get_ref()).unwrap();
        assert_eq!((t.width(), t.height()), (100, 100));
    }

    #[test]
    fn png_streaming_matches_a_full_decode_and_box_filter() {
        let img = DynamicImage::ImageRgb8(picture(300, 260));
        let streamed = thumbnail(&png_of(&img)).unwrap().to_rgb8();
        let whole = reduce(&img).unwrap();
        assert_eq!(streamed, whole);
    }

    /// The thumbnail of a plain box filter, pixel by pixel (the reference for the reducer).
    fn box_filter(img: &RgbImage) -> RgbImage {
        let (w, h) = img.dimensions();
        let f = w.max(h).div_ceil(THUMB_SIDE).max(1);
        RgbImage::from_fn(w.div_ceil(f), h.div_ceil(f), |ox, oy| {
            let (mut sum, mut n) = ([0u32; 3], 0u32);
            for y in oy * f..((oy + 1) * f).min(h) {
                for x in ox * f..((ox + 1) * f).min(w) {
                    for (s, v) in sum.iter_mut().zip(img.get_pixel(x, y).0) {
                        *s += v as u32;
                    }
                    n += 1;
                }
            }
            Rgb(sum.map(|s| ((s + n / 2) / n) as u8))
        })
    }

    #[test]
    fn the_reducer_is_a_box_filter_for_every_factor_and_layout() {
        // Factors 1 to 4 and 9, with and without a partial last block or row.
        for (w, h) in [
            (97, 61),
            (203, 157),
            (256, 200),
            (301, 190),
            (397, 399),
            (1150, 77),
        ] {
            let img = picture(w, h);
            let want = box_filter(&img);
            assert_eq!(reduce(&DynamicImage::ImageRgb8(img.clone())).unwrap(), want);
            let rgba = DynamicImage::ImageRgba8(DynamicImage::ImageRgb8(img.clone()).to_rgba8());
            assert_eq!(
                thumbnail(&png_of(&rgba)).unwrap().to_rgb8(),
                want,
                "{w}×{h}"
            );
            let grey = DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(img).to_luma8());
            let want = box_filter(&grey.to_rgb8());
            assert_eq!(
                thumbnail(&png_of(&grey)).unwrap().to_rgb8(),
                want,
                "{w}×{h}"
            );
        }
    }

    #[test]
    fn interlaced_png_streams_to_the_same_thumbnail() {
        // An Adam7 PNG written by hand: the png encoder cannot interlace.
        let src = picture(37, 23);
        let mut raw = Vec::new();
        for (x0, y0, dx, dy) in Adam7Rows::ADAM7 {
            if x0 >= 37 || y0 >= 23 {
                continue;
            }
            for y in (y0..23).step_by(dy as usize) {
                raw.push(0u8); // filter: none
                for x in (x0..37).step_by(dx as usize) {
                    raw.extend_from_slice(&src.get_pixel(x, y).0);
                }
            }
        }
        let idat = zlib_stored(&raw);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&37u32.to_be_bytes());
        ihdr.extend_from_slice(&23u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 1]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &idat);
        chunk(&mut png, b"IEND", &[]);
        let t = thumbnail(&png).unwrap().to_rgb8();
        assert_eq!(t, src);
    }

    /// A zlib stream of stored (uncompressed) blocks.
    fn zlib_stored(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = data.chunks(65535).collect();
        for (i, b) in blocks.iter().enumerate() {
            out.push(u8::from(i + 1 == blocks.len()));
            let n = b.len() as u16;
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(&(!n).to_le_bytes());
            out.extend_from_slice(b);
        }
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + x as u32) % 65521;
            b = (b + a) % 65521;
        }
        out.extend_from_slice(&((b << 16) | a).to_be_bytes());
        out
    }

    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let mut crc = 0xffff_ffffu32;
        for &byte in kind.iter().chain(data) {
            crc ^= byte as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        png.extend_from_slice(&(!crc).to_be_bytes());
    }

    /// The issue-8 case: a 4096×4096 RGBA PNG at 16 bits per sample, a few hundred kB on disk,
    /// 128 MiB decoded. It streams in one row; a whole decode of it is refused by budget.
    #[test]
    fn a_16_bit_rgba_4096_png_streams_in_bounded_memory() {
        let (w, h) = (4096u32, 4096u32);
        let mut bytes = Vec::new();
        {
            use std::io::Write;
            let mut enc = png::Encoder::new(&mut bytes, w, h);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Sixteen);
            enc.set_compression(png::Compression::Fast);
            let mut writer = enc.write_header().unwrap();
            let mut stream = writer.stream_writer().unwrap();
            let row: Vec<u8> = (0..w)
                .flat_map(|x| {
                    let px: [u16; 4] = if x < w / 2 {
                        [65535, 0, 0, 65535]
                    } else {
                        [0, 0, 65535, 65535]
                    };
                    px.into_iter().flat_map(u16::to_be_bytes)
                })
                .collect();
            for _ in 0..h {
                stream.write_all(&row).unwrap();
            }
            stream.finish().unwrap();
        }
        assert!(bytes.len() < 2_000_000, "{} bytes", bytes.len());
        let t = thumbnail(&bytes).unwrap().to_rgb8();
        assert_eq!(t.dimensions(), (128, 128));
        assert_eq!(t.get_pixel(0, 0).0, [255, 0, 0]);
        assert_eq!(t.get_pixel(127, 127).0, [0, 0, 255]);
        let err = full_decode(&bytes).unwrap_err();
        assert!(format!("{err:#}").contains("MiB"), "{err:#}");
    }

    #[test]
    fn a_16_bit_png_within_budget_decodes_alike_whole_or_streamed() {
        let img = image::ImageBuffer::<Rgb<u16>, Vec<u16>>::from_fn(200, 150, |x, y| {
            Rgb([(x * 300) as u16, (y * 400) as u16, 12345])
        });
        let img = DynamicImage::ImageRgb16(img);
        let bytes = png_of(&img);
        let streamed = thumbnail(&bytes).unwrap().to_rgb8();
        assert_eq!(streamed.dimensions(), (100, 75));
        let whole = reduce(&full_decode(&bytes).unwrap()).unwrap();
        for (a, b) in streamed.pixels().zip(whole.pixels()) {
            for i in 0..3 {
                // Cutting to the high byte and rounding differ by at most one level.
                assert!((a.0[i] as i32 - b.0[i] as i32).abs() <= 1, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn hostile_inputs_are_refused() {
        assert!(thumbnail(b"").is_err());
        assert!(thumbnail(b"<svg onload=alert(1)>").is_err());
        assert!(thumbnail(b"<!DOCTYPE html><html>").is_err());
        let mut truncated = png_of(&DynamicImage::ImageRgb8(picture(64, 64)));
        truncated.truncate(truncated.len() / 2);
        assert!(thumbnail(&truncated).is_err());
        let mut jpeg = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(picture(200, 200))
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .unwrap();
        let mut cut = jpeg.into_inner();
        cut.truncate(cut.len() / 3);
        // A truncated JPEG either fails or decodes to a picture of the right size; it never
        // panics or hangs.
        if let Ok(t) = thumbnail(&cut) {
            assert_eq!(t.width(), 100);
        }
        // A bomb: a header claiming 100 000 × 100 000.
        let mut bomb = png_of(&DynamicImage::ImageRgb8(picture(8, 8)));
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(thumbnail(&bomb).is_err());
    }

    #[test]
    fn the_budget_blocks_until_bytes_are_freed() {
        let b = std::sync::Arc::new(Budget::new(100));
        let p = b.acquire(80);
        let b2 = b.clone();
        let t = std::thread::spawn(move || {
            let _q = b2.acquire(50);
            b2.in_use()
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(b.in_use(), 80, "the second permit must wait");
        drop(p);
        assert_eq!(t.join().unwrap(), 50);
        assert_eq!(b.in_use(), 0);
        // Larger than the whole budget: takes all of it rather than waiting forever.
        assert_eq!(b.acquire(1000).bytes, 100);
    }
}
