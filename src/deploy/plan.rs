//! The plan of a deploy: what to upload, in which phase, and what to delete —
//! decided from content hashes alone, without touching the store.

use std::collections::{BTreeSet, HashSet};

use super::headers::{content_addressed, Phase, RULES};
use super::local::LocalFile;
use super::manifest::Manifest;

/// One object to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub phase: Phase,
    pub key: String,
    pub hash: u64,
    pub size: u64,
    pub encoding: Option<crate::util::compress::Encoding>,
}

#[derive(Debug, Default)]
pub struct Plan {
    /// Sorted by phase, then key.
    pub uploads: Vec<Upload>,
    /// Objects esim put in the target that are no longer in the site.
    pub deletes: Vec<String>,
    /// Objects no longer in the site that are never deleted: pages of people
    /// in the ledger of published pages.
    pub kept: Vec<String>,
    /// Content-addressed assets the site no longer has: kept for
    /// [`RETIRED_GRACE`] from now, since pages cached before this deploy
    /// still load them.
    pub retire: Vec<String>,
    /// Retired assets still within their grace time.
    pub retired_kept: usize,
    pub unchanged: usize,
}

/// How long a retired content-addressed asset stays in the store: far longer
/// than any page is cached (5 minutes, see [`super::headers::cache_control`]),
/// so that no page a browser or CDN still holds loses its stylesheet or font.
pub const RETIRED_GRACE: u64 = 24 * 3600;

impl Plan {
    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.size).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletes.is_empty() && self.retire.is_empty()
    }
}

/// What the deploy needs to know of the site besides its files.
pub struct Rules<'a> {
    /// Keys of the redirect pages of merged records.
    pub redirects: &'a HashSet<String>,
    /// The ids of `data/published.txt`.
    pub ledger: &'a HashSet<String>,
}

impl Rules<'_> {
    fn phase(&self, key: &str) -> Phase {
        if self.redirects.contains(key) || key == "_redirects" || key == "nginx-redirects.map" {
            Phase::Redirects
        } else if key.ends_with(".html") || key.ends_with(".xml") || key == "robots.txt" {
            Phase::Pages
        } else {
            Phase::Assets
        }
    }

    /// True for a file of a person in the ledger: `{lang}/people/{id}/…`.
    pub fn protected(&self, key: &str) -> bool {
        let mut parts = key.split('/');
        let (_, section, id) = (parts.next(), parts.next(), parts.next());
        section == Some("people") && parts.next().is_some() && id.is_some_and(|id| self.ledger.contains(id))
    }
}

/// Compares the site with what the target holds.
/// `now`: Unix seconds, for the grace time of retired assets.
pub fn plan(site: &[LocalFile], target: &Manifest, rules: &Rules, now: u64) -> Plan {
    let same_rules = target.rules == RULES;
    let mut plan = Plan::default();
    for file in site {
        let stored = target.get(&file.key);
        let same = |e: &super::manifest::Entry| {
            !e.is_pending() && e.retired.is_none() && e.hash == file.hash && e.size == file.size
        };
        if same_rules && stored.is_some_and(same) {
            plan.unchanged += 1;
        } else {
            plan.uploads.push(Upload {
                phase: rules.phase(&file.key),
                key: file.key.clone(),
                hash: file.hash,
                size: file.size,
                encoding: file.encoding,
            });
        }
    }
    plan.uploads.sort_by(|a, b| (a.phase, &a.key).cmp(&(b.phase, &b.key)));
    let local: BTreeSet<&str> = site.iter().map(|f| f.key.as_str()).collect();
    for (key, entry) in target.iter().filter(|(k, _)| !local.contains(k.as_str())) {
        if rules.protected(key) {
            plan.kept.push(key.clone());
        } else if !content_addressed(key) || entry.is_pending() {
            plan.deletes.push(key.clone());
        } else {
            match entry.retired {
                None => plan.retire.push(key.clone()),
                Some(t) if now.saturating_sub(t) < RETIRED_GRACE => plan.retired_kept += 1,
                Some(_) => plan.deletes.push(key.clone()),
            }
        }
    }
    plan.deletes.sort();
    plan.kept.sort();
    plan.retire.sort();
    plan
}

#[cfg(test)]
mod tests {
    use super::super::manifest::Entry;
    use super::*;

    fn file(key: &str, hash: u64) -> LocalFile {
        LocalFile { key: key.into(), hash, size: 10, encoding: None }
    }

    #[test]
    fn uploads_what_changed_in_phase_order_and_keeps_ledger_pages() {
        let redirects: HashSet<String> = ["kk/people/old/index.html".to_string()].into();
        let ledger: HashSet<String> = ["p1".to_string()].into();
        let rules = Rules { redirects: &redirects, ledger: &ledger };
        let mut target = Manifest::default();
        target.rules = RULES;
        let stored = |hash| Entry::new(hash, 10, "\"e\"".into());
        target.insert("style.css".into(), stored(1));
        target.insert("kk/index.html".into(), stored(9));
        target.insert("kk/essays/gone/index.html".into(), stored(3));
        target.insert("kk/people/p1/index.html".into(), stored(4));
        target.insert("search/d/a.json".into(), Entry::pending());
        let site = [
            file("kk/index.html", 2),
            file("kk/people/old/index.html", 5),
            file("search/d/a.json", 6),
            file("style.css", 1),
        ];
        let p = plan(&site, &target, &rules, 0);
        let order: Vec<(Phase, &str)> = p.uploads.iter().map(|u| (u.phase, u.key.as_str())).collect();
        assert_eq!(
            order,
            [
                (Phase::Assets, "search/d/a.json"),
                (Phase::Pages, "kk/index.html"),
                (Phase::Redirects, "kk/people/old/index.html")
            ]
        );
        assert_eq!(p.unchanged, 1);
        assert_eq!(p.deletes, ["kk/essays/gone/index.html"]);
        assert_eq!(p.kept, ["kk/people/p1/index.html"]);
    }

    #[test]
    fn other_header_rules_upload_everything() {
        let none = HashSet::new();
        let mut target = Manifest::default();
        target.rules = RULES + 1;
        target.insert("a.css".into(), Entry::new(1, 10, "e".into()));
        let p = plan(&[file("a.css", 1)], &target, &Rules { redirects: &none, ledger: &none }, 0);
        assert_eq!(p.uploads.len(), 1);
    }

    #[test]
    fn a_retired_content_addressed_asset_stays_for_its_grace_time_then_goes() {
        let none = HashSet::new();
        let rules = Rules { redirects: &none, ledger: &none };
        let mut target = Manifest::default();
        target.rules = RULES;
        target.insert("style.0123456789ab.css".into(), Entry::new(1, 10, "e".into()));
        target.insert("style.css".into(), Entry::new(2, 10, "e".into()));
        let site = [file("style.ba9876543210.css", 3)];
        let p = plan(&site, &target, &rules, 1000);
        assert_eq!(p.retire, ["style.0123456789ab.css"], "retired, not deleted");
        assert_eq!(p.deletes, ["style.css"], "a name that is not content-addressed goes at once");

        let retired = Entry { retired: Some(1000), ..Entry::new(1, 10, "e".into()) };
        target.insert("style.0123456789ab.css".into(), retired);
        let within = plan(&site, &target, &rules, 1000 + RETIRED_GRACE - 1);
        assert!(within.retire.is_empty() && within.retired_kept == 1);
        assert!(!within.deletes.contains(&"style.0123456789ab.css".to_string()));
        let after = plan(&site, &target, &rules, 1000 + RETIRED_GRACE);
        assert!(after.deletes.contains(&"style.0123456789ab.css".to_string()));

        // Back in the site (the theme change undone): uploaded again, live.
        let back = plan(&[file("style.0123456789ab.css", 1)], &target, &rules, 1000);
        assert_eq!(back.uploads.len(), 1);
    }
}
