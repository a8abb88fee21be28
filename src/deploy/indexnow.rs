//! IndexNow: after a deploy, tell the search engines that take it (Bing,
//! Yandex, Seznam, Naver…) which pages changed, so a corrected record is
//! crawled again in hours rather than weeks.
//!
//! URLs not yet accepted wait in `<root>/.esim/deploy/NAME.indexnow.txt`: a
//! submission that fails (the endpoint down, a rate limit) is sent again by
//! the next deploy, even when that deploy uploads nothing.

use std::path::Path;

use crate::config::{DeployTarget, INDEXNOW_ENDPOINT};

/// The protocol's limit of URLs in one submission.
pub const BATCH: usize = 10_000;

/// What one target's submission needs.
pub struct Submission<'a> {
    pub endpoint: &'a str,
    pub key: &'a str,
    /// Where the key file is published: `<base_url>/<key>.txt`.
    pub key_location: String,
    /// The site's host, as the protocol names it.
    pub host: String,
}

impl<'a> Submission<'a> {
    /// The target's submission, when it has `indexnow = true`.
    pub fn for_target(target: &'a DeployTarget, base_url: &str) -> Option<Submission<'a>> {
        let key = target.indexnow_key.as_deref().filter(|_| target.indexnow)?;
        let host = base_url.split_once("://").map(|(_, rest)| rest).unwrap_or(base_url);
        let host = host.split('/').next().unwrap_or(host).to_string();
        Some(Submission {
            endpoint: target.indexnow_endpoint.as_deref().unwrap_or(INDEXNOW_ENDPOINT),
            key,
            key_location: format!("{}/{key}.txt", base_url.trim_end_matches('/')),
            host,
        })
    }

    /// The JSON body of one submission.
    fn body(&self, urls: &[String]) -> String {
        serde_json::json!({
            "host": self.host,
            "key": self.key,
            "keyLocation": self.key_location,
            "urlList": urls,
        })
        .to_string()
    }

    /// Sends `urls` in batches; returns how many were accepted, or the
    /// first failure with how many were accepted before it.
    pub async fn send(&self, urls: &[String]) -> Result<usize, (usize, String)> {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| (0, format!("IndexNow: cannot start the HTTP client: {e}")))?;
        let mut accepted = 0;
        for batch in urls.chunks(BATCH) {
            let response = client
                .post(self.endpoint)
                .header("content-type", "application/json; charset=utf-8")
                .body(self.body(batch))
                .send()
                .await
                .map_err(|e| (accepted, format!("IndexNow: {}: {e}", self.endpoint)))?;
            let status = response.status();
            if !status.is_success() {
                let text = response.text().await.unwrap_or_default();
                return Err((
                    accepted,
                    format!("IndexNow: {} answered {status}{}", self.endpoint, explain(status.as_u16(), &text)),
                ));
            }
            accepted += batch.len();
        }
        Ok(accepted)
    }
}

/// The protocol's meaning of a refusal, for the publisher.
fn explain(status: u16, body: &str) -> String {
    let why = match status {
        400 => " (the request is malformed)",
        403 => " (the key was not found at keyLocation: deploy the site with its <key>.txt first, and check base_url)",
        422 => " (the URLs do not belong to the host, or the key does not match the key file)",
        429 => " (too many requests: the URLs are sent again by the next deploy)",
        _ => "",
    };
    let body = body.trim();
    if body.is_empty() || body.len() > 300 {
        why.to_string()
    } else {
        format!("{why}: {body}")
    }
}

/// The page URLs among a deploy's changed URLs: directory URLs and `.html`
/// files but the 404 page (search engines are told about pages, not assets).
pub fn pages(changed: &[String]) -> Vec<String> {
    changed
        .iter()
        .filter(|u| (u.ends_with('/') || u.ends_with(".html")) && !u.ends_with("/404.html"))
        .cloned()
        .collect()
}

/// The URLs waiting from an earlier deploy, then `new`, each once.
pub fn with_pending(path: &Path, new: &[String]) -> Vec<String> {
    let waiting = std::fs::read_to_string(path).unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    waiting
        .lines()
        .map(str::to_string)
        .chain(new.iter().cloned())
        .filter(|u| !u.is_empty() && seen.insert(u.clone()))
        .collect()
}

/// Keeps `urls` waiting for the next deploy (none: removes the file).
pub fn save_pending(path: &Path, urls: &[String]) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
    if urls.is_empty() {
        return match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(fail(e)),
            _ => Ok(()),
        };
    }
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(fail)?;
    std::fs::write(path, urls.join("\n") + "\n").map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(key: Option<&str>, on: bool) -> DeployTarget {
        DeployTarget {
            url: "s3://b".into(),
            endpoint: None,
            region: None,
            indexnow: on,
            indexnow_key: key.map(String::from),
            indexnow_endpoint: None,
            content_encoding: None,
        }
    }

    #[test]
    fn a_submission_names_the_host_and_the_key_file_under_the_base_path() {
        let t = target(Some("0123abcd0123abcd"), true);
        let s = Submission::for_target(&t, "https://example.kz/memorial/").unwrap();
        assert_eq!(s.host, "example.kz");
        assert_eq!(s.key_location, "https://example.kz/memorial/0123abcd0123abcd.txt");
        assert_eq!(s.endpoint, INDEXNOW_ENDPOINT);
        let body: serde_json::Value =
            serde_json::from_str(&s.body(&["https://example.kz/memorial/kk/".into()])).unwrap();
        assert_eq!(body["urlList"][0], "https://example.kz/memorial/kk/");
        assert_eq!(body["key"], "0123abcd0123abcd");
        assert!(Submission::for_target(&target(Some("0123abcd0123abcd"), false), "https://x/").is_none());
    }

    #[test]
    fn only_pages_are_submitted_and_waiting_urls_come_first_once() {
        let changed =
            ["https://x/kk/people/a/", "https://x/style.css", "https://x/404.html", "https://x/search/d/ab.json"];
        assert_eq!(pages(&changed.map(String::from)), vec!["https://x/kk/people/a/".to_string()]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.indexnow.txt");
        save_pending(&path, &["https://x/a/".into(), "https://x/b/".into()]).unwrap();
        assert_eq!(
            with_pending(&path, &["https://x/b/".into(), "https://x/c/".into()]),
            ["https://x/a/", "https://x/b/", "https://x/c/"]
        );
        save_pending(&path, &[]).unwrap();
        assert!(!path.exists());
    }
}
