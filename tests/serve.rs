//! `esim serve`: the binary is started on a copy of the sample site, files are
//! changed on disk, and what it serves over HTTP follows them; a broken input
//! leaves the last good site served and reports the error.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

const PERSON: &str = "en/people/tynyshpaev-mukhamedzhan/";
const BIOGRAPHY: &str = "content/people/tynyshpaev-mukhamedzhan.en.md";
const RECORDS: &str = "data/records/other.csv";
/// The rehabilitation date of the first row of other.csv.
const GOOD_DATE: &str = ",1999-06-07,";
const BAD_DATE: &str = ",1999-13-07,";

/// A copy of the sample site's inputs in a temporary directory.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_root();
    for sub in ["data", "content", "themes"] {
        copy_dir(&sample.join(sub), &dir.path().join(sub));
    }
    fs::copy(sample.join("config.toml"), dir.path().join("config.toml")).unwrap();
    dir
}

/// A running `esim serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    /// The served path with slashes: `/kz/`.
    path: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>, lines: Option<mpsc::Sender<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            into.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(tx) = &lines {
                let _ = tx.send(line);
            }
        }
    });
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_esim"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        collect(child.stdout.take().unwrap(), stdout.clone(), Some(tx));
        collect(child.stderr.take().unwrap(), stderr.clone(), None);
        let mut server = Server { child, port: 0, path: String::new(), stdout, stderr };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.port == 0 {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no serving line; stderr:\n{}", server.stderr.lock().unwrap()));
            // esim: serving http://127.0.0.1:PORT/sub/path/ (Ctrl+C to stop)
            if let Some(rest) = line.strip_prefix("esim: serving http://127.0.0.1:") {
                let rest = rest.strip_suffix(" (Ctrl+C to stop)").expect("the serving line's end");
                let (port, path) = rest.split_at(rest.find('/').expect("a path"));
                server.port = port.parse().unwrap();
                server.path = path.to_string();
            }
        }
        server
    }

    /// GET a path relative to the served path.
    fn get(&self, rel: &str) -> Response {
        self.get_raw(&format!("{}{rel}", self.path))
    }

    fn get_raw(&self, target: &str) -> Response {
        get(self.port, target)
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("__esim/status").body).unwrap()
    }

    fn generation(&self) -> u64 {
        self.status()["generation"].as_u64().unwrap()
    }

    fn error(&self) -> Option<String> {
        self.status()["error"].as_str().map(str::to_string)
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A hand-written HTTP/1.0 GET: the target is sent exactly as given (no
/// client normalizes `..` away).
fn get(port: u16, target: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Response { status, head: head.to_string(), body: body.to_string() }
}

/// Polls `f` until it is true, for at most 30 s.
fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append(root: &Path, rel: &str, text: &str) {
    let mut file = fs::OpenOptions::new().append(true).open(root.join(rel)).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

fn served_file(root: &Path, rel: &str) -> PathBuf {
    root.join(".esim/serve").join(rel)
}

#[test]
fn changes_are_served_and_a_broken_input_keeps_the_last_good_site() {
    let site = sample_copy();
    let root = site.path();
    let ledger = fs::read(root.join("data/published.txt")).unwrap();
    let server = Server::start(root);
    assert_eq!(server.path, "/kz/", "the path of the sample site's base_url");
    assert_eq!(server.generation(), 1);

    let page = server.get(PERSON);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("Content-Type").as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(page.header("Cache-Control").as_deref(), Some("no-store"));
    assert!(page.body.contains("Tynyshpaev"));
    assert!(page.body.contains("esim serve: live reload"), "the script is injected into served HTML");
    assert!(page.body.contains("/kz/__esim/events"));
    let script_at = page.body.find("<script>/* esim serve").unwrap();
    assert!(page.body[script_at..].contains("</body>"), "the script is in the body");
    let on_disk = fs::read_to_string(served_file(root, &format!("{PERSON}index.html"))).unwrap();
    assert!(!on_disk.contains("esim serve"), "never in the files on disk");
    assert!(on_disk.contains("http://127.0.0.1:"), "built for the local server's URL");

    // An edited biography is served.
    append(root, BIOGRAPHY, "\nServe test: a paragraph added while serving.\n");
    wait_for("the edited biography", || server.get(PERSON).body.contains("Serve test: a paragraph added"));
    // The site is swapped in a moment before the build is counted.
    wait_for("the second build", || server.generation() >= 2);
    let good = server.generation();
    assert!(server.stdout.lock().unwrap().contains("esim: rebuilt in "));

    // A bad date: the error with its place, and the last good site stays.
    edit(root, RECORDS, GOOD_DATE, BAD_DATE);
    wait_for("the build error", || server.error().is_some());
    let error = server.error().unwrap();
    assert!(error.contains("data/records/other.csv:2:"), "{error}");
    assert!(error.contains("there is no month 13"), "{error}");
    assert_eq!(server.generation(), good, "no new site");
    let page = server.get(PERSON);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Serve test: a paragraph added"), "the last good site is served");
    assert!(page.body.contains("there is no month 13"), "the page's script carries the error");
    assert!(page.body.contains(r#"\"1999-13-07\": there is no month 13"#), "the error is JSON in the script");
    wait_for("the error in the terminal", || server.stderr.lock().unwrap().contains("there is no month 13"));

    // Fixed: a new build is served.
    edit(root, RECORDS, BAD_DATE, GOOD_DATE);
    wait_for("the fixed build", || server.error().is_none() && server.generation() > good);
    assert!(!server.get(PERSON).body.contains("there is no month 13"));

    assert_eq!(fs::read(root.join("data/published.txt")).unwrap(), ledger, "the ledger is never touched");
    assert!(!root.join("public").exists(), "public/ is never written");
}

/// Reads an event stream until `want` appears in it.
fn read_until(stream: &mut TcpStream, seen: &mut String, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut buf = [0u8; 4096];
    while !seen.contains(want) {
        assert!(Instant::now() < deadline, "timed out waiting for {want:?} in {seen}");
        match stream.read(&mut buf) {
            Ok(0) => panic!("the event stream ended: {seen}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("{e}"),
        }
    }
}

fn events(server: &Server, since: u64) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    write!(stream, "GET {}__esim/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", server.path).unwrap();
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "\r\n\r\n");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(seen.to_ascii_lowercase().contains("content-type: text/event-stream"), "{seen}");
    (stream, seen)
}

#[test]
fn the_event_stream_announces_reloads_and_errors() {
    let site = sample_copy();
    let root = site.path();
    let server = Server::start(root);

    // A page of an older build is told to reload at once.
    let (mut old, mut seen) = events(&server, 0);
    read_until(&mut old, &mut seen, "event: reload\ndata: 1\n");

    let (mut stream, mut seen) = events(&server, 1);
    append(root, BIOGRAPHY, "\nAnother paragraph.\n");
    read_until(&mut stream, &mut seen, "event: reload\ndata: 2\n");

    let (mut stream, mut seen) = events(&server, 2);
    edit(root, RECORDS, GOOD_DATE, BAD_DATE);
    read_until(&mut stream, &mut seen, "event: build-error\ndata: \"");
    read_until(&mut stream, &mut seen, "\n\n");
    let data = seen.lines().find_map(|l| l.strip_prefix("data: \"")).unwrap();
    let error: String = serde_json::from_str(&format!("\"{data}")).unwrap();
    assert!(error.contains("data/records/other.csv:2:") && error.contains("no month 13"), "{error}");

    // A page opened while the build is broken hears of the error at once.
    let (mut late, mut late_seen) = events(&server, 2);
    read_until(&mut late, &mut late_seen, "event: build-error");

    edit(root, RECORDS, BAD_DATE, GOOD_DATE);
    read_until(&mut stream, &mut seen, "event: reload\ndata: 3\n");
    read_until(&mut late, &mut late_seen, "event: reload\ndata: 3\n");
}

#[test]
fn not_found_traversal_and_sub_path() {
    let site = sample_copy();
    let root = site.path();
    fs::write(root.join("secret.txt"), "not for the browser").unwrap();
    let server = Server::start(root);

    let missing = server.get("en/no-such-page/");
    assert_eq!(missing.status, 404);
    let not_found_page = fs::read_to_string(served_file(root, "404.html")).unwrap();
    let title = not_found_page.split("<title>").nth(1).unwrap().split("</title>").next().unwrap();
    assert!(missing.body.contains(title), "the site's 404 page");
    assert!(missing.body.contains("esim serve: live reload"));

    for target in [
        "/kz/../secret.txt",
        "/kz/../../../../../../etc/passwd",
        "/kz/%2e%2e/secret.txt",
        "/kz/%2E%2E%2Fsecret.txt",
        "/kz/en/..%2f..%2fsecret.txt",
        "/kz/..\\secret.txt",
    ] {
        let r = server.get_raw(target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.body.contains("not for the browser") && !r.body.contains("root:"), "{target}");
    }

    // Outside the sub-path: only the bare root leads to it.
    assert_eq!(server.get_raw("/en/").status, 404);
    assert_eq!(server.get_raw("/kzen/").status, 404);
    let root_page = server.get_raw("/");
    assert_eq!(root_page.status, 302);
    assert_eq!(root_page.header("Location").as_deref(), Some("/kz/"));
    // A directory without its slash.
    let dir = server.get("en");
    assert_eq!(dir.status, 302);
    assert_eq!(dir.header("Location").as_deref(), Some("/kz/en/"));

    for (rel, content_type) in [
        ("", "text/html; charset=utf-8"),
        ("data/records.csv", "text/csv; charset=utf-8"),
        ("data/records.jsonl", "application/jsonl; charset=utf-8"),
        ("sitemap.xml", "application/xml"),
        ("robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = server.get(rel);
        assert_eq!(r.status, 200, "{rel}");
        assert_eq!(r.header("Content-Type").as_deref(), Some(content_type), "{rel}");
        assert_eq!(r.body.contains("esim serve: live reload"), rel.is_empty(), "{rel}: script only in HTML");
    }
    let css =
        fs::read_dir(served_file(root, "")).unwrap().flatten().find(|e| e.path().extension() == Some("css".as_ref()));
    if let Some(css) = css {
        let name = css.file_name().into_string().unwrap();
        assert_eq!(server.get(&name).header("Content-Type").as_deref(), Some("text/css; charset=utf-8"));
    }
}

#[test]
fn a_base_url_path_of_the_config_is_served() {
    let site = sample_copy();
    let root = site.path();
    edit(root, "config.toml", "https://memorial.example.org/kz", "https://example.org/memorial/book/");
    let server = Server::start(root);
    assert_eq!(server.path, "/memorial/book/");
    let home = server.get("en/");
    assert_eq!(home.status, 200);
    let canonical = format!("http://127.0.0.1:{}/memorial/book/en/", server.port);
    assert!(home.body.contains(&canonical), "absolute URLs are the local server's");
    assert!(home.body.contains("href=\"/memorial/book/en/"), "links carry the path");
    assert_eq!(server.get_raw("/kz/en/").status, 404);
    assert_eq!(server.get_raw("/memorial/en/").status, 404);
}

#[test]
fn a_failed_first_build_shows_its_error_until_fixed() {
    let site = sample_copy();
    let root = site.path();
    edit(root, RECORDS, GOOD_DATE, BAD_DATE);
    let server = Server::start(root);
    assert_eq!(server.generation(), 0);
    let page = server.get(PERSON);
    assert_eq!(page.status, 500);
    assert!(page.body.contains("data/records/other.csv:2:"), "{}", page.body);
    assert!(page.body.contains("esim serve: live reload"));
    wait_for("the error in the terminal", || server.stderr.lock().unwrap().contains("there is no month 13"));

    edit(root, RECORDS, BAD_DATE, GOOD_DATE);
    wait_for("the fixed build", || server.get(PERSON).status == 200);
    assert_eq!(server.generation(), 1);
}
