//! esim — a static site generator for a trilingual memorial book.
//!
//! The pipeline runs one way: **load** (config, theme strings, reference tables,
//! records and Markdown, in parallel) → **validate** (every problem collected as
//! `path:line:column: message`) → **resolve** ([`site::Site`]: people, indexes,
//! translations) → **render** (rayon over page jobs) → **publish** (a staging
//! directory swapped in atomically).

pub mod cache;
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
pub mod warm;

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
    /// Render only what changed since the last build of the same output
    /// directory (see [`cache`]); off, every build is a full one.
    pub incremental: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            output: None,
            base_url: None,
            progress: false,
            update_ledger: true,
            incremental: true,
        }
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
    pub kind: BuildKind,
    /// Pages rendered by this build (all of them in a full build).
    pub rendered: usize,
    /// Files written, and files removed because no page or output has them now.
    pub written: usize,
    pub removed: usize,
}

impl Summary {
    fn unchanged(output: PathBuf, elapsed: Duration) -> Summary {
        Summary {
            people: 0,
            pages: 0,
            languages: Vec::new(),
            output,
            elapsed,
            timings: Timings::default(),
            kind: BuildKind::Unchanged,
            rendered: 0,
            written: 0,
            removed: 0,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        match self.kind {
            BuildKind::Unchanged => {
                return write!(f, "nothing changed since the last build of {} ({secs:.2} s)", self.output.display())
            }
            BuildKind::Incremental => {
                return write!(
                    f,
                    "{} people; {} of {} pages rendered again, {} files written, {} removed → {} in {secs:.2} s",
                    self.people,
                    self.rendered,
                    self.pages,
                    self.written,
                    self.removed,
                    self.output.display()
                )
            }
            BuildKind::Full => {}
        }
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

/// How a build went about its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    /// Every page rendered, the new site swapped in whole.
    Full,
    /// Only the outputs whose inputs changed were rendered; the changed files
    /// were replaced in place.
    Incremental,
    /// No input changed since the last build: nothing to do.
    Unchanged,
}

/// Outputs of a build other than pages, each produced as a whole when its
/// inputs changed (see [`render::inputs`]).
const UNITS: [&str; 8] = [
    search::index::UNIT,
    search::index::TEXTS_UNIT,
    "static",
    "images",
    "open-data",
    "redirect-rules",
    "sitemap",
    "robots",
];

/// An incremental build renders at most this many pages (or a tenth of the
/// site, if more) in place; a larger change is built whole and swapped in.
const IN_PLACE_MAX_PAGES: usize = 5_000;

/// Builds the site into the output directory. The first build, and any build
/// after a change that touches much of the site, writes a complete new site
/// and swaps it in; other builds render only the pages whose inputs changed
/// and replace only the files whose bytes changed (see [`cache`]). Either way
/// the result is byte for byte what a full build writes, and nothing is
/// written unless every page rendered.
pub fn build(options: &Options) -> Result<Summary, Error> {
    build_loaded(options, true, None).map(|(summary, _)| summary)
}

/// What a build loaded and left, for the next build of a long-running process
/// (see [`warm`]).
pub(crate) struct Loaded {
    pub site: site::Site,
    pub templates: render::Templates,
    pub fps: render::inputs::Fingerprints,
    /// The cache describing the output directory as this build left it.
    pub manifest: cache::Manifest,
    pub asset_version: String,
    pub date: records::PartialDate,
    pub cache_path: PathBuf,
}

/// A build that also returns what it loaded (None when nothing changed and
/// `may_skip` let it stop at once). `cached`: the cache as a previous build of
/// this process left it, instead of reading it again.
pub(crate) fn build_loaded(
    options: &Options,
    may_skip: bool,
    cached: Option<cache::Manifest>,
) -> Result<(Summary, Option<Loaded>), Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let output = options.output_dir();
    let cache_path = cache::Manifest::path(&options.root, &output);
    let stamp = input_stamp(options);
    let head = if options.incremental { cache::Manifest::load_head(&cache_path) } else { None }
        .filter(|m| m.marker != (0, 0) && cache::identity(&output.join(publish::MARKER)) == Some(m.marker));
    if let (Some(head), Some(stamp), true) = (&head, stamp, may_skip) {
        if head.stamp == Some(with_ledger(options, stamp)) {
            return Ok((Summary::unchanged(output, started.elapsed()), None));
        }
    }
    let previous = head.and_then(|_| cached.or_else(|| cache::Manifest::load(&cache_path)));

    let (site, tera) = load(options)?;
    timings.load = started.elapsed();

    let t = Instant::now();
    let theme_dir = site.config.theme_dir(&options.root);
    let theme_static = theme_dir.join("static");
    let asset_version = asset_version(&theme_static);
    let date = build_date();
    let mut renderer = render::Renderer::new(&site, &tera, &asset_version, date);
    let fps = render::inputs::Fingerprints::new(&site, global_fingerprint(options, &theme_dir, &date));
    let jobs = renderer.jobs();
    let routes: Vec<String> = {
        use rayon::prelude::*;
        jobs.par_iter().map(|j| renderer.route(*j)).collect()
    };
    let previous = previous.filter(|p| p.global == fps.global());
    let (previous, todo, same_pages) = pages_to_render(&jobs, &routes, &fps, previous);
    timings.resolve = t.elapsed();

    let out = match previous {
        Some(p) => publish::output::Output::in_place(&output, p),
        None => publish::output::Output::full(&output).map_err(|e| Error::Failed(e.to_string()))?,
    };
    let routes = (!same_pages).then_some(routes.as_slice());
    let step = Step { site: &site, fps: &fps, todo: &todo, routes, theme_static: &theme_static };
    let (manifest, changes, kind) = publish_step(options, &step, &mut renderer, out, &mut timings, stamp)?;
    drop(renderer);
    let summary = Summary {
        people: site.people.len(),
        pages: jobs.iter().filter(|j| !matches!(j, render::Job::PersonData(_))).count(),
        languages: site.config.languages.clone(),
        output,
        elapsed: started.elapsed(),
        timings,
        kind,
        rendered: todo.len(),
        written: changes.written,
        removed: changes.removed,
    };
    let loaded = Loaded { site, templates: tera, fps, manifest, asset_version, date, cache_path };
    Ok((summary, Some(loaded)))
}

/// The pages whose inputs changed since the build `previous` describes, and
/// whether the site has the same pages. A large change (a template, a UI
/// string) drops `previous`: every page is rendered and the site swapped in.
fn pages_to_render(
    jobs: &[render::Job],
    routes: &[String],
    fps: &render::inputs::Fingerprints,
    previous: Option<cache::Manifest>,
) -> (Option<cache::Manifest>, Vec<render::Job>, bool) {
    let Some(p) = previous else { return (None, jobs.to_vec(), false) };
    let mut known = 0;
    let todo: Vec<render::Job> = jobs
        .iter()
        .zip(routes)
        .filter(|(job, route)| {
            let old = p.pages.get(*route);
            known += old.is_some() as usize;
            fps.job(**job).is_none_or(|fp| old.map(|e| e.inputs) != Some(fp))
        })
        .map(|(job, _)| *job)
        .collect();
    if todo.len() > IN_PLACE_MAX_PAGES.max(jobs.len() / 10) {
        return (None, jobs.to_vec(), false);
    }
    let same_pages = known == routes.len() && p.pages.len() == routes.len();
    (Some(p), todo, same_pages)
}

/// What one build renders and publishes.
pub(crate) struct Step<'a> {
    pub site: &'a site::Site,
    pub fps: &'a render::inputs::Fingerprints,
    /// The pages to render.
    pub todo: &'a [render::Job],
    /// Every page of the site; None when they are the last build's.
    pub routes: Option<&'a [String]>,
    pub theme_static: &'a Path,
}

/// Renders the step's pages and the other outputs whose inputs changed, then
/// publishes them and saves the cache; returns the cache describing the site.
pub(crate) fn publish_step(
    options: &Options,
    step: &Step,
    renderer: &mut render::Renderer,
    out: publish::output::Output,
    timings: &mut Timings,
    stamp: Option<u64>,
) -> Result<(cache::Manifest, publish::output::Changes, BuildKind), Error> {
    let Step { site, fps, todo, routes, theme_static } = *step;
    let output = options.output_dir();
    let cache_path = cache::Manifest::path(&options.root, &output);
    let t = Instant::now();
    let search_manifest = match write_search_index(site, &out, fps) {
        Ok(m) => m,
        Err(e) => {
            out.abandon();
            return Err(Error::Failed(format!("search index: {e}")));
        }
    };
    renderer.set_search_manifest(search_manifest.clone());
    timings.search = t.elapsed();

    let t = Instant::now();
    let bar = progress_bar(options.progress, todo.len());
    let done = AtomicUsize::new(0);
    let result = renderer.run(
        todo,
        &|job, route, bytes| out.page(route, fps.job(job), bytes).map_err(|e| e.to_string()),
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
    let result = result.and_then(|_| write_extras(site, renderer, &out, theme_static, fps));
    if let Err(e) = result {
        out.abandon();
        return Err(Error::Failed(e));
    }
    // Until the site is written, no cache may claim to describe it.
    cache::Manifest::invalidate(&cache_path).map_err(|e| Error::Failed(format!("{}: {e}", cache_path.display())))?;
    let kind = if out.is_incremental() { BuildKind::Incremental } else { BuildKind::Full };
    let (mut manifest, changes) = out.finish(&output, routes, &UNITS).map_err(|e| Error::Failed(e.to_string()))?;
    if options.update_ledger {
        let ledger = ledger::updated(&site.published, site.people.iter().map(|p| p.id.as_str()));
        publish::write_file_atomically(&options.root.join("data").join(ledger::FILE), ledger.as_bytes())
            .map_err(|e| Error::Failed(e.to_string()))?;
    }
    manifest.stamp = stamp.map(|s| with_ledger(options, s));
    manifest.global = fps.global();
    manifest.search = serde_json::to_string(&search_manifest).unwrap_or_default();
    manifest.output = std::path::absolute(&output).unwrap_or(output);
    // A cache that cannot be written only makes the next build a full one.
    let _ = manifest.save(&cache_path);
    cache::Manifest::prune(&cache::dir(&options.root));
    timings.publish = t.elapsed();
    Ok((manifest, changes, kind))
}

/// The search index's two parts, each written again only when its inputs
/// changed; returns the manifest the search pages embed.
fn write_search_index(
    site: &site::Site,
    out: &publish::output::Output,
    fps: &render::inputs::Fingerprints,
) -> Result<search::index::Manifest, String> {
    use search::index::{TEXTS_UNIT, UNIT};
    let previous = out.previous();
    let cached = previous.and_then(|p| serde_json::from_str::<search::index::Manifest>(&p.search).ok());
    let clean = |unit: &str, fp: u64| cached.is_some() && previous.and_then(|p| p.units.get(unit)) == Some(&fp);
    let (people_fp, texts_fp) = (fps.search_people(site), fps.search_texts(site));
    let mut manifest = match cached.clone() {
        Some(m) if clean(UNIT, people_fp) => m,
        _ => {
            let (m, _) = search::index::write_people(site, out)?;
            out.unit_done(UNIT, people_fp);
            m
        }
    };
    manifest.texts = match cached {
        Some(m) if clean(TEXTS_UNIT, texts_fp) => m.texts,
        _ => {
            let (texts, _) = search::index::write_texts(site, out)?;
            out.unit_done(TEXTS_UNIT, texts_fp);
            texts
        }
    };
    Ok(manifest)
}

/// Every input file of the site with its size and modification time; None
/// when the config cannot be read (the build then reports it).
pub(crate) fn input_files(options: &Options) -> Option<cache::Scan> {
    let root = &options.root;
    let config = config::Config::load(&root.join("config.toml"), options.base_url.as_deref()).ok()?;
    let data = root.join("data");
    Some(cache::scan(
        &[data.clone(), root.join("content"), config.theme_dir(root)],
        &[root.join("config.toml")],
        &[data.join(ledger::FILE)],
    ))
}

/// The stamp of every input file (see [`cache::stamp`]), or None.
fn input_stamp(options: &Options) -> Option<u64> {
    let extra = format!(
        "{}\n{:?}\n{:?}\n{}\n{}",
        cache::binary_identity(),
        options.base_url,
        std::path::absolute(options.output_dir()).ok(),
        options.update_ledger,
        build_date().iso()
    );
    cache::stamp(&input_files(options)?, &extra)
}

/// The ledger is both read and written by a build: the stamp takes its content
/// as the build left it.
fn with_ledger(options: &Options, stamp: u64) -> u64 {
    let ledger = std::fs::read(options.root.join("data").join(ledger::FILE)).unwrap_or_default();
    cache::fingerprint(&(stamp, cache::content_hash(&ledger)))
}

/// What every page depends on: the binary, the build date, the base URL,
/// config.toml, the reference tables and every file of the theme.
fn global_fingerprint(options: &Options, theme_dir: &Path, date: &records::PartialDate) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = cache::Fingerprinter::new();
    (cache::binary_identity(), date.iso(), &options.base_url).hash(&mut h);
    let data = options.root.join("data");
    for file in [options.root.join("config.toml"), data.join("regions.toml"), data.join("vocabulary.toml")] {
        std::fs::read(&file).unwrap_or_default().hash(&mut h);
    }
    for entry in walkdir::WalkDir::new(theme_dir).sort_by_file_name().into_iter().flatten() {
        if entry.file_type().is_file() {
            entry.path().strip_prefix(theme_dir).unwrap_or(entry.path()).hash(&mut h);
            std::fs::read(entry.path()).unwrap_or_default().hash(&mut h);
        }
    }
    h.finish()
}

/// Theme assets, images, open data, redirect rules, the sitemaps and
/// robots.txt: each unit produced again only when its inputs changed.
fn write_extras(
    site: &site::Site,
    renderer: &render::Renderer,
    out: &publish::output::Output,
    theme_static: &Path,
    fps: &render::inputs::Fingerprints,
) -> Result<(), String> {
    let previous = out.previous();
    let e = |e: publish::PublishError| e.to_string();
    let unit = |name: &str, fp: Option<u64>, produce: &dyn Fn() -> Result<(), String>| -> Result<(), String> {
        if fp.is_some() && previous.and_then(|p| p.units.get(name)) == fp.as_ref() {
            return Ok(());
        }
        produce()?;
        out.unit_done(name, fp.unwrap_or(0));
        Ok(())
    };
    unit("static", Some(fps.global()), &|| {
        if theme_static.is_dir() {
            out.copy_tree("static", theme_static, Path::new("")).map_err(e)?;
        }
        Ok(())
    })?;
    unit("images", Some(fps.images(site)), &|| write_images(site, out))?;
    unit("open-data", Some(fps.open_data()), &|| {
        out.stream("open-data", "data/records.csv", |w: &mut dyn std::io::Write| {
            publish::opendata::write_csv(site, w).map_err(std::io::Error::other)
        })
        .map_err(e)?;
        out.stream("open-data", "data/records.jsonl", |w: &mut dyn std::io::Write| {
            publish::opendata::write_jsonl(site, w)
        })
        .map_err(e)
    })?;
    unit("redirect-rules", None, &|| {
        let (netlify, nginx) = renderer.redirect_rules();
        out.file("redirect-rules", "_redirects", netlify.as_bytes()).map_err(e)?;
        out.file("redirect-rules", "nginx-redirects.map", nginx.as_bytes()).map_err(e)
    })?;
    unit("sitemap", Some(fps.sitemap(site)), &|| {
        let mut write = |name: &str, xml: &str| out.file("sitemap", name, xml.as_bytes()).map_err(e);
        let mut sitemap = publish::sitemap::SitemapWriter::new(site.config.build.sitemap_max_urls, &mut write);
        renderer.sitemap(&mut sitemap)?;
        sitemap.finish(&|r| site.urls.absolute(r))
    })?;
    unit("robots", None, &|| {
        let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.urls.absolute("/sitemap.xml"));
        out.file("robots", "robots.txt", robots.as_bytes()).map_err(e)
    })
}

/// The resized variants of every biography image, in parallel. Each image is
/// written once, whichever languages' biographies show it.
fn write_images(site: &site::Site, out: &publish::output::Output) -> Result<(), String> {
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
        publish::images::write_variants(img, Path::new(dir.trim_matches('/')), out, "images")
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
