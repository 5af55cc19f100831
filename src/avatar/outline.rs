//! The outline descriptor of flat pictures (issue 10, item 1): where a picture's edges run,
//! as a 32×32 map of smoothed gradient magnitude, normalised.
//!
//! A flat logo (a glyph on one colour) has no corners to match and little for the 16×16
//! [`crate::detect::score::Fine`] thumbnail to tell apart: another glyph of the same icon set
//! on the same colour puts about as much white in about the same places, and correlates
//! 0.9–0.99 with it. Their outlines do not coincide (0.3–0.7), while a copy's do, re-encoded,
//! shrunk, turned or skewed a little (0.75–1.0, measured on generated sets). So for flat
//! pictures this descriptor decides between "the same picture" and "the same template".
//!
//! Taken of the same window of the same grey picture as the fine descriptor, so the official
//! avatar's views (rotated, cropped, shrunk) have outline views in the same places.

use image::GrayImage;

/// Side of the outline map.
pub const OUTLINE_SIDE: usize = 32;
/// Values of an [`Outline`] descriptor.
pub const OUTLINE_LEN: usize = OUTLINE_SIDE * OUTLINE_SIDE;

/// Smoothed gradient magnitude of a window of a picture at 32×32, zero mean and unit
/// variance, quantised to `i8` (×32). All zero when the window has no edges.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline(pub [i8; OUTLINE_LEN]);

impl Default for Outline {
    fn default() -> Self {
        Outline([0; OUTLINE_LEN])
    }
}

impl Outline {
    /// From a 32×32 thumbnail of an edge map (row-major): normalised and quantised.
    pub fn from_thumbnail(px: &[u8]) -> Outline {
        let mut out = Outline::default();
        if px.len() != OUTLINE_LEN {
            return out;
        }
        let n = OUTLINE_LEN as f64;
        let mean = px.iter().map(|&p| p as f64).sum::<f64>() / n;
        let var = px.iter().map(|&p| (p as f64 - mean).powi(2)).sum::<f64>() / n;
        let sd = var.sqrt();
        if sd < 0.5 {
            return out;
        }
        for (o, &p) in out.0.iter_mut().zip(px) {
            *o = ((p as f64 - mean) / sd * 32.0).round().clamp(-127.0, 127.0) as i8;
        }
        out
    }

    /// True when computed from a window with edges.
    pub fn is_set(&self) -> bool {
        self.0.iter().any(|v| *v != 0)
    }

    fn dot(&self, other: &Outline) -> i32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| i32::from(*a) * i32::from(*b))
            .sum()
    }

    /// Correlation −1..1 of two descriptors; 0 when either is not set.
    pub fn similarity(&self, other: &Outline) -> f64 {
        let (aa, bb) = (self.dot(self), other.dot(other));
        if aa == 0 || bb == 0 {
            return 0.0;
        }
        self.dot(other) as f64 / ((aa as f64).sqrt() * (bb as f64).sqrt())
    }

    /// The best correlation with any of `views` (0 when there are none).
    pub fn best(&self, views: &[Outline]) -> f64 {
        views.iter().map(|v| self.similarity(v)).fold(0.0, f64::max)
    }

    /// The descriptor as stored (one byte per value).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().map(|v| *v as u8).collect()
    }

    /// From [`Outline::to_bytes`]; `None` when the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<Outline> {
        (bytes.len() == OUTLINE_LEN).then(|| {
            let mut out = Outline::default();
            for (o, b) in out.0.iter_mut().zip(bytes) {
                *o = *b as i8;
            }
            out
        })
    }
}

/// The edge map of a grey picture, same size: Sobel gradient magnitude (|gx| + |gy|, scaled
/// to fit a byte; borders repeat), then a 5×5 box blur so that outlines a pixel or two apart
/// still overlap.
pub fn outline_map(gray: &GrayImage) -> GrayImage {
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let px = gray.as_raw();
    let at = |x: isize, y: isize| {
        let x = x.clamp(0, w as isize - 1) as usize;
        let y = y.clamp(0, h as isize - 1) as usize;
        i32::from(px[y * w + x])
    };
    let mut mag = vec![0u8; w * h];
    for y in 0..h as isize {
        for x in 0..w as isize {
            let gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2 * at(x - 1, y)
                - at(x - 1, y + 1);
            let gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2 * at(x, y - 1)
                - at(x + 1, y - 1);
            mag[y as usize * w + x as usize] = ((gx.abs() + gy.abs()) / 8).min(255) as u8;
        }
    }
    let blurred = super::keypoints::box_blur(&mag, w, h);
    GrayImage::from_raw(w as u32, h as u32, blurred).expect("same size")
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
        assert!((a.best(&[bigger.clone(), same]) - 1.0).abs() < 1e-9);
        assert_eq!(Outline::default().similarity(&a), 0.0);
        assert!(!thumb(&outline_map(&GrayImage::new(64, 64))).is_set());
    }

    #[test]
    fn stored_edges_read_back() {
        let a = thumb(&outline_map(&square(64, 20, 40)));
        assert_eq!(Outline::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(Outline::from_bytes(&[1, 2, 3]), None);
    }
}
