//! `esim deploy` against a real S3-compatible server: moto's server mode
//! (tests/support/s3_server.py) on 127.0.0.1, with request signing enforced.
//! tests/run.sh installs it (`pip install "moto[server]"`); without it these
//! tests fail and say how to install it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use common::{person, row, Fixture};
use futures::TryStreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, ObjectStore, ObjectStoreExt};

const BUCKET: &str = "site";

/// moto serving one bucket, with a user allowed everything on S3.
struct S3Server {
    child: Child,
    port: u16,
    access_key: String,
    secret_key: String,
}

impl S3Server {
    fn start() -> S3Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = common::sample_root().join("tests/support/s3_server.py");
        // Its messages go to a file: a pipe nobody reads would stall it once full.
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut child = Command::new("python3")
            .arg(&script)
            .args([&port.to_string(), BUCKET])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run python3 ({e}): tests/run.sh installs it with moto"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            let _ = child.wait();
            let err = fs::read_to_string(log.path()).unwrap_or_default();
            panic!(
                "the S3 test server did not start: install it with `pip install \"moto[server]\"` (tests/run.sh does)\n{err}"
            );
        }
        let keys: serde_json::Value = serde_json::from_str(&line).unwrap();
        S3Server {
            child,
            port,
            access_key: keys["access_key"].as_str().unwrap().into(),
            secret_key: keys["secret_key"].as_str().unwrap().into(),
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn client(&self) -> AmazonS3 {
        AmazonS3Builder::new()
            .with_bucket_name(BUCKET)
            .with_endpoint(self.endpoint())
            .with_allow_http(true)
            .with_region("us-east-1")
            .with_access_key_id(&self.access_key)
            .with_secret_access_key(&self.secret_key)
            .build()
            .unwrap()
    }

    /// Every object of the bucket with its bytes, content type and cache control.
    fn objects(&self) -> BTreeMap<String, (Vec<u8>, String, String)> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let s3 = self.client();
            let metas: Vec<_> = s3.list(None).try_collect().await.unwrap();
            let mut out = BTreeMap::new();
            for meta in metas {
                let got = s3.get(&meta.location).await.unwrap();
                let attr = |a| got.attributes.get(&a).map(|v| v.to_string()).unwrap_or_default();
                let (ct, cc) = (attr(Attribute::ContentType), attr(Attribute::CacheControl));
                out.insert(meta.location.to_string(), (got.bytes().await.unwrap().to_vec(), ct, cc));
            }
            out
        })
    }

    /// One object's stored bytes and `Content-Encoding` (empty when none).
    fn encoded(&self, key: &str) -> (Vec<u8>, String) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let got = self.client().get(&ObjectPath::from(key)).await.unwrap();
            let encoding = got.attributes.get(&Attribute::ContentEncoding).map(|v| v.to_string()).unwrap_or_default();
            (got.bytes().await.unwrap().to_vec(), encoding)
        })
    }

    fn put(&self, key: &str, bytes: &'static [u8]) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(self.client().put(&ObjectPath::from(key), bytes.into())).unwrap();
    }

    fn delete(&self, key: &str) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(self.client().delete(&ObjectPath::from(key))).unwrap();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn essay(slug: &str, lang: &str) -> String {
    format!("+++\ntitle = \"Essay {slug} {lang}\"\ndate = 2025-01-02\nauthors = [\"editors\"]\nsummary = \"About {slug}.\"\nweight = 1\n+++\n\nText of {slug}.\n")
}

/// A small site with an essay in three languages and a deploy target `test`
/// at `url` on `server`.
fn site(server: &S3Server, url: &str) -> Fixture {
    let rows: Vec<String> = (0..6).map(|i| person(&format!("p{i}"), &format!("Фамилия{i}"), "Имя")).collect();
    let f = Fixture::new(&rows);
    f.config(&format!(
        "\n[deploy.test]\nurl = \"{url}\"\nendpoint = \"{}\"\nregion = \"us-east-1\"\n",
        server.endpoint()
    ));
    for lang in ["kk", "ru", "en"] {
        f.write(&format!("content/essays/gone.{lang}.md"), &essay("gone", lang));
    }
    f.build().unwrap();
    f
}

fn deploy(f: &Fixture, server: &S3Server, args: &[&str]) -> Output {
    deploy_with(f, &server.access_key, &server.secret_key, args, &[])
}

fn deploy_with(f: &Fixture, key: &str, secret: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let root = f.root().to_str().unwrap().to_string();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esim"));
    cmd.args(["deploy", "--root", &root]).args(args);
    for var in ["AWS_SESSION_TOKEN", "AWS_ENDPOINT", "AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_REGION"] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_ACCESS_KEY_ID", key).env("AWS_SECRET_ACCESS_KEY", secret).envs(env.iter().copied());
    cmd.output().unwrap()
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "esim deploy failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The number next to `word` in the summary line (`uploaded 12`, `3 unchanged`).
fn count(stdout: &str, word: &str) -> usize {
    let line =
        stdout.lines().find(|l| l.starts_with("esim: deploy")).unwrap_or_else(|| panic!("no summary:\n{stdout}"));
    if let Some(after) = line.split(&format!(" {word} ")).nth(1) {
        return after.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
    }
    let before = line.split(&format!(" {word}")).next().filter(|b| b.len() < line.len());
    let before = before.unwrap_or_else(|| panic!("no {word:?} in {line}"));
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

/// The files of the built site (but esim's marker) by key under `prefix`.
fn local(dir: &Path, prefix: &str) -> BTreeMap<String, Vec<u8>> {
    common::snapshot(dir)
        .into_iter()
        .filter(|(rel, _)| rel.as_os_str() != ".esim-output")
        .map(|(rel, bytes)| (format!("{prefix}{}", rel.to_string_lossy()), bytes))
        .collect()
}

/// The bucket holds exactly the local site (and the deploy manifest).
fn assert_served(server: &S3Server, dir: &Path, prefix: &str) {
    let mut served: BTreeMap<String, Vec<u8>> = server.objects().into_iter().map(|(k, (b, _, _))| (k, b)).collect();
    let index = served.remove(&format!("{prefix}.esim-deploy/manifest.txt")).expect("the manifest is in the bucket");
    let named: Vec<String> = String::from_utf8(index)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("S\t"))
        .map(|l| format!("{prefix}{}", l.split('\t').nth(1).unwrap()))
        .collect();
    let shards: Vec<String> =
        served.keys().filter(|k| k.starts_with(&format!("{prefix}.esim-deploy/"))).cloned().collect();
    assert!(!named.is_empty());
    assert_eq!(shards, named, "the bucket holds exactly the shards its index names");
    for key in shards {
        served.remove(&key);
    }
    let local = local(dir, prefix);
    assert_eq!(served.keys().collect::<Vec<_>>(), local.keys().collect::<Vec<_>>());
    for (key, bytes) in &local {
        assert!(served[key] == *bytes, "{key}: the served object differs from the local file");
    }
}

#[test]
fn first_deploy_uploads_everything_with_its_headers_and_a_second_uploads_nothing() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    let files = local(&f.public(), "kz/").len();

    let dry = ok(&deploy(&f, &server, &["--dry-run"]));
    assert_eq!(count(&dry, "would upload"), files);
    assert!(dry.contains("upload (assets and data) style.css"), "{dry}");
    assert!(dry.find("upload (assets and data)").unwrap() < dry.find("upload (pages)").unwrap(), "assets first");
    assert!(server.objects().is_empty(), "a dry run changes nothing");

    let first = ok(&deploy(&f, &server, &[]));
    assert_eq!(count(&first, "uploaded"), files);
    assert_served(&server, &f.public(), "kz/");
    let objects = server.objects();
    let headers = |key: &str| (objects[key].1.as_str(), objects[key].2.as_str());
    assert_eq!(headers("kz/kk/people/p1/index.html"), ("text/html; charset=utf-8", "public, max-age=300"));
    assert_eq!(headers("kz/style.css"), ("text/css; charset=utf-8", "public, max-age=3600"));
    let page = String::from_utf8(objects["kz/en/index.html"].0.clone()).unwrap();
    let linked = page.split("rel=\"stylesheet\" href=\"/kz/").nth(1).unwrap().split('"').next().unwrap();
    assert_ne!(linked, "style.css", "pages link the content-addressed stylesheet");
    assert_eq!(headers(&format!("kz/{linked}")), ("text/css; charset=utf-8", "public, max-age=31536000, immutable"));
    assert_eq!(headers("kz/data/records.csv"), ("text/csv; charset=utf-8", "public, max-age=3600"));
    assert_eq!(headers("kz/sitemap.xml").0, "application/xml; charset=utf-8");
    assert_eq!(headers("kz/favicon.svg").0, "image/svg+xml; charset=utf-8");
    let changed = fs::read_to_string(f.root().join(".esim/deploy/test.changed.txt")).unwrap();
    assert!(changed.lines().any(|l| l == "https://memorial.example.org/kz/en/people/p1/"), "{changed}");

    let second = ok(&deploy(&f, &server, &[]));
    assert_eq!(count(&second, "uploaded"), 0);
    assert_eq!(count(&second, "unchanged"), files);

    // Another machine (no local manifest, no build cache) converges from the
    // bucket's manifest and its own hashes.
    fs::remove_dir_all(f.root().join(".esim")).unwrap();
    let elsewhere = ok(&deploy(&f, &server, &[]));
    assert_eq!(count(&elsewhere, "uploaded"), 0, "{elsewhere}");
}

#[test]
fn after_one_record_edit_only_the_changed_files_are_uploaded() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    ok(&deploy(&f, &server, &[]));
    let before = local(&f.public(), "");

    let mut rows: Vec<String> = (0..6).map(|i| person(&format!("p{i}"), &format!("Фамилия{i}"), "Имя")).collect();
    rows[3] = row(&[
        ("id", "p3"),
        ("surname", "Фамилия3"),
        ("given_name", "Имя"),
        ("region", "KZ-75"),
        ("status", "verified"),
        ("birth_place", "Семипалатинск"),
    ]);
    f.records("people.csv", &rows);
    let summary = f.build().unwrap();
    assert_eq!(summary.kind, esim::BuildKind::Incremental);
    let after = local(&f.public(), "");
    let changed = after.iter().filter(|(k, v)| before.get(*k) != Some(*v)).count();
    assert!(changed > 0 && changed < after.len() / 4, "{changed} of {} files changed", after.len());

    let out = ok(&deploy(&f, &server, &[]));
    assert_eq!(count(&out, "uploaded"), changed, "{out}");
    assert_eq!(count(&out, "deleted"), 0);
    assert_served(&server, &f.public(), "kz/");
}

#[test]
fn removed_pages_are_deleted_but_never_a_ledger_page_nor_more_than_allowed() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    ok(&deploy(&f, &server, &[]));

    for lang in ["kk", "ru", "en"] {
        fs::remove_file(f.root().join(format!("content/essays/gone.{lang}.md"))).unwrap();
    }
    f.build().unwrap();
    let out = ok(&deploy(&f, &server, &[]));
    assert!(count(&out, "deleted") >= 3, "{out}");
    let objects = server.objects();
    assert!(!objects.contains_key("kz/en/essays/gone/index.html"));
    assert_served(&server, &f.public(), "kz/");

    // An output directory missing most of the site: refused, nothing changed.
    let partial = f.root().join("partial");
    common::copy_dir(&f.public(), &partial);
    fs::remove_dir_all(partial.join("ru")).unwrap();
    fs::remove_dir_all(partial.join("en/people/p2")).unwrap();
    let partial_arg = partial.to_str().unwrap();
    let refused = deploy(&f, &server, &["--output", partial_arg, "--max-deletes", "5"]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("refusing to delete") && err.contains("--max-deletes"), "{err}");
    assert_eq!(server.objects(), objects, "nothing changed");

    // Allowed: every page is deleted but the ledger's people's pages.
    let allowed = ok(&deploy(&f, &server, &["--output", partial_arg, "--max-deletes", "100000"]));
    assert!(allowed.contains("kept en/people/p2/index.html"), "{allowed}");
    let objects = server.objects();
    assert!(objects.contains_key("kz/en/people/p2/index.html"), "a ledger page is never deleted");
    assert!(objects.contains_key("kz/ru/people/p4/index.html"), "a ledger page is never deleted");
    assert!(!objects.contains_key("kz/ru/index.html"));
    assert!(!objects.contains_key("kz/ru/regions/index.html"));
}

#[test]
fn a_deploy_killed_half_way_is_finished_by_the_next() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    let all = local(&f.public(), "").len();
    let page = |k: &&String| k.ends_with(".html") || k.ends_with(".xml") || k.as_str() == "robots.txt";
    let rules = |k: &&String| k.as_str() == "_redirects" || k.as_str() == "nginx-redirects.map";
    let assets = local(&f.public(), "").keys().filter(|k| !page(k) && !rules(k)).count();
    // Killed in the pages' phase, after the assets' phase was saved.
    let after = (assets + 5).to_string();
    let abort = [("ESIM_DEPLOY_TEST_ABORT_AFTER", after.as_str())];
    let killed = deploy_with(&f, &server.access_key, &server.secret_key, &[], &abort);
    assert!(!killed.status.success(), "the test hook kills the deploy");
    let partial = server.objects().len();
    assert!((assets + 5..all).contains(&partial), "{partial} objects after the kill");

    let resumed = ok(&deploy(&f, &server, &[]));
    assert_eq!(count(&resumed, "uploaded"), all - assets, "the assets are not uploaded again: {resumed}");
    assert_served(&server, &f.public(), "kz/");
    assert_eq!(count(&ok(&deploy(&f, &server, &[])), "uploaded"), 0);

    // Killed while uploading a change: the objects it may have touched are
    // uploaded again even when the site went back to what the manifest says.
    let style = f.public().join("style.css");
    let original = fs::read(&style).unwrap();
    fs::write(&style, b"body { color: red }\n").unwrap();
    let killed = deploy_with(&f, &server.access_key, &server.secret_key, &[], &[("ESIM_DEPLOY_TEST_ABORT_AFTER", "1")]);
    assert!(!killed.status.success());
    fs::write(&style, &original).unwrap();
    let out = ok(&deploy(&f, &server, &[]));
    assert_eq!(count(&out, "uploaded"), 1, "{out}");
    assert_served(&server, &f.public(), "kz/");
}

#[test]
fn wrong_credentials_or_an_unreachable_endpoint_fail_clearly_and_delete_nothing() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    ok(&deploy(&f, &server, &[]));
    for lang in ["kk", "ru", "en"] {
        fs::remove_file(f.root().join(format!("content/essays/gone.{lang}.md"))).unwrap();
    }
    f.build().unwrap();
    let before = server.objects();

    let wrong = deploy_with(&f, &server.access_key, "not-the-secret", &[], &[]);
    assert_eq!(wrong.status.code(), Some(1));
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(err.contains("s3://site/kz at http://127.0.0.1") && err.contains("403"), "{err}");
    assert_eq!(server.objects(), before, "nothing deleted or uploaded");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    f.config(&format!("\n[deploy.test]\nurl = \"s3://site/kz\"\nendpoint = \"http://127.0.0.1:{closed}\"\n"));
    let started = std::time::Instant::now();
    let unreachable = deploy(&f, &server, &[]);
    assert_eq!(unreachable.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unreachable.stderr);
    assert!(err.contains(&format!("at http://127.0.0.1:{closed}: cannot read")), "{err}");
    assert!(started.elapsed().as_secs() < 60, "retries are bounded");
    assert_eq!(server.objects(), before);

    let missing = deploy_with(&f, "", "", &[], &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no credentials: set AWS_ACCESS_KEY_ID"));
}

#[test]
fn verify_repairs_drift_and_reports_strays() {
    let server = S3Server::start();
    // At the bucket's root: moto miscomputes signatures of listings with a
    // `/` in the prefix, which real stores do not.
    let f = site(&server, "s3://site");
    ok(&deploy(&f, &server, &[]));
    server.delete("kk/index.html");
    server.put("style.css", b"tampered");
    server.put("google1234.html", b"verification");
    assert_eq!(count(&ok(&deploy(&f, &server, &[])), "uploaded"), 0, "without --verify the manifest is trusted");

    let out = ok(&deploy(&f, &server, &["--verify"]));
    assert_eq!(count(&out, "uploaded"), 2, "{out}");
    assert!(out.contains("2 repaired") && out.contains("stray google1234.html"), "{out}");
    let mut objects = server.objects();
    assert!(objects.remove("google1234.html").is_some(), "strays are never deleted");
    assert_eq!(objects["style.css"].0, fs::read(f.public().join("style.css")).unwrap());
    assert_eq!(objects["kk/index.html"].0, fs::read(f.public().join("kk/index.html")).unwrap());
}

#[test]
fn targets_are_checked_in_config() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    f.config("\n[deploy.test]\nurl = \"ftp://host/x\"\ncredentials = \"secret\"\n");
    let out = deploy(&f, &server, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml:") && err.contains("unknown field `credentials`"), "{err}");
    f.config("\n[deploy.test]\nurl = \"ftp://host/x\"\n");
    let err = String::from_utf8_lossy(&deploy(&f, &server, &[]).stderr).into_owned();
    assert!(err.contains("config.toml:11:1: [deploy.test] url \"ftp://host/x\" must be s3://"), "{err}");
}

/// An HTTP endpoint on 127.0.0.1 that answers each request with the next
/// status of `statuses` (the last one repeated) and keeps the bodies it got:
/// IndexNow's protocol, spoken by a real socket.
struct Endpoint {
    port: u16,
    bodies: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Endpoint {
    fn start(statuses: &[u16]) -> Endpoint {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (kept, statuses) = (bodies.clone(), statuses.to_vec());
        std::thread::spawn(move || {
            for (i, stream) in listener.incoming().enumerate() {
                let mut stream = stream.unwrap();
                let mut raw = Vec::new();
                let mut buf = [0u8; 65536];
                // Headers, then as many bytes as Content-Length says.
                let body_start = loop {
                    let n = stream.read(&mut buf).unwrap();
                    raw.extend_from_slice(&buf[..n]);
                    if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                        break p + 4;
                    }
                };
                let head = String::from_utf8_lossy(&raw[..body_start]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse().unwrap())
                    .unwrap_or(0);
                while raw.len() < body_start + length {
                    let n = stream.read(&mut buf).unwrap();
                    raw.extend_from_slice(&buf[..n]);
                }
                kept.lock().unwrap().push(String::from_utf8_lossy(&raw[body_start..]).into_owned());
                let status = statuses[i.min(statuses.len() - 1)];
                write!(stream, "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").unwrap();
            }
        });
        Endpoint { port, bodies }
    }

    fn bodies(&self) -> Vec<serde_json::Value> {
        self.bodies.lock().unwrap().iter().map(|b| serde_json::from_str(b).unwrap()).collect()
    }
}

const KEY: &str = "5f0e1d2c3b4a59687766554433221100";

#[test]
fn changed_pages_are_submitted_to_indexnow_and_a_refused_submission_waits_for_the_next_deploy() {
    let server = S3Server::start();
    let endpoint = Endpoint::start(&[429, 202]);
    let f = site(&server, "s3://site/kz");
    f.config(&format!(
        "\n[deploy.test]\nurl = \"s3://site/kz\"\nendpoint = \"{}\"\nregion = \"us-east-1\"\nindexnow = true\nindexnow_key = \"{KEY}\"\nindexnow_endpoint = \"http://127.0.0.1:{}/indexnow\"\n",
        server.endpoint(),
        endpoint.port
    ));
    f.build().unwrap();
    // The key file proves to the search engines that the site sends it.
    assert_eq!(fs::read_to_string(f.public().join(format!("{KEY}.txt"))).unwrap(), KEY);

    // Uploaded, but IndexNow says "too many requests": exit 1, URLs kept.
    let first = deploy(&f, &server, &[]);
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(1), "{err}");
    assert!(err.contains("429") && err.contains("for the next deploy"), "{err}");
    assert_served(&server, &f.public(), "kz/");
    let pending = f.root().join(".esim/deploy/test.indexnow.txt");
    let waiting = fs::read_to_string(&pending).unwrap();
    assert!(waiting.lines().any(|l| l == "https://memorial.example.org/kz/en/people/p1/"), "{waiting}");
    assert!(!waiting.contains("style.css") && !waiting.contains("404.html"), "pages only: {waiting}");

    // Nothing new to upload; the waiting URLs are sent and accepted.
    let second = ok(&deploy(&f, &server, &[]));
    assert_eq!(count(&second, "uploaded"), 0);
    let bodies = endpoint.bodies();
    assert_eq!(bodies.len(), 2);
    let accepted = &bodies[1];
    assert_eq!(accepted["host"], "memorial.example.org");
    assert_eq!(accepted["key"], KEY);
    assert_eq!(accepted["keyLocation"], format!("https://memorial.example.org/kz/{KEY}.txt"));
    let urls: Vec<&str> = accepted["urlList"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect();
    assert_eq!(urls.len(), waiting.lines().count());
    assert!(second.contains(&format!("{} page URL(s) submitted to IndexNow", urls.len())), "{second}");
    assert!(!pending.exists());

    // After an edit, only the pages that changed are submitted.
    let mut rows: Vec<String> = (0..6).map(|i| person(&format!("p{i}"), &format!("Фамилия{i}"), "Имя")).collect();
    rows[2] = person("p2", "Фамилия2", "Имя Отчество");
    f.records("people.csv", &rows);
    f.build().unwrap();
    ok(&deploy(&f, &server, &[]));
    let last = endpoint.bodies().pop().unwrap();
    let urls: Vec<&str> = last["urlList"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect();
    assert!(urls.contains(&"https://memorial.example.org/kz/ru/people/p2/"), "{urls:?}");
    assert!(!urls.iter().any(|u| u.ends_with("/people/p1/")), "an unchanged page is not submitted: {urls:?}");
}

#[test]
fn indexnow_without_a_key_is_refused_with_one_to_use() {
    let f = Fixture::new(&[person("p1", "Фамилия", "Имя")]);
    f.config("\n[deploy.test]\nurl = \"s3://site/kz\"\nindexnow = true\n");
    let out = f.esim(&["build", "--quiet"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("[deploy.test] indexnow = true needs an indexnow_key: add for example indexnow_key = \""),
        "{err}"
    );
}

#[test]
fn keys_come_from_an_aws_profile_file_when_the_environment_has_none() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    let home = tempfile::tempdir().unwrap();
    fs::create_dir_all(home.path().join(".aws")).unwrap();
    fs::write(
        home.path().join(".aws/credentials"),
        format!("[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[memorial]\naws_access_key_id = {}\naws_secret_access_key = {}\n", server.access_key, server.secret_key),
    )
    .unwrap();
    fs::write(home.path().join(".aws/config"), "[profile memorial]\nregion = us-east-1\n").unwrap();
    let run = |profile: Option<&str>| {
        let root = f.root().to_str().unwrap().to_string();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_esim"));
        cmd.args(["deploy", "--root", &root]).env("HOME", home.path());
        for var in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_CONFIG_FILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
        ] {
            cmd.env_remove(var);
        }
        if let Some(p) = profile {
            cmd.env("AWS_PROFILE", p);
        }
        cmd.output().unwrap()
    };
    let out = ok(&run(Some("memorial")));
    assert!(out.contains("(AWS profile memorial)"), "{out}");
    assert_served(&server, &f.public(), "kz/");

    // The default profile's wrong keys are refused by the server: exit 1.
    let wrong = run(None);
    assert_eq!(wrong.status.code(), Some(1));
    let wrong = run(Some("absent"));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("AWS_PROFILE=absent: no [absent] in"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
}

#[test]
fn text_is_stored_gzipped_from_the_builds_copies_and_the_copies_are_not_uploaded() {
    use std::io::Read;
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    let table = format!(
        "\n[build]\nprecompress = [\"gzip\"]\n\n[deploy.test]\nurl = \"s3://site/kz\"\nendpoint = \"{}\"\nregion = \"us-east-1\"\ncontent_encoding = \"gzip\"\n",
        server.endpoint()
    );
    f.config(&table);
    f.build().unwrap();
    assert!(f.public().join("kk/people/p1/index.html.gz").exists());
    let first = ok(&deploy(&f, &server, &[]));
    let objects = server.objects();
    assert!(!objects.keys().any(|k| k.ends_with(".gz")), "the copies are not objects of their own");
    let (stored, encoding) = server.encoded("kz/kk/people/p1/index.html");
    assert_eq!(encoding, "gzip");
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&stored[..]).read_to_end(&mut plain).unwrap();
    assert_eq!(plain, fs::read(f.public().join("kk/people/p1/index.html")).unwrap());
    assert_eq!(objects["kz/kk/people/p1/index.html"].1, "text/html; charset=utf-8");
    // A file without a copy (under 1 KB) is stored as it is.
    assert_eq!(server.encoded("kz/robots.txt"), (fs::read(f.public().join("robots.txt")).unwrap(), String::new()));
    assert!(count(&first, "uploaded") > 0);
    assert_eq!(count(&ok(&deploy(&f, &server, &[])), "uploaded"), 0, "nothing changed, nothing sent");

    // Without precompress in [build], the target's setting is refused.
    f.config(&table.replace("precompress = [\"gzip\"]", "precompress = []"));
    let out = f.esim(&["build", "--quiet"]);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("content_encoding = \"gzip\" sends the copies of [build] precompress"));
}

/// The stylesheet the pages link (its content-addressed name).
fn linked_stylesheet(dir: &Path) -> String {
    let page = fs::read_to_string(dir.join("en/index.html")).unwrap();
    page.split("rel=\"stylesheet\" href=\"/kz/").nth(1).unwrap().split('"').next().unwrap().to_string()
}

#[test]
fn a_changed_theme_asset_keeps_its_old_name_a_day_for_pages_cached_before() {
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    let at = |t: u64| t.to_string();
    let deploy_at = |t: u64| {
        deploy_with(&f, &server.access_key, &server.secret_key, &[], &[("ESIM_DEPLOY_TEST_NOW", at(t).as_str())])
    };
    ok(&deploy_at(1_000_000));
    let old = linked_stylesheet(&f.public());

    let css = f.root().join("themes/default/static/style.css");
    let mut text = fs::read_to_string(&css).unwrap();
    text.push_str("\n.changed { color: inherit }\n");
    fs::write(&css, text).unwrap();
    f.build().unwrap();
    let new = linked_stylesheet(&f.public());
    assert_ne!(new, old);
    assert!(!f.public().join(&old).exists(), "the build keeps only the current name");

    let out = ok(&deploy_at(1_000_100));
    assert!(out.contains("kept 1 retired asset(s)"), "{out}");
    let objects = server.objects();
    assert!(objects.contains_key(&format!("kz/{old}")), "a page cached before still finds its stylesheet");
    assert!(objects.contains_key(&format!("kz/{new}")));

    // Still kept within the day, deleted after it.
    let out = ok(&deploy_at(1_000_100 + 3600));
    assert_eq!(count(&out, "deleted"), 0, "{out}");
    let out = ok(&deploy_at(1_000_100 + 24 * 3600));
    assert_eq!(count(&out, "deleted"), 1, "{out}");
    assert_served(&server, &f.public(), "kz/");
}

/// A publisher behind a proxy sets `AWS_PROXY_URL`, as object_store reads it:
/// esim's own timeouts must not throw it away. The "proxy" here answers every
/// request with 502 and records the request lines it was sent.
#[test]
fn the_proxy_named_in_the_environment_is_used() {
    use std::io::{Read, Write};
    let server = S3Server::start();
    let f = site(&server, "s3://site/kz");
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in proxy.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut head = [0u8; 2048];
            let n = stream.read(&mut head).unwrap_or(0);
            let text = String::from_utf8_lossy(&head[..n]);
            record.lock().unwrap().push(text.lines().next().unwrap_or("").to_string());
            let _ = stream.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    let out = deploy_with(&f, &server.access_key, &server.secret_key, &[], &[("AWS_PROXY_URL", &proxy_url)]);
    assert_eq!(out.status.code(), Some(1), "the proxy refused everything: {}", String::from_utf8_lossy(&out.stdout));
    let seen = seen.lock().unwrap();
    let target = format!("{}/site/kz/", server.endpoint());
    assert!(
        seen.iter().any(|line| line.contains(&target)),
        "the requests went through the proxy, addressed to the store: {seen:?}"
    );
    assert!(server.objects().is_empty(), "nothing reached the store past the proxy");
}
