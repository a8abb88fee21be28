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

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::edit::{self, RecordEdit};
use super::inputs::{build_date, input_files};
use super::run::{build_loaded, count_pages, exclusive, publish_step, Loaded, Step};
use super::{BuildKind, Error, Options, Summary, Timings};
use crate::content::{self, Document};
use crate::diagnostics::Diagnostics;
use crate::publish::cache;
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
            match warm.update(&self.options, &files, started) {
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
        let (summary, loaded) = build_loaded(&self.options, true, cached)?;
        if let Some(loaded) = loaded {
            let cache_file = cache::identity(&loaded.cache_path);
            self.warm = Some(Warm { loaded, files, cache_file });
        }
        Ok(summary)
    }
}

impl Warm {
    /// The input files that changed since the last build.
    fn changed(&self, files: &HashMap<PathBuf, Option<(u64, u64)>>) -> Vec<PathBuf> {
        let mut changed: Vec<PathBuf> = files
            .iter()
            .filter(|(path, stat)| self.files.get(*path) != Some(*stat))
            .map(|(path, _)| path.clone())
            .chain(self.files.keys().filter(|path| !files.contains_key(*path)).cloned())
            .collect();
        changed.sort();
        changed
    }

    /// Applies an edit of biographies and records; None when the change is
    /// another kind (or the output is no longer what the last build left).
    fn update(
        &mut self,
        options: &Options,
        files: &HashMap<PathBuf, Option<(u64, u64)>>,
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
        let changed: Vec<PathBuf> = self.changed(files).into_iter().filter(|p| !in_people(p) || markdown(p)).collect();
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
        Some(self.publish_edits(options, biographies, records, started))
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
        // No input stamp: the next build looks at the files again anyway.
        let (manifest, changes, _) =
            publish_step(options, &step, &mut renderer, out, &mut timings, None, Some(&mut l.kept))?;
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
        })
    }
}
