//! The theme's tera templates: parsed once to report errors, then one copy per
//! language with that language's UI strings written in, and the `t` and
//! `plural` functions bound to it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use tera::{Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::i18n::Language;
use crate::util::escape;

/// The theme's templates, kept as source so that each language gets its own
/// copy with its UI strings written in.
pub struct Templates {
    tera: Tera,
    sources: Vec<(String, String)>,
}

/// Loads the theme's templates; errors name the template file. Every
/// template a page kind of the [`super::catalogue`] renders must exist.
pub fn load_templates(theme_dir: &Path) -> Result<Templates, Vec<Diagnostic>> {
    let dir = theme_dir.join("templates");
    let mut sources = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "html") {
            let name = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| vec![Diagnostic::file(entry.path(), format!("cannot read the template: {e}"))])?;
            sources.push((name, text));
        }
    }
    let tera = compile(&sources).map_err(|e| vec![Diagnostic::file(&dir, error_chain(&e))])?;
    for required in super::catalogue::required_templates() {
        if !sources.iter().any(|(n, _)| n == required) {
            return Err(vec![Diagnostic::file(&dir.join(required), "the theme has no such template")]);
        }
    }
    Ok(Templates { tera, sources })
}

fn compile(sources: &[(String, String)]) -> tera::Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape::html);
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))?;
    Ok(tera)
}

impl Templates {
    /// The templates of one language: its UI strings written in, `t` and
    /// `plural` bound to it.
    pub fn for_language(&self, lang: &Language) -> Tera {
        let localized: Vec<(String, String)> =
            self.sources.iter().map(|(n, s)| (n.clone(), with_strings(s, lang))).collect();
        // The localized copy parses whenever the original does; keep the original
        // if it ever did not.
        let mut tera = compile(&localized).unwrap_or_else(|_| self.tera.clone());
        let l = Arc::new(lang.clone());
        let l2 = l.clone();
        tera.register_function("t", move |args: &HashMap<String, Value>| {
            let key = args.get("key").and_then(Value::as_str).ok_or("t() needs key=\"…\"")?;
            if !l.has(key) {
                return Err(format!("unknown UI string {key:?} (add it to the theme's i18n files)").into());
            }
            Ok(Value::String(l.t(key).to_string()))
        });
        tera.register_function("plural", move |args: &HashMap<String, Value>| {
            let key = args.get("key").and_then(Value::as_str).ok_or("plural() needs key=\"…\"")?;
            let n = args.get("n").and_then(Value::as_u64).ok_or("plural() needs n=<number>")?;
            Ok(Value::String(l2.plural(key, n)))
        });
        tera
    }
}

/// Writes the language's UI strings into a template in place of
/// `{{ t(key="…") }}`: the commonest expression of every page, evaluated once
/// per language instead of dozens of times per page.
fn with_strings(source: &str, lang: &Language) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("{{ t(key=") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{{ t(key=".len()..];
        let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'');
        let parsed = quote.and_then(|q| {
            let key_end = after[1..].find(q)? + 1;
            let key = &after[1..key_end];
            let tail = after[key_end + 1..].strip_prefix(") }}")?;
            // A string that looks like template syntax stays a function call.
            let text = lang.t(key);
            (lang.has(key) && !text.contains("{{") && !text.contains("{%") && !text.contains("{#"))
                .then_some((key, tail))
        });
        match parsed {
            Some((key, tail)) => {
                out.push_str(&escape::html(lang.t(key)));
                rest = tail;
            }
            None => {
                out.push_str("{{ t(key=");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tera error with its causes, which carry the template name and position.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Minifies a page. The defaults of minify-html keep the output spec-compliant
/// (quoted attributes, spaces between them, the doctype), which the HTML checker
/// in the test suite verifies.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: false,
        minify_js: false,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}
