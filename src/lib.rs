//! esim — a static site generator for a trilingual memorial book.
//!
//! The pipeline runs one way: **load** (config, theme strings, reference tables,
//! records and Markdown, in parallel) → **validate** (every problem collected as
//! `path:line:column: message`) → **resolve** ([`site::Site`]: people, indexes,
//! translations) → **render** (rayon over page jobs) → **publish** (a staging
//! directory swapped in atomically).

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fixture;
pub mod i18n;
pub mod ledger;
pub mod names;
pub mod publish;
pub mod records;
pub mod reference;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod urls;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Diagnostics};
pub use publish::linkcheck::BrokenLink;
pub use serve::{serve, ServeOptions};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's root: the directory holding `config.toml`.
    pub root: PathBuf,
    /// Where the site is written; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of config.toml (e.g. for a preview host).
    pub base_url: Option<String>,
    /// Show a progress bar on the terminal.
    pub progress: bool,
    /// Add the ids of this build to `data/published.txt` (the ledger of
    /// published pages). Off for previews and tests that must not touch the
    /// site's data; the ledger is still checked.
    pub update_ledger: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options { root: root.into(), output: None, base_url: None, progress: false, update_ledger: true }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build or check failed.
#[derive(Debug)]
pub enum Error {
    /// The inputs have problems; each has its location.
    Invalid(Vec<Diagnostic>),
    /// The site could not be rendered or written.
    Failed(String),
    /// The built site has links that lead nowhere.
    BrokenLinks(Vec<BrokenLink>),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Invalid(list) => {
                for d in list {
                    writeln!(f, "{d}")?;
                }
                write!(f, "{} error{} found", list.len(), if list.len() == 1 { "" } else { "s" })
            }
            Error::Failed(msg) => f.write_str(msg),
            Error::BrokenLinks(list) => {
                for b in list {
                    writeln!(f, "{b}")?;
                }
                write!(f, "{} broken link{} found", list.len(), if list.len() == 1 { "" } else { "s" })
            }
        }
    }
}

impl std::error::Error for Error {}

/// Time spent in each stage of the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
    pub search: Duration,
    pub render: Duration,
    pub publish: Duration,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub people: usize,
    pub pages: usize,
    pub languages: Vec<String>,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub timings: Timings,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} people, {} pages in {} languages ({}) → {} in {:.2} s",
            self.people,
            self.pages,
            self.languages.len(),
            self.languages.join(", "),
            self.output.display(),
            self.elapsed.as_secs_f64()
        )
    }
}

fn invalid(diags: Diagnostics) -> Error {
    Error::Invalid(diags.into_sorted())
}

/// Load and validate every input: the whole site as data, or all its problems.
fn load(options: &Options) -> Result<(site::Site, render::Templates), Error> {
    let root = &options.root;
    let config =
        config::Config::load(&root.join("config.toml"), options.base_url.as_deref()).map_err(Error::Invalid)?;
    let mut diags = Diagnostics::new();
    let theme_dir = config.theme_dir(root);
    let languages = i18n::load(&theme_dir, &config.languages, &config.default_language, &mut diags);
    let templates = render::load_templates(&theme_dir);
    let data = root.join("data");
    let regions = reference::load_regions(&data.join("regions.toml"), &config.languages, &mut diags);
    let vocabulary = reference::load_vocabulary(&data.join("vocabulary.toml"), &config.languages, &mut diags);
    let mut record_diags = Diagnostics::new();
    let mut content_diags = Diagnostics::new();
    let (records, content) = rayon::join(
        || records::load(&data.join("records"), &regions, &vocabulary, &mut record_diags),
        || content::load(&root.join("content"), &config.languages, &mut content_diags),
    );
    diags.extend(record_diags);
    diags.extend(content_diags);
    let templates = match templates {
        Ok(t) => Some(t),
        Err(problems) => {
            problems.into_iter().for_each(|d| diags.push(d));
            None
        }
    };
    // Rejected rows' ids count as present: their error is already reported.
    let ids: HashSet<&str> =
        records.people.iter().map(|p| p.id.as_str()).chain(records.rejected_ids.iter().map(String::as_str)).collect();
    let redirects = records::redirects::load(&data.join("redirects.csv"), &ids, &mut diags);
    let redirected: HashSet<&str> = redirects.iter().map(|r| r.from.as_str()).collect();
    let ledger_path = data.join(ledger::FILE);
    let published = ledger::load(&ledger_path, &mut diags);
    ledger::check(&ledger_path, &published, &ids, &redirected, &mut diags);
    drop((ids, redirected));
    let inputs =
        site::Inputs { config, languages, regions, vocabulary, people: records.people, content, redirects, published };
    let site = site::resolve(inputs, &mut diags);
    match templates {
        Some(t) if diags.is_empty() => Ok((site, t)),
        _ => Err(invalid(diags)),
    }
}

/// Validates every input without writing anything.
/// Loads and validates a site without building it (for benchmarks and tools).
pub fn load_site(options: &Options) -> Result<(site::Site, render::Templates), Error> {
    load(options)
}

/// Validates every input without writing anything, and checks the internal
/// links and fragments of the output directory when it holds a built site.
pub fn check(options: &Options) -> Result<Checked, Error> {
    let (site, tera) = load(options)?;
    // Rendering one page of each kind in each language catches template errors.
    let renderer = render::Renderer::new(&site, &tera, "check", build_date());
    for job in render::one_of_each_kind(&renderer.jobs()) {
        renderer.render(job).map_err(Error::Failed)?;
    }
    let output = options.output_dir();
    let mut pages_checked = None;
    if output.join(publish::MARKER).is_file() {
        let (pages, broken) = publish::linkcheck::check(&output, &site.config.base_url);
        if !broken.is_empty() {
            return Err(Error::BrokenLinks(
                broken.into_iter().map(|b| BrokenLink { page: output.join(&b.page), ..b }).collect(),
            ));
        }
        pages_checked = Some(pages);
    }
    Ok(Checked { people: site.people.len(), pages_checked })
}

/// What `check` found valid.
#[derive(Debug, Clone)]
pub struct Checked {
    pub people: usize,
    /// Pages of the output directory whose links were checked, if it had a site.
    pub pages_checked: Option<usize>,
}

/// Builds the site into the output directory, replacing it only on success.
pub fn build(options: &Options) -> Result<Summary, Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let (site, tera) = load(options)?;
    timings.load = started.elapsed();

    let t = Instant::now();
    let theme_static = site.config.theme_dir(&options.root).join("static");
    let asset_version = asset_version(&theme_static);
    let mut renderer = render::Renderer::new(&site, &tera, &asset_version, build_date());
    let jobs = renderer.jobs();
    timings.resolve = t.elapsed();

    let output = options.output_dir();
    let staging = publish::Staging::begin(&output).map_err(|e| Error::Failed(e.to_string()))?;
    let t = Instant::now();
    match search::index::write(&site, &staging) {
        Ok((manifest, _)) => renderer.set_search_manifest(manifest),
        Err(e) => {
            staging.abandon();
            return Err(Error::Failed(format!("search index: {e}")));
        }
    }
    timings.search = t.elapsed();
    let t = Instant::now();
    let bar = progress_bar(options.progress, jobs.len());
    let done = AtomicUsize::new(0);
    let result = renderer.run(
        &jobs,
        &|route, bytes| staging.write(&render::file_of(route), bytes).map_err(|e| e.to_string()),
        &|| {
            let n = done.fetch_add(1, Ordering::Relaxed);
            if n.is_multiple_of(256) {
                bar.set_position(n as u64);
            }
        },
    );
    bar.finish_and_clear();
    timings.render = t.elapsed();
    let t = Instant::now();
    let result = result.and_then(|_| write_extras(&site, &renderer, &staging, &theme_static));
    if let Err(e) = result {
        staging.abandon();
        return Err(Error::Failed(e));
    }
    staging.publish().map_err(|e| Error::Failed(e.to_string()))?;
    if options.update_ledger {
        let ledger = ledger::updated(&site.published, site.people.iter().map(|p| p.id.as_str()));
        publish::write_file_atomically(&options.root.join("data").join(ledger::FILE), ledger.as_bytes())
            .map_err(|e| Error::Failed(e.to_string()))?;
    }
    timings.publish = t.elapsed();
    Ok(Summary {
        people: site.people.len(),
        pages: jobs.iter().filter(|j| !matches!(j, render::Job::PersonData(_))).count(),
        languages: site.config.languages.clone(),
        output,
        elapsed: started.elapsed(),
        timings,
    })
}

/// Theme assets, robots.txt and the sitemaps.
fn write_extras(
    site: &site::Site,
    renderer: &render::Renderer,
    staging: &publish::Staging,
    theme_static: &Path,
) -> Result<(), String> {
    if theme_static.is_dir() {
        staging.copy_tree(theme_static, Path::new("")).map_err(|e| e.to_string())?;
    }
    write_images(site, staging)?;
    let csv = staging.create(Path::new("data/records.csv")).map_err(|e| e.to_string())?;
    publish::opendata::write_csv(site, csv).map_err(|e| format!("data/records.csv: {e}"))?;
    let jsonl = staging.create(Path::new("data/records.jsonl")).map_err(|e| e.to_string())?;
    publish::opendata::write_jsonl(site, jsonl).map_err(|e| format!("data/records.jsonl: {e}"))?;
    let (netlify, nginx) = renderer.redirect_rules();
    staging.write(Path::new("_redirects"), netlify.as_bytes()).map_err(|e| e.to_string())?;
    staging.write(Path::new("nginx-redirects.map"), nginx.as_bytes()).map_err(|e| e.to_string())?;
    let mut write = |name: &str, xml: &str| staging.write(Path::new(name), xml.as_bytes()).map_err(|e| e.to_string());
    let mut sitemap = publish::sitemap::SitemapWriter::new(site.config.build.sitemap_max_urls, &mut write);
    renderer.sitemap(&mut sitemap)?;
    sitemap.finish(&|r| site.urls.absolute(r))?;
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.urls.absolute("/sitemap.xml"));
    staging.write(Path::new("robots.txt"), robots.as_bytes()).map_err(|e| e.to_string())
}

/// The resized variants of every biography image, in parallel. Each image is
/// written once, whichever languages' biographies show it.
fn write_images(site: &site::Site, staging: &publish::Staging) -> Result<(), String> {
    use rayon::prelude::*;
    let mut images: Vec<(&str, &content::images::Image)> = Vec::new();
    for (person, bios) in site.people.iter().zip(&site.biographies) {
        for doc in bios.values() {
            for img in &doc.images {
                if !images.iter().any(|(id, i)| *id == person.id && i.file == img.file) {
                    images.push((&person.id, img));
                }
            }
        }
    }
    images.par_iter().try_for_each(|(id, img)| {
        let dir = urls::route::person_image(id, "");
        publish::images::write_variants(img, Path::new(dir.trim_matches('/')), staging)
    })
}

/// The date of this build: SOURCE_DATE_EPOCH when set (reproducible builds),
/// else today (UTC).
pub fn build_date() -> records::PartialDate {
    let secs =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        });
    let (year, month, day) = records::date::civil_from_days(secs.div_euclid(86_400));
    records::PartialDate { year: year.clamp(1000, 2999) as u16, month: month as u8, day: day as u8, approximate: false }
}

/// A short hash of the theme's assets, appended to their URLs so that browsers
/// fetch a changed stylesheet instead of a cached one.
fn asset_version(dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    // FNV-1a: stable across Rust versions, unlike DefaultHasher's guarantees.
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 ^= *b as u64;
                self.0 = self.0.wrapping_mul(0x100000001b3);
            }
        }
    }
    let mut h = Fnv(0xcbf29ce484222325);
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if entry.file_type().is_file() {
            entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().hash(&mut h);
            std::fs::read(entry.path()).unwrap_or_default().hash(&mut h);
        }
    }
    format!("{:08x}", h.finish() as u32)
}

fn progress_bar(show: bool, len: usize) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}
