//! `esim check --host NAME`: the limits of static hosts, checked against the
//! built site before anyone uploads it. The figures are the hosts' published
//! limits (see README.md, "Where to publish", for the sources).

use std::collections::HashMap;
use std::path::Path;

/// The limits of a host; None where it has none (or none that matters here).
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Files in the site.
    pub files: Option<u64>,
    /// Files and directories in the site.
    pub entries: Option<u64>,
    /// Files and directories in one directory.
    pub per_directory: Option<u64>,
    /// Bytes of the whole site.
    pub total_bytes: Option<u64>,
    /// Bytes of one file.
    pub file_bytes: Option<u64>,
    /// Rules of the `_redirects` file (one per merged record and language).
    pub redirect_rules: Option<u64>,
}

#[derive(Debug, Clone, Copy)]
pub struct Host {
    pub name: &'static str,
    pub label: &'static str,
    pub limits: Limits,
}

const GB: u64 = 1_000_000_000;
const MIB: u64 = 1 << 20;

/// From the smallest to the largest: the first that fits is the suggestion.
pub const HOSTS: &[Host] = &[
    Host {
        name: "github-pages",
        label: "GitHub Pages",
        limits: Limits { total_bytes: Some(GB), file_bytes: Some(100 * MIB), ..NONE },
    },
    Host { name: "vercel", label: "Vercel", limits: Limits { files: Some(15_000), ..NONE } },
    Host {
        name: "cloudflare-pages",
        label: "Cloudflare Pages (free plan; 100,000 files on paid plans)",
        limits: Limits { files: Some(20_000), file_bytes: Some(25 * MIB), redirect_rules: Some(2_000), ..NONE },
    },
    Host {
        name: "gitlab-pages",
        label: "GitLab Pages (gitlab.com)",
        limits: Limits { entries: Some(200_000), total_bytes: Some(GB), ..NONE },
    },
    Host { name: "netlify", label: "Netlify", limits: Limits { per_directory: Some(54_000), ..NONE } },
    Host {
        name: "s3",
        label: "object storage (S3, R2, GCS, MinIO…) with `esim deploy`",
        limits: Limits { file_bytes: Some(5 * GB), ..NONE },
    },
];

const NONE: Limits = Limits {
    files: None,
    entries: None,
    per_directory: None,
    total_bytes: None,
    file_bytes: None,
    redirect_rules: None,
};

pub fn find(name: &str) -> Result<&'static Host, String> {
    HOSTS.iter().find(|h| h.name == name).ok_or_else(|| {
        let names: Vec<&str> = HOSTS.iter().map(|h| h.name).collect();
        format!("unknown host {name:?}: one of {}", names.join(", "))
    })
}

/// The figures of a built site that hosts limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFigures {
    pub files: u64,
    pub directories: u64,
    pub total_bytes: u64,
    /// The fullest directory (relative to the output) and its entries.
    pub fullest: (String, u64),
    /// The largest file and its size.
    pub largest: (String, u64),
    /// Rules in `_redirects`.
    pub redirect_rules: u64,
}

/// Measures the site in `output` (esim's marker file left out).
pub fn measure(output: &Path) -> Result<SiteFigures, String> {
    let mut f = SiteFigures::default();
    let mut per_dir: HashMap<std::path::PathBuf, u64> = HashMap::new();
    for entry in walkdir::WalkDir::new(output).min_depth(1) {
        let entry = entry.map_err(|e| format!("{}: {e}", output.display()))?;
        if entry.file_name() == crate::publish::MARKER {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
        *per_dir.entry(rel.parent().unwrap_or(Path::new("")).to_path_buf()).or_default() += 1;
        if entry.file_type().is_dir() {
            f.directories += 1;
        } else {
            let size = entry.metadata().map_err(|e| format!("{}: {e}", entry.path().display()))?.len();
            f.files += 1;
            f.total_bytes += size;
            if size > f.largest.1 {
                f.largest = (rel.to_string_lossy().into_owned(), size);
            }
        }
    }
    f.redirect_rules = redirect_rules(&output.join("_redirects"))?;
    if let Some((dir, n)) = per_dir.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))) {
        let dir = if dir.as_os_str().is_empty() { "/".to_string() } else { format!("{}/", dir.to_string_lossy()) };
        f.fullest = (dir, n);
    }
    Ok(f)
}

/// The rules of a `_redirects` file: its lines but blanks and comments.
fn redirect_rules(path: &Path) -> Result<u64, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            Ok(text.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).count() as u64)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn figure(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn size(bytes: u64) -> String {
    if bytes >= GB {
        format!("{:.2} GB", bytes as f64 / GB as f64)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// Each limit the site exceeds, with its figures.
pub fn exceeded(limits: &Limits, site: &SiteFigures) -> Vec<String> {
    let mut out = Vec::new();
    let mut over = |limit: Option<u64>, value: u64, say: &dyn Fn(u64) -> String| {
        if let Some(limit) = limit.filter(|l| value > *l) {
            out.push(say(limit));
        }
    };
    over(limits.files, site.files, &|l| format!("{} files, more than the {} allowed", figure(site.files), figure(l)));
    over(limits.entries, site.files + site.directories, &|l| {
        format!("{} files and directories, more than the {} allowed", figure(site.files + site.directories), figure(l))
    });
    over(limits.per_directory, site.fullest.1, &|l| {
        format!(
            "{} entries in {}, more than the {} allowed in one directory",
            figure(site.fullest.1),
            site.fullest.0,
            figure(l)
        )
    });
    over(limits.total_bytes, site.total_bytes, &|l| {
        format!("{} in all, more than the {} allowed", size(site.total_bytes), size(l))
    });
    over(limits.file_bytes, site.largest.1, &|l| {
        format!("{} is {}, more than the {} allowed for one file", site.largest.0, size(site.largest.1), size(l))
    });
    over(limits.redirect_rules, site.redirect_rules, &|l| {
        format!("{} redirect rules in _redirects, more than the {} allowed", figure(site.redirect_rules), figure(l))
    });
    out
}

/// The hosts the site fits.
pub fn fitting(site: &SiteFigures) -> Vec<&'static Host> {
    HOSTS.iter().filter(|h| exceeded(&h.limits, site).is_empty()).collect()
}

/// `esim check --host NAME`: Ok with a one-line summary when the site fits,
/// else every limit exceeded and the hosts that would fit.
pub fn check(output: &Path, name: &str) -> Result<String, String> {
    let host = find(name)?;
    if !output.join(crate::publish::MARKER).is_file() {
        return Err(format!("{}: no site built by esim here: run `esim build` first", output.display()));
    }
    let site = measure(output)?;
    let problems = exceeded(&host.limits, &site);
    let figures = format!(
        "{} files, {} directories, {} in all, fullest directory {} ({} entries), largest file {} ({})",
        figure(site.files),
        figure(site.directories),
        size(site.total_bytes),
        site.fullest.0,
        figure(site.fullest.1),
        site.largest.0,
        size(site.largest.1)
    );
    if problems.is_empty() {
        return Ok(format!("the site fits {}: {figures}", host.label));
    }
    let mut msg = format!("{}: the site does not fit {} ({figures}):", output.display(), host.label);
    for p in &problems {
        msg.push_str(&format!("\n  {}: {p}", host.name));
    }
    let fits: Vec<&str> = fitting(&site).iter().map(|h| h.name).collect();
    msg.push_str(&format!("\n  it fits: {} (esim check --host NAME)", fits.join(", ")));
    Err(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: u64, dirs: u64, bytes: u64, fullest: u64, largest: u64) -> SiteFigures {
        SiteFigures {
            files,
            directories: dirs,
            total_bytes: bytes,
            fullest: ("kk/people/".into(), fullest),
            largest: ("data/all.zip".into(), largest),
            redirect_rules: 0,
        }
    }

    #[test]
    fn each_limit_is_reported_with_its_figures() {
        let big = site(1_250_000, 1_000_000, 17 * GB, 311_000, 200 * MIB);
        let gh = exceeded(&find("github-pages").unwrap().limits, &big);
        assert_eq!(gh.len(), 2, "{gh:?}");
        assert!(gh[0].contains("17.00 GB in all, more than the 1.00 GB allowed"), "{gh:?}");
        assert!(gh[1].contains("data/all.zip is 209.7 MB"), "{gh:?}");
        let gl = exceeded(&find("gitlab-pages").unwrap().limits, &big);
        assert!(gl[0].starts_with("2,250,000 files and directories, more than the 200,000"), "{gl:?}");
        let netlify = exceeded(&find("netlify").unwrap().limits, &big);
        assert_eq!(netlify, ["311,000 entries in kk/people/, more than the 54,000 allowed in one directory"]);
        assert_eq!(fitting(&big).iter().map(|h| h.name).collect::<Vec<_>>(), ["s3"]);
        let merged = SiteFigures { redirect_rules: 3_000, ..site(10, 5, 1000, 5, 100) };
        let cf = exceeded(&find("cloudflare-pages").unwrap().limits, &merged);
        assert_eq!(cf, ["3,000 redirect rules in _redirects, more than the 2,000 allowed"]);
    }

    #[test]
    fn a_small_site_fits_everywhere() {
        let small = site(900, 300, 20_000_000, 120, 2_000_000);
        assert_eq!(fitting(&small).len(), HOSTS.len());
        assert!(find("geocities").unwrap_err().contains("github-pages"));
    }
}
