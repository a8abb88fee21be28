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
pub mod names;
pub mod publish;
pub mod records;
pub mod reference;
pub mod render;
pub mod site;
pub mod urls;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Diagnostics};

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
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            output: None,
            base_url: None,
            progress: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build or check failed.
#[derive(Debug)]
pub enum Error {
    /// The inputs have problems; each has its location.
    Invalid(Vec<Diagnostic>),
    /// The site could not be rendered or written.
    Failed(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Invalid(list) => {
                for d in list {
                    writeln!(f, "{d}")?;
                }
                write!(
                    f,
                    "{} error{} found",
                    list.len(),
                    if list.len() == 1 { "" } else { "s" }
                )
            }
            Error::Failed(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {}

/// Time spent in each stage of the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
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
fn load(options: &Options) -> Result<(site::Site, tera::Tera), Error> {
    let root = &options.root;
    let config = config::Config::load(&root.join("config.toml"), options.base_url.as_deref())
        .map_err(Error::Invalid)?;
    let mut diags = Diagnostics::new();
    let theme_dir = config.theme_dir(root);
    let languages = i18n::load(
        &theme_dir,
        &config.languages,
        &config.default_language,
        &mut diags,
    );
    let templates = render::load_templates(&theme_dir);
    let data = root.join("data");
    let regions =
        reference::load_regions(&data.join("regions.toml"), &config.languages, &mut diags);
    let vocabulary =
        reference::load_vocabulary(&data.join("vocabulary.toml"), &config.languages, &mut diags);
    let mut record_diags = Diagnostics::new();
    let mut content_diags = Diagnostics::new();
    let (records, content) = rayon::join(
        || {
            records::load(
                &data.join("records"),
                &regions,
                &vocabulary,
                &mut record_diags,
            )
        },
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
    let inputs = site::Inputs {
        config,
        languages,
        regions,
        vocabulary,
        people: records.people,
        content,
    };
    let site = site::resolve(inputs, &mut diags);
    match templates {
        Some(t) if diags.is_empty() => Ok((site, t)),
        _ => Err(invalid(diags)),
    }
}

/// Validates every input without writing anything.
pub fn check(options: &Options) -> Result<usize, Error> {
    let (site, tera) = load(options)?;
    // Rendering one page of each kind catches template errors too.
    let renderer = render::Renderer::new(&site, &tera, "check");
    for job in renderer.jobs().into_iter().take(64) {
        renderer.render(job).map_err(Error::Failed)?;
    }
    Ok(site.people.len())
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
    let renderer = render::Renderer::new(&site, &tera, &asset_version);
    let jobs = renderer.jobs();
    timings.resolve = t.elapsed();

    let output = options.output_dir();
    let staging = publish::Staging::begin(&output).map_err(|e| Error::Failed(e.to_string()))?;
    let t = Instant::now();
    let bar = progress_bar(options.progress, jobs.len());
    let done = AtomicUsize::new(0);
    let result = renderer.run(
        &jobs,
        &|route, bytes| {
            staging
                .write(&render::file_of(route), bytes)
                .map_err(|e| e.to_string())
        },
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
    staging
        .publish()
        .map_err(|e| Error::Failed(e.to_string()))?;
    timings.publish = t.elapsed();
    Ok(Summary {
        people: site.people.len(),
        pages: jobs.len(),
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
        staging
            .copy_tree(theme_static, Path::new(""))
            .map_err(|e| e.to_string())?;
    }
    let entries = renderer.sitemap_entries();
    let absolute = |r: &str| site.urls.absolute(r);
    for (name, xml) in
        publish::sitemap::files(&entries, site.config.build.sitemap_max_urls, &absolute)
    {
        staging
            .write(Path::new(&name), xml.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.urls.absolute("/sitemap.xml")
    );
    staging
        .write(Path::new("robots.txt"), robots.as_bytes())
        .map_err(|e| e.to_string())
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
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .hash(&mut h);
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
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} rendering {pos}/{len} pages {wide_bar} {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}
