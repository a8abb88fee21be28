//! `config.toml`: the site's settings. Unknown keys are errors that name the key
//! (they are usually typos), and every error carries its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{line_col, Diagnostic};

/// Per-language text, e.g. the site title: `[title] kk = "…" ru = "…"`.
pub type Translated = BTreeMap<String, String>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Absolute URL of the site's root; may carry a sub-path (`https://host/kz`).
    pub base_url: String,
    pub default_language: String,
    pub languages: Vec<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    pub title: Translated,
    /// One-sentence description of the memorial per language (meta description).
    #[serde(default)]
    pub description: Translated,
    #[serde(default)]
    pub build: BuildOptions,
    /// The language in which archive free text (places, charges, citations) is
    /// written; pages in other languages mark such text with this `lang`.
    #[serde(default = "default_record_language")]
    pub record_language: String,
    /// Where families send corrections: shown on every person page.
    #[serde(default)]
    pub corrections: Corrections,
    /// The open data published under `/data/`.
    #[serde(default)]
    pub data: DataOptions,
}

/// How a family suggests a correction: a mailto address (the subject carries the
/// person's id and URL) or a form URL with `{id}` and optionally `{url}` in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corrections {
    pub email: Option<String>,
    pub form_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataOptions {
    /// The licence of the published dataset, e.g. "CC BY 4.0".
    pub licence: String,
    pub licence_url: String,
}

impl Default for DataOptions {
    fn default() -> Self {
        DataOptions { licence: "CC BY 4.0".into(), licence_url: "https://creativecommons.org/licenses/by/4.0/".into() }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildOptions {
    /// People listed on one page of a regional index.
    pub people_per_page: usize,
    /// URLs per sitemap file; above it `sitemap.xml` becomes a sitemap index.
    pub sitemap_max_urls: usize,
    /// Minify the HTML of generated pages. Off by default: measured on 30,000
    /// pages it doubled the render time for 9% smaller files (less once a host
    /// compresses them); see bench/README.md.
    pub minify: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { people_per_page: 100, sitemap_max_urls: 50_000, minify: false }
    }
}

fn default_theme() -> String {
    "default".into()
}

fn default_record_language() -> String {
    "ru".into()
}

impl Config {
    /// Reads and validates `config.toml`. `base_url_override` replaces `base_url`
    /// (the `--base-url` flag) before validation.
    pub fn load(path: &Path, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| vec![Diagnostic::file(path, format!("cannot read the configuration: {e}"))])?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
            vec![Diagnostic::new(path, line, col, e.message().to_string())]
        })?;
        if let Some(url) = base_url_override {
            config.base_url = url.to_string();
        }
        let problems = config.validate(path, &text);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn validate(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let at = |key: &str| -> (usize, usize) { text.find(key).map(|i| line_col(text, i)).unwrap_or((0, 0)) };
        let mut out = Vec::new();
        let mut err = |key: &str, msg: String| {
            let (l, c) = at(key);
            out.push(Diagnostic::new(path, l, c, msg));
        };
        if self.base_url.contains(['"', '\'', '<', '>', ' ', '\\']) {
            err("base_url", format!("base_url {:?} has a character that does not belong in a URL", self.base_url));
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            err("base_url", format!("base_url must be an absolute http(s) URL, found {:?}", self.base_url));
        }
        if self.languages.is_empty() {
            err("languages", "languages must list at least one language".into());
        }
        for lang in &self.languages {
            if lang.is_empty() || !lang.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                err("languages", format!("{lang:?} is not a language code such as \"kk\""));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for lang in &self.languages {
            if !seen.insert(lang) {
                err("languages", format!("language {lang:?} is listed twice"));
            }
        }
        if !self.languages.contains(&self.default_language) {
            err(
                "default_language",
                format!("default_language {:?} is not one of languages {:?}", self.default_language, self.languages),
            );
        }
        for lang in &self.languages {
            if !self.title.contains_key(lang) {
                err("[title]", format!("[title] has no title for language {lang:?}"));
            }
        }
        for table in [&self.title, &self.description] {
            for key in table.keys() {
                if !self.languages.contains(key) {
                    err(key, format!("{key:?} is not one of the site's languages {:?}", self.languages));
                }
            }
        }
        if self.build.people_per_page == 0 {
            err("people_per_page", "people_per_page must be at least 1".into());
        }
        if let Some(email) = &self.corrections.email {
            if !email.contains('@') || email.contains(['<', '>', '"', ' ', '?']) {
                err("email", format!("[corrections] email {email:?} is not an e-mail address"));
            }
        }
        if let Some(url) = &self.corrections.form_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) || !url.contains("{id}") {
                err("form_url", format!("[corrections] form_url {url:?} must be an http(s) URL containing {{id}}"));
            }
        }
        if self.build.sitemap_max_urls == 0 || self.build.sitemap_max_urls > 50_000 {
            err("sitemap_max_urls", "sitemap_max_urls must be between 1 and 50000".into());
        }
        out
    }

    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join("themes").join(&self.theme)
    }
}
