//! Photos and documents beside a biography: `content/people/<id>/<file>`,
//! listed in the biography's front matter with their alt text (required: a
//! photo without a description is an error, not a silent gap for screen-reader
//! users).
//!
//! ```toml
//! [[images]]
//! file = "photo.jpg"
//! alt = "Ахмет Байтұрсынұлы, 1913 жыл"
//! caption = "Optional caption"
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{line_col, Diagnostic};

/// Widths of the resized variants; an image is never enlarged.
pub const WIDTHS: [u32; 3] = [320, 640, 1280];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageMeta {
    pub file: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
}

/// An image that exists and can be read, with its size.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub source: PathBuf,
    pub file: String,
    pub alt: String,
    pub caption: Option<String>,
    pub width: u32,
    pub height: u32,
}

impl Image {
    /// The widths of the variants the build writes: the standard widths below
    /// the original's, and the original's own width (at most the largest).
    pub fn variant_widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < self.width).collect();
        widths.push(self.width.min(*WIDTHS.last().expect("widths")));
        widths.dedup();
        widths
    }

    pub fn height_at(&self, width: u32) -> u32 {
        ((self.height as u64 * width as u64 + self.width as u64 / 2) / self.width.max(1) as u64).max(1) as u32
    }

    /// The file name of a variant: `photo-640.jpg` (always JPEG: photographs).
    pub fn variant_name(&self, width: u32) -> String {
        let stem = self.file.rsplit_once('.').map(|(s, _)| s).unwrap_or(&self.file);
        format!("{stem}-{width}.jpg")
    }
}

fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && matches!(name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref(), Some("jpg" | "jpeg" | "png"))
}

/// Checks the images of the biography at `md_path` (whose front matter text is
/// `text`), in the directory named after the person beside it.
pub fn check(md_path: &Path, id: &str, text: &str, metas: &[ImageMeta], problems: &mut Vec<Diagnostic>) -> Vec<Image> {
    let dir = md_path.parent().unwrap_or(Path::new(".")).join(id);
    let mut images = Vec::new();
    for meta in metas {
        let at = text.find(&format!("\"{}\"", meta.file)).map(|i| line_col(text, i)).unwrap_or((1, 1));
        let mut err = |msg: String| problems.push(Diagnostic::new(md_path, at.0, at.1, msg));
        if !safe_name(&meta.file) {
            err(format!("image {:?}: expected a .jpg, .jpeg or .png file name of a-z 0-9 - _ .", meta.file));
            continue;
        }
        let alt = meta.alt.as_deref().map(str::trim).unwrap_or("");
        if alt.is_empty() {
            err(format!("image {:?} has no alt text: describe what it shows (alt = \"…\")", meta.file));
            continue;
        }
        let source = dir.join(&meta.file);
        match image::image_dimensions(&source) {
            Ok((width, height)) if width > 0 && height > 0 => images.push(Image {
                source,
                file: meta.file.clone(),
                alt: alt.to_string(),
                caption: meta.caption.clone().filter(|c| !c.trim().is_empty()),
                width,
                height,
            }),
            Ok(_) => err(format!("image {} is empty", source.display())),
            Err(e) => err(format!("cannot read image {}: {e}", source.display())),
        }
    }
    images
}
