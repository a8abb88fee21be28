//! What is the same on every page of a language, rendered once: each
//! language's parsed templates have their parts that read only the chrome
//! (site title, navigation, footer, stylesheet link…), the language code, UI
//! strings and asset links replaced by the text they render to. A person page
//! then no longer looks these up, escapes them or loops over the navigation,
//! and when no template reads the chrome any more, pages no longer carry a copy
//! of it in their context.
//!
//! The theme stays in charge: its templates still say where the chrome goes
//! and how it looks; a part is folded only when every name it reads is known
//! before any page is rendered, and it is rendered by tera itself (same
//! escaping, filters and functions). Anything else (page variables, macros,
//! `set`, blocks, includes) is left to tera at page time.

use tera::ast::{Expr, ExprVal, Node};
use tera::{Context, Template, Tera, Value};

/// The context variables that are the same on every page of a language.
const CONSTANT_ROOTS: [&str; 2] = ["chrome", "lang"];

/// Functions whose result depends only on their arguments and the language.
const PURE_FUNCTIONS: [&str; 4] = ["t", "plural", "asset", "range"];

/// The scratch template a folded part is rendered from; `.html` so that it is
/// escaped as the templates it comes from.
const SCRATCH: &str = "__esim_fold__.html";

/// Folds the language's constant parts into its templates. `constants` holds
/// the values of [`CONSTANT_ROOTS`] (as the page context has them). Returns
/// whether a template still reads the chrome at page time (then pages must
/// carry it).
pub fn fold(tera: &mut Tera, constants: &Context) -> bool {
    if tera.templates.values().any(rebinds_constant) {
        // `{% set chrome = … %}` or a loop or macro argument named so: the
        // names no longer mean the page-independent values everywhere.
        return true;
    }
    let names: Vec<String> = tera.templates.keys().cloned().collect();
    for name in &names {
        let Some(mut tpl) = tera.templates.remove(name) else { continue };
        let mut render = |node: &Node| render_once(tera, node, constants);
        fold_nodes(&mut tpl.ast, &mut render);
        for block in tpl.blocks.values_mut() {
            fold_nodes(&mut block.body, &mut render);
        }
        tera.templates.insert(name.clone(), tpl);
    }
    tera.templates.remove(SCRATCH);
    // Blocks are copied into each template's inheritance chain: copy the folded ones.
    if tera.build_inheritance_chains().is_err() {
        return true;
    }
    tera.templates.values().any(reads_chrome)
}

/// Renders one constant node with the constants alone; None when tera fails
/// (the page render will report it, with the page's context).
fn render_once(tera: &mut Tera, node: &Node, constants: &Context) -> Option<String> {
    let mut scratch = Template::new(SCRATCH, None, "").ok()?;
    scratch.ast = vec![node.clone()];
    tera.templates.insert(SCRATCH.to_string(), scratch);
    let text = tera.render(SCRATCH, constants).ok()?;
    // Text that looks like template syntax is fine in a Text node (it is never parsed again).
    Some(text)
}

/// Replaces each maximal constant node by its text, then merges neighbouring texts.
fn fold_nodes(nodes: &mut Vec<Node>, render: &mut dyn FnMut(&Node) -> Option<String>) {
    for node in nodes.iter_mut() {
        if matches!(node, Node::Text(_)) {
            continue;
        }
        if constant_node(node, &[]) {
            if let Some(text) = render(node) {
                *node = Node::Text(text);
                continue;
            }
        }
        for body in bodies_mut(node) {
            fold_nodes(body, render);
        }
    }
    merge_texts(nodes);
}

/// The node lists inside a node that is rendered in the page's own scope (not
/// macro definitions: their arguments may shadow anything).
fn bodies_mut(node: &mut Node) -> Vec<&mut Vec<Node>> {
    match node {
        Node::Block(_, b, _) => vec![&mut b.body],
        Node::Forloop(_, f, _) => {
            let mut v = vec![&mut f.body];
            v.extend(f.empty_body.as_mut());
            v
        }
        Node::If(i, _) => {
            let mut v: Vec<&mut Vec<Node>> = i.conditions.iter_mut().map(|(_, _, body)| body).collect();
            v.extend(i.otherwise.as_mut().map(|(_, body)| body));
            v
        }
        Node::FilterSection(_, f, _) => vec![&mut f.body],
        _ => Vec::new(),
    }
}

fn merge_texts(nodes: &mut Vec<Node>) {
    let mut merged: Vec<Node> = Vec::with_capacity(nodes.len());
    for node in nodes.drain(..) {
        match (merged.last_mut(), node) {
            (Some(Node::Text(prev)), Node::Text(text)) => prev.push_str(&text),
            (_, node) => merged.push(node),
        }
    }
    merged.retain(|n| !matches!(n, Node::Text(t) if t.is_empty()));
    *nodes = merged;
}

/// Whether a node renders the same on every page of a language: it reads only
/// constants, names `bound` by enclosing loops being folded, and pure functions.
fn constant_node(node: &Node, bound: &[&str]) -> bool {
    match node {
        Node::Text(_) | Node::Raw(..) | Node::Comment(..) => true,
        Node::VariableBlock(_, e) => constant_expr(e, bound),
        Node::If(i, _) => {
            i.conditions.iter().all(|(_, e, body)| constant_expr(e, bound) && constant_nodes(body, bound))
                && i.otherwise.as_ref().is_none_or(|(_, body)| constant_nodes(body, bound))
        }
        Node::Forloop(_, f, _) => {
            let mut inner = bound.to_vec();
            inner.extend(f.key.as_deref());
            inner.push(&f.value);
            inner.push("loop");
            constant_expr(&f.container, bound)
                && constant_nodes(&f.body, &inner)
                && f.empty_body.as_ref().is_none_or(|b| constant_nodes(b, bound))
        }
        Node::FilterSection(_, f, _) => {
            f.filter.args.values().all(|e| constant_expr(e, bound)) && constant_nodes(&f.body, bound)
        }
        // set, blocks, includes, macros, break and continue depend on more than the node.
        _ => false,
    }
}

fn constant_nodes(nodes: &[Node], bound: &[&str]) -> bool {
    nodes.iter().all(|n| constant_node(n, bound))
}

fn constant_expr(e: &Expr, bound: &[&str]) -> bool {
    e.filters.iter().all(|f| f.args.values().all(|a| constant_expr(a, bound))) && constant_val(&e.val, bound)
}

fn constant_val(v: &ExprVal, bound: &[&str]) -> bool {
    match v {
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => true,
        ExprVal::Ident(name) => constant_name(name, bound),
        ExprVal::Math(m) => constant_expr(&m.lhs, bound) && constant_expr(&m.rhs, bound),
        ExprVal::Logic(l) => constant_expr(&l.lhs, bound) && constant_expr(&l.rhs, bound),
        ExprVal::In(i) => constant_expr(&i.lhs, bound) && constant_expr(&i.rhs, bound),
        ExprVal::Test(t) => constant_name(&t.ident, bound) && t.args.iter().all(|a| constant_expr(a, bound)),
        ExprVal::FunctionCall(f) => {
            PURE_FUNCTIONS.contains(&f.name.as_str()) && f.args.values().all(|a| constant_expr(a, bound))
        }
        ExprVal::Array(items) => items.iter().all(|a| constant_expr(a, bound)),
        ExprVal::StringConcat(c) => c.values.iter().all(|v| constant_val(v, bound)),
        ExprVal::MacroCall(_) => false,
    }
}

/// `chrome.nav.1.href`, `lang`, or a name bound by a loop being folded.
fn constant_name(name: &str, bound: &[&str]) -> bool {
    let root = root(name);
    CONSTANT_ROOTS.contains(&root) || bound.contains(&root)
}

fn root(name: &str) -> &str {
    name.split(['.', '[']).next().unwrap_or(name)
}

/// Whether a template gives one of the constants' names another value.
fn rebinds_constant(tpl: &Template) -> bool {
    let mut found = tpl.macros.values().any(|m| m.args.keys().any(|a| CONSTANT_ROOTS.contains(&a.as_str())));
    let mut visit = |node: &Node| {
        let names: Vec<&str> = match node {
            Node::Set(_, s) => vec![s.key.as_str()],
            Node::Forloop(_, f, _) => f.key.iter().map(String::as_str).chain([f.value.as_str()]).collect(),
            _ => Vec::new(),
        };
        found |= names.iter().any(|n| CONSTANT_ROOTS.contains(n));
    };
    walk(&tpl.ast, &mut visit);
    for m in tpl.macros.values() {
        walk(&m.body, &mut visit);
    }
    found
}

/// Whether a template still reads the chrome (or dumps the whole context).
fn reads_chrome(tpl: &Template) -> bool {
    let mut found = tpl.macros.values().any(|m| m.args.values().flatten().any(expr_reads_chrome));
    let mut visit = |node: &Node| found |= node_reads_chrome(node);
    walk(&tpl.ast, &mut visit);
    for b in tpl.blocks.values() {
        walk(&b.body, &mut visit);
    }
    for m in tpl.macros.values() {
        walk(&m.body, &mut visit);
    }
    found
}

fn node_reads_chrome(node: &Node) -> bool {
    match node {
        Node::VariableBlock(_, e) => expr_reads_chrome(e),
        Node::Set(_, s) => expr_reads_chrome(&s.value),
        Node::Forloop(_, f, _) => expr_reads_chrome(&f.container),
        Node::If(i, _) => i.conditions.iter().any(|(_, e, _)| expr_reads_chrome(e)),
        Node::FilterSection(_, f, _) => f.filter.args.values().any(expr_reads_chrome),
        _ => false,
    }
}

fn expr_reads_chrome(e: &Expr) -> bool {
    e.filters.iter().any(|f| f.args.values().any(expr_reads_chrome)) || val_reads_chrome(&e.val)
}

fn val_reads_chrome(v: &ExprVal) -> bool {
    let reads = |name: &str| root(name) == "chrome" || name == "__tera_context";
    match v {
        ExprVal::Ident(name) => reads(name),
        ExprVal::Math(m) => expr_reads_chrome(&m.lhs) || expr_reads_chrome(&m.rhs),
        ExprVal::Logic(l) => expr_reads_chrome(&l.lhs) || expr_reads_chrome(&l.rhs),
        ExprVal::In(i) => expr_reads_chrome(&i.lhs) || expr_reads_chrome(&i.rhs),
        ExprVal::Test(t) => reads(&t.ident) || t.args.iter().any(expr_reads_chrome),
        ExprVal::FunctionCall(f) => f.args.values().any(expr_reads_chrome),
        ExprVal::MacroCall(m) => m.args.values().any(expr_reads_chrome),
        ExprVal::Array(items) => items.iter().any(expr_reads_chrome),
        ExprVal::StringConcat(c) => c.values.iter().any(val_reads_chrome),
        _ => false,
    }
}

/// Calls `visit` on every node, depth first (macro definitions included).
fn walk(nodes: &[Node], visit: &mut dyn FnMut(&Node)) {
    for node in nodes {
        visit(node);
        match node {
            Node::Block(_, b, _) => walk(&b.body, visit),
            Node::Forloop(_, f, _) => {
                walk(&f.body, visit);
                if let Some(b) = &f.empty_body {
                    walk(b, visit);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    walk(body, visit);
                }
                if let Some((_, body)) = &i.otherwise {
                    walk(body, visit);
                }
            }
            Node::FilterSection(_, f, _) => walk(&f.body, visit),
            Node::MacroDefinition(_, m, _) => walk(&m.body, visit),
            _ => {}
        }
    }
}

/// The constants of one language as the page context has them.
pub fn constants(chrome: &Value, lang: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("chrome", chrome);
    ctx.insert("lang", lang);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BASE: &str = r#"<html lang="{{ lang }}"><title>{{ page.title }} — {{ chrome.site_title }}</title>
<a href="{{ chrome.home }}">{{ chrome.site_title | upper }}</a>
<ul>{% for n in chrome.nav %}<li{% if loop.first %} class="first"{% endif %}><a href="{{ n.href }}">{{ n.label }}</a></li>{% endfor %}</ul>
<ul>{% for l in page.switcher %}<li lang="{{ l.code }}">{{ l.name }} {{ lang }}</li>{% endfor %}</ul>
{% block main %}{% endblock main %}
{% if chrome.footer %}<footer>{% for n in chrome.footer %}{{ n.label }}{% endfor %}</footer>{% endif %}"#;

    const CHILD: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>
{% if page.flag %}<a href="{{ chrome.nav.1.href }}">{{ t(key="more") }}</a>{% endif %}{% endblock main %}"#;

    fn tera(templates: &[(&str, &str)]) -> Tera {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::util::escape::html);
        tera.add_raw_templates(templates.to_vec()).unwrap();
        tera.register_function("t", |args: &std::collections::HashMap<String, Value>| {
            Ok(Value::String(format!("«{}»", args["key"].as_str().unwrap())))
        });
        tera
    }

    fn chrome() -> Value {
        json!({
            "site_title": "Memorial <\"Ä&Ә\">",
            "home": "/kk/?a=1&b=2",
            "nav": [{"label": "Бас бет", "href": "/kk/"}, {"label": "Өңірлер", "href": "/kk/regions/"}],
            "footer": [{"label": "Data & more", "href": "/kk/data/"}],
        })
    }

    fn page(flag: bool) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", "kk");
        ctx.insert(
            "page",
            &json!({"title": "Әбаев <i>", "flag": flag,
                    "switcher": [{"code": "kk", "name": "Қазақша"}, {"code": "ru", "name": "Русский"}]}),
        );
        ctx
    }

    fn with_chrome(mut ctx: Context) -> Context {
        ctx.insert("chrome", &chrome());
        ctx
    }

    #[test]
    fn folded_templates_render_the_same_pages_without_the_chrome() {
        let templates = [("base.html", BASE), ("child.html", CHILD)];
        let plain = tera(&templates);
        let mut folded = tera(&templates);
        let reads_chrome = fold(&mut folded, &constants(&chrome(), "kk"));
        assert!(!reads_chrome, "every use of the chrome is folded");
        for flag in [true, false] {
            let expected = plain.render("child.html", &with_chrome(page(flag))).unwrap();
            assert_eq!(folded.render("child.html", &page(flag)).unwrap(), expected);
            assert!(expected.contains("Memorial &lt;&quot;Ä&amp;Ә&quot;&gt;"), "{expected}");
        }
        // The page-independent parts became text: base.html keeps only the page's expressions.
        let base = &folded.templates["base.html"].ast;
        assert!(base.iter().all(|n| !matches!(n, Node::VariableBlock(_, e) if !expr_reads_page(e))), "{base:?}");
        assert!(base.iter().filter(|n| matches!(n, Node::Forloop(..))).count() == 1, "only the switcher loops");
    }

    fn expr_reads_page(e: &Expr) -> bool {
        matches!(&e.val, ExprVal::Ident(n) if n.starts_with("page."))
    }

    #[test]
    fn chrome_mixed_with_page_values_is_left_to_tera() {
        let mixed =
            r#"{% if chrome.home and page.flag %}{{ chrome.home }}{% endif %}{{ page.title ~ chrome.site_title }}"#;
        let templates = [("mixed.html", mixed)];
        let plain = tera(&templates);
        let mut folded = tera(&templates);
        assert!(fold(&mut folded, &constants(&chrome(), "kk")), "pages must still carry the chrome");
        for flag in [true, false] {
            let ctx = with_chrome(page(flag));
            assert_eq!(folded.render("mixed.html", &ctx).unwrap(), plain.render("mixed.html", &ctx).unwrap());
        }
    }

    #[test]
    fn a_template_that_rebinds_a_constant_name_is_not_folded() {
        let rebinds = r#"{% for lang in page.switcher %}{{ lang.code }}{% endfor %}{{ chrome.home }}"#;
        let mut folded = tera(&[("rebinds.html", rebinds)]);
        assert!(fold(&mut folded, &constants(&chrome(), "kk")));
        let ctx = with_chrome(page(true));
        assert_eq!(folded.render("rebinds.html", &ctx).unwrap(), "kkru/kk/?a=1&amp;b=2");
    }

    #[test]
    fn a_constant_part_that_fails_is_reported_at_page_time() {
        let broken = r#"<p>{{ chrome.missing }}</p>{{ page.title }}"#;
        let mut folded = tera(&[("broken.html", broken)]);
        assert!(fold(&mut folded, &constants(&chrome(), "kk")), "still reads the chrome");
        let err = folded.render("broken.html", &with_chrome(page(true))).unwrap_err();
        assert!(crate::render::templates::error_chain(&err).contains("chrome.missing"));
    }
}
