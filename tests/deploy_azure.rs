//! `esim deploy` to Azure Blob Storage, against a real server: Azurite,
//! Microsoft's Azure Storage emulator (npm `azurite`, installed by tests/run.sh
//! into tests/e2e/node_modules), on 127.0.0.1 with its shared-key
//! authentication. The container is created with Microsoft's Python client
//! (pip `azure-storage-blob`, tests/support/azure_container.py); what the
//! store holds is read back with object_store's Azure client.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{person, row, Fixture};
use futures::TryStreamExt;
use object_store::azure::{MicrosoftAzure, MicrosoftAzureBuilder};
use object_store::{Attribute, ObjectStore, ObjectStoreExt};

const CONTAINER: &str = "site";
/// Azurite's documented development account and key (the same everywhere).
const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

struct Azurite {
    child: Child,
    endpoint: String,
}

impl Azurite {
    fn start() -> Azurite {
        let bin = common::sample_root().join("tests/e2e/node_modules/.bin/azurite-blob");
        assert!(bin.exists(), "{} is missing: tests/run.sh installs it (npm ci --prefix tests/e2e)", bin.display());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&bin)
            .args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string()])
            .args(["--inMemoryPersistence", "--silent", "--disableTelemetry", "--skipApiVersionCheck"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
        let server = Azurite { child, endpoint: format!("http://127.0.0.1:{port}/{ACCOUNT}") };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "Azurite did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        let script = common::sample_root().join("tests/support/azure_container.py");
        let made = Command::new("python3").arg(&script).args([&server.endpoint, CONTAINER]).output().unwrap();
        assert!(
            made.status.success(),
            "cannot create the container (tests/run.sh installs `pip install azure-storage-blob`):\n{}",
            String::from_utf8_lossy(&made.stderr)
        );
        server
    }

    fn client(&self) -> MicrosoftAzure {
        MicrosoftAzureBuilder::new()
            .with_account(ACCOUNT)
            .with_access_key(KEY)
            .with_container_name(CONTAINER)
            .with_endpoint(self.endpoint.clone())
            .with_allow_http(true)
            .build()
            .unwrap()
    }

    /// Every blob with its bytes, content type, cache control and encoding.
    fn objects(&self) -> BTreeMap<String, (Vec<u8>, String, String, String)> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let az = self.client();
            let metas: Vec<_> = az.list(None).try_collect().await.unwrap();
            let mut out = BTreeMap::new();
            for meta in metas {
                let got = az.get(&meta.location).await.unwrap();
                let attr = |a| got.attributes.get(&a).map(|v| v.to_string()).unwrap_or_default();
                let headers =
                    (attr(Attribute::ContentType), attr(Attribute::CacheControl), attr(Attribute::ContentEncoding));
                let bytes = got.bytes().await.unwrap().to_vec();
                out.insert(meta.location.to_string(), (bytes, headers.0, headers.1, headers.2));
            }
            out
        })
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn essay(slug: &str, lang: &str) -> String {
    format!("+++\ntitle = \"Essay {slug} {lang}\"\ndate = 2025-01-02\nauthors = [\"editors\"]\nsummary = \"About {slug}.\"\nweight = 1\n+++\n\nText of {slug}.\n")
}

fn rows() -> Vec<String> {
    (0..6).map(|i| person(&format!("p{i}"), &format!("Фамилия{i}"), "Имя")).collect()
}

/// A small site with an essay in three languages and the target `az`.
fn site(server: &Azurite) -> Fixture {
    let f = Fixture::new(&rows());
    f.config(&format!("\n[deploy.az]\nurl = \"az://{CONTAINER}/kz\"\nendpoint = \"{}\"\n", server.endpoint));
    for lang in ["kk", "ru", "en"] {
        f.write(&format!("content/essays/gone.{lang}.md"), &essay("gone", lang));
    }
    f.build().unwrap();
    f
}

fn deploy(f: &Fixture, key: &str) -> Output {
    let root = f.root().to_str().unwrap().to_string();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esim"));
    cmd.args(["deploy", "--root", &root]);
    for (var, _) in std::env::vars().filter(|(k, _)| k.starts_with("AZURE_") || k.starts_with("AZURITE_")) {
        cmd.env_remove(var);
    }
    cmd.env("AZURE_STORAGE_ACCOUNT_NAME", ACCOUNT).env("AZURE_STORAGE_ACCOUNT_KEY", key);
    cmd.output().unwrap()
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "esim deploy failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The number after `word` in the summary line (`uploaded 12`).
fn count(stdout: &str, word: &str) -> usize {
    let line = stdout.lines().find(|l| l.starts_with("esim: deploy")).unwrap_or_else(|| panic!("{stdout}"));
    let after = line.split(&format!(" {word} ")).nth(1).unwrap_or_else(|| panic!("no {word:?} in {line}"));
    after.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
}

/// The container holds exactly the local site under `kz/`, and the manifest.
fn assert_served(server: &Azurite, dir: &Path) {
    let served: BTreeMap<String, Vec<u8>> = server
        .objects()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("kz/.esim-deploy/"))
        .map(|(k, (b, ..))| (k, b))
        .collect();
    let local: BTreeMap<String, Vec<u8>> = common::snapshot(dir)
        .into_iter()
        .filter(|(rel, _)| rel.as_os_str() != ".esim-output")
        .map(|(rel, bytes)| (format!("kz/{}", rel.to_string_lossy()), bytes))
        .collect();
    assert_eq!(served.keys().collect::<Vec<_>>(), local.keys().collect::<Vec<_>>());
    for (key, bytes) in &local {
        assert!(served[key] == *bytes, "{key}: the stored blob differs from the local file");
    }
}

#[test]
fn a_site_goes_to_azure_blob_storage_with_its_headers_and_then_only_its_changes() {
    let server = Azurite::start();
    let f = site(&server);
    let files = common::snapshot(&f.public()).len() - 1;

    let first = ok(&deploy(&f, KEY));
    assert_eq!(count(&first, "uploaded"), files, "{first}");
    assert_served(&server, &f.public());
    let objects = server.objects();
    let headers = |key: &str| (objects[key].1.as_str(), objects[key].2.as_str());
    assert_eq!(headers("kz/kk/people/p1/index.html"), ("text/html; charset=utf-8", "public, max-age=300"));
    assert_eq!(headers("kz/style.css"), ("text/css; charset=utf-8", "public, max-age=3600"));
    assert!(objects.contains_key("kz/.esim-deploy/manifest.txt"), "the manifest is in the container");

    assert_eq!(count(&ok(&deploy(&f, KEY)), "uploaded"), 0, "nothing changed");

    // One record edited, one essay removed: only what changed goes.
    let mut rows = rows();
    rows[3] = row(&[
        ("id", "p3"),
        ("surname", "Фамилия3"),
        ("given_name", "Имя"),
        ("region", "KZ-75"),
        ("status", "verified"),
        ("birth_place", "Семипалатинск"),
    ]);
    f.records("people.csv", &rows);
    for lang in ["kk", "ru", "en"] {
        fs::remove_file(f.root().join(format!("content/essays/gone.{lang}.md"))).unwrap();
    }
    f.build().unwrap();
    let out = ok(&deploy(&f, KEY));
    let uploaded = count(&out, "uploaded");
    assert!(uploaded > 0 && uploaded < files / 4, "{uploaded} of {files}: {out}");
    assert!(count(&out, "deleted") >= 3, "the essay's three pages, and its words in the index: {out}");
    assert_served(&server, &f.public());
    assert!(!server.objects().contains_key("kz/en/essays/gone/index.html"));

    // Another machine converges from the container's manifest.
    fs::remove_dir_all(f.root().join(".esim")).unwrap();
    assert_eq!(count(&ok(&deploy(&f, KEY)), "uploaded"), 0);
}

#[test]
fn a_wrong_account_key_fails_clearly_and_changes_nothing() {
    let server = Azurite::start();
    let f = site(&server);
    ok(&deploy(&f, KEY));
    for lang in ["kk", "ru", "en"] {
        fs::remove_file(f.root().join(format!("content/essays/gone.{lang}.md"))).unwrap();
    }
    f.build().unwrap();
    let before = server.objects();
    let wrong_key = "bm90LXRoZS1rZXktbm90LXRoZS1rZXktbm90LXRoZS1rZXktbm90LXRoZS1rZXk=";
    let out = deploy(&f, wrong_key);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("az://{CONTAINER}/kz at {}", server.endpoint)) && err.contains("403"), "{err}");
    assert_eq!(server.objects(), before, "nothing deleted or uploaded");
}
