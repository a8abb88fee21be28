//! `esim new person|essay|page`: writes a correctly named Markdown file with its
//! front matter, in the requested language, ready for an editor to fill in.

use std::path::{Path, PathBuf};

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Essay,
    Page,
}

/// Creates the file and returns its path; never overwrites an existing one.
pub fn create(root: &Path, kind: Kind, name: &str, lang: Option<&str>, today: &str) -> Result<PathBuf, String> {
    let config = Config::load(&root.join("config.toml"), None)
        .map_err(|e| e.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))?;
    let lang = lang.unwrap_or(&config.default_language);
    if !config.languages.iter().any(|l| l == lang) {
        return Err(format!("{lang:?} is not one of the site's languages {:?}", config.languages));
    }
    let (dir, text) = match kind {
        Kind::Person => {
            if !crate::model::is_valid_id(name) {
                return Err(format!("{name:?} is not a person id (1–32 of 0-9 A-Z a-z -)"));
            }
            if !record_exists(&root.join("data/records"), name) {
                return Err(format!("no record in data/records/ has the id {name:?}: add the record first"));
            }
            ("people", "+++\n# Who wrote this biography, and the sources its facts come from.\nauthors = []\nsources = []\n+++\n\n".to_string())
        }
        Kind::Essay | Kind::Page => {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                return Err(format!("{name:?} is not a slug (a-z, 0-9 and -)"));
            }
            if kind == Kind::Page && crate::content::RESERVED_SLUGS.contains(&name) {
                return Err(format!("the page name {name:?} is reserved for the site's own section"));
            }
            let title = name.replace('-', " ");
            match kind {
                Kind::Essay => (
                    "essays",
                    format!(
                        "+++\ntitle = \"{title}\"\ndate = {today}\nauthors = []\nsummary = \"\"\nweight = 100\n+++\n\n"
                    ),
                ),
                _ => ("pages", format!("+++\ntitle = \"{title}\"\nweight = 100\nsummary = \"\"\n+++\n\n")),
            }
        }
    };
    let path = root.join("content").join(dir).join(format!("{name}.{lang}.md"));
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    std::fs::create_dir_all(path.parent().expect("a parent")).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn record_exists(dir: &Path, id: &str) -> bool {
    walkdir::WalkDir::new(dir).into_iter().filter_map(|e| e.ok()).any(|e| {
        let extension = e.path().extension().map(|x| x.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if crate::records::sheets::EXTENSIONS.contains(&extension.as_str()) {
            return crate::records::sheets::ids(e.path()).iter().any(|i| i == id);
        }
        extension == "csv"
            && csv::Reader::from_path(e.path()).is_ok_and(|mut r| {
                let col = r.headers().ok().and_then(|h| h.iter().position(|c| c.trim() == "id"));
                col.is_some_and(|c| r.records().flatten().any(|rec| rec.get(c).map(str::trim) == Some(id)))
            })
    })
}
