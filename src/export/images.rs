//! Resized, compressed variants of the biographies' images.

use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;

use crate::content::images::Image;

/// Where the variants go: (path under the site's root, bytes).
pub type WriteFile<'a> = dyn Fn(&str, &[u8]) -> Result<(), String> + Sync + 'a;

/// JPEG quality of the variants: small files, no visible artefacts on photos.
const QUALITY: u8 = 80;

/// Writes every variant of `img` under `dir_rel` (e.g. `images/people/<id>`)
/// through `write` (path under the site's root, bytes).
pub fn write_variants(img: &Image, dir_rel: &Path, write: &WriteFile<'_>) -> Result<(), String> {
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
        write(&dir_rel.join(img.variant_name(width)).to_string_lossy(), &bytes)?;
    }
    Ok(())
}
