//! Carrying out a deploy: the target's manifest, the plan, the uploads by
//! phase, the deletions, and the manifest saved back.

use std::path::Path;
use std::time::Instant;

use futures::{StreamExt, TryStreamExt};
use indicatif::{ProgressBar, ProgressStyle};

use super::headers::{cache_control, content_type, Phase, RULES};
use super::local::{encoded_hash, LocalFile};
use super::manifest::{self, Entry, Index, Manifest, RemoteState, REMOTE_INDEX, REMOTE_V1};
use super::plan::{self, Plan, Rules};
use super::store::Headers;
use super::store::Remote;
use super::{DeployOptions, DeploySummary};
use crate::urls::Urls;

/// Requests in flight at once: enough to hide the latency of a distant store.
const PARALLEL: usize = 16;

/// The local manifest is saved after every phase and every so many uploads,
/// so that a deploy killed half-way through a million objects is resumed, not
/// started again.
const CHECKPOINT_EVERY: usize = 5_000;

/// Test hook: the deploy aborts the process after this many uploads, as a kill
/// would (the tests use it to check that the next deploy converges).
const ABORT_AFTER_VAR: &str = "ESIM_DEPLOY_TEST_ABORT_AFTER";

/// Test hook: the deploy's clock (Unix seconds), for the grace time of
/// retired assets.
const NOW_VAR: &str = "ESIM_DEPLOY_TEST_NOW";

pub(super) struct Job<'a> {
    pub name: &'a str,
    pub options: &'a DeployOptions,
    pub output: &'a Path,
    pub site: &'a [LocalFile],
    pub rules: Rules<'a>,
    pub urls: Urls,
    pub remote: &'a Remote,
}

impl Job<'_> {
    pub async fn run(self) -> Result<DeploySummary, String> {
        let started = Instant::now();
        let local_path = manifest::local_path(&self.options.root, self.name);
        let mut target = self.target_manifest(&local_path).await?;
        let mut summary = DeploySummary {
            target: self.name.to_string(),
            describe: self.remote.describe.clone(),
            dry_run: self.options.dry_run,
            ..DeploySummary::default()
        };
        if self.options.verify {
            self.reconcile(&mut target, &mut summary).await?;
        }
        let now = std::env::var(NOW_VAR).ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
        });
        let plan = plan::plan(self.site, &target, &self.rules, now);
        summary.unchanged = plan.unchanged;
        summary.kept = plan.kept.clone();
        summary.retired_kept = plan.retired_kept + plan.retire.len();
        if plan.deletes.len() > self.options.max_deletes {
            return Err(self.too_many_deletions(&plan));
        }
        if self.options.dry_run {
            summary.uploaded = plan.uploads.len();
            summary.deleted = plan.deletes.len();
            summary.bytes = plan.upload_bytes();
            summary.plan = describe(&plan);
            return Ok(summary);
        }
        if plan.is_empty() && target.remote.is_some() {
            // An empty list: the previous deploy's URLs must not be invalidated again.
            summary.changed_file = Some(self.write_changed(&[])?);
            summary.elapsed = started.elapsed();
            return Ok(summary);
        }
        // Mark what is about to change, so that a deploy killed from here on
        // leaves a manifest that makes the next one upload it again.
        for u in &plan.uploads {
            target.insert(u.key.clone(), Entry::pending());
        }
        target.rules = RULES;
        target.save(&local_path)?;

        let bar = self.progress_bar(&plan);
        let outcome = self.execute(&plan, &mut target, &mut summary, &bar, &local_path).await;
        bar.finish_and_clear();
        // What was uploaded is recorded even when the deploy failed half-way.
        target.save(&local_path)?;
        outcome?;
        for key in &plan.retire {
            target.retire(key, now);
        }
        self.store_manifest(&mut target).await?;
        target.save(&local_path)?;
        summary.changed = self.changed_urls(&plan);
        summary.changed_file = Some(self.write_changed(&summary.changed)?);
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// What the target holds: the local copy of its manifest when it
    /// descends from the bucket's latest (or the bucket has none yet because
    /// the first deploy was interrupted), else the bucket's copy, else nothing.
    async fn target_manifest(&self, local_path: &Path) -> Result<Manifest, String> {
        let local = Manifest::load(local_path)?;
        let remote_etag = self.remote.etag(REMOTE_INDEX).await?;
        let local_etag = local.as_ref().map(|l| l.remote.as_ref().map(|r| r.etag.clone()));
        match (local, remote_etag) {
            (Some(l), Some(etag)) if local_etag == Some(Some(etag.clone())) => Ok(l),
            (Some(l), None) if l.remote.is_none() => Ok(l),
            (_, Some(_)) => self.remote_manifest().await,
            (_, None) => match self.remote.get(REMOTE_V1).await? {
                Some((bytes, _)) => {
                    let text = String::from_utf8_lossy(&bytes);
                    Manifest::from_remote_v1(&text).map_err(|e| format!("{}: {REMOTE_V1}:{e}", self.remote.describe))
                }
                None => Ok(Manifest::default()),
            },
        }
    }

    /// The bucket's copy: its index, then its shards (in parallel).
    async fn remote_manifest(&self) -> Result<Manifest, String> {
        let describe = &self.remote.describe;
        let (bytes, etag) = self
            .remote
            .get(REMOTE_INDEX)
            .await?
            .ok_or_else(|| format!("{describe}: {REMOTE_INDEX} vanished while read; run the deploy again"))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{describe}: {REMOTE_INDEX} is not UTF-8"))?;
        let index = Index::parse(&text).map_err(|e| format!("{describe}: {REMOTE_INDEX}:{e}"))?;
        let shards: Vec<(usize, String)> = futures::stream::iter(index.shards.iter())
            .map(|(&i, key)| async move {
                let (bytes, _) = self.remote.get(key).await?.ok_or_else(|| {
                    format!("{describe}: {key}, named by {REMOTE_INDEX}, is missing (another deploy at the same time?); run the deploy again")
                })?;
                Ok::<_, String>((i, String::from_utf8_lossy(&bytes).into_owned()))
            })
            .buffer_unordered(PARALLEL)
            .try_collect()
            .await?;
        Manifest::from_remote(&index, etag, &shards).map_err(|e| format!("{describe}: {e}"))
    }

    /// Makes the bucket's manifest equal the local one: the changed shards,
    /// then the index, then the shards it no longer names (and the manifest
    /// of earlier versions).
    async fn store_manifest(&self, target: &mut Manifest) -> Result<(), String> {
        let update = target.remote_update(target.rules);
        let headers = Headers::manifest();
        futures::stream::iter(update.uploads)
            .map(|(key, text)| {
                let headers = &headers;
                async move { self.remote.put(&key, text.into_bytes(), headers).await }
            })
            .buffer_unordered(PARALLEL)
            .try_collect::<Vec<_>>()
            .await?;
        let etag = self.remote.put(REMOTE_INDEX, update.index.render().into_bytes(), &headers).await?;
        target.remote = Some(RemoteState { etag, shards: update.index.shards });
        // Left behind, a retired shard is only litter (no index names it).
        for key in update.retired.iter().map(String::as_str).chain([REMOTE_V1]) {
            if let Err(e) = self.remote.delete(key).await {
                eprintln!("esim: warning: {e}");
            }
        }
        Ok(())
    }

    /// `--verify`: one listing of the bucket; objects missing or changed behind
    /// esim's back are uploaded again, objects esim did not put there are
    /// reported (never deleted: they may be the publisher's own).
    async fn reconcile(&self, target: &mut Manifest, summary: &mut DeploySummary) -> Result<(), String> {
        let listed = self.remote.list().await?;
        let mut repaired = 0;
        target.retain(|key, entry| match listed.get(key) {
            None => {
                repaired += 1;
                false
            }
            Some(l) if !entry.is_pending() && (l.etag != entry.etag || l.size != entry.size) => {
                repaired += 1;
                *entry = Entry::pending();
                true
            }
            Some(_) => true,
        });
        let local: std::collections::HashSet<&str> = self.site.iter().map(|f| f.key.as_str()).collect();
        let unknown: Vec<&String> =
            listed.keys().filter(|k| !manifest::is_manifest_key(k) && !target.contains_key(k)).collect();
        for key in unknown {
            if local.contains(key.as_str()) {
                target.insert(key.clone(), Entry::pending());
                repaired += 1;
            } else {
                summary.strays.push(key.clone());
            }
        }
        summary.strays.sort();
        summary.repaired = repaired;
        Ok(())
    }

    fn too_many_deletions(&self, plan: &Plan) -> String {
        let sample: Vec<&str> = plan.deletes.iter().take(10).map(String::as_str).collect();
        format!(
            "deploy to {}: refusing to delete {} objects, more than {} (e.g. {}); check the output directory, or allow it with --max-deletes {}; nothing was changed",
            self.name,
            plan.deletes.len(),
            self.options.max_deletes,
            sample.join(", "),
            plan.deletes.len()
        )
    }

    fn progress_bar(&self, plan: &Plan) -> ProgressBar {
        if !self.options.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new((plan.uploads.len() + plan.deletes.len()) as u64);
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} objects, {msg} [{elapsed_precise}, {eta} left]")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    }

    /// The phases in order, then the deletions. Stops at the first failure
    /// (after the requests in flight), before any deletion.
    async fn execute(
        &self,
        plan: &Plan,
        target: &mut Manifest,
        summary: &mut DeploySummary,
        bar: &ProgressBar,
        local_path: &Path,
    ) -> Result<(), String> {
        let abort_after: Option<usize> = std::env::var(ABORT_AFTER_VAR).ok().and_then(|v| v.parse().ok());
        for phase in [Phase::Assets, Phase::Pages, Phase::Redirects] {
            let uploads = plan.uploads.iter().filter(|u| u.phase == phase);
            let mut results = futures::stream::iter(uploads).map(|u| self.upload(u)).buffer_unordered(PARALLEL);
            let mut failure = None;
            while let Some(result) = results.next().await {
                match result {
                    Ok((key, entry)) => {
                        summary.uploaded += 1;
                        summary.bytes += entry.size;
                        target.insert(key, entry);
                        bar.inc(1);
                        bar.set_message(format!("{:.1} MB", summary.bytes as f64 / 1e6));
                        if summary.uploaded.is_multiple_of(CHECKPOINT_EVERY) {
                            target.save(local_path)?;
                        }
                        if abort_after == Some(summary.uploaded) {
                            std::process::abort();
                        }
                    }
                    Err(e) => failure = failure.or(Some(e)),
                }
            }
            if let Some(e) = failure {
                return Err(format!(
                    "{e}\ndeploy to {} stopped in phase {} after {} uploads; nothing was deleted; run `esim deploy` again to finish",
                    self.name,
                    phase.name(),
                    summary.uploaded
                ));
            }
            target.save(local_path)?;
        }
        let mut results = futures::stream::iter(&plan.deletes)
            .map(|key| async move { self.remote.delete(key).await.map(|()| key) })
            .buffer_unordered(PARALLEL);
        while let Some(result) = results.next().await {
            let key = result?;
            target.remove(key);
            summary.deleted += 1;
            bar.inc(1);
        }
        Ok(())
    }

    async fn upload(&self, u: &plan::Upload) -> Result<(String, Entry), String> {
        let read = |key: String| async move {
            let path = self.output.join(&key);
            tokio::fs::read(&path).await.map_err(|e| format!("{}: {e}", path.display()))
        };
        // The file may have been rebuilt since the plan: record what was sent.
        let (bytes, hash) = match u.encoding {
            None => {
                let bytes = read(u.key.clone()).await?;
                let hash = crate::util::hash::content_hash(&bytes);
                (bytes, hash)
            }
            Some(e) => {
                let original = crate::util::hash::content_hash(&read(u.key.clone()).await?);
                (read(LocalFile::body_key(&u.key, u.encoding)).await?, encoded_hash(original, e))
            }
        };
        let size = bytes.len() as u64;
        let headers = Headers {
            content_type: content_type(&u.key),
            cache_control: cache_control(&u.key),
            content_encoding: u.encoding.map(|e| e.content_encoding()),
        };
        let etag = self.remote.put(&u.key, bytes, &headers).await?;
        Ok((u.key.clone(), Entry::new(hash, size, etag)))
    }

    /// The absolute URL of every object uploaded or deleted; a page as its
    /// directory's URL.
    fn changed_urls(&self, plan: &Plan) -> Vec<String> {
        let keys = plan.uploads.iter().map(|u| u.key.as_str()).chain(plan.deletes.iter().map(String::as_str));
        keys.map(|key| {
            let route = format!("/{}", key.strip_suffix("index.html").unwrap_or(key));
            self.urls.absolute(&route)
        })
        .collect()
    }

    fn write_changed(&self, urls: &[String]) -> Result<std::path::PathBuf, String> {
        let path = manifest::sibling(&self.options.root, self.name, "changed.txt");
        let mut text = urls.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        let fail = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(fail)?;
        std::fs::write(&path, text).map_err(fail)?;
        Ok(path)
    }
}

/// The plan of a dry run, one line per object.
fn describe(plan: &Plan) -> Vec<String> {
    let uploads = plan.uploads.iter().map(|u| format!("upload ({}) {} ({} bytes)", u.phase.name(), u.key, u.size));
    let deletes = plan.deletes.iter().map(|k| format!("delete {k}"));
    let kept = plan.kept.iter().map(|k| format!("keep (ledger page) {k}"));
    let retired = plan.retire.iter().map(|k| format!("keep (retired asset, deleted after a day) {k}"));
    uploads.chain(deletes).chain(kept).chain(retired).collect()
}
