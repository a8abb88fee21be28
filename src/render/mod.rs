//! Render: pages from the resolved site. The [`catalogue`] lists every kind of
//! page; each page is a small [`Job`], rendered in parallel with rayon,
//! minified and handed to the caller's `write` at once, so no more HTML is
//! held than the pages in flight. Render writes nothing itself: the conductor
//! passes the pages on to publish.
//!
//! - [`templates`]: the theme's tera templates, one copy per language with its
//!   UI strings written in and its chrome (what is the same on every page of
//!   the language) in the global context;
//! - [`catalogue`]: the page kinds (route, templates, inputs, sitemap);
//! - `pages/`: each kind's context, built from [`views`];
//! - [`fingerprints`]: what each page is made of, for incremental builds;
//! - [`cite`]: citations, JSON-LD;
//! - [`qr`]: the QR code of a person's permanent URL.

pub mod catalogue;
pub mod cite;
pub mod fingerprints;
mod pages;
pub mod qr;
pub mod templates;
pub mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::export::assets::Assets;
use crate::i18n::Language;
use crate::model::PartialDate;
use crate::site::Site;
use crate::urls::route;
pub use catalogue::{Job, CATALOGUE};
pub use fingerprints::Fingerprints;
pub use templates::{load_templates, Templates};
use views::{Link, PageMeta};

/// Room for a person page (10–14 KB) and its chrome without growing.
const PAGE_CAPACITY: usize = 32 << 10;

/// Where rendered pages go: (job, route, bytes).
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
    /// One tera per language: the `t` and `plural` functions are bound to it,
    /// the language's chrome is in its global context.
    teras: Vec<Tera>,
    minify: bool,
    build_date: PartialDate,
    /// What the search pages tell the browser about the index.
    search: Option<crate::search::index::Manifest>,
}

impl<'a> Renderer<'a> {
    /// `build_date` is the version date of citations (SOURCE_DATE_EPOCH when set,
    /// so that builds stay reproducible).
    pub fn new(site: &'a Site, templates: &Templates, assets: &Assets, build_date: PartialDate) -> Renderer<'a> {
        let teras = site
            .languages
            .iter()
            .map(|l| {
                let mut tera = templates.for_language(l);
                tera.register_function("asset", asset_function(site, assets));
                tera.global_context().insert_value("chrome", chrome(site, l, assets));
                tera.global_context().insert("lang", &l.code);
                tera
            })
            .collect();
        Renderer { site, teras, minify: site.config.build.minify, build_date, search: None }
    }

    /// The search index that the search pages will query.
    pub fn set_search_manifest(&mut self, manifest: crate::search::index::Manifest) {
        self.search = Some(manifest);
    }

    /// Every page of the site.
    pub fn jobs(&self) -> Vec<Job> {
        catalogue::jobs(self.site)
    }

    /// Renders the jobs in parallel, handing each page to `write` (route, bytes).
    /// Each rayon task renders into one buffer, reused from page to page.
    pub fn run(&self, jobs: &[Job], write: &WritePage<'_>, tick: &(dyn Fn() + Sync)) -> Result<(), String> {
        jobs.par_iter().try_for_each_init(
            || Vec::with_capacity(PAGE_CAPACITY),
            |buf, job| {
                buf.clear();
                job.kind().render(self, job.lang, job.item, buf)?;
                let route = self.route(*job);
                if self.minify && job.kind().is_html() {
                    write(*job, &route, &templates::minify(buf))?;
                } else {
                    write(*job, &route, buf)?;
                }
                tick();
                Ok(())
            },
        )
    }

    /// The route of a job's page, without rendering it.
    pub fn route(&self, job: Job) -> String {
        catalogue::route(self.site, job)
    }

    /// Renders one job to (route, HTML), not minified.
    pub fn render(&self, job: Job) -> Result<(String, Vec<u8>), String> {
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        job.kind().render(self, job.lang, job.item, &mut html)?;
        Ok((self.route(job), html))
    }

    fn lang(&self, li: u8) -> &'a Language {
        &self.site.languages[li as usize]
    }

    /// A page's context: its metadata (the chrome and `lang` are in the
    /// language's global context).
    fn context(&self, meta: PageMeta) -> Context {
        let mut ctx = Context::new();
        ctx.insert("page", &meta);
        ctx
    }

    /// Renders a template into `out` as bytes: tera's `render` would check
    /// that its own output is UTF-8, which it always is.
    fn template(&self, li: u8, name: &str, ctx: &Context, out: &mut Vec<u8>) -> Result<(), String> {
        self.teras[li as usize]
            .render_to(name, ctx, out)
            .map_err(|e| format!("template {name}: {}", templates::error_chain(&e)))
    }

    fn site_title(&self, lang: &str) -> &str {
        &self.site.config.title[lang]
    }

    fn full_title(&self, title: &str, lang: &str) -> String {
        format!("{title} — {}", self.site_title(lang))
    }
}

/// The theme's `asset(path="fonts/a.woff2")`: the URL pages load an asset
/// of the theme's `static/` by (its content-addressed name).
fn asset_function(site: &Site, assets: &Assets) -> impl tera::Function<tera::TeraResult<Value>> {
    let links: std::collections::HashMap<String, String> = assets
        .files()
        .filter_map(|(name, _)| Some((name.to_string(), site.urls.link(&route::asset(assets.link_name(name)?)))))
        .collect();
    move |args: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let path: &str = args.must_get("path")?;
        match links.get(path) {
            Some(link) => Ok(Value::from(link.as_str())),
            None => Err(tera::Error::message(format!("asset(path={path:?}): the theme's static/ has no such file"))),
        }
    }
}

fn chrome<'a>(site: &'a Site, l: &'a Language, assets: &Assets) -> Value {
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
        stylesheet: u.link(&route::asset(assets.link_name("style.css").unwrap_or("style.css"))),
        favicon: u.link(&route::asset(assets.link_name("favicon.svg").unwrap_or("favicon.svg"))),
        search: u.link(&route::search(lang)),
        corrections_page: site
            .pages
            .iter()
            .any(|p| p.slug == "corrections")
            .then(|| u.link(&route::page(lang, "corrections"))),
        record_lang: &site.config.record_language,
    };
    Value::from_serializable(&c)
}
