//! `esim deploy` to Google Cloud Storage (`gs://`). No emulator that installs
//! from the package registries takes the uploads of object_store's GCS client
//! (XML-API `PUT /BUCKET/OBJECT`; see README.md, `esim deploy`), so uploads to
//! gs:// are not tested here. What is: the target, its credentials and its
//! address come from the standard variables, and a store that cannot be
//! reached fails clearly, changing nothing.

mod common;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{person, Fixture};

/// A service account key as object_store takes one for an emulator: no OAuth
/// (no token is asked of Google, nor of a metadata server), and the address.
fn key_for(base_url: &str) -> String {
    format!(
        r#"{{"gcs_base_url": "{base_url}", "disable_oauth": true, "client_email": "", "private_key": "", "private_key_id": ""}}"#
    )
}

fn deploy(f: &Fixture, key: &str) -> Output {
    let root = f.root().to_str().unwrap().to_string();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esim"));
    cmd.args(["deploy", "--root", &root]);
    // Only the key below: no credentials of the machine, no metadata server.
    for (var, _) in std::env::vars().filter(|(k, _)| k.starts_with("GOOGLE_") || k.starts_with("GCE_")) {
        cmd.env_remove(var);
    }
    cmd.env_remove("SERVICE_ACCOUNT").env("HOME", f.root()).env("GOOGLE_SERVICE_ACCOUNT_KEY", key);
    cmd.output().unwrap()
}

#[test]
fn an_unreachable_google_cloud_storage_fails_clearly_and_changes_nothing() {
    let f = Fixture::new(&(0..3).map(|i| person(&format!("p{i}"), &format!("Фамилия{i}"), "Имя")).collect::<Vec<_>>());
    f.config("\n[deploy.gcs]\nurl = \"gs://site/kz\"\n");
    f.build().unwrap();
    let before = common::snapshot(f.root());

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = Instant::now();
    let out = deploy(&f, &key_for(&format!("http://127.0.0.1:{closed}")));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // The target, what it was doing, and the address it could not reach (not
    // an http client's "builder error": plain http is allowed for a named address).
    assert!(err.contains("gs://site/kz: cannot read .esim-deploy/manifest.txt"), "{err}");
    assert!(err.contains(&format!("http://127.0.0.1:{closed}/site/")) && !err.contains("builder error"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(60), "retries are bounded");
    assert!(common::snapshot(f.root()) == before, "nothing written, nothing deleted");
}
