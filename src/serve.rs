//! `esim serve`: a live preview. Builds the site into a hidden directory
//! (`<root>/.esim/serve`), serves it on 127.0.0.1 under the base URL's path,
//! watches the inputs and rebuilds on every change, and tells the open pages to
//! reload (Server-Sent Events from a small script injected into served HTML
//! only, never into the files on disk).
//!
//! The build is [`crate::build`] as it is: it swaps a new site in only when it
//! succeeded, so after a failed build the last good site keeps being served, and
//! the error is shown in the terminal and over the page.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::build::{Error, Options, Summary};
use crate::config;

/// How long the inputs must be quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// The longest a burst of changes may delay a rebuild.
const DEBOUNCE_MAX: Duration = Duration::from_secs(2);
/// How often an idle event stream sends a comment, to keep it open and to
/// notice a closed connection.
const PING: Duration = Duration::from_secs(15);
/// The server's own URLs, under the site's path: `{path}__esim/events`, `…/status`.
const PREFIX: &str = "__esim/";

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's root: the directory holding `config.toml`.
    pub root: PathBuf,
    /// The address to listen on (default 127.0.0.1).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Where the preview is written; default `<root>/.esim/serve`.
    pub output: Option<PathBuf>,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions { root: root.into(), bind: IpAddr::V4(Ipv4Addr::LOCALHOST), port: 1111, output: None }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join(".esim").join("serve"))
    }
}

/// The state of the builds, shared by the builder and every request.
#[derive(Debug, Clone, Default, PartialEq)]
struct State {
    /// Successful builds so far; a page built by an older one is stale.
    generation: u64,
    /// The error of the last build, if it failed.
    error: Option<String>,
    /// A build is running.
    building: bool,
}

struct Shared {
    output: PathBuf,
    /// The base URL's path, with leading and trailing slashes: `/` or `/kz/`.
    sub_path: String,
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.lock());
        self.changed.notify_all();
    }

    /// The state once the first build has finished.
    fn settled(&self) -> State {
        let guard = self.lock();
        let guard = self
            .changed
            .wait_while(guard, |s| s.generation == 0 && s.error.is_none())
            .unwrap_or_else(|e| e.into_inner());
        guard.clone()
    }
}

/// Builds the site, serves it and rebuilds it on every change of its inputs,
/// until the process is stopped. Returns only when it cannot start.
pub fn serve(options: ServeOptions) -> Result<(), Error> {
    let root = options.root.clone();
    let watch_root = root
        .canonicalize()
        .map_err(|e| Error::Failed(format!("{}: cannot open the site's root: {e}", root.display())))?;
    let output = options.output_dir();
    let config_path = root.join("config.toml");
    let config = config::Config::load(&config_path, None).ok();
    let sub_path = config.as_ref().map(|c| sub_path(&c.base_url)).unwrap_or_else(|| "/".into());

    let server = tiny_http::Server::http(SocketAddr::new(options.bind, options.port))
        .map_err(|e| Error::Failed(format!("cannot listen on {}: {e}", SocketAddr::new(options.bind, options.port))))?;
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(options.port);
    let host = if options.bind.is_unspecified() { IpAddr::V4(Ipv4Addr::LOCALHOST) } else { options.bind };
    let url = format!("http://{}{sub_path}", SocketAddr::new(host, port));

    let shared = Arc::new(Shared {
        output: output.clone(),
        sub_path: sub_path.clone(),
        state: Mutex::new(State { building: true, ..State::default() }),
        changed: Condvar::new(),
    });
    let http = {
        let shared = shared.clone();
        thread::Builder::new()
            .name("esim-http".into())
            .spawn(move || {
                for request in server.incoming_requests() {
                    let shared = shared.clone();
                    let spawned = thread::Builder::new().name("esim-request".into()).spawn(move || {
                        respond(&shared, request);
                    });
                    if let Err(e) = spawned {
                        eprintln!("esim: cannot start a thread for a request: {e}");
                    }
                }
            })
            .map_err(|e| Error::Failed(format!("cannot start the server: {e}")))?
    };

    // The watcher starts before the first build, so that a change made while
    // it runs is not missed.
    let (tx, rx) = mpsc::channel();
    let mut watch = Watch::new(&watch_root, &output, tx);
    if let Some(c) = &config {
        watch.theme(&c.theme_dir(&watch_root));
    }

    let mut build_options = Options::new(&root);
    build_options.output = Some(output);
    build_options.base_url = Some(url.clone());
    build_options.update_ledger = false;
    build_options.progress = false;

    // The builder keeps the site in memory: an edited biography is published
    // without loading the records again (see warm.rs).
    let mut builder = crate::build::warm::Builder::new(build_options);
    match build(&shared, &mut builder) {
        Ok(summary) => println!("esim: built {summary}"),
        Err(e) => {
            eprintln!("{e}");
            eprintln!("esim: the build failed; the pages show the error until it is fixed");
        }
    }
    println!("esim: serving {url} (Ctrl+C to stop)");

    if watch.watcher.is_some() {
        rebuild_on_changes(&shared, &mut builder, &mut watch, &rx, &config_path);
    }
    http.join().map_err(|_| Error::Failed("the server stopped".into()))
}

/// The path of a base URL, with leading and trailing slashes.
fn sub_path(base_url: &str) -> String {
    let path = crate::urls::Urls::new(base_url).base_path().to_string();
    format!("{path}/")
}

fn build(shared: &Shared, builder: &mut crate::build::warm::Builder) -> Result<Summary, Error> {
    shared.update(|s| s.building = true);
    let result = builder.build();
    shared.update(|s| {
        s.building = false;
        match &result {
            Ok(_) => {
                s.generation += 1;
                s.error = None;
            }
            Err(e) => s.error = Some(e.to_string()),
        }
    });
    result
}

/// The watched inputs and the filter of their events.
struct Watch {
    root: PathBuf,
    output: PathBuf,
    watcher: Option<notify::RecommendedWatcher>,
    watched: Vec<PathBuf>,
}

type Events = mpsc::Receiver<notify::Result<notify::Event>>;

impl Watch {
    /// Watches `data/`, `content/`, `themes/` and `config.toml` (through the
    /// root, not recursively: editors replace files by renaming, which a watch
    /// on the file itself would lose).
    fn new(root: &Path, output: &Path, tx: mpsc::Sender<notify::Result<notify::Event>>) -> Watch {
        let output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
        let mut watch = Watch { root: root.to_path_buf(), output, watcher: None, watched: Vec::new() };
        match notify::recommended_watcher(tx) {
            Ok(w) => watch.watcher = Some(w),
            Err(e) => {
                eprintln!("esim: cannot watch the inputs ({e}); the site will not be rebuilt on changes");
                return watch;
            }
        }
        watch.add(root, RecursiveMode::NonRecursive);
        for dir in ["data", "content", "themes"] {
            watch.add(&root.join(dir), RecursiveMode::Recursive);
        }
        watch
    }

    /// Also watches the configured theme when it lies outside `themes/`.
    fn theme(&mut self, dir: &Path) {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if !self.watched.iter().any(|w| dir.starts_with(w) && w != &self.root) {
            self.add(&dir, RecursiveMode::Recursive);
        }
    }

    fn add(&mut self, path: &Path, mode: RecursiveMode) {
        let Some(watcher) = self.watcher.as_mut() else { return };
        if !path.exists() {
            return;
        }
        match watcher.watch(path, mode) {
            Ok(()) => self.watched.push(path.to_path_buf()),
            Err(e) => eprintln!("esim: cannot watch {}: {e}", path.display()),
        }
    }

    /// The changed input that `event` is about, if it is one that needs a rebuild.
    fn relevant(&self, event: &notify::Event) -> Option<PathBuf> {
        if event.need_rescan() {
            // The system dropped events (its queue overflowed): anything may have changed.
            return Some(self.root.clone());
        }
        match event.kind {
            // Reading a file is not changing it (the build itself opens every input).
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return None,
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => return None,
            _ => {}
        }
        event.paths.iter().find(|p| self.is_input(p)).cloned()
    }

    fn is_input(&self, path: &Path) -> bool {
        !path.starts_with(&self.output) && crate::build::inputs::is_input(&self.root, path)
    }
}

/// Waits for changes, lets them settle, rebuilds; changes made during a build
/// are queued and make one more build after it.
fn rebuild_on_changes(
    shared: &Shared,
    builder: &mut crate::build::warm::Builder,
    watch: &mut Watch,
    rx: &Events,
    config_path: &Path,
) {
    loop {
        let Some(first) = next_change(watch, rx) else { return };
        let started = Instant::now();
        let mut changed = vec![first];
        let mut quiet_until = Instant::now() + DEBOUNCE;
        loop {
            let now = Instant::now();
            let deadline = quiet_until.min(started + DEBOUNCE_MAX);
            if now >= deadline {
                break;
            }
            match rx.recv_timeout(deadline - now) {
                Ok(event) => {
                    if let Some(path) = relevant(watch, event) {
                        quiet_until = Instant::now() + DEBOUNCE;
                        if !changed.contains(&path) {
                            changed.push(path);
                        }
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let what = describe(&changed, &watch.root);
        match build(shared, builder) {
            Ok(s) => println!(
                "esim: rebuilt in {:.2} s ({} of {} pages rendered, {} files written, {} removed; changed: {what})\n      {}",
                s.elapsed.as_secs_f64(),
                s.rendered,
                s.pages,
                s.written,
                s.removed,
                s.timings
            ),
            Err(e) => {
                eprintln!("{e}");
                eprintln!("esim: the build failed (changed: {what}); still serving the last good site");
            }
        }
        if changed.iter().any(|p| p.file_name().is_some_and(|n| n == "config.toml")) {
            if let Ok(config) = config::Config::load(config_path, None) {
                let path = sub_path(&config.base_url);
                if path != shared.sub_path {
                    println!(
                        "esim: note: base_url's path is now {path}, still serving under {} (restart esim serve to change it)",
                        shared.sub_path
                    );
                }
                watch.theme(&config.theme_dir(&watch.root));
            }
        }
    }
}

/// The next relevant change, blocking; None when the watcher is gone.
fn next_change(watch: &Watch, rx: &Events) -> Option<PathBuf> {
    loop {
        let event = rx.recv().ok()?;
        if let Some(path) = relevant(watch, event) {
            return Some(path);
        }
    }
}

fn relevant(watch: &Watch, event: notify::Result<notify::Event>) -> Option<PathBuf> {
    match event {
        Ok(event) => watch.relevant(&event),
        Err(e) => {
            eprintln!("esim: watching the inputs: {e}");
            None
        }
    }
}

/// The changed paths for the terminal: the first one that still exists (not
/// an editor's temporary file) and how many more.
fn describe(changed: &[PathBuf], root: &Path) -> String {
    let mut changed = changed.to_vec();
    changed.sort_by_key(|p| !p.exists());
    let first = match changed[0].strip_prefix(root) {
        Ok(rel) if rel.as_os_str().is_empty() => "files not named by the system".to_string(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => changed[0].display().to_string(),
    };
    match changed.len() {
        1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

// ---------------------------------------------------------------------------
// HTTP

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn send(request: tiny_http::Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    // The browser may have gone away; nothing to do about it.
    let _ = request.respond(response);
}

fn redirect(request: tiny_http::Request, location: &str) {
    let response = tiny_http::Response::from_data(Vec::new())
        .with_status_code(302)
        .with_header(header("Location", location))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

fn plain(request: tiny_http::Request, status: u16, text: &str) {
    send(request, status, "text/plain; charset=utf-8", format!("{text}\n").into_bytes());
}

fn respond(shared: &Shared, request: tiny_http::Request) {
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        return plain(request, 405, "405 method not allowed");
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let path = path.split('#').next().unwrap_or("");
    let Some(rel) = path.strip_prefix(shared.sub_path.as_str()) else {
        if path == "/" || path == "/index.html" {
            return redirect(request, &shared.sub_path);
        }
        return not_found(shared, request);
    };
    if let Some(own) = rel.strip_prefix(PREFIX) {
        return match own {
            "events" => events(shared, request, query),
            "status" => {
                let s = shared.lock().clone();
                let json = serde_json::json!({ "generation": s.generation, "error": s.error, "building": s.building });
                send(request, 200, "application/json", json.to_string().into_bytes())
            }
            _ => plain(request, 404, "404 not found"),
        };
    }
    let Some(file) = safe_path(rel) else {
        return plain(request, 400, "400 bad request: the path is not a path of the site");
    };
    let state = shared.settled();
    let wants_html = rel.is_empty() || rel.ends_with('/') || rel.ends_with(".html");
    if state.generation == 0 && wants_html {
        // No build has succeeded yet: every page is the error.
        let error = state.error.clone().unwrap_or_default();
        return send(request, 500, TYPE_HTML, error_page(&error, &script(shared, &state, true)));
    }
    let mut full = shared.output.join(&file);
    if rel.is_empty() || rel.ends_with('/') {
        full.push("index.html");
    } else if full.is_dir() {
        let location = if query.is_empty() { format!("{path}/") } else { format!("{path}/?{query}") };
        return redirect(request, &location);
    }
    match read(shared, &full) {
        Some(bytes) => {
            let content_type = content_type(&full);
            let body = if content_type == TYPE_HTML { inject(&bytes, &script(shared, &state, false)) } else { bytes };
            send(request, 200, content_type, body)
        }
        None => not_found(shared, request),
    }
}

/// A file of the site. The output directory is missing for an instant while
/// a new build is swapped in: then try once more.
fn read(shared: &Shared, file: &Path) -> Option<Vec<u8>> {
    match std::fs::read(file) {
        Ok(bytes) => Some(bytes),
        Err(_) if !shared.output.exists() => {
            thread::sleep(Duration::from_millis(100));
            std::fs::read(file).ok()
        }
        Err(_) => None,
    }
}

fn not_found(shared: &Shared, request: tiny_http::Request) {
    let state = shared.lock().clone();
    match read(shared, &shared.output.join("404.html")) {
        Some(page) => send(request, 404, TYPE_HTML, inject(&page, &script(shared, &state, false))),
        None => plain(request, 404, "404 not found"),
    }
}

/// The relative file path of a URL path under the site's path; None for a
/// path that tries to leave the site (`..`, also percent-encoded) or is not UTF-8.
fn safe_path(rel: &str) -> Option<PathBuf> {
    let decoded = percent_decode(rel)?;
    let mut path = PathBuf::new();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment == "." || segment == ".." || segment.contains(['\\', '\0', ':']) {
            return None;
        }
        path.push(segment);
    }
    Some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

const TYPE_HTML: &str = "text/html; charset=utf-8";

fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => TYPE_HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonl" => "application/jsonl; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" | "map" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

// ---------------------------------------------------------------------------
// Live reload

/// The event stream of one page: `reload` when a build newer than the page's
/// (`?since=N`) succeeded, `build-error` with the error (a JSON string) when a
/// build failed, a comment every [`PING`]. Ends when the browser goes away
/// (a write fails).
fn events(shared: &Shared, request: tiny_http::Request, query: &str) {
    let since = query.split('&').find_map(|kv| kv.strip_prefix("since=")).and_then(|n| n.parse::<u64>().ok());
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if out.write_all(head.as_bytes()).and_then(|_| out.flush()).is_err() {
        return;
    }
    let mut seen = {
        let s = shared.lock();
        State { generation: since.unwrap_or(s.generation), error: None, building: false }
    };
    loop {
        let guard = shared.lock();
        let (guard, _) = shared
            .changed
            .wait_timeout_while(guard, PING, |s| s.generation == seen.generation && s.error == seen.error)
            .unwrap_or_else(|e| e.into_inner());
        let now = guard.clone();
        drop(guard);
        let message = if now.generation != seen.generation {
            format!("event: reload\ndata: {}\n\n", now.generation)
        } else if now.error != seen.error {
            match &now.error {
                Some(e) => format!("event: build-error\ndata: {}\n\n", serde_json::to_string(e).unwrap_or_default()),
                None => String::new(),
            }
        } else {
            ": ping\n\n".to_string()
        };
        seen = State { building: false, ..now };
        if out.write_all(message.as_bytes()).and_then(|_| out.flush()).is_err() {
            return;
        }
    }
}

const SCRIPT: &str = r#"<script>/* esim serve: live reload (not part of the built site) */
(function () {
  'use strict';
  var s = __ESIM_STATE__;
  var box = null;
  var shown = s.page ? s.error : null;
  function hide() { if (box) { box.remove(); box = null; } }
  function show(text) {
    hide();
    shown = text;
    box = document.createElement('div');
    box.id = 'esim-serve-error';
    box.setAttribute('role', 'alert');
    box.setAttribute('lang', 'en');
    box.setAttribute('dir', 'ltr');
    box.style.cssText = 'all:initial;display:block;position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;' +
      'max-height:70vh;overflow:auto;box-sizing:border-box;padding:1rem;background:#fff;color:#111;' +
      'border:4px solid #a00;border-radius:4px;box-shadow:0 4px 24px rgba(0,0,0,.5);font:16px/1.5 system-ui,sans-serif';
    var title = document.createElement('p');
    title.style.cssText = 'all:initial;display:block;font:bold 16px/1.5 system-ui,sans-serif;color:#800;margin:0 0 .5rem';
    title.textContent = 'esim serve: the build failed. This page is from the last good build.';
    var pre = document.createElement('pre');
    pre.style.cssText = 'all:initial;display:block;white-space:pre-wrap;overflow-wrap:anywhere;' +
      'font:14px/1.5 ui-monospace,monospace;color:#111;margin:0 0 .75rem';
    pre.textContent = text;
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Close';
    close.style.cssText = 'font:inherit;padding:.25rem 1rem;color:#111;background:#fff;border:2px solid #111;border-radius:4px;cursor:pointer';
    close.addEventListener('click', hide);
    box.addEventListener('keydown', function (e) { if (e.key === 'Escape') hide(); });
    box.appendChild(title);
    box.appendChild(pre);
    box.appendChild(close);
    document.body.appendChild(box);
  }
  if (s.error && !s.page) show(s.error);
  if (!window.EventSource) return;
  var events = new EventSource(s.events + '?since=' + s.generation);
  events.addEventListener('reload', function () { events.close(); location.reload(); });
  events.addEventListener('build-error', function (e) {
    var text = JSON.parse(e.data);
    if (text !== shown) show(text);
  });
})();
</script>"#;

/// The live-reload script with the current state. `page`: the page itself
/// shows the error (no overlay for it).
fn script(shared: &Shared, state: &State, page: bool) -> String {
    let json = serde_json::json!({
        "generation": state.generation,
        "error": state.error,
        "events": format!("{}{PREFIX}events", shared.sub_path),
        "page": page,
    });
    SCRIPT.replace("__ESIM_STATE__", &script_json(&json.to_string()))
}

/// JSON made safe inside `<script>`: no `</script>`, `<!--`, or line separators.
fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `html` with `script` before its last `</body>`, or at its end.
fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page served for every page while no build has succeeded.
fn error_page(error: &str, script: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>esim serve: the build failed</title></head>\n<body style=\"font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#111;background:#fff\"><main><h1>esim serve: the build failed</h1><p>Fix the inputs: this page reloads by itself when the site builds.</p><pre role=\"alert\" style=\"white-space:pre-wrap;overflow-wrap:anywhere;padding:1rem;border:4px solid #a00\">{}</pre></main>{script}</body></html>\n",
        crate::util::escape::html(error)
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_paths() {
        assert_eq!(sub_path("https://example.org/memorial/"), "/memorial/");
        assert_eq!(sub_path("https://example.org/memorial"), "/memorial/");
        assert_eq!(sub_path("https://example.org"), "/");
        assert_eq!(sub_path("https://example.org/"), "/");
        assert_eq!(sub_path("https://example.org/a/b"), "/a/b/");
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(safe_path("kk/people/x/"), Some(PathBuf::from("kk/people/x")));
        assert_eq!(safe_path(""), Some(PathBuf::new()));
        assert_eq!(safe_path("%6Bk/"), Some(PathBuf::from("kk")));
        for bad in
            ["../etc/passwd", "kk/../../x", "%2e%2e/x", "%2E%2E%2Fx", "..%2fx", "a%5c..%5cb", "a/%00", "%zz", "%c3"]
        {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_is_injected_before_the_last_body_end() {
        assert_eq!(inject(b"<p>a</p></body></html>", "S"), b"<p>a</p>S</body></html>");
        assert_eq!(inject(b"<p></BODY>x</body >", "S"), b"<p>S</BODY>x</body >");
        assert_eq!(inject(b"<p>a</p>", "S"), b"<p>a</p>S");
    }

    #[test]
    fn state_is_safe_in_a_script() {
        let json = serde_json::to_string("</script><!-- & \u{2028}").unwrap();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&') && !safe.contains('\u{2028}'));
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), "</script><!-- & \u{2028}");
    }

    #[test]
    fn the_preview_is_not_an_input() {
        let (tx, _rx) = mpsc::channel();
        let mut watch = Watch::new(Path::new("/nonexistent-esim-root"), Path::new("/site/content/preview"), tx);
        watch.root = PathBuf::from("/site");
        assert!(watch.is_input(Path::new("/site/content/people/x.en.md")));
        assert!(!watch.is_input(Path::new("/site/content/preview/index.html")));
    }
}
