//! Warm rebuilds, for a long-running process (`esim serve`): the site as the
//! last build loaded it stays in memory, and the next build starts from it.
//!
//! An edit of biographies (`content/people/*.md` changed, added or removed)
//! and of records (a record file changed: [`super::edit`]) is applied to the
//! site in memory: only the edited files are read, the fingerprints of what
//! they changed computed again, and the pages whose fingerprint changed, the
//! outputs whose inputs changed and the pages rendered on every build are
//! rendered again, the changed files replaced. Any other change (essays, the
//! theme, the config, a record file added, a person added or moved to
//! another region, …) goes through the ordinary incremental build
//! ([`super::build`]), which loads the whole site again. Both give the site a
//! full build would write (`tests/incremental.rs`).
//!
//! `esim build`, a new process, starts from the state the last build saved
//! ([`super::state`]) when only record files changed since: [`resume`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::edit::{self, RecordEdit};
use super::inputs::{build_date, global_fingerprint, input_files, input_stamp};
use super::run::{build_loaded, count_pages, exclusive, publish_step, Kept, Loaded, Step};
use super::{load, state, BuildKind, Error, Options, Summary, Timings};
use crate::content::{self, Document};
use crate::diagnostics::Diagnostics;
use crate::export::assets::Assets;
use crate::publish::cache::{self, Manifest};
use crate::publish::output::Output;
use crate::render::{self, Job};

/// Builds a site again and again, keeping what each build loaded.
pub struct Builder {
    options: Options,
    warm: Option<Warm>,
}

struct Warm {
    loaded: Loaded,
    /// The input files as the last build found them.
    files: HashMap<PathBuf, Option<(u64, u64)>>,
    /// The identity of the cache file the last build wrote: another process
    /// that built the same output in between makes the site in memory stale.
    cache_file: Option<(u64, u64)>,
}

/// A biography to put in place (Some) or to remove (None).
type BiographyEdit = (usize, String, Option<Document>);

impl Builder {
    pub fn new(options: Options) -> Builder {
        Builder { options, warm: None }
    }

    /// Builds the site: from the site in memory when only biographies changed,
    /// else as [`super::build`] does (and keeps what it loaded).
    pub fn build(&mut self) -> Result<Summary, Error> {
        let started = Instant::now();
        let _exclusive = exclusive(&self.options)?;
        let files: HashMap<PathBuf, Option<(u64, u64)>> =
            input_files(&self.options).unwrap_or_default().into_iter().collect();
        if let Some(warm) = &mut self.warm {
            // No input stamp: the next build looks at the files again anyway.
            match warm.update(&self.options, &files, None, started) {
                Some(Ok(summary)) => {
                    warm.files = files;
                    return Ok(summary);
                }
                // An invalid edit leaves the site, on disk and in memory, as it was.
                Some(Err(e @ Error::Invalid(_))) => return Err(e),
                // A failure while publishing may have left the memory stale.
                Some(Err(e)) => {
                    self.warm = None;
                    return Err(e);
                }
                None => {}
            }
        }
        // The cache in memory spares reading it again, if no one else wrote it.
        let cached = self
            .warm
            .take()
            .filter(|w| cache::identity(&w.loaded.cache_path) == w.cache_file)
            .map(|w| w.loaded.manifest);
        let kept = Kept { in_blocks: true, ..Kept::default() };
        let (summary, loaded) = build_loaded(&self.options, Some(kept), false, cached)?;
        if let Some(loaded) = loaded {
            let cache_file = cache::identity(&loaded.cache_path);
            self.warm = Some(Warm { loaded, files, cache_file });
        }
        Ok(summary)
    }
}

/// The input files as a build finds them.
type Files = HashMap<PathBuf, Option<(u64, u64)>>;

/// The files of `now` that are not as they were `before`, or are gone.
fn changed(before: &Files, now: &Files) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = now
        .iter()
        .filter(|(path, stat)| before.get(*path) != Some(*stat))
        .map(|(path, _)| path.clone())
        .chain(before.keys().filter(|path| !now.contains_key(*path)).cloned())
        .collect();
    changed.sort();
    changed
}

/// `esim build` from the state the last build saved, when only record files
/// and biographies changed since: the edits are applied to the site it
/// describes, as serve applies them in memory, and the state is saved again.
/// The biographies are read from their files with the rest of the content;
/// the saved fingerprints are the site's before the edit, so the edited
/// biographies' pages are the ones rendered again. None when there is
/// no state for this output, it is stale, or something else changed (or
/// the edit changes the site's shape): the build then loads the site.
pub(super) fn resume(options: &Options) -> Option<Result<Summary, Error>> {
    let started = Instant::now();
    let files: Files = input_files(options)?.into_iter().collect();
    let cache_path = Manifest::path(&options.root, &options.output_dir());
    let state_path = state::path(&cache_path);
    let head = state::read_head(&state_path)?;
    let current = head.build == state::build_identity(options)
        && cache::identity(&cache_path) == Some(head.cache_file)
        && head.date == build_date()
        && head.ledger == state::ledger_hash(options);
    let before: Files = head.files.iter().cloned().collect();
    let changed = changed(&before, &files);
    let people_dir = options.root.join("content").join("people");
    let applies = |p: &PathBuf| head.records.contains(p) || p.parent() == Some(people_dir.as_path());
    if !current || changed.is_empty() || !changed.iter().all(applies) {
        return None;
    }
    let stamp = input_stamp(options);
    // The state, the open data's files and the cache are read at once.
    let output = options.output_dir();
    let ((saved, open_data), manifest) = rayon::join(
        || rayon::join(|| state::read(&state_path), || state::OpenDataFiles::read(&output)),
        || Manifest::load(&cache_path),
    );
    let (saved, manifest) = (saved?, manifest?);
    let open_data = open_data?.blocks(&manifest, &saved.blocks)?;
    let loaded = restore(options, saved, open_data, manifest, cache_path, head.date)?;
    let restored = started.elapsed();
    let mut warm = Warm { loaded, files: before, cache_file: Some(head.cache_file) };
    let mut result = warm.update(options, &files, stamp, started)?;
    if let Ok(summary) = &mut result {
        summary.timings.state = restored;
        let t = Instant::now();
        warm.files = files;
        warm.save_state(options);
        summary.timings.state += t.elapsed();
        summary.elapsed = started.elapsed();
    }
    Some(result)
}

/// The site and what the warm builder keeps, from a saved state.
fn restore(
    options: &Options,
    saved: state::Saved,
    open_data: crate::export::opendata::Blocks,
    manifest: Manifest,
    cache_path: PathBuf,
    date: crate::model::PartialDate,
) -> Option<Loaded> {
    let state::Saved { records, memo, fps, global, .. } = saved;
    let (site, templates) = load::restore(options, records).ok()?;
    let theme_dir = site.config.theme_dir(&options.root);
    if global != global_fingerprint(options, &theme_dir, &date) {
        return None;
    }
    let assets = Assets::load(&theme_dir.join("static")).ok()?;
    let kept = Kept { open_data, search: memo, in_blocks: true, open_data_lengths: None };
    Some(Loaded { site, templates, fps, manifest, assets, date, cache_path, kept })
}

/// Saves the state of what a one-shot build loaded, for the next one
/// ([`resume`]); `files`: the input files as the build found them.
pub(super) fn save_state(options: &Options, loaded: Loaded, files: Option<super::inputs::Scan>) {
    let Some(files) = files else { return };
    let cache_file = cache::identity(&loaded.cache_path);
    let warm = Warm { loaded, files: files.into_iter().collect(), cache_file };
    warm.save_state(options);
}

impl Warm {
    /// Saves the state for the next one-shot build: none when the build left
    /// no cache (a state goes with one) or did not write the open data (its
    /// blocks' lengths are unknown), and an older one removed when this one
    /// cannot be written.
    fn save_state(&self, options: &Options) {
        let l = &self.loaded;
        let path = state::path(&l.cache_path);
        let (Some(cache_file), Some(blocks)) = (self.cache_file, l.kept.open_data_lengths()) else {
            let _ = std::fs::remove_file(&path);
            return;
        };
        let mut files: Vec<_> = self.files.iter().map(|(p, s)| (p.clone(), *s)).collect();
        files.sort();
        let head = state::Head {
            build: state::build_identity(options),
            cache_file,
            date: l.date,
            ledger: state::ledger_hash(options),
            files,
            records: l.site.origins.files.clone(),
        };
        let global = global_fingerprint(options, &l.site.config.theme_dir(&options.root), &l.date);
        if state::save(&path, &head, l, blocks, global).is_err() {
            let _ = std::fs::remove_file(&path);
        }
    }

    /// Applies an edit of biographies and records; None when the change is
    /// another kind (or the output is no longer what the last build left).
    /// `stamp`: the input stamp for the cache (see [`input_stamp`]).
    fn update(
        &mut self,
        options: &Options,
        files: &Files,
        stamp: Option<u64>,
        started: Instant,
    ) -> Option<Result<Summary, Error>> {
        let output = options.output_dir();
        let l = &self.loaded;
        let same_output = cache::identity(&l.cache_path) == self.cache_file
            && cache::identity(&output.join(crate::publish::MARKER)) == Some(l.manifest.marker);
        if !same_output || build_date() != l.date {
            return None;
        }
        let people_dir = options.root.join("content").join("people");
        let in_people = |p: &Path| p.parent() == Some(people_dir.as_path());
        let markdown = |p: &Path| p.extension().is_some_and(|e| e == "md");
        // Other files there (an editor's swap file) are not read by any build.
        let changed: Vec<PathBuf> =
            changed(&self.files, files).into_iter().filter(|p| !in_people(p) || markdown(p)).collect();
        let (records, biographies): (Vec<PathBuf>, Vec<PathBuf>) =
            changed.into_iter().partition(|p| l.site.origins.files.contains(p));
        if !biographies.iter().all(|p| in_people(p)) {
            return None;
        }
        let biographies = match self.read_biographies(options, &biographies)? {
            Ok(edits) => edits,
            Err(e) => return Some(Err(e)),
        };
        let records = match records.is_empty() {
            true => Vec::new(),
            false => match edit::read_records(&self.loaded.site, options, &records)? {
                Ok(edits) => edits,
                Err(e) => return Some(Err(e)),
            },
        };
        Some(self.publish_edits(options, biographies, records, stamp, started))
    }

    /// Reads the changed biographies; None when one belongs to nobody (the
    /// full load reports that).
    fn read_biographies(&self, options: &Options, changed: &[PathBuf]) -> Option<Result<Vec<BiographyEdit>, Error>> {
        let site = &self.loaded.site;
        let person = |id: &str| site.people.binary_search_by(|p| p.id.as_str().cmp(id)).ok();
        let content_dir = options.root.join("content");
        let mut edits = Vec::new();
        let mut diags = Diagnostics::new();
        for path in changed {
            if path.is_file() {
                match content::load_file(&content_dir, path, &site.config.languages) {
                    Ok(doc) => edits.push((person(&doc.slug)?, doc.lang.clone(), Some(doc))),
                    Err(problems) => problems.into_iter().for_each(|d| diags.push(d)),
                }
            } else {
                let (id, lang) = content::name_and_language(path.file_name()?.to_str()?)?;
                edits.push((person(id)?, lang.to_string(), None));
            }
        }
        Some(if diags.is_empty() { Ok(edits) } else { Err(Error::Invalid(diags.into_sorted())) })
    }

    /// Puts the biographies and records in place and publishes what they
    /// change: the pages whose fingerprint changed, and those rendered on
    /// every build.
    fn publish_edits(
        &mut self,
        options: &Options,
        biographies: Vec<BiographyEdit>,
        records: Vec<RecordEdit>,
        stamp: Option<u64>,
        started: Instant,
    ) -> Result<Summary, Error> {
        let t = Instant::now();
        let l = &mut self.loaded;
        let before = l.fps.clone();
        for (p, lang, doc) in biographies {
            match doc {
                Some(doc) => l.site.biographies[p].insert(lang, doc),
                None => l.site.biographies[p].remove(&lang),
            };
            l.fps.refresh_biographies(&l.site, p);
        }
        let people: Vec<usize> = records.iter().map(|(p, _)| *p).collect();
        let mut regions = Vec::new();
        for (p, person) in records {
            regions.extend(l.site.replace_person(p, person));
        }
        regions.sort_unstable();
        regions.dedup();
        l.fps.refresh_records(&l.site, &people, &regions);

        // Nothing is loaded again: the edits and the choice of pages are
        // resolving.
        let site = &l.site;
        let mut renderer = render::Renderer::new(site, &l.templates, &l.assets, l.date);
        let todo: Vec<Job> = renderer
            .jobs()
            .into_iter()
            .filter(|job| match job.inputs(&l.fps) {
                Some(fp) => job.inputs(&before) != Some(fp),
                None => true,
            })
            .collect();
        let mut timings = Timings { resolve: t.elapsed(), ..Timings::default() };
        let out = Output::in_place(&options.output_dir(), std::mem::take(&mut l.manifest))
            .map_err(|e| Error::Failed(e.to_string()))?
            .with_precompress(site.config.build.encodings());
        let step = Step { site, fps: &l.fps, todo: &todo, routes: None, assets: &l.assets };
        let (manifest, changes, _) =
            publish_step(options, &step, &mut renderer, out, &mut timings, stamp, Some(&mut l.kept))?;
        let pages = count_pages(&renderer.jobs());
        drop(renderer);
        l.manifest = manifest;
        self.cache_file = cache::identity(&l.cache_path);
        Ok(Summary {
            people: l.site.people.len(),
            pages,
            languages: l.site.config.languages.clone(),
            output: options.output_dir(),
            elapsed: started.elapsed(),
            timings,
            kind: BuildKind::Incremental,
            rendered: todo.len(),
            written: changes.written,
            removed: changes.removed,
            // Only edits resume: the builds that load the site say it.
            unused_standby: None,
        })
    }
}
