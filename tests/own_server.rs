//! The README's "own web server" section, run for real: its nginx
//! configuration serves a built site (Debian's nginx, installed by
//! tests/run.sh), and its rsync command copies a build and then only what an
//! edit changed.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{person, Fixture};

/// The fenced block of `lang` in the README section titled `title`.
fn readme_block(title: &str, lang: &str) -> String {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme.split(&format!("### {title}\n")).nth(1).unwrap_or_else(|| panic!("README has ### {title}"));
    let section = section.split("\n## ").next().unwrap();
    let fence = format!("```{lang}\n");
    let start = section.find(&fence).unwrap_or_else(|| panic!("README's {title} has a {lang} block")) + fence.len();
    section[start..].split("\n```").next().unwrap().to_string()
}

const SECTION: &str = "Your own web server: nginx and rsync";

/// A site with a merged record: `p2` was merged into `p1`.
fn site() -> Fixture {
    let f = Fixture::new(&[person("p1", "Абенов", "Ахмет"), person("p3", "Беков", "Серик")]);
    let config = fs::read_to_string(f.root().join("config.toml")).unwrap();
    f.write("config.toml", &config.replace("https://memorial.example.org/kz", "https://memorial.example.kz/"));
    f.write("data/redirects.csv", "from,to\np2,p1\n");
    f
}

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nginx_binary() -> &'static str {
    if Path::new("/usr/sbin/nginx").exists() {
        "/usr/sbin/nginx"
    } else {
        "nginx"
    }
}

/// Starts nginx in the foreground with the README's configuration, pointed at
/// `webroot` and listening on a free local port.
fn start_nginx(dir: &Path, webroot: &Path) -> (Nginx, u16) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let block = readme_block(SECTION, "nginx")
        .replace("/srv/memorial", webroot.to_str().unwrap())
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"));
    assert!(block.contains(&format!("listen 127.0.0.1:{port};")), "the README's server listens on port 80");
    let temp = dir.join("nginx-temp");
    fs::create_dir_all(&temp).unwrap();
    let t = temp.display();
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {t}/nginx.pid;\nerror_log {t}/error.log warn;\nevents {{}}\nhttp {{\n\
         include /etc/nginx/mime.types;\naccess_log off;\nclient_body_temp_path {t}/body;\nproxy_temp_path {t}/proxy;\n\
         fastcgi_temp_path {t}/fastcgi;\nuwsgi_temp_path {t}/uwsgi;\nscgi_temp_path {t}/scgi;\n{block}\n}}\n"
    );
    let conf_path = dir.join("nginx.conf");
    fs::write(&conf_path, conf).unwrap();
    let test = Command::new(nginx_binary()).args(["-t", "-q", "-p"]).arg(&temp).arg("-c").arg(&conf_path).output();
    let test = test.expect("nginx is installed (tests/run.sh installs Debian's nginx)");
    assert!(test.status.success(), "nginx -t: {}", String::from_utf8_lossy(&test.stderr));
    let child = Command::new(nginx_binary())
        .arg("-p")
        .arg(&temp)
        .arg("-c")
        .arg(&conf_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let nginx = Nginx(child);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nginx did not start: {}",
            fs::read_to_string(temp.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (nginx, port)
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request that asks the server to close the connection after it
/// (nginx compresses only for HTTP/1.1 by default).
fn get(port: u16, path: &str, extra: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: memorial.example.kz\r\nConnection: close\r\n{extra}\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines.filter_map(|l| l.split_once(": ")).map(|(n, v)| (n.to_string(), v.to_string())).collect();
    Response { status, headers, body: raw[split + 4..].to_vec() }
}

#[test]
fn the_readmes_nginx_configuration_serves_the_site_as_built() {
    let f = site();
    let built = f.esim(&["build", "--quiet"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let (_nginx, port) = start_nginx(f.root(), &f.public());

    let home = get(port, "/kk/", "");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.body, fs::read(f.public().join("kk/index.html")).unwrap());
    assert_eq!(home.header("cache-control"), Some("max-age=300"));

    let person = get(port, "/ru/people/p1/", "");
    assert_eq!(person.status, 200);
    assert!(person.text().contains("Абенов"));

    // The merged record's URLs answer with a permanent redirect to the survivor.
    for old in ["/ru/people/p2/", "/ru/people/p2/index.html", "/en/people/p2/"] {
        let r = get(port, old, "");
        assert_eq!(r.status, 301, "{old}");
        let location = r.header("location").unwrap();
        assert!(location.ends_with(&old.replace("p2", "p1").replace("index.html", "")), "{old} → {location}");
    }

    let missing = get(port, "/kk/people/nobody/", "");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, fs::read(f.public().join("404.html")).unwrap());

    for (path, kind) in [
        ("/data/records.csv", "text/csv; charset=utf-8"),
        ("/data/records.jsonl", "application/jsonl; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = get(port, path, "");
        assert_eq!((r.status, r.header("content-type")), (200, Some(kind)), "{path}");
    }
    let r = get(port, "/style.css", "");
    assert_eq!(
        (r.status, r.header("content-type"), r.header("cache-control")),
        (200, Some("text/css; charset=utf-8"), Some("max-age=3600"))
    );
    // The stylesheet as pages link it: content-addressed, cached for good.
    let page = fs::read_to_string(f.public().join("kk/index.html")).unwrap();
    let linked = page.split("rel=\"stylesheet\" href=\"/").nth(1).unwrap().split('"').next().unwrap();
    assert_ne!(linked, "style.css");
    let r = get(port, &format!("/{linked}"), "");
    assert_eq!(
        (r.status, r.header("content-type"), r.header("cache-control")),
        (200, Some("text/css; charset=utf-8"), Some("public, max-age=31536000, immutable"))
    );

    // Compressed on the fly for a client that accepts it.
    let gz = get(port, "/kk/", "Accept-Encoding: gzip\r\n");
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
}

#[test]
fn the_readmes_rsync_command_copies_only_what_an_edit_changed() {
    let f = site();
    assert!(f.esim(&["build", "--quiet"]).status.success());
    let server = tempfile::tempdir().unwrap();
    let webroot = server.path().join("memorial");
    fs::create_dir_all(&webroot).unwrap();
    let command = readme_block(SECTION, "sh");
    let rsync = |label: &str| -> Vec<String> {
        let cmd = command
            .trim()
            .replace("public/", &format!("{}/", f.public().display()))
            .replace("memorial@server:/srv/memorial/", &format!("{}/", webroot.display()));
        assert!(cmd.starts_with("rsync "), "{cmd}");
        let out = Command::new("sh").arg("-c").arg(format!("{cmd} --itemize-changes")).output().expect("rsync runs");
        assert!(out.status.success(), "{label}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with(">f") || l.starts_with("*deleting"))
            .map(String::from)
            .collect()
    };
    let first = rsync("first copy");
    assert!(first.len() > 20, "every file is copied the first time: {first:?}");
    assert_eq!(differences(&webroot, &f.public()), Vec::<String>::new());

    // A record edit, an incremental build, the same command. rsync compares
    // modification times to the second: an editor's next build is later than
    // that, and so is this one.
    std::thread::sleep(Duration::from_millis(1100));
    let records = fs::read_to_string(f.root().join("data/records/people.csv")).unwrap();
    f.write("data/records/people.csv", &records.replace("Серик", "Серікбол"));
    let built = f.esim(&["build", "--quiet"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let second = rsync("after the edit");
    assert!(!second.is_empty() && second.len() < first.len() / 3, "only the changed files are copied: {second:?}");
    assert!(second.iter().any(|l| l.ends_with("people/p3/index.html")), "{second:?}");
    assert!(!second.iter().any(|l| l.ends_with("people/p1/index.html")), "{second:?}");
    assert_eq!(differences(&webroot, &f.public()), Vec::<String>::new());
}

/// The files under `dir` (but esim's marker, which rsync is told to leave
/// out) and whether each equals the same file under `other`.
fn differences(dir: &Path, other: &Path) -> Vec<String> {
    let ours = common::snapshot(dir);
    let theirs = common::snapshot(other);
    let names = |t: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<String> {
        t.iter().map(|(p, _)| p.to_string_lossy().into_owned()).filter(|p| p != ".esim-output").collect()
    };
    let (a, b) = (names(&ours), names(&theirs));
    let mut out: Vec<String> =
        a.iter().filter(|p| !b.contains(p)).map(|p| format!("only in {}: {p}", dir.display())).collect();
    out.extend(b.iter().filter(|p| !a.contains(p)).map(|p| format!("only in {}: {p}", other.display())));
    for (p, bytes) in &ours {
        if let Some((_, other_bytes)) = theirs.iter().find(|(q, _)| q == p) {
            if bytes != other_bytes {
                out.push(format!("differs: {}", p.display()));
            }
        }
    }
    out
}

fn copies(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = common::snapshot(dir)
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".gz") || p.ends_with(".br"))
        .collect();
    out.sort();
    out
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

#[test]
fn precompressed_copies_follow_their_files_and_nginx_sends_them() {
    let f = site();
    let config = fs::read_to_string(f.root().join("config.toml")).unwrap();
    f.write("config.toml", &format!("{config}\n[build]\nprecompress = [\"gzip\", \"br\"]\n"));
    // Enough people for the open data (a streamed file) to be over 1 KB.
    let mut rows = vec![person("p1", "Абенов", "Ахмет"), person("p3", "Беков", "Серик")];
    rows.extend((10..40).map(|i| person(&format!("p{i}"), &format!("Фамилия{i}"), "Имя")));
    f.records("people.csv", &rows);
    assert!(f.esim(&["build", "--quiet"]).status.success());
    let page = fs::read(f.public().join("kk/people/p3/index.html")).unwrap();
    assert_eq!(gunzip(&fs::read(f.public().join("kk/people/p3/index.html.gz")).unwrap()), page);
    let mut unbrotlied = Vec::new();
    brotli::BrotliDecompress(
        &mut &fs::read(f.public().join("kk/people/p3/index.html.br")).unwrap()[..],
        &mut unbrotlied,
    )
    .unwrap();
    assert_eq!(unbrotlied, page);
    assert!(f.public().join("data/records.csv.gz").exists(), "streamed files have copies too");
    assert!(!f.public().join("robots.txt.gz").exists(), "files under 1 KB are left to the server");
    assert!(
        !f.public().join("favicon.svg.gz").exists()
            || fs::metadata(f.public().join("favicon.svg")).unwrap().len() >= 1024
    );

    // nginx's gzip_static sends the copy as written.
    let (nginx, port) = start_nginx(f.root(), &f.public());
    let r = get(port, "/kk/people/p3/", "Accept-Encoding: gzip\r\n");
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.body, fs::read(f.public().join("kk/people/p3/index.html.gz")).unwrap());
    drop(nginx);

    // An edit: the changed page's copies change with it.
    std::thread::sleep(Duration::from_millis(1100));
    let records = fs::read_to_string(f.root().join("data/records/people.csv")).unwrap();
    f.write("data/records/people.csv", &records.replace("Серик", "Серікбол"));
    assert!(f.esim(&["build", "--quiet"]).status.success());
    let page = fs::read(f.public().join("kk/people/p3/index.html")).unwrap();
    assert!(String::from_utf8_lossy(&page).contains("Серікбол"));
    assert_eq!(gunzip(&fs::read(f.public().join("kk/people/p3/index.html.gz")).unwrap()), page);

    // A record merged into another: its pages become redirect pages; no
    // copy outlives its file.
    let without: Vec<&str> = records.lines().filter(|l| !l.starts_with("p3,")).collect();
    f.write("data/records/people.csv", &(without.join("\n") + "\n"));
    f.write("data/redirects.csv", "from,to\np2,p1\np3,p1\n");
    let built = f.esim(&["build", "--quiet", "--no-ledger"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    for copy in copies(&f.public()) {
        let original = copy.trim_end_matches(".gz").trim_end_matches(".br");
        assert!(f.public().join(original).exists(), "{copy} outlived {original}");
    }

    // Precompression turned off: no copy is left anywhere.
    f.write("config.toml", &config);
    assert!(f.esim(&["build", "--quiet", "--no-ledger"]).status.success());
    assert_eq!(copies(&f.public()), Vec::<String>::new());
}
