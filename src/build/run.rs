//! The conductor of one build: load → resolve → render → publish. It decides
//! what to render (everything, or the pages whose inputs changed since the
//! build the cache describes), hands rendered pages and the other outputs to
//! publish, and keeps the cache.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::inputs::{build_date, global_fingerprint, input_stamp, with_ledger};
use super::load::load;
use super::outputs::{self, OpenDataKept};
use super::{BuildKind, Error, Options, Summary, Timings};
use crate::export::assets::Assets;
use crate::export::opendata;
use crate::model::PartialDate;
use crate::publish::cache::{self, Manifest};
use crate::publish::lock::{Lock, Waiting};
use crate::publish::output::{Changes, Output};
use crate::render::{self, Job};
use crate::search::index as search_index;
use crate::{ledger, publish, site};

/// Builds the site into the output directory. The first build (and `--full`)
/// writes a complete new site and swaps it in; later builds render only the
/// pages whose inputs changed, or every page after a change that touches much
/// of the site, and replace only the files whose bytes changed (see
/// [`cache`]). Either way the result is byte for byte what a full build
/// writes, and nothing is written unless every page rendered.
///
/// A build after an edit of record files alone starts from the state the
/// last build saved ([`super::state`]), as `esim serve` starts from the site
/// in memory; every other build saves that state for the next one.
pub fn build(options: &Options) -> Result<Summary, Error> {
    let _exclusive = exclusive(options)?;
    if options.incremental {
        if let Some(result) = super::warm::resume(options) {
            return result;
        }
    }
    let files = super::inputs::input_files(options);
    let (summary, loaded) = build_loaded(options, Some(Kept::default()), true, None)?;
    if let Some(loaded) = loaded {
        super::warm::save_state(options, loaded, files);
    }
    Ok(summary)
}

/// The locks of one build: no other build of the same site, or into the
/// same output directory, runs until it is dropped.
pub(super) struct Exclusive {
    _site: Lock,
    _output: Lock,
}

/// Waits until no other build works on the site or the output directory (see
/// [`crate::publish::lock`]), then completes or clears what an interrupted
/// build left beside the output ([`publish::recover`]).
pub(super) fn exclusive(options: &Options) -> Result<Exclusive, Error> {
    let failed = |e: String| Error::Failed(e);
    // An output inside the inputs is refused before anything, a lock file
    // included, is written there.
    if let Ok(config) = crate::config::Config::load(&options.root.join("config.toml"), options.base_url.as_deref()) {
        super::output_place::check(&options.root, &options.output_dir(), &config.theme_dir(&options.root))
            .map_err(failed)?;
    }
    let notice = |message: &str| eprintln!("esim: {message}");
    let site_lock = options.root.join(".esim").join("build.lock");
    let site = Lock::acquire(&site_lock, &format!("the site {}", options.root.display()), Waiting::Wait(&notice))
        .map_err(failed)?;
    let output = publish::real_output(&options.output_dir()).map_err(|e| failed(e.to_string()))?;
    let output_lock = publish::lock::output_lock_path(&output);
    let output_lock =
        Lock::acquire(&output_lock, &output.display().to_string(), Waiting::Wait(&notice)).map_err(failed)?;
    publish::recover(&output).map_err(|e| failed(e.to_string()))?;
    Ok(Exclusive { _site: site, _output: output_lock })
}

/// The pages of a site's job list, its open-data files aside.
pub(super) fn count_pages(jobs: &[Job]) -> usize {
    jobs.iter().filter(|j| j.kind().is_html()).count()
}

/// What a build loaded and left, for the next build of a long-running process
/// (see [`warm`]).
pub(super) struct Loaded {
    pub site: site::Site,
    pub templates: render::Templates,
    pub fps: render::Fingerprints,
    /// The cache describing the output directory as this build left it.
    pub manifest: Manifest,
    pub assets: Assets,
    pub date: PartialDate,
    pub cache_path: PathBuf,
    pub kept: Kept,
}

/// What a long-running build keeps besides the site, so that an edit
/// computes again only what it changed: the open data in blocks, and what
/// the people's search index needs of each person. The build that uses each
/// brings it up to date. A one-shot build keeps the same for its saved state
/// ([`super::state`]), but of the open data only the blocks' lengths.
#[derive(Default)]
pub(super) struct Kept {
    pub open_data: opendata::Blocks,
    pub search: search_index::PeopleMemo,
    /// Whether the open data is kept in blocks; else only their lengths
    /// (the blocks are in the files the build writes).
    pub in_blocks: bool,
    /// [`opendata::Blocks::lengths`] of the files this build wrote, when it
    /// wrote them and keeps no blocks.
    pub open_data_lengths: Option<Vec<(u64, u64, u64)>>,
}

impl Kept {
    /// The open data's blocks and lengths as a saved state keeps them.
    pub fn open_data_lengths(&self) -> Option<Vec<(u64, u64, u64)>> {
        match self.in_blocks {
            true => Some(self.open_data.lengths()),
            false => self.open_data_lengths.clone(),
        }
    }
}

/// A build that also returns what it loaded (None when nothing changed and
/// the build stopped at once). `keep`: what to keep besides the site
/// ([`Kept`], as given: in blocks or not), for a long-running process or the
/// saved state. `stop_if_unchanged`: stop at once when no input changed (a
/// long-running process needs what the build loads whatever changed).
/// `cached`: the cache as a previous build of this process left it, instead
/// of reading it again.
pub(super) fn build_loaded(
    options: &Options,
    keep: Option<Kept>,
    stop_if_unchanged: bool,
    cached: Option<Manifest>,
) -> Result<(Summary, Option<Loaded>), Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let output = options.output_dir();
    let cache_path = Manifest::path(&options.root, &output);
    let stamp = input_stamp(options);
    let head = if options.incremental { Manifest::load_head(&cache_path) } else { None }
        .filter(|m| m.marker != (0, 0) && cache::identity(&output.join(publish::MARKER)) == Some(m.marker));
    if let (Some(head), Some(stamp), true) = (&head, stamp, stop_if_unchanged) {
        if head.stamp == Some(with_ledger(options, stamp)) {
            return Ok((Summary::unchanged(output, started.elapsed()), None));
        }
    }
    let previous = head.and_then(|_| cached.or_else(|| Manifest::load(&cache_path)));

    let (site, tera) = load(options)?;
    timings.load = started.elapsed();

    let t = Instant::now();
    let theme_dir = site.config.theme_dir(&options.root);
    let assets = Assets::load(&theme_dir.join("static")).map_err(Error::Failed)?;
    let date = build_date();
    let mut renderer = render::Renderer::new(&site, &tera, &assets, date);
    let fps = render::Fingerprints::new(&site, global_fingerprint(options, &theme_dir, &date));
    let jobs = renderer.jobs();
    // Shared with the threads that look up the standby's files (`[build] standby`).
    let routes: std::sync::Arc<Vec<String>> = std::sync::Arc::new({
        use rayon::prelude::*;
        jobs.par_iter().map(|j| renderer.route(*j)).collect()
    });
    // Compressed copies follow their files: a site written with other
    // encodings is built anew, so that no copy of another setting survives.
    let encodings = site.config.build.encodings();
    let previous = previous.filter(|p| p.precompress == Output::precompress_names(&encodings));
    let (plan, todo, same_pages) = plan(&jobs, &routes, &fps, previous);
    timings.resolve = t.elapsed();

    let mut out = match plan {
        Plan::Incremental(p) => Output::in_place(&output, p),
        // The cache on disk says what the site holds; its copy in memory is
        // not needed (at 311,000 people, a few hundred MB).
        Plan::Rebuild(p) if site.config.build.standby => {
            drop(p);
            Output::rebuild_in_standby(&output, &cache_path, &encodings)
        }
        Plan::Rebuild(p) => Output::rebuild(&output, p),
        // Over esim's own site, the old one is kept as the standby, not deleted.
        Plan::Full if site.config.build.standby && output.join(publish::MARKER).is_file() => {
            Output::full_in_standby(&output, &cache_path, &encodings)
        }
        Plan::Full => Output::full(&output),
    }
    .map_err(|e| Error::Failed(e.to_string()))?
    .with_precompress(encodings);
    out.warm(&routes);
    let routes = (!same_pages).then_some(routes.as_slice());
    let keeps = keep.is_some();
    let mut kept = keep.unwrap_or_default();
    let step = Step { site: &site, fps: &fps, todo: &todo, routes, assets: &assets };
    let (manifest, changes, kind) =
        publish_step(options, &step, &mut renderer, out, &mut timings, stamp, keeps.then_some(&mut kept))?;
    drop(renderer);
    let unused_standby = unused_standby(&output, site.config.build.standby);
    let summary = Summary {
        people: site.people.len(),
        pages: count_pages(&jobs),
        languages: site.config.languages.clone(),
        output,
        elapsed: started.elapsed(),
        timings,
        kind,
        rendered: count_pages(&todo),
        written: changes.written,
        removed: changes.removed,
        unused_standby,
    };
    let loaded = Loaded { site, templates: tera, fps, manifest, assets, date, cache_path, kept };
    Ok((summary, Some(loaded)))
}

/// The standby tree beside `output` when `[build] standby` is off.
fn unused_standby(output: &Path, standby: bool) -> Option<PathBuf> {
    let dir = publish::standby::path(&publish::real_output(output).ok()?);
    (!standby && dir.join(publish::MARKER).is_file()).then_some(dir)
}

/// How a build goes about the output directory.
enum Plan {
    /// Render only the pages whose inputs changed since the build the cache
    /// describes; replace their files in place.
    Incremental(Manifest),
    /// Render everything, but over the site the cache describes: only the
    /// files whose bytes changed are written, only those gone removed.
    Rebuild(Manifest),
    /// Render everything into a new directory and swap it in (no usable
    /// cache: the first build, or `--full`).
    Full,
}

/// The pages to render, the plan, and whether the site has the same pages.
/// A change of what every page depends on (the global fingerprint: a
/// template, a UI string, `config.toml`, the binary) renders every page.
/// Any other change, however large, renders only the pages it touches: their
/// files go to the pending directory as they render, so its size costs disk,
/// not memory.
fn plan(
    jobs: &[Job],
    routes: &[String],
    fps: &render::Fingerprints,
    previous: Option<Manifest>,
) -> (Plan, Vec<Job>, bool) {
    let Some(p) = previous else { return (Plan::Full, jobs.to_vec(), false) };
    if p.global != fps.global() {
        return (Plan::Rebuild(p), jobs.to_vec(), false);
    }
    let mut known = 0;
    let todo: Vec<Job> = jobs
        .iter()
        .zip(routes)
        .filter(|(job, route)| {
            let old = p.pages.get(*route);
            known += old.is_some() as usize;
            job.inputs(fps).is_none_or(|fp| old.map(|e| e.inputs) != Some(fp))
        })
        .map(|(job, _)| *job)
        .collect();
    let same_pages = known == routes.len() && p.pages.len() == routes.len();
    (Plan::Incremental(p), todo, same_pages)
}

/// What one build renders and publishes.
pub(super) struct Step<'a> {
    pub site: &'a site::Site,
    pub fps: &'a render::Fingerprints,
    /// The pages to render.
    pub todo: &'a [Job],
    /// Every page of the site; None when they are the last build's.
    pub routes: Option<&'a [String]>,
    pub assets: &'a Assets,
}

/// Renders the step's pages and the other outputs whose inputs changed, then
/// publishes them and saves the cache; returns the cache describing the site.
pub(super) fn publish_step(
    options: &Options,
    step: &Step,
    renderer: &mut render::Renderer,
    out: Output,
    timings: &mut Timings,
    stamp: Option<u64>,
    kept: Option<&mut Kept>,
) -> Result<(Manifest, Changes, BuildKind), Error> {
    let (memo, open_data) = match kept {
        Some(k) if k.in_blocks => (Some(&mut k.search), OpenDataKept::Blocks(&mut k.open_data)),
        Some(k) => (Some(&mut k.search), OpenDataKept::Lengths(&mut k.open_data_lengths)),
        None => (None, OpenDataKept::Nothing),
    };
    let Step { site, fps, todo, routes, assets } = *step;
    let output = options.output_dir();
    let cache_path = Manifest::path(&options.root, &output);
    // The search index and the files beside the pages (open data, sitemaps,
    // assets) are written while the pages render: on two cores the pages
    // keep both busy but for a thread that writes them one after another.
    // Only the search pages read the index's manifest: they render last.
    let (last, first): (Vec<Job>, Vec<Job>) = todo.iter().partition(|j| j.kind().reads_search_index());
    let t = Instant::now();
    let bar = progress_bar(options.progress, todo.len());
    let done = AtomicUsize::new(0);
    let write =
        |job: Job, route: &str, bytes: &[u8]| out.page(route, job.inputs(fps), bytes).map_err(|e| e.to_string());
    let tick = || {
        let n = done.fetch_add(1, Ordering::Relaxed);
        if n.is_multiple_of(256) {
            bar.set_position(n as u64);
        }
    };
    let (rendered, beside) = rayon::join(
        || renderer.run(&first, &write, &tick),
        || write_beside_pages(site, &out, fps, assets, memo, open_data, timings),
    );
    let result = rendered.and(beside).and_then(|search_manifest| {
        renderer.set_search_manifest(search_manifest.clone());
        renderer.run(&last, &write, &tick)?;
        Ok(search_manifest)
    });
    bar.finish_and_clear();
    timings.render = t.elapsed();
    let t = Instant::now();
    let search_manifest = match result {
        Ok(m) => m,
        Err(e) => {
            out.abandon();
            return Err(Error::Failed(e));
        }
    };
    // Until the site is written, no cache may claim to describe it (a build
    // into the standby tree moves it aside just before the exchange, as the
    // standby's cache: until then the output is as the cache says).
    if !out.is_standby() {
        Manifest::invalidate(&cache_path).map_err(|e| Error::Failed(format!("{}: {e}", cache_path.display())))?;
    }
    let kind = match (out.is_incremental(), out.is_rebuild()) {
        (true, _) => BuildKind::Incremental,
        (_, true) => BuildKind::Rebuild,
        _ => BuildKind::Full,
    };
    let (mut manifest, changes) =
        out.finish(&output, routes, &outputs::UNITS).map_err(|e| Error::Failed(e.to_string()))?;
    if options.update_ledger {
        let withdrawn = site.withdrawn.iter().map(|w| (w.id.as_str(), w.identity.as_deref()));
        let ledger = ledger::updated(&site.published, site.people.iter().map(|p| p.id.as_str()), withdrawn);
        publish::write_file_atomically(&options.root.join("data").join(ledger::FILE), ledger.as_bytes())
            .map_err(|e| Error::Failed(e.to_string()))?;
    }
    manifest.stamp = stamp.map(|s| with_ledger(options, s));
    manifest.global = fps.global();
    manifest.search = serde_json::to_string(&search_manifest).unwrap_or_default();
    manifest.output = std::path::absolute(&output).unwrap_or(output);
    // A cache that cannot be written only makes the next build a full one.
    let _ = manifest.save(&cache_path);
    Manifest::prune(&cache::dir(&options.root));
    timings.publish = t.elapsed();
    Ok((manifest, changes, kind))
}

/// The search index, then the other files of the site that are not pages;
/// returns the index's manifest.
fn write_beside_pages(
    site: &site::Site,
    out: &Output,
    fps: &render::Fingerprints,
    assets: &Assets,
    memo: Option<&mut search_index::PeopleMemo>,
    open_data: OpenDataKept,
    timings: &mut Timings,
) -> Result<search_index::Manifest, String> {
    let t = Instant::now();
    let manifest = outputs::write_search_index(site, out, fps, memo).map_err(|e| format!("search index: {e}"))?;
    timings.search = t.elapsed();
    let t = Instant::now();
    outputs::write_extras(site, out, assets, fps, open_data)?;
    timings.extras = t.elapsed();
    Ok(manifest)
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
