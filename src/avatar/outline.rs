//! The outline descriptor (issue 10, item 1): where a picture's edges run, as a 32×32 map of
//! smoothed gradient magnitude, normalised. Kept for pictures with little detail
//! (information below `detect::score::OUTLINE_INFORMATION`): flat logos, icons of a set on
//! a colour.
//!
//! A flat logo (a glyph on one colour) has no corners to match and little for the 16×16
//! [`crate::detect::score::Fine`] thumbnail to tell apart: another glyph of the same icon set
//! on the same colour puts about as much white in about the same places, and correlates
//! 0.9–0.99 with it. Their outlines do not coincide (0.3–0.7), while a copy's do, re-encoded,
//! shrunk, framed, turned or skewed a little (0.75–1.0, measured on generated sets). So this
//! descriptor decides between "the same picture" and "the same template".
//!
//! Taken of the same window of the same grey picture as the fine descriptor, so the official
//! avatar's views (rotated, cropped, shrunk) have outline views in the same places.

use image::GrayImage;

/// Side of the outline map.
pub const OUTLINE_SIDE: usize = 32;
/// Values of an [`Outline`] descriptor.
pub const OUTLINE_LEN: usize = OUTLINE_SIDE * OUTLINE_SIDE;
/// Side of the sample an outline map is computed on ([`outline_map`]), twice the
/// descriptor's: a quarter of the work of a 128-pixel picture, outlines still in place.
const SOURCE_SIDE: u32 = 2 * OUTLINE_SIDE as u32;

/// Smoothed gradient magnitude of a window of a picture at 32×32, zero mean and unit
/// variance, quantised to `i8` (×32), with its squared norm. All zero when the window has no
/// edges.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    values: [i8; OUTLINE_LEN],
    norm2: i32,
}

impl Default for Outline {
    fn default() -> Self {
        Outline {
            values: [0; OUTLINE_LEN],
            norm2: 0,
        }
    }
}

/// The dot product of two descriptors, exactly (|sum| ≤ 1024 · 127², inside `i32`), in
/// blocks the compiler vectorises.
fn dot(a: &[i8; OUTLINE_LEN], b: &[i8; OUTLINE_LEN]) -> i32 {
    a.chunks_exact(32)
        .zip(b.chunks_exact(32))
        .map(|(x, y)| {
            x.iter()
                .zip(y)
                .map(|(p, q)| i32::from(i16::from(*p) * i16::from(*q)))
                .sum::<i32>()
        })
        .sum()
}

impl Outline {
    /// The outline of exactly the part `(x, y, w, h)` of a grey picture: the outline map of
    /// the part sampled at 64×64 ([`sampled`]), each 2×2 block averaged ([`halved`]).
    pub fn of_window(gray: &GrayImage, window: (u32, u32, u32, u32)) -> Outline {
        let source = sampled(gray, window, SOURCE_SIDE);
        Outline::from_thumbnail(&halved(&outline_map(&source)))
    }

    /// From a 32×32 thumbnail of an edge map (row-major): normalised and quantised.
    pub fn from_thumbnail(px: &[u8]) -> Outline {
        let mut values = [0i8; OUTLINE_LEN];
        if px.len() != OUTLINE_LEN {
            return Outline::default();
        }
        // Integer sums (exact), then one scale for every value.
        let n = OUTLINE_LEN as f64;
        let sum: u32 = px.iter().map(|&p| u32::from(p)).sum();
        let squares: u64 = px.iter().map(|&p| u64::from(p) * u64::from(p)).sum();
        let mean = sum as f64 / n;
        let var = (squares as f64 / n - mean * mean).max(0.0);
        let sd = var.sqrt();
        if sd < 0.5 {
            return Outline::default();
        }
        let (mean, scale) = (mean as f32, (32.0 / sd) as f32);
        for (o, &p) in values.iter_mut().zip(px) {
            let v = ((f32::from(p) - mean) * scale).clamp(-127.0, 127.0);
            // Rounded half away from zero, as `round` does, without its library call.
            *o = (v + 0.5f32.copysign(v)) as i8;
        }
        Outline::of_values(values)
    }

    fn of_values(values: [i8; OUTLINE_LEN]) -> Outline {
        Outline {
            norm2: dot(&values, &values),
            values,
        }
    }

    /// True when computed from a window with edges.
    pub fn is_set(&self) -> bool {
        self.norm2 != 0
    }

    /// Correlation −1..1 of two descriptors; 0 when either is not set.
    pub fn similarity(&self, other: &Outline) -> f64 {
        if self.norm2 == 0 || other.norm2 == 0 {
            return 0.0;
        }
        dot(&self.values, &other.values) as f64
            / ((self.norm2 as f64).sqrt() * (other.norm2 as f64).sqrt())
    }

    /// The descriptor as stored (one byte per value).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.values.iter().map(|v| *v as u8).collect()
    }

    /// From [`Outline::to_bytes`]; `None` when the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<Outline> {
        (bytes.len() == OUTLINE_LEN).then(|| {
            let mut values = [0i8; OUTLINE_LEN];
            for (o, b) in values.iter_mut().zip(bytes) {
                *o = *b as i8;
            }
            Outline::of_values(values)
        })
    }
}

/// The edge map of a grey picture, same size: Sobel gradient magnitude (|gx| + |gy|, scaled
/// to fit a byte; borders repeat), then a 5×5 box blur so that outlines a pixel or two apart
/// still overlap.
pub fn outline_map(gray: &GrayImage) -> GrayImage {
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let px = gray.as_raw();
    let magnitude = |gx: i32, gy: i32| ((gx.abs() + gy.abs()) / 8).min(255) as u8;
    let mut mag = vec![0u8; w * h];
    // Away from the borders, three rows at a time without clamping (the loop vectorises).
    if w >= 3 && h >= 3 {
        for y in 1..h - 1 {
            let (up, row, down) = (
                &px[(y - 1) * w..y * w],
                &px[y * w..(y + 1) * w],
                &px[(y + 1) * w..(y + 2) * w],
            );
            let out = &mut mag[y * w + 1..(y + 1) * w - 1];
            let n = w - 2;
            // Each row's left, middle and right neighbours, as slices of one length.
            let (ul, um, ur) = (&up[..n], &up[1..n + 1], &up[2..n + 2]);
            let (rl, rr) = (&row[..n], &row[2..n + 2]);
            let (dl, dm, dr) = (&down[..n], &down[1..n + 1], &down[2..n + 2]);
            for x in 0..n {
                let v = |r: &[u8]| i32::from(r[x]);
                let gx = v(ur) + 2 * v(rr) + v(dr) - v(ul) - 2 * v(rl) - v(dl);
                let gy = v(dl) + 2 * v(dm) + v(dr) - v(ul) - 2 * v(um) - v(ur);
                out[x] = magnitude(gx, gy);
            }
        }
    }
    // The borders, where pixels beyond the picture repeat its edge.
    let at = |x: isize, y: isize| {
        let x = x.clamp(0, w as isize - 1) as usize;
        let y = y.clamp(0, h as isize - 1) as usize;
        i32::from(px[y * w + x])
    };
    let edge_rows = [0, h - 1]
        .into_iter()
        .flat_map(|y| (0..w).map(move |x| (x, y)));
    let edge_columns = (1..h.saturating_sub(1)).flat_map(|y| [(0, y), (w - 1, y)]);
    for (x, y) in edge_rows.chain(edge_columns) {
        let (gx, gy) = sobel(&at, x as isize, y as isize);
        mag[y * w + x] = magnitude(gx, gy);
    }
    let blurred = super::keypoints::box_blur(&mag, w, h);
    GrayImage::from_raw(w as u32, h as u32, blurred).expect("same size")
}

/// The part `(x, y, w, h)` of a grey picture (bounded by it) sampled at `side`×`side`: the
/// pixel under each sample's centre (the outline map's blur smooths more than a resize
/// filter would, at a fraction of its cost).
pub fn sampled(gray: &GrayImage, (x, y, w, h): (u32, u32, u32, u32), side: u32) -> GrayImage {
    let (iw, ih) = gray.dimensions();
    if iw == 0 || ih == 0 || side == 0 {
        return GrayImage::new(side, side);
    }
    let px = gray.as_raw();
    // The source pixel of each sample along one axis, inside the picture.
    let axis = |start: u32, len: u32, limit: u32| -> Vec<usize> {
        (0..side as u64)
            .map(|i| {
                let at = start as u64 + (2 * i + 1) * len as u64 / (2 * side as u64);
                at.min(limit as u64 - 1) as usize
            })
            .collect()
    };
    let (xs, ys) = (axis(x, w, iw), axis(y, h, ih));
    let stride = iw as usize;
    let mut out = Vec::with_capacity((side * side) as usize);
    for &sy in &ys {
        let row = &px[sy * stride..][..stride];
        out.extend(xs.iter().map(|&sx| row[sx]));
    }
    GrayImage::from_raw(side, side, out).expect("side × side")
}

/// The Sobel gradients (x, y) at `(x, y)` of the picture whose pixels `at` reads.
fn sobel(at: &impl Fn(isize, isize) -> i32, x: isize, y: isize) -> (i32, i32) {
    let gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)
        - at(x - 1, y - 1)
        - 2 * at(x - 1, y)
        - at(x - 1, y + 1);
    let gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)
        - at(x - 1, y - 1)
        - 2 * at(x, y - 1)
        - at(x + 1, y - 1);
    (gx, gy)
}

/// A map at half its size (each 2×2 block averaged, rounded), row-major; an odd last row or
/// column is left out.
pub fn halved(map: &GrayImage) -> Vec<u8> {
    let (w, h) = (map.width() as usize, map.height() as usize);
    let px = map.as_raw();
    let mut out = Vec::with_capacity((w / 2) * (h / 2));
    for y in 0..h / 2 {
        let (a, b) = (&px[2 * y * w..][..w], &px[(2 * y + 1) * w..][..w]);
        for x in 0..w / 2 {
            let sum = [a[2 * x], a[2 * x + 1], b[2 * x], b[2 * x + 1]].map(u16::from);
            out.push(((sum.iter().sum::<u16>() + 2) / 4) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(side: u32, from: u32, to: u32) -> GrayImage {
        GrayImage::from_fn(side, side, |x, y| {
            let inside = (from..to).contains(&x) && (from..to).contains(&y);
            image::Luma([if inside { 230 } else { 40 }])
        })
    }

    fn thumb(map: &GrayImage) -> Outline {
        let t = image::imageops::resize(map, 32, 32, image::imageops::FilterType::Triangle);
        Outline::from_thumbnail(t.as_raw())
    }

    #[test]
    fn the_outline_map_follows_outlines() {
        let map = outline_map(&square(64, 16, 48));
        // Inside and outside are flat; the outline is bright (a step of 190 is 95 at the
        // step's two columns, 38 once blurred over five).
        assert_eq!(map.get_pixel(32, 32)[0], 0);
        assert_eq!(map.get_pixel(2, 2)[0], 0);
        assert_eq!(map.get_pixel(16, 32)[0], 38);
        assert_eq!(map.get_pixel(32, 47)[0], 38);
    }

    #[test]
    fn outlines_tell_shapes_of_one_colour_apart() {
        let a = thumb(&outline_map(&square(64, 16, 48)));
        let same = thumb(&outline_map(&square(64, 16, 48)));
        let bigger = thumb(&outline_map(&square(64, 10, 54)));
        assert!(a.is_set());
        assert!((a.similarity(&same) - 1.0).abs() < 1e-9);
        assert!(a.similarity(&bigger) < 0.5, "{}", a.similarity(&bigger));
        assert_eq!(Outline::default().similarity(&a), 0.0);
        assert!(!thumb(&outline_map(&GrayImage::new(64, 64))).is_set());
    }

    /// Sobel at every pixel with the borders repeated, then the blur: what `outline_map`
    /// computes, written plainly (its fast interior is what this checks).
    fn outline_map_reference(gray: &GrayImage) -> GrayImage {
        let (w, h) = (gray.width() as isize, gray.height() as isize);
        let at = |x: isize, y: isize| {
            i32::from(gray.get_pixel(x.clamp(0, w - 1) as u32, y.clamp(0, h - 1) as u32)[0])
        };
        let mut mag = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let (gx, gy) = sobel(&at, x, y);
                mag.push(((gx.abs() + gy.abs()) / 8).min(255) as u8);
            }
        }
        let blurred = crate::avatar::keypoints::box_blur(&mag, w as usize, h as usize);
        GrayImage::from_raw(w as u32, h as u32, blurred).unwrap()
    }

    #[test]
    fn the_outline_map_is_the_plain_computation() {
        for (w, h) in [(128, 128), (100, 75), (37, 90), (3, 3), (2, 5), (1, 1)] {
            let gray = GrayImage::from_fn(w, h, |x, y| {
                image::Luma([((x * 37 + y * 91 + x * y * 7) % 256) as u8])
            });
            assert_eq!(outline_map(&gray), outline_map_reference(&gray), "{w}x{h}");
        }
    }

    #[test]
    fn sampling_keeps_flat_parts_and_scales_the_rest() {
        let ramp = GrayImage::from_fn(100, 80, |x, _| image::Luma([(x * 2) as u8]));
        let s = sampled(&ramp, (10, 10, 80, 60), 40);
        assert_eq!(s.dimensions(), (40, 40));
        // Every row alike; the samples are source columns 11, 13, … 89.
        assert_eq!(s.get_pixel(0, 0), s.get_pixel(0, 39));
        assert_eq!(s.get_pixel(0, 0)[0], 22);
        assert_eq!(s.get_pixel(1, 0)[0] - s.get_pixel(0, 0)[0], 4);
        assert_eq!(s.get_pixel(39, 0)[0], 178);
        let flat = GrayImage::from_pixel(7, 5, image::Luma([200]));
        assert!(sampled(&flat, (0, 0, 7, 5), 64)
            .pixels()
            .all(|p| p[0] == 200));
        assert!(sampled(&GrayImage::new(0, 0), (0, 0, 0, 0), 4)
            .pixels()
            .all(|p| p[0] == 0));
    }

    #[test]
    fn halving_averages_blocks() {
        let map = GrayImage::from_raw(4, 3, vec![0, 4, 10, 10, 2, 2, 10, 11, 9, 9, 9, 9]).unwrap();
        assert_eq!(halved(&map), vec![2, 10]);
    }

    #[test]
    fn stored_outlines_read_back() {
        let a = thumb(&outline_map(&square(64, 20, 40)));
        assert_eq!(Outline::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(Outline::from_bytes(&[1, 2, 3]), None);
    }
}
