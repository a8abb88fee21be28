//! Resized, compressed variants of the biographies' images.

use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;

use super::output::Output;
use crate::content::images::Image;

/// JPEG quality of the variants: small files, no visible artefacts on photos.
const QUALITY: u8 = 80;

/// Writes every variant of `img` under `dir_rel` (e.g. `images/people/<id>`).
pub fn write_variants(img: &Image, dir_rel: &Path, out: &Output, unit: &str) -> Result<(), String> {
    let original = image::open(&img.source).map_err(|e| format!("{}: {e}", img.source.display()))?;
    for width in img.variant_widths() {
        let height = img.height_at(width);
        let resized = if width == img.width {
            original.clone()
        } else {
            original.resize_exact(width, height, FilterType::Lanczos3)
        };
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, QUALITY)
            .encode_image(&resized.to_rgb8())
            .map_err(|e| format!("{}: {e}", img.source.display()))?;
        out.file(unit, &dir_rel.join(img.variant_name(width)).to_string_lossy(), &bytes).map_err(|e| e.to_string())?;
    }
    Ok(())
}
