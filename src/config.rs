//! `config.toml`: the site's settings. Unknown keys are errors that name the key
//! (they are usually typos), and every error carries its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{line_col, Diagnostic};
use crate::util::compress::Encoding;

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
    /// Where `esim deploy` uploads the built site: `[deploy.NAME]` tables.
    #[serde(default)]
    pub deploy: BTreeMap<String, DeployTarget>,
}

/// One target of `esim deploy`. Credentials are never here: they come from the
/// environment (`AWS_ACCESS_KEY_ID`, …), so config.toml can be committed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployTarget {
    /// `s3://BUCKET/PREFIX`, `gs://BUCKET/PREFIX` or `az://CONTAINER/PREFIX`.
    pub url: String,
    /// Any S3-compatible server (addressed path-style), e.g. `https://storage.example.kz`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// After a deploy, tell search engines that take IndexNow (Bing, Yandex,
    /// Seznam, Naver…) which pages changed. Needs `indexnow_key`.
    #[serde(default)]
    pub indexnow: bool,
    /// The IndexNow key: 8 to 128 letters, digits or `-`. The build publishes
    /// it as `<base_url>/<key>.txt`, which proves the site is the sender's.
    pub indexnow_key: Option<String>,
    /// Where IndexNow submissions go (default: the shared endpoint, which
    /// passes them to every participating search engine).
    pub indexnow_endpoint: Option<String>,
    /// Store text files compressed (`"gzip"` or `"br"`), from the copies of
    /// `[build] precompress`, with that `Content-Encoding`: object storage
    /// does not compress, and a CDN in front may not either.
    pub content_encoding: Option<String>,
}

/// IndexNow's shared endpoint: one submission reaches every participating engine.
pub const INDEXNOW_ENDPOINT: &str = "https://api.indexnow.org/indexnow";

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
    /// Compressed copies beside every text file of at least 1 KB, for servers
    /// that send them as they are: `["gzip"]`, `["gzip", "br"]`.
    pub precompress: Vec<String>,
    /// Keep a second copy of the site beside the output, which a rebuild
    /// (every page rendered again) overwrites and exchanges with the output
    /// in one step: twice the disk, for rebuilds that free no file (see
    /// `publish::standby`).
    pub standby: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            people_per_page: 100,
            sitemap_max_urls: 50_000,
            minify: false,
            precompress: Vec::new(),
            standby: false,
        }
    }
}

impl BuildOptions {
    /// The encodings of `precompress`, in a fixed order (validated on load).
    pub fn encodings(&self) -> Vec<Encoding> {
        let mut out: Vec<Encoding> = self.precompress.iter().filter_map(|n| Encoding::parse(n)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn default_theme() -> String {
    "default".into()
}

fn default_record_language() -> String {
    "ru".into()
}

impl DeployTarget {
    /// What is wrong with this target, if anything.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.url.split_once("://") {
            Some(("s3" | "gs" | "az", rest)) if !rest.trim_start_matches('/').is_empty() => {}
            _ => out.push(format!(
                "url {:?} must be s3://BUCKET/PREFIX (or gs://, az://; the prefix is optional)",
                self.url
            )),
        }
        if let Some(endpoint) = &self.endpoint {
            if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
                out.push(format!("endpoint {endpoint:?} must be an http(s) URL"));
            }
            if !(self.url.starts_with("s3://") || self.url.starts_with("az://")) {
                out.push(
                    "endpoint applies only to s3:// and az:// targets (Google Cloud Storage has one address)".into(),
                );
            }
        }
        out.extend(self.indexnow_problems());
        if let Some(e) = &self.content_encoding {
            if Encoding::parse(e).is_none() {
                out.push(format!("content_encoding {e:?} must be \"gzip\" or \"br\""));
            }
        }
        out
    }

    fn indexnow_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.indexnow_key {
            Some(key) if !is_indexnow_key(key) => out.push(format!(
                "indexnow_key {key:?} must be 8 to 128 letters, digits or '-' (for example {:?})",
                suggested_indexnow_key()
            )),
            None if self.indexnow => out.push(format!(
                "indexnow = true needs an indexnow_key: add for example indexnow_key = {:?} (any 8 to 128 letters, digits or '-'; it is published as <base_url>/<key>.txt)",
                suggested_indexnow_key()
            )),
            _ => {}
        }
        if let Some(endpoint) = &self.indexnow_endpoint {
            if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
                out.push(format!("indexnow_endpoint {endpoint:?} must be an http(s) URL"));
            }
        }
        out
    }
}

fn is_indexnow_key(key: &str) -> bool {
    (8..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A fresh key to suggest in an error message: 32 hex digits from the clock
/// and the process id (not secret: the key is published in the site).
fn suggested_indexnow_key() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let seed = format!("{}-{}", now.as_nanos(), std::process::id());
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(seed.as_bytes()))
}

impl Config {
    /// The IndexNow key files the site publishes (`<key>.txt` holding the
    /// key), one per distinct key of the deploy targets, sorted.
    pub fn indexnow_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.deploy.values().filter_map(|t| t.indexnow_key.as_deref()).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
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
        for name in &self.build.precompress {
            if Encoding::parse(name).is_none() {
                err("precompress", format!("precompress: {name:?} is not an encoding esim writes: \"gzip\" or \"br\""));
            }
        }
        for (name, target) in &self.deploy {
            for problem in target.problems() {
                err(&format!("[deploy.{name}]"), format!("[deploy.{name}] {problem}"));
            }
            let wanted = target.content_encoding.as_deref().and_then(Encoding::parse);
            if let Some(e) = wanted.filter(|e| !self.build.encodings().contains(e)) {
                let name_ = e.content_encoding();
                err(
                    &format!("[deploy.{name}]"),
                    format!("[deploy.{name}] content_encoding = {name_:?} sends the copies of [build] precompress: add precompress = [{name_:?}] to [build]"),
                );
            }
        }
        out
    }

    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join("themes").join(&self.theme)
    }
}
