//! What the output directory held before this build, as later stages of
//! loading need to know it.

use std::path::Path;

/// Whether `output` holds a site esim built (its marker file) with at least
/// one person page in some language (`<lang>/people/<id>/index.html`): a site
/// that published people, whose ledger must not be lost.
pub fn has_person_pages(output: &Path) -> bool {
    if !output.join(super::MARKER).is_file() {
        return false;
    }
    let Ok(languages) = std::fs::read_dir(output) else { return false };
    languages.flatten().any(|lang| {
        std::fs::read_dir(lang.path().join("people"))
            .is_ok_and(|mut people| people.any(|p| p.is_ok_and(|p| p.path().join("index.html").is_file())))
    })
}
