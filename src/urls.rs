//! The one place that knows URLs. Every link in the site comes from here, so a
//! site under a sub-path (`https://host/kz/`) works: links are root-relative and
//! carry the base path; canonical URLs, hreflang alternates and sitemaps are
//! absolute.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Urls {
    /// `https://host/kz` — no trailing slash.
    origin_and_path: String,
    /// `/kz` — empty at the host's root.
    base_path: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Urls {
        let trimmed = base_url.trim_end_matches('/').to_string();
        let after_scheme = trimmed.split_once("://").map(|(_, r)| r).unwrap_or(&trimmed);
        let base_path = after_scheme.find('/').map(|i| after_scheme[i..].to_string()).unwrap_or_default();
        Urls { origin_and_path: trimmed, base_path }
    }

    /// A root-relative link to a route (`/kk/people/x/` → `/kz/kk/people/x/`).
    pub fn link(&self, route: &str) -> String {
        format!("{}{route}", self.base_path)
    }

    /// The absolute URL of a route.
    pub fn absolute(&self, route: &str) -> String {
        format!("{}{route}", self.origin_and_path)
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The file a route is written to, relative to the output directory.
    pub fn file(route: &str) -> PathBuf {
        let rel = route.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            PathBuf::from(format!("{rel}index.html"))
        } else {
            PathBuf::from(rel)
        }
    }
}

/// Routes: paths under the base URL, each starting with `/`.
pub mod route {
    pub fn root() -> String {
        "/".into()
    }
    pub fn home(lang: &str) -> String {
        format!("/{lang}/")
    }
    pub fn person(lang: &str, id: &str) -> String {
        format!("/{lang}/people/{id}/")
    }
    pub fn regions(lang: &str) -> String {
        format!("/{lang}/regions/")
    }
    /// Page 1 of a region is the region's own URL; later pages are `page/N/`.
    pub fn region(lang: &str, slug: &str, page: usize) -> String {
        if page <= 1 {
            format!("/{lang}/regions/{slug}/")
        } else {
            format!("/{lang}/regions/{slug}/page/{page}/")
        }
    }
    pub fn search(lang: &str) -> String {
        format!("/{lang}/search/")
    }
    pub fn essays(lang: &str) -> String {
        format!("/{lang}/essays/")
    }
    pub fn essay(lang: &str, slug: &str) -> String {
        format!("/{lang}/essays/{slug}/")
    }
    pub fn page(lang: &str, slug: &str) -> String {
        format!("/{lang}/{slug}/")
    }
    /// A resized image of a biography.
    pub fn person_image(id: &str, file: &str) -> String {
        format!("/images/people/{id}/{file}")
    }
    pub fn data(lang: &str) -> String {
        format!("/{lang}/data/")
    }
    pub fn asset(name: &str) -> String {
        format!("/{name}")
    }
    pub fn not_found() -> String {
        "/404.html".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_paths() {
        let u = Urls::new("https://memorial.example.org/kz/");
        assert_eq!(u.link(&route::person("en", "a-1")), "/kz/en/people/a-1/");
        assert_eq!(u.absolute(&route::home("kk")), "https://memorial.example.org/kz/kk/");
        let u = Urls::new("http://localhost:8080");
        assert_eq!(u.link(&route::root()), "/");
        assert_eq!(Urls::file("/kk/"), PathBuf::from("kk/index.html"));
        assert_eq!(Urls::file("/"), PathBuf::from("index.html"));
        assert_eq!(Urls::file("/404.html"), PathBuf::from("404.html"));
    }
}
