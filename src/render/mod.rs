//! Render: the tera environment and the page jobs. Every page of the site is a
//! small [`Job`]; jobs run in parallel with rayon, each rendered, minified and
//! handed to the writer at once, so no more HTML is held than the pages in flight.

pub mod cite;
pub mod inputs;
pub mod views;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::i18n::{fill, Language};
use crate::publish::sitemap::SitemapWriter;
use crate::records::PartialDate;
use crate::site::Site;
use crate::urls::{route, Urls};
use views::*;

/// One page to render. Indices keep the job list compact at a million pages.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Root,
    Home(u8),
    Person(u32, u8),
    Regions(u8),
    Region {
        region: u16,
        lang: u8,
        page: u32,
    },
    Essays(u8),
    Essay(u16, u8),
    Page(u16, u8),
    /// The page of a merged record, forwarding to the surviving person.
    Redirect(u32, u8),
    /// A person's open-data record, `/data/people/{id}.json`.
    PersonData(u32),
    /// The page describing the open data.
    Data(u8),
    /// The search page.
    Search(u8),
    NotFound,
}

/// Where rendered pages go: (job, route, bytes), as the publisher writes them.
pub type WritePage<'a> = dyn Fn(Job, &str, &[u8]) -> Result<(), String> + Sync + 'a;

/// Shared parts of every page in one language, prepared once.
#[derive(Serialize)]
struct Chrome<'a> {
    lang: &'a str,
    site_title: &'a str,
    home: String,
    nav: Vec<Link>,
    footer: Vec<Link>,
    stylesheet: String,
    favicon: String,
    search: String,
    corrections_page: Option<String>,
    record_lang: &'a str,
}

pub struct Renderer<'a> {
    site: &'a Site,
    /// One tera per language: the `t` and `plural` functions are bound to it.
    teras: Vec<Tera>,
    chromes: Vec<Value>,
    minify: bool,
    build_date: PartialDate,
    /// What the search pages tell the browser about the index.
    search: Option<crate::search::index::Manifest>,
}

/// The theme's templates: parsed once to report errors, and kept as source so
/// that each language gets its own copy with its UI strings written in.
pub struct Templates {
    tera: Tera,
    sources: Vec<(String, String)>,
}

const REQUIRED_TEMPLATES: [&str; 13] = [
    "base.html",
    "home.html",
    "person.html",
    "regions.html",
    "region.html",
    "essays.html",
    "essay.html",
    "page.html",
    "missing.html",
    "404.html",
    "redirect.html",
    "data.html",
    "search.html",
];

/// Loads the theme's templates; errors name the template file.
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
    for required in REQUIRED_TEMPLATES {
        if !sources.iter().any(|(n, _)| n == required) {
            return Err(vec![Diagnostic::file(&dir.join(required), "the theme has no such template")]);
        }
    }
    Ok(Templates { tera, sources })
}

fn compile(sources: &[(String, String)]) -> tera::Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))?;
    Ok(tera)
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
                out.push_str(&escape_html(lang.t(key)));
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

/// HTML escaping of the five characters that matter in text and quoted
/// attributes. (tera's default also escapes `/`, which only bloats every URL.)
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut last = 0;
    for (i, b) in input.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&input[last..]);
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

fn bind_language(templates: &Templates, lang: &Language) -> Tera {
    let localized: Vec<(String, String)> =
        templates.sources.iter().map(|(n, s)| (n.clone(), with_strings(s, lang))).collect();
    // The localized copy parses whenever the original does; keep the original
    // if it ever did not.
    let mut tera = compile(&localized).unwrap_or_else(|_| templates.tera.clone());
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

impl<'a> Renderer<'a> {
    /// `build_date` is the version date of citations (SOURCE_DATE_EPOCH when set,
    /// so that builds stay reproducible).
    pub fn new(site: &'a Site, templates: &Templates, asset_version: &str, build_date: PartialDate) -> Renderer<'a> {
        let teras = site.languages.iter().map(|l| bind_language(templates, l)).collect();
        let chromes = site.languages.iter().map(|l| chrome(site, l, asset_version)).collect();
        Renderer { site, teras, chromes, minify: site.config.build.minify, build_date, search: None }
    }

    /// The search index that the search pages will query.
    pub fn set_search_manifest(&mut self, manifest: crate::search::index::Manifest) {
        self.search = Some(manifest);
    }

    /// Every page of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let mut jobs = vec![Job::Root, Job::NotFound];
        for li in 0..s.languages.len() as u8 {
            jobs.push(Job::Home(li));
            jobs.push(Job::Regions(li));
            jobs.push(Job::Essays(li));
            jobs.push(Job::Data(li));
            jobs.push(Job::Search(li));
            for (r, _) in s.regions.list.iter().enumerate() {
                for page in 1..=self.region_pages(r) {
                    jobs.push(Job::Region { region: r as u16, lang: li, page: page as u32 });
                }
            }
            jobs.extend((0..s.essays.len()).map(|e| Job::Essay(e as u16, li)));
            jobs.extend((0..s.pages.len()).map(|p| Job::Page(p as u16, li)));
        }
        for r in 0..s.redirects.len() as u32 {
            jobs.extend((0..s.languages.len() as u8).map(|li| Job::Redirect(r, li)));
        }
        for p in 0..s.people.len() as u32 {
            jobs.extend((0..s.languages.len() as u8).map(|li| Job::Person(p, li)));
            jobs.push(Job::PersonData(p));
        }
        jobs
    }

    fn region_pages(&self, region: usize) -> usize {
        self.site.region_count(region).div_ceil(self.site.config.build.people_per_page).max(1)
    }

    /// Renders the jobs in parallel, handing each page to `write` (route, bytes).
    pub fn run(&self, jobs: &[Job], write: &WritePage<'_>, tick: &(dyn Fn() + Sync)) -> Result<(), String> {
        jobs.par_iter().try_for_each(|job| {
            let (route, html) = self.render(*job)?;
            let is_html = route.ends_with('/') || route.ends_with(".html");
            let bytes = if self.minify && is_html { minify(html.as_bytes()) } else { html.into_bytes() };
            write(*job, &route, &bytes)?;
            tick();
            Ok(())
        })
    }

    fn lang(&self, li: u8) -> &'a Language {
        &self.site.languages[li as usize]
    }

    fn context(&self, li: u8, meta: PageMeta) -> Context {
        let mut ctx = Context::new();
        ctx.insert("chrome", &self.chromes[li as usize]);
        ctx.insert("lang", &self.lang(li).code);
        ctx.insert("page", &meta);
        ctx
    }

    fn template(&self, li: u8, name: &str, ctx: &Context) -> Result<String, String> {
        self.teras[li as usize].render(name, ctx).map_err(|e| format!("template {name}: {}", error_chain(&e)))
    }

    /// The route of a job's page, without rendering it.
    pub fn route(&self, job: Job) -> String {
        let s = self.site;
        let code = |li: u8| s.languages[li as usize].code.as_str();
        match job {
            Job::Root => route::root(),
            Job::Home(li) => route::home(code(li)),
            Job::Person(p, li) => route::person(code(li), &s.people[p as usize].id),
            Job::Regions(li) => route::regions(code(li)),
            Job::Region { region, lang, page } => {
                route::region(code(lang), &s.regions.list[region as usize].slug, page as usize)
            }
            Job::Essays(li) => route::essays(code(li)),
            Job::Essay(e, li) => route::essay(code(li), &s.essays[e as usize].slug),
            Job::Page(p, li) => route::page(code(li), &s.pages[p as usize].slug),
            Job::Redirect(r, li) => route::person(code(li), &s.redirects[r as usize].from),
            Job::PersonData(p) => route::person_data(&s.people[p as usize].id),
            Job::Data(li) => route::data(code(li)),
            Job::Search(li) => route::search(code(li)),
            Job::NotFound => route::not_found(),
        }
    }

    /// Renders one job to (route, HTML).
    pub fn render(&self, job: Job) -> Result<(String, String), String> {
        match job {
            Job::Root => self.home(self.default_li(), true),
            Job::Home(li) => self.home(li, false),
            Job::Person(p, li) => self.person(p as usize, li),
            Job::Regions(li) => self.regions(li),
            Job::Region { region, lang, page } => self.region(region as usize, lang, page as usize),
            Job::Essays(li) => self.essays(li),
            Job::Essay(e, li) => self.document(&self.site.essays[e as usize], li, route::essay, "essay.html"),
            Job::Page(p, li) => self.document(&self.site.pages[p as usize], li, route::page, "page.html"),
            Job::Redirect(r, li) => self.redirect(r as usize, li),
            Job::PersonData(p) => {
                let person = &self.site.people[p as usize];
                let json = crate::publish::opendata::person_json(self.site, person);
                Ok((route::person_data(&person.id), serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?))
            }
            Job::Data(li) => self.data_page(li),
            Job::Search(li) => self.search_page(li),
            Job::NotFound => self.not_found(),
        }
    }

    fn default_li(&self) -> u8 {
        let s = self.site;
        s.languages.iter().position(|l| l.code == s.config.default_language).unwrap_or(0) as u8
    }

    fn site_title(&self, lang: &str) -> &str {
        &self.site.config.title[lang]
    }

    fn full_title(&self, title: &str, lang: &str) -> String {
        format!("{title} — {}", self.site_title(lang))
    }

    fn home(&self, li: u8, root: bool) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let description = s.config.description.get(&l.code).cloned().unwrap_or_default();
        let meta =
            page_meta(s, &l.code, self.site_title(&l.code).to_string(), description, &|lang| Some(route::home(lang)));
        let mut ctx = self.context(li, meta);
        ctx.insert("people_count", &s.people.len());
        ctx.insert("people_count_label", &l.plural("people", s.people.len() as u64));
        ctx.insert("regions", &region_links(s, l));
        let essays: Vec<DocLink> = s.essays.iter().map(|e| doc_link(s, e, l, route::essay)).collect();
        ctx.insert("essays", &essays);
        ctx.insert("is_root", &root);
        let route = if root { route::root() } else { route::home(&l.code) };
        Ok((route, self.template(li, "home.html", &ctx)?))
    }

    fn person(&self, p: usize, li: u8) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let view = views::person(s, p, l, &self.build_date);
        let id = &s.people[p].id;
        let mut description = view.name.clone();
        if !view.years.is_empty() {
            description.push_str(&format!(" ({})", view.years));
        }
        let description = format!("{description}. {}", l.t("person_description"));
        let meta = page_meta(s, &l.code, self.full_title(&view.name, &l.code), description, &|lang| {
            Some(route::person(lang, id))
        });
        let mut ctx = self.context(li, meta);
        ctx.insert("person", &view);
        Ok((route::person(&l.code, id), self.template(li, "person.html", &ctx)?))
    }

    fn regions(&self, li: u8) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let title = l.t("regions_title").to_string();
        let meta =
            page_meta(s, &l.code, self.full_title(&title, &l.code), l.t("regions_description").into(), &|lang| {
                Some(route::regions(lang))
            });
        let mut ctx = self.context(li, meta);
        ctx.insert("regions", &region_links(s, l));
        ctx.insert("people_count_label", &l.plural("people", s.people.len() as u64));
        Ok((route::regions(&l.code), self.template(li, "regions.html", &ctx)?))
    }

    fn region(&self, r: usize, li: u8, page: usize) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let region = &s.regions.list[r];
        let per_page = s.config.build.people_per_page;
        let index = &s.indexes[li as usize][r];
        let pages = self.region_pages(r);
        let name = &region.names[&l.code];
        let title = if page > 1 {
            format!("{name} — {}", fill(l.t("page_n"), &[("n", &page.to_string())]))
        } else {
            name.clone()
        };
        let slug = &region.slug;
        let meta = page_meta(
            s,
            &l.code,
            self.full_title(&title, &l.code),
            format!("{name}: {}", l.plural("people", index.entries.len() as u64)),
            &|lang| Some(route::region(lang, slug, page)),
        );

        // Letter navigation: each letter links to the page where it begins.
        let mut letters: Vec<LetterLink> = Vec::new();
        for (i, e) in index.entries.iter().enumerate() {
            match letters.last_mut() {
                Some(last) if last.rank == e.letter_rank => last.count += 1,
                _ => letters.push(LetterLink {
                    rank: e.letter_rank,
                    letter: l.collator.letter(e.letter_rank),
                    href: format!(
                        "{}#letter-{}",
                        s.urls.link(&route::region(&l.code, slug, i / per_page + 1)),
                        e.letter_rank
                    ),
                    count: 1,
                }),
            }
        }
        // This page's people, grouped under their letters.
        let start = (page - 1) * per_page;
        let mut groups: Vec<LetterGroup> = Vec::new();
        for e in index.entries.iter().skip(start).take(per_page) {
            if groups.last().is_none_or(|g| g.rank != e.letter_rank) {
                groups.push(LetterGroup {
                    rank: e.letter_rank,
                    letter: l.collator.letter(e.letter_rank),
                    people: Vec::new(),
                });
            }
            groups.last_mut().expect("pushed above").people.push(person_link(s, e.person as usize, &l.code));
        }
        let pagination: Vec<PageLink> = (1..=pages)
            .map(|n| PageLink { number: n, href: s.urls.link(&route::region(&l.code, slug, n)), current: n == page })
            .collect();
        let mut ctx = self.context(li, meta);
        ctx.insert(
            "region",
            &RegionView {
                name,
                code: &region.code,
                centre: region.centre.get(&l.code).map(String::as_str),
                historical: region.historical.get(&l.code).map(String::as_str),
                count_label: l.plural("people", index.entries.len() as u64),
                count: index.entries.len(),
            },
        );
        ctx.insert("letters", &letters);
        ctx.insert("groups", &groups);
        ctx.insert("pagination", &pagination);
        ctx.insert("current_page", &page);
        ctx.insert("page_label", &fill(l.t("page_n"), &[("n", &page.to_string())]));
        ctx.insert("prev", &(page > 1).then(|| s.urls.link(&route::region(&l.code, slug, page - 1))));
        ctx.insert("next", &(page < pages).then(|| s.urls.link(&route::region(&l.code, slug, page + 1))));
        Ok((route::region(&l.code, slug, page), self.template(li, "region.html", &ctx)?))
    }

    fn essays(&self, li: u8) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let title = l.t("essays_title").to_string();
        let meta = page_meta(s, &l.code, self.full_title(&title, &l.code), l.t("essays_description").into(), &|lang| {
            Some(route::essays(lang))
        });
        let mut ctx = self.context(li, meta);
        let essays: Vec<DocLink> = s.essays.iter().map(|e| doc_link(s, e, l, route::essay)).collect();
        ctx.insert("essays", &essays);
        Ok((route::essays(&l.code), self.template(li, "essays.html", &ctx)?))
    }

    /// An essay or page; where it has no translation in this language, a page that
    /// says so and links to the languages that have it.
    fn document(
        &self,
        group: &crate::site::Translations,
        li: u8,
        route_of: fn(&str, &str) -> String,
        template: &str,
    ) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let slug = &group.slug;
        let exists = |lang: &str| group.docs.contains_key(lang).then(|| route_of(lang, slug));
        let own_route = route_of(&l.code, slug);
        match group.docs.get(&l.code) {
            Some(doc) => {
                let description = doc.meta.summary.clone().unwrap_or_default();
                let meta = page_meta(s, &l.code, self.full_title(doc.title(), &l.code), description, &exists);
                let mut ctx = self.context(li, meta);
                let date = doc.date_iso();
                ctx.insert(
                    "doc",
                    &DocView {
                        title: doc.title(),
                        html: &doc.html,
                        authors: &doc.meta.authors,
                        summary: doc.meta.summary.as_deref(),
                        date: date
                            .as_deref()
                            .and_then(|d| crate::records::PartialDate::parse(d).ok())
                            .map(|d| l.date(&d)),
                        datetime: date,
                        headings: &doc.headings,
                        sources: &doc.meta.sources,
                    },
                );
                Ok((own_route, self.template(li, template, &ctx)?))
            }
            None => {
                let best = group.best(&l.code, &s.languages);
                let meta = page_meta(s, &l.code, self.full_title(best.title(), &l.code), String::new(), &exists);
                let mut ctx = self.context(li, meta);
                let available: Vec<AvailableTranslation> = s
                    .languages
                    .iter()
                    .filter_map(|other| {
                        group.docs.get(&other.code).map(|d| AvailableTranslation {
                            lang: &other.code,
                            language: &other.name,
                            title: d.title(),
                            href: s.urls.link(&route_of(&other.code, slug)),
                        })
                    })
                    .collect();
                ctx.insert("available", &available);
                Ok((own_route, self.template(li, "missing.html", &ctx)?))
            }
        }
    }

    /// A merged record's page: canonical to the surviving person, a meta refresh
    /// and a visible link, for hosts without redirect rules.
    fn redirect(&self, r: usize, li: u8) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let redirect = &s.redirects[r];
        let target = s.people.iter().position(|p| p.id == redirect.to).ok_or("a redirect target exists")?;
        let person = person_link(s, target, &l.code);
        let to = redirect.to.clone();
        let mut meta = page_meta(s, &l.code, self.full_title(&person.name, &l.code), String::new(), &|lang| {
            Some(route::person(lang, &to))
        });
        meta.noindex = true;
        meta.switcher = s
            .languages
            .iter()
            .map(|other| LanguageLink {
                code: &other.code,
                name: &other.name,
                href: s.urls.link(&route::person(&other.code, &redirect.from)),
                current: other.code == l.code,
            })
            .collect();
        let mut ctx = self.context(li, meta);
        ctx.insert("target", &person);
        ctx.insert("from", &redirect.from);
        Ok((route::person(&l.code, &redirect.from), self.template(li, "redirect.html", &ctx)?))
    }

    /// Redirect rules for hosts that support them: Netlify / Cloudflare Pages
    /// `_redirects`, and an nginx `map` body.
    pub fn redirect_rules(&self) -> (String, String) {
        let s = self.site;
        let mut netlify = String::from("# Merged records: generated by esim from data/redirects.csv\n");
        let mut nginx = String::from("# Merged records: generated by esim from data/redirects.csv.\n# Use inside the http block:\n#   map $uri $esim_redirect { default \"\"; include /path/to/nginx-redirects.map; }\n# and in the server block:\n#   if ($esim_redirect) { return 301 $esim_redirect; }\n");
        for r in &s.redirects {
            for l in &s.languages {
                let from = s.urls.link(&route::person(&l.code, &r.from));
                let to = s.urls.link(&route::person(&l.code, &r.to));
                netlify.push_str(&format!("{from} {to} 301\n"));
                nginx.push_str(&format!("{from} {to};\n{from}index.html {to};\n"));
            }
        }
        (netlify, nginx)
    }

    /// The open data page: the files, their licence and the meaning of each column.
    fn data_page(&self, li: u8) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let title = l.t("data_title").to_string();
        let meta = page_meta(s, &l.code, self.full_title(&title, &l.code), l.t("data_description").into(), &|lang| {
            Some(route::data(lang))
        });
        let mut ctx = self.context(li, meta);
        let columns: Vec<(&str, &str)> =
            crate::records::columns::ALL.iter().map(|c| (c.name(), l.t(&format!("col_{}", c.name())))).collect();
        ctx.insert("columns", &columns);
        ctx.insert("csv_href", &s.urls.link("/data/records.csv"));
        ctx.insert("jsonl_href", &s.urls.link("/data/records.jsonl"));
        let example = s.people.first().map(|p| s.urls.link(&route::person_data(&p.id)));
        ctx.insert("example_href", &example);
        ctx.insert("licence", &s.config.data.licence);
        ctx.insert("licence_url", &s.config.data.licence_url);
        ctx.insert("people_count_label", &l.plural("people", s.people.len() as u64));
        Ok((route::data(&l.code), self.template(li, "data.html", &ctx)?))
    }

    /// The search page: the form, and the index's manifest and the labels the
    /// script needs, embedded as JSON.
    fn search_page(&self, li: u8) -> Result<(String, String), String> {
        let s = self.site;
        let l = self.lang(li);
        let lang = l.code.as_str();
        let title = l.t("search_title").to_string();
        let meta = page_meta(s, lang, self.full_title(&title, lang), l.t("search_intro").into(), &|lang| {
            Some(route::search(lang))
        });
        let mut ctx = self.context(li, meta);
        let regions: Vec<&str> = s.regions.list.iter().map(|r| r.names[lang].as_str()).collect();
        let fates: Vec<&str> = s.vocabulary.fates.terms.iter().map(|t| t.labels[lang].as_str()).collect();
        let manifest = self.search.clone().unwrap_or(crate::search::index::Manifest {
            v: 1,
            people: 0,
            block: crate::search::index::BLOCK,
            buckets: 1,
            shards: Vec::new(),
            texts: Default::default(),
        });
        let strings: serde_json::Map<String, serde_json::Value> =
            ["prompt", "searching", "none", "browse", "born", "arrested", "essay", "page", "biography"]
                .iter()
                .map(|k| (k.to_string(), l.t(&format!("search_{k}")).into()))
                .chain(std::iter::once((
                    "results".to_string(),
                    serde_json::to_value(l.plural_forms("results")).unwrap_or_default(),
                )))
                .collect();
        let data = serde_json::json!({
            "lang": lang,
            "index": s.urls.link("/search/"),
            "people": s.urls.link(&format!("/{lang}/people/")),
            "regionsUrl": s.urls.link(&route::regions(lang)),
            "block": manifest.block,
            "buckets": manifest.buckets,
            "shards": manifest.shards,
            "texts": manifest.texts.get(lang).copied().unwrap_or(0),
            "regions": regions,
            "fates": fates,
            "strings": strings,
        });
        let data = serde_json::to_string(&data).map_err(|e| e.to_string())?.replace('<', "\\u003c");
        ctx.insert(
            "search",
            &serde_json::json!({
                "script": s.urls.link(&route::asset("search/search.js")),
                "regions": regions,
                "fates": fates,
                "data": data,
            }),
        );
        Ok((route::search(lang), self.template(li, "search.html", &ctx)?))
    }

    fn not_found(&self) -> Result<(String, String), String> {
        let s = self.site;
        let li = self.default_li();
        let messages: Vec<NotFoundMessage> = s
            .languages
            .iter()
            .map(|l| NotFoundMessage {
                lang: &l.code,
                title: l.t("not_found_title"),
                text: l.t("not_found_text"),
                home: l.t("home_link"),
                home_href: s.urls.link(&route::home(&l.code)),
                regions: l.t("regions_title"),
                regions_href: s.urls.link(&route::regions(&l.code)),
            })
            .collect();
        let l = self.lang(li);
        let mut meta =
            page_meta(s, &l.code, self.full_title(l.t("not_found_title"), &l.code), String::new(), &|_| None);
        meta.alternates.clear();
        let mut ctx = self.context(li, meta);
        ctx.insert("messages", &messages);
        Ok((route::not_found(), self.template(li, "404.html", &ctx)?))
    }

    /// Writes the sitemap: every indexable page with its translations.
    pub fn sitemap(&self, out: &mut SitemapWriter) -> Result<(), String> {
        let s = self.site;
        let langs: Vec<&str> = s.languages.iter().map(|l| l.code.as_str()).collect();
        let mut group = |routes: Vec<(&str, String)>| -> Result<(), String> {
            let urls: Vec<(&str, String)> = routes.into_iter().map(|(l, r)| (l, s.urls.absolute(&r))).collect();
            out.add_group(&urls)
        };
        let all = |f: &dyn Fn(&str) -> String| langs.iter().map(|l| (*l, f(l))).collect::<Vec<_>>();
        group(all(&route::home))?;
        group(all(&route::regions))?;
        group(all(&route::essays))?;
        group(all(&route::data))?;
        group(all(&route::search))?;
        for (r, region) in s.regions.list.iter().enumerate() {
            for page in 1..=self.region_pages(r) {
                group(all(&|l| route::region(l, &region.slug, page)))?;
            }
        }
        for (groups, route_of) in [(&s.essays, route::essay as fn(&str, &str) -> String), (&s.pages, route::page)] {
            for g in groups.iter() {
                group(langs.iter().filter(|l| g.docs.contains_key(**l)).map(|l| (*l, route_of(l, &g.slug))).collect())?;
            }
        }
        for p in &s.people {
            group(all(&|l| route::person(l, &p.id)))?;
        }
        Ok(())
    }
}

fn chrome<'a>(site: &'a Site, l: &'a Language, asset_version: &str) -> Value {
    let u = &site.urls;
    let lang = l.code.as_str();
    let nav = vec![
        Link { label: l.t("nav_home").into(), href: u.link(&route::home(lang)) },
        Link { label: l.t("regions_title").into(), href: u.link(&route::regions(lang)) },
        Link { label: l.t("essays_title").into(), href: u.link(&route::essays(lang)) },
        Link { label: l.t("nav_search").into(), href: u.link(&route::search(lang)) },
    ];
    let mut footer: Vec<Link> = site
        .pages
        .iter()
        .map(|p| Link {
            label: p.best(lang, &site.languages).title().to_string(),
            href: u.link(&route::page(lang, &p.slug)),
        })
        .collect();
    footer.push(Link { label: l.t("footer_data").into(), href: u.link(&route::data(lang)) });
    let c = Chrome {
        lang,
        site_title: &site.config.title[lang],
        home: u.link(&route::home(lang)),
        nav,
        footer,
        stylesheet: format!("{}?v={asset_version}", u.link(&route::asset("style.css"))),
        favicon: u.link(&route::asset("favicon.svg")),
        search: u.link(&route::search(lang)),
        corrections_page: site
            .pages
            .iter()
            .any(|p| p.slug == "corrections")
            .then(|| u.link(&route::page(lang, "corrections"))),
        record_lang: &site.config.record_language,
    };
    tera::to_value(c).expect("the chrome serializes")
}

/// Minifies a page. The defaults of minify-html keep the output spec-compliant
/// (quoted attributes, spaces between them, the doctype), which the HTML checker
/// in the test suite verifies.
fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: false,
        minify_js: false,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}

#[derive(Serialize)]
struct LetterLink {
    rank: u32,
    letter: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct LetterGroup {
    rank: u32,
    letter: String,
    people: Vec<PersonLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct RegionView<'a> {
    name: &'a str,
    code: &'a str,
    centre: Option<&'a str>,
    historical: Option<&'a str>,
    count: usize,
    count_label: String,
}

#[derive(Serialize)]
struct DocView<'a> {
    title: &'a str,
    html: &'a str,
    authors: &'a [String],
    summary: Option<&'a str>,
    date: Option<String>,
    datetime: Option<String>,
    headings: &'a [crate::content::Heading],
    sources: &'a [String],
}

#[derive(Serialize)]
struct AvailableTranslation<'a> {
    lang: &'a str,
    language: &'a str,
    title: &'a str,
    href: String,
}

#[derive(Serialize)]
struct NotFoundMessage<'a> {
    lang: &'a str,
    title: &'a str,
    text: &'a str,
    home: &'a str,
    home_href: String,
    regions: &'a str,
    regions_href: String,
}

/// The first job of each kind in each language: enough to try every template.
pub fn one_of_each_kind(jobs: &[Job]) -> Vec<Job> {
    let mut seen = std::collections::HashSet::new();
    let key = |job: &Job| -> (u8, u8) {
        match *job {
            Job::Root => (0, 0),
            Job::NotFound => (1, 0),
            Job::Home(l) => (2, l),
            Job::Person(_, l) => (3, l),
            Job::Regions(l) => (4, l),
            Job::Region { lang, .. } => (5, lang),
            Job::Essays(l) => (6, l),
            Job::Essay(_, l) => (7, l),
            Job::Page(_, l) => (8, l),
            Job::Redirect(_, l) => (9, l),
            Job::PersonData(_) => (10, 0),
            Job::Data(l) => (11, l),
            Job::Search(l) => (12, l),
        }
    };
    jobs.iter().filter(|j| seen.insert(key(j))).copied().collect()
}

/// Route → file, re-exported for the writer.
pub fn file_of(route: &str) -> std::path::PathBuf {
    Urls::file(route)
}
