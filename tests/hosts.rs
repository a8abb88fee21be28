//! `esim check --host`: the limits of static hosts against a built site.

use std::process::Command;

fn esim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_esim")).args(args).output().unwrap()
}

#[test]
fn a_site_over_a_hosts_file_limit_is_reported_with_its_figures_and_the_hosts_it_fits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let root_arg = root.to_str().unwrap();
    let from = env!("CARGO_MANIFEST_DIR");
    // 5,000 people: three pages each, over Vercel's 15,000 files, under every
    // other limit (Cloudflare's free plan's 20,000 files too).
    assert!(esim(&["fixture", "--people", "5000", "--out", root_arg, "--from", from]).status.success());
    assert!(esim(&["build", "--quiet", "--root", root_arg]).status.success());

    let out = esim(&["check", "--root", root_arg, "--host", "vercel"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let files = walkdir::WalkDir::new(root.join("public"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count()
        - 1;
    let figure = format!("{},{:03}", files / 1000, files % 1000);
    assert!(err.contains("does not fit Vercel"), "{err}");
    assert!(err.contains(&format!("vercel: {figure} files, more than the 15,000 allowed")), "{err}");
    assert!(err.contains("it fits: github-pages, cloudflare-pages, gitlab-pages, netlify, s3"), "{err}");

    let out = esim(&["check", "--root", root_arg, "--host", "cloudflare-pages"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains(&format!("the site fits Cloudflare Pages (free plan; 100,000 files on paid plans): {figure} files")));

    let out = esim(&["check", "--root", root_arg, "--host", "geocities"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown host \"geocities\": one of github-pages"));
}
