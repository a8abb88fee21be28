//! What a host must send with each file: its `Content-Type` (with a charset for
//! text) and its `Cache-Control`, and the phase of the deploy it belongs to.

/// Bump when [`content_type`] or [`cache_control`] change: a deploy manifest
/// written under other rules describes objects stored with other headers, so
/// every object is uploaded again.
pub const RULES: u32 = 2;

/// Phases of a deploy, in the order they run, so the live site never links to
/// what is not there yet: assets and data first, then the pages that use them,
/// then the redirect pages of merged records (whose targets now exist).
/// Deletions come after all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Assets,
    Pages,
    Redirects,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Assets => "assets and data",
            Phase::Pages => "pages",
            Phase::Redirects => "redirects",
        }
    }
}

fn extension(key: &str) -> &str {
    let name = key.rsplit('/').next().unwrap_or(key);
    name.rsplit_once('.').map(|(_, e)| e).unwrap_or("")
}

/// The `Content-Type` of a file, from its extension; text types carry
/// `charset=utf-8` (esim writes only UTF-8), so no browser guesses.
pub fn content_type(key: &str) -> &'static str {
    match extension(key).to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "jsonl" => "application/jsonl; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// True for a file whose name carries a hash of its content
/// (`name.0123abcd4567ef89.ext`): its URL changes with its bytes, so it can be
/// cached for good.
pub(super) fn content_addressed(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    let mut parts = name.split('.');
    parts.next();
    parts.any(|p| p.len() >= 8 && p.len() <= 64 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The `Cache-Control` of a file. Pages, sitemaps and the search index change
/// in place (their URLs are permanent), so browsers and CDNs keep them only
/// minutes; theme assets are fetched as `style.css?v=HASH`, but a CDN that
/// ignores query strings would then serve an old stylesheet for as long as it
/// is cached, so they get an hour; images of biographies rarely change; only
/// content-addressed names are `immutable`.
pub fn cache_control(key: &str) -> &'static str {
    if content_addressed(key) {
        return "public, max-age=31536000, immutable";
    }
    match extension(key).to_ascii_lowercase().as_str() {
        "png" | "jpg" | "jpeg" | "webp" | "avif" | "gif" | "woff2" | "woff" => "public, max-age=604800",
        "css" | "js" | "mjs" | "svg" | "ico" => "public, max-age=3600",
        _ if key.starts_with("data/") => "public, max-age=3600",
        _ => "public, max-age=300",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_types_carry_a_charset() {
        for key in ["kk/index.html", "style.css", "search/search.js", "search/d/ab.json", "sitemap.xml", "robots.txt"] {
            assert!(content_type(key).ends_with("; charset=utf-8"), "{key}: {}", content_type(key));
        }
        assert_eq!(content_type("images/people/a/1.JPG"), "image/jpeg");
        assert_eq!(content_type("data/records.jsonl"), "application/jsonl; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn only_content_addressed_names_are_immutable() {
        assert_eq!(cache_control("kk/people/a-1/index.html"), "public, max-age=300");
        assert_eq!(cache_control("search/p/w/0badcafe.json"), "public, max-age=300");
        assert_eq!(cache_control("style.css"), "public, max-age=3600");
        assert_eq!(cache_control("style.0123abcd4567ef89.css"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("data/people/a-1.json"), "public, max-age=3600");
        assert_eq!(cache_control("images/people/a-1/photo.jpg"), "public, max-age=604800");
    }
}
