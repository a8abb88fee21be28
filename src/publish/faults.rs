//! Fault injection, for the tests of publishing's guarantees (a full disk, a
//! kill at each step of the swap and of the in-place apply). Off unless the
//! environment variable `ESIM_FAULT` is set, to one of:
//!
//! - `write:N` — the N-th file the build writes fails with "No space left on
//!   device", as on a full disk;
//! - `kill:POINT:N` — the process aborts (as if killed) the N-th time it
//!   reaches POINT: `swap` (between the steps of swapping a new site in),
//!   `journal` (the in-place changes are ready, their journal written),
//!   `apply` (after each file replaced in place), `standby` (a rebuild into
//!   the standby tree: its stale files removed; then the trees exchanged).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

fn setting() -> Option<&'static str> {
    static SETTING: OnceLock<Option<String>> = OnceLock::new();
    SETTING.get_or_init(|| std::env::var("ESIM_FAULT").ok().filter(|s| !s.is_empty())).as_deref()
}

static WRITES: AtomicUsize = AtomicUsize::new(0);
static PASSES: AtomicUsize = AtomicUsize::new(0);

/// Called before each file write: the injected error, if this is the one.
pub fn before_write() -> std::io::Result<()> {
    let Some(n) = setting().and_then(|s| s.strip_prefix("write:")).and_then(|n| n.parse::<usize>().ok()) else {
        return Ok(());
    };
    if WRITES.fetch_add(1, Ordering::SeqCst) + 1 >= n {
        return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
    }
    Ok(())
}

/// Called at each kill point: aborts the process if this is the one.
pub fn point(name: &str) {
    let Some(rest) = setting().and_then(|s| s.strip_prefix("kill:")) else { return };
    let Some((at, n)) = rest.rsplit_once(':') else { return };
    if at == name && n.parse::<usize>().is_ok_and(|n| PASSES.fetch_add(1, Ordering::SeqCst) + 1 == n) {
        eprintln!("esim: ESIM_FAULT: killed at {name}");
        std::process::abort();
    }
}
