//! What a build is asked to do, and what it reports: options, errors, the
//! summary and the time of each stage.

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostics::Diagnostic;
pub use crate::publish::linkcheck::BrokenLink;

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
    /// Reading the state the last build saved and saving it again: a
    /// one-shot build that resumed from it (see `build::state`), else zero.
    pub state: Duration,
    pub load: Duration,
    pub resolve: Duration,
    /// Writing the search index, while the pages render (part of `render`).
    pub search: Duration,
    /// Writing the other files beside the pages (open data, sitemaps,
    /// assets…), while the pages render (part of `render`).
    pub extras: Duration,
    pub render: Duration,
    /// Putting the site in place and saving the cache.
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
    /// The standby tree of `[build] standby` beside the output, left there
    /// while the setting is off (it holds a whole copy of the site).
    pub unused_standby: Option<PathBuf>,
}

impl Summary {
    pub(super) fn unchanged(output: PathBuf, elapsed: Duration) -> Summary {
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
            unused_standby: None,
        }
    }
}

/// The time of each stage, as the build prints it.
impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.state.is_zero() {
            write!(f, "saved state {:.2} s, ", self.state.as_secs_f64())?;
        }
        write!(
            f,
            "load {:.2} s, resolve {:.2} s, render {:.2} s (search index {:.2} s and other files {:.2} s alongside), publish {:.2} s",
            self.load.as_secs_f64(),
            self.resolve.as_secs_f64(),
            self.render.as_secs_f64(),
            self.search.as_secs_f64(),
            self.extras.as_secs_f64(),
            self.publish.as_secs_f64()
        )
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        match self.kind {
            BuildKind::Unchanged => {
                return write!(f, "nothing changed since the last build of {} ({secs:.2} s)", self.output.display())
            }
            BuildKind::Incremental | BuildKind::Rebuild => {
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

/// What `check` found valid.
#[derive(Debug, Clone)]
pub struct Checked {
    pub people: usize,
    /// Pages of the output directory whose links were checked, if it had a site.
    pub pages_checked: Option<usize>,
    /// The editors' report: people by region and status, what records lack.
    pub report: crate::export::report::Report,
}

/// How a build went about its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    /// Every page rendered, the new site swapped in whole.
    Full,
    /// Every page rendered again over the existing site (a template, a UI
    /// string, the configuration changed); only the files whose bytes changed
    /// were written, those no longer produced removed.
    Rebuild,
    /// Only the outputs whose inputs changed were rendered; the changed files
    /// were replaced in place.
    Incremental,
    /// No input changed since the last build: nothing to do.
    Unchanged,
}
