//! The theme's tera templates: parsed once to report errors, then one copy per
//! language with that language's UI strings written in, the `t` and `plural`
//! functions bound to it, and what is the same on every page of the language
//! (the chrome) in its global context.

use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::i18n::Language;
use crate::util::escape;

/// The theme's templates, kept as source so that each language gets its own
/// copy with its UI strings written in.
pub struct Templates {
    tera: Tera,
    sources: Vec<(String, String)>,
}

/// Loads the theme's templates; each error names the template file, line and
/// column. Every template a page kind of the [`super::catalogue`] renders
/// must exist.
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
    let tera = compile(&sources, None).map_err(|e| diagnostics(&dir, &e))?;
    for required in super::catalogue::required_templates() {
        if !sources.iter().any(|(n, _)| n == required) {
            return Err(vec![Diagnostic::file(&dir.join(required), "the theme has no such template")]);
        }
    }
    Ok(Templates { tera, sources })
}

/// A tera with esim's escaping and functions, the templates added. tera
/// checks at this point that every function and filter a template calls
/// exists: `t` and `plural` are bound to `lang` (to no language when only
/// checking), `asset` is bound by the renderer (see [`super::Renderer`]).
fn compile(sources: &[(String, String)], lang: Option<&Language>) -> tera::TeraResult<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html"]);
    tera.set_escape_fn(escape::html_to);
    tera.register_filter("filter", filter);
    match lang {
        Some(lang) => register_strings(&mut tera, Arc::new(lang.clone())),
        None => {
            for name in ["t", "plural"] {
                tera.register_function(name, |_: Kwargs, _: &State| -> tera::TeraResult<Value> {
                    Err(tera::Error::message("UI strings are bound to a language when pages render"))
                });
            }
        }
    }
    tera.register_function("asset", |_: Kwargs, _: &State| -> tera::TeraResult<Value> {
        Err(tera::Error::message("asset() is bound when pages render"))
    });
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))?;
    Ok(tera)
}

/// `t(key="…")` and `plural(key="…", n=…)` of one language.
fn register_strings(tera: &mut Tera, l: Arc<Language>) {
    let l2 = l.clone();
    tera.register_function("t", move |args: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let key: &str = args.must_get("key")?;
        if !l.has(key) {
            return Err(tera::Error::message(format!("unknown UI string {key:?} (add it to the theme's i18n files)")));
        }
        Ok(Value::from(l.t(key)))
    });
    tera.register_function("plural", move |args: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let key: &str = args.must_get("key")?;
        let n: u64 = args.must_get("n")?;
        Ok(Value::from(l2.plural(key, n)))
    });
}

/// tera 1's `filter(attribute="…", value=…)`, which tera 2 dropped: the items
/// of an array whose attribute equals the value (themes written for tera 1
/// use it).
fn filter(items: Vec<Value>, args: Kwargs, _: &State) -> tera::TeraResult<Vec<Value>> {
    let attribute: &str = args.must_get("attribute")?;
    let value: Value = args.must_get("value")?;
    Ok(items.into_iter().filter(|item| item.get_from_path(attribute) == Some(&value)).collect())
}

impl Templates {
    /// The templates of one language: its UI strings written in, `t` and
    /// `plural` bound to it.
    pub fn for_language(&self, lang: &Language) -> Tera {
        let localized: Vec<(String, String)> =
            self.sources.iter().map(|(n, s)| (n.clone(), with_strings(s, lang))).collect();
        // The localized copy parses whenever the original does; keep the original
        // if it ever did not.
        compile(&localized, Some(lang)).unwrap_or_else(|_| {
            let mut tera = self.tera.clone();
            register_strings(&mut tera, Arc::new(lang.clone()));
            tera
        })
    }
}

/// Each error of a theme's templates as `path:line:column`: tera reports
/// syntax errors with their place, and the others (an unknown filter or
/// function, a missing parent) in its report text, each at a `--> name:line:column` line.
fn diagnostics(dir: &Path, e: &tera::Error) -> Vec<Diagnostic> {
    if let tera::ErrorKind::SyntaxError(report) = e.kind() {
        let span = report.span();
        return vec![Diagnostic::new(
            &dir.join(report.filename()),
            span.start_line,
            span.start_col + 1,
            report.message(),
        )];
    }
    let text = e.to_string();
    let mut found = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            let mut parts = place.rsplitn(3, ':');
            let (col, row, name) = (parts.next(), parts.next(), parts.next());
            if let (Some(col), Some(row), Some(name)) = (col, row, name) {
                let (line, column) = (row.parse().unwrap_or(1), col.parse().unwrap_or(1));
                found.push(Diagnostic::new(&dir.join(name), line, column, message.take().unwrap_or_default()));
            }
        }
    }
    if found.is_empty() {
        found.push(Diagnostic::file(dir, error_chain(e)));
    }
    found
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

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    fn english() -> Language {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut diags = crate::diagnostics::Diagnostics::new();
        crate::i18n::load(&theme, &["en".to_string()], "en", &mut diags).remove(0)
    }

    fn sources(files: &[(&str, &str)]) -> Vec<(String, String)> {
        files.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect()
    }

    fn errors(files: &[(&str, &str)]) -> Vec<String> {
        let Err(e) = compile(&sources(files), None) else { panic!("the templates are refused") };
        diagnostics(Path::new("t"), &e).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_line_and_column() {
        let found = errors(&[("a.html", "<p>ok</p>\n<p>{{ name </p>\n")]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("t/a.html:2:"), "{found:?}");
    }

    #[test]
    fn each_unknown_filter_is_reported_at_its_place() {
        let found = errors(&[("a.html", "{{ x }}\n  {{ x | shout }}\n"), ("b.html", "{{ x | whisper }}")]);
        assert!(found.contains(&"t/a.html:2:10: Unknown filter `shout`".to_string()), "{found:?}");
        assert!(found.iter().any(|d| d.starts_with("t/b.html:1:") && d.contains("whisper")), "{found:?}");
    }

    #[test]
    fn a_language_copy_has_its_strings_and_the_filter_filter() {
        let en = english();
        let templates = Templates {
            tera: compile(&sources(&[]), None).unwrap(),
            sources: sources(&[(
                "p.html",
                "{{ t(key=\"nav_home\") }}|{{ plural(key=\"people\", n=2) }}|{% for r in rows | filter(attribute=\"n\", value=0) %}{{ r.name }}{% endfor %}",
            )]),
        };
        let tera = templates.for_language(&en);
        let mut ctx = Context::new();
        ctx.insert("rows", &serde_json::json!([{"n": 0, "name": "a"}, {"n": 1, "name": "b"}, {"n": 0, "name": "c"}]));
        let page = tera.render("p.html", &ctx).unwrap();
        assert_eq!(page, format!("{}|{}|ac", escape::html(en.t("nav_home")), en.plural("people", 2)));
    }
}
