//! `esim deploy`: uploads the built site to object storage (S3 and any
//! S3-compatible server, Google Cloud Storage, Azure), only what changed.
//!
//! What changed is decided from content hashes — the build cache's, or
//! computed — against the target's deploy manifest ([`manifest`]), never by
//! listing the bucket (a million objects cost a thousand list requests) unless
//! `--verify` asks to repair drift. Uploads run in phases that never break the
//! live site ([`headers::Phase`]), deletions last; pages of people in the
//! ledger are never deleted. Before uploading, the objects about to change are
//! marked pending in the local manifest, so a deploy killed half-way is
//! finished by the next one.

mod aws_profile;
pub mod headers;
pub mod hosts;
pub mod indexnow;
mod local;
pub mod manifest;
mod plan;
mod run;
mod store;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::build::Error;
use crate::config::{Config, DeployTarget};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::urls::{route, Urls};

pub use plan::Plan;

/// Deletions a deploy makes without `--max-deletes`: enough for removed essays
/// and renamed assets, too few for a wrong output directory to empty the site.
pub const DEFAULT_MAX_DELETES: usize = 100;

/// What to deploy where.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub root: PathBuf,
    /// The built site (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// The `[deploy.NAME]` table; may be left out when there is one.
    pub target: Option<String>,
    /// Print the plan, change nothing.
    pub dry_run: bool,
    /// List the bucket once and repair what differs from the manifest.
    pub verify: bool,
    pub max_deletes: usize,
    pub progress: bool,
}

impl DeployOptions {
    pub fn new(root: impl Into<PathBuf>) -> DeployOptions {
        DeployOptions {
            root: root.into(),
            output: None,
            target: None,
            dry_run: false,
            verify: false,
            max_deletes: DEFAULT_MAX_DELETES,
            progress: false,
        }
    }
}

/// What a deploy did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default)]
pub struct DeploySummary {
    pub target: String,
    /// The target's URL and endpoint.
    pub describe: String,
    pub dry_run: bool,
    pub uploaded: usize,
    pub unchanged: usize,
    pub deleted: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Objects that differed from the manifest and were uploaded again (`--verify`).
    pub repaired: usize,
    /// Objects in the bucket that esim did not put there (`--verify`): reported, never deleted.
    pub strays: Vec<String>,
    /// Objects no longer in the site kept because they are ledger pages.
    pub kept: Vec<String>,
    /// Content-addressed assets no longer in the site, kept a day for pages
    /// cached before (see [`plan::RETIRED_GRACE`]).
    pub retired_kept: usize,
    /// The absolute URLs uploaded or deleted (pages as their directory URL).
    pub changed: Vec<String>,
    /// Where `changed` was written, for CDN invalidation and IndexNow.
    pub changed_file: Option<PathBuf>,
    /// With `--dry-run`: the plan, one line per object.
    pub plan: Vec<String>,
    /// IndexNow: how many page URLs were submitted (`indexnow = true`).
    pub indexnow_sent: usize,
    /// IndexNow: why a submission failed (its URLs wait for the next deploy).
    pub indexnow_error: Option<String>,
}

impl std::fmt::Display for DeploySummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.dry_run { "would upload" } else { "uploaded" };
        let deleted = if self.dry_run { "would delete" } else { "deleted" };
        write!(
            f,
            "{} ({}): {verb} {} ({:.1} MB), {} unchanged, {deleted} {}",
            self.target,
            self.describe,
            self.uploaded,
            self.bytes as f64 / 1e6,
            self.unchanged,
            self.deleted
        )?;
        if !self.kept.is_empty() {
            write!(f, ", kept {} ledger page(s)", self.kept.len())?;
        }
        if self.retired_kept > 0 {
            write!(f, ", kept {} retired asset(s) for pages cached before", self.retired_kept)?;
        }
        if self.repaired > 0 {
            write!(f, ", {} repaired", self.repaired)?;
        }
        if !self.dry_run {
            write!(f, " in {:.2} s", self.elapsed.as_secs_f64())?;
        }
        Ok(())
    }
}

/// Deploys the built site to a target of config.toml.
pub fn deploy(options: &DeployOptions) -> Result<DeploySummary, Error> {
    let config_path = options.root.join("config.toml");
    let config = Config::load(&config_path, None).map_err(Error::Invalid)?;
    let (name, target) = choose_target(&config, options.target.as_deref(), &config_path)?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let encoding = target.content_encoding.as_deref().and_then(crate::util::compress::Encoding::parse);
    let site = local::inventory(&options.root, &output, encoding).map_err(Error::Failed)?;
    let ledger = ledger_ids(&options.root)?;
    let redirects = redirect_keys(&options.root, &config.languages);
    let remote = store::connect(target).map_err(|e| Error::Failed(format!("deploy to {name}: {e}")))?;
    let job = run::Job {
        name,
        options,
        output: &output,
        site: &site,
        rules: plan::Rules { redirects: &redirects, ledger: &ledger },
        urls: Urls::new(&config.base_url),
        remote: &remote,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Failed(format!("cannot start the uploader: {e}")))?;
    let mut summary = runtime.block_on(job.run()).map_err(Error::Failed)?;
    if let Some(submission) = indexnow::Submission::for_target(target, &config.base_url).filter(|_| !options.dry_run) {
        notify(&submission, &options.root, name, &mut summary, &runtime)?;
    }
    Ok(summary)
}

/// Submits the changed pages (and any still waiting from an earlier deploy)
/// to IndexNow; what is not accepted waits for the next deploy.
fn notify(
    submission: &indexnow::Submission,
    root: &Path,
    name: &str,
    summary: &mut DeploySummary,
    runtime: &tokio::runtime::Runtime,
) -> Result<(), Error> {
    let pending = manifest::sibling(root, name, "indexnow.txt");
    let urls = indexnow::with_pending(&pending, &indexnow::pages(&summary.changed));
    if urls.is_empty() {
        return Ok(());
    }
    let (sent, error) = match runtime.block_on(submission.send(&urls)) {
        Ok(n) => (n, None),
        Err((n, e)) => {
            (n, Some(format!("{e}; {} URL(s) wait in {} for the next deploy", urls.len() - n, pending.display())))
        }
    };
    indexnow::save_pending(&pending, &urls[sent..]).map_err(Error::Failed)?;
    summary.indexnow_sent = sent;
    summary.indexnow_error = error;
    Ok(())
}

/// The named target, or the only one.
fn choose_target<'a>(
    config: &'a Config,
    name: Option<&str>,
    path: &Path,
) -> Result<(&'a str, &'a DeployTarget), Error> {
    let names = || config.deploy.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
    let fail = |msg: String| Error::Invalid(vec![Diagnostic::file(path, msg)]);
    match name {
        Some(n) => config
            .deploy
            .get_key_value(n)
            .map(|(k, v)| (k.as_str(), v))
            .ok_or_else(|| fail(format!("no [deploy.{n}] table (targets: {})", names()))),
        None if config.deploy.len() == 1 => Ok(config.deploy.iter().next().map(|(k, v)| (k.as_str(), v)).expect("one")),
        None if config.deploy.is_empty() => {
            Err(fail("no deploy target: add a [deploy.NAME] table with url = \"s3://BUCKET/PREFIX\"".into()))
        }
        None => Err(fail(format!("several deploy targets ({}): choose one with --target", names()))),
    }
}

fn ledger_ids(root: &Path) -> Result<HashSet<String>, Error> {
    let mut diags = Diagnostics::new();
    let ids = crate::ledger::load(&root.join("data").join(crate::ledger::FILE), &mut diags);
    if !diags.is_empty() {
        return Err(Error::Invalid(diags.into_sorted()));
    }
    Ok(ids.ids.into_iter().map(|(id, _)| id).collect())
}

/// The files of the redirect pages of `data/redirects.csv` (the build has
/// validated it; here it only orders the upload, so an unreadable file means
/// no redirect phase).
fn redirect_keys(root: &Path, languages: &[String]) -> HashSet<String> {
    let Ok(bytes) = std::fs::read(root.join("data").join("redirects.csv")) else {
        return HashSet::new();
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes.as_slice());
    let mut keys = HashSet::new();
    for record in reader.records().flatten() {
        let from = record.get(0).unwrap_or("").trim().trim_start_matches('\u{feff}');
        if from.is_empty() || from == "from" {
            continue;
        }
        for lang in languages {
            keys.insert(Urls::file(&route::person(lang, from)).to_string_lossy().into_owned());
        }
    }
    keys
}
