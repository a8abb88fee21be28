//! The pipeline's shape, checked: every module imports only modules of the
//! layers before its own, so data flows one way — load → model → resolve →
//! render → publish → build → serve. A `crate::` path that points back up
//! (render calling publish, the library pointing at serve, a stage reaching
//! into the conductor) fails here with the file and line.

use std::path::Path;

/// Each top-level module of `src/` and its layer; a module may use only
/// modules of lower layers (and itself).
const LAYERS: &[(&str, u8)] = &[
    ("util", 0),
    ("diagnostics", 0),
    ("names", 0),
    ("urls", 0),
    ("model", 1),
    ("config", 2),
    ("i18n", 2),
    ("reference", 3),
    ("records", 4),
    ("content", 4),
    ("ledger", 4),
    ("site", 5),
    ("search", 6),
    ("export", 6),
    ("render", 7),
    ("duplicates", 7),
    ("publish", 8),
    ("build", 9),
    ("serve", 10),
    ("scaffold", 10),
    ("fixture", 10),
    ("deploy", 10),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The top-level modules a line of code names through `crate::` (comments
/// and doc comments aside).
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if let Some(group) = name.is_empty().then(|| rest.strip_prefix('{')).flatten() {
            // `use crate::{a, b::c}`: each name of the group.
            let inner = group.split('}').next().unwrap_or("");
            found.extend(inner.split(',').filter_map(|p| p.trim().split("::").next()).map(str::to_string));
        } else {
            found.push(name);
        }
    }
    found.retain(|n| !n.is_empty());
    found
}

#[test]
fn every_import_points_down_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if !rel.ends_with(".rs") || rel == "lib.rs" || rel == "main.rs" {
            continue;
        }
        files += 1;
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        let own = layer(&top).unwrap_or_else(|| panic!("src/{rel}: module {top:?} has no layer in tests/layers.rs"));
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (n, line) in text.lines().enumerate() {
            for dep in crate_paths(line) {
                if dep == top {
                    continue;
                }
                match layer(&dep) {
                    Some(l) if l < own => {}
                    Some(l) => wrong.push(format!("src/{rel}:{}: {top} (layer {own}) uses {dep} (layer {l})", n + 1)),
                    None => wrong.push(format!("src/{rel}:{}: unknown module crate::{dep}", n + 1)),
                }
            }
        }
    }
    assert!(files > 40, "only {files} source files found");
    assert!(wrong.is_empty(), "imports against the pipeline:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    assert_eq!(crate_paths("use crate::{config, records::columns};"), ["config", "records"]);
    assert_eq!(crate_paths("let x = crate::publish::MARKER; // crate::serve"), ["publish"]);
    assert!(crate_paths("//! see [`crate::serve`]").is_empty());
}

#[test]
fn no_source_file_is_longer_than_800_lines_but_data_tables() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tables = ["fixture/names.rs"];
    let mut long = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if rel.ends_with(".rs") && !tables.contains(&rel.as_str()) {
            let lines = std::fs::read_to_string(entry.path()).unwrap().lines().count();
            if lines > 800 {
                long.push(format!("src/{rel}: {lines} lines"));
            }
        }
    }
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}
