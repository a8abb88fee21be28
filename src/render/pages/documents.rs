//! Essays (with their list) and pages. A document missing in a language still
//! has a page there, which says so and links the languages that have it.

use serde::Serialize;

use super::super::catalogue::{Item, PageKind};
use super::super::views::{doc_link, page_meta, DocLink};
use super::super::{Fingerprints, Renderer};
use super::{each, one};
use crate::content::Heading;
use crate::site::{Site, Translations};
use crate::urls::route;

pub struct EssayList;
pub struct Essay;
pub struct Page;

impl PageKind for EssayList {
    fn templates(&self) -> &'static [&'static str] {
        &["essays.html"]
    }
    fn items(&self, _site: &Site) -> Vec<Item> {
        one()
    }
    fn route(&self, _site: &Site, lang: &str, _item: Item) -> String {
        route::essays(lang)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn render(&self, r: &Renderer, li: u8, _item: Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let l = r.lang(li);
        let title = l.t("essays_title").to_string();
        let meta = page_meta(s, &l.code, r.full_title(&title, &l.code), l.t("essays_description").into(), &|lang| {
            Some(route::essays(lang))
        });
        let mut ctx = r.context(meta);
        let essays: Vec<DocLink> = s.essays.iter().map(|e| doc_link(s, e, l, route::essay)).collect();
        ctx.insert("essays", &essays);
        r.template(li, "essays.html", &ctx, out)
    }
}

impl PageKind for Essay {
    fn templates(&self) -> &'static [&'static str] {
        &["essay.html", "missing.html"]
    }
    fn items(&self, site: &Site) -> Vec<Item> {
        each(site.essays.len())
    }
    fn route(&self, site: &Site, lang: &str, (e, _): Item) -> String {
        route::essay(lang, &site.essays[e as usize].slug)
    }
    fn exists(&self, site: &Site, lang: &str, (e, _): Item) -> bool {
        site.essays[e as usize].docs.contains_key(lang)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn inputs(&self, fps: &Fingerprints, li: u8, (e, _): Item) -> Option<u64> {
        Some(fps.page(4, &[li as u64, fps.essay(e as usize)]))
    }
    fn render(&self, r: &Renderer, li: u8, (e, _): Item, out: &mut Vec<u8>) -> Result<(), String> {
        document(r, &r.site.essays[e as usize], li, route::essay, "essay.html", out)
    }
}

impl PageKind for Page {
    fn templates(&self) -> &'static [&'static str] {
        &["page.html", "missing.html"]
    }
    fn items(&self, site: &Site) -> Vec<Item> {
        each(site.pages.len())
    }
    fn route(&self, site: &Site, lang: &str, (p, _): Item) -> String {
        route::page(lang, &site.pages[p as usize].slug)
    }
    fn exists(&self, site: &Site, lang: &str, (p, _): Item) -> bool {
        site.pages[p as usize].docs.contains_key(lang)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn inputs(&self, fps: &Fingerprints, li: u8, (p, _): Item) -> Option<u64> {
        Some(fps.page(5, &[li as u64, fps.document_page(p as usize)]))
    }
    fn render(&self, r: &Renderer, li: u8, (p, _): Item, out: &mut Vec<u8>) -> Result<(), String> {
        document(r, &r.site.pages[p as usize], li, route::page, "page.html", out)
    }
}

#[derive(Serialize)]
struct DocView<'a> {
    title: &'a str,
    html: &'a str,
    authors: &'a [String],
    summary: Option<&'a str>,
    date: Option<String>,
    datetime: Option<String>,
    headings: &'a [Heading],
    sources: &'a [String],
}

#[derive(Serialize)]
struct AvailableTranslation<'a> {
    lang: &'a str,
    language: &'a str,
    title: &'a str,
    href: String,
}

/// An essay or page; where it has no translation in this language, a page that
/// says so and links to the languages that have it.
fn document(
    r: &Renderer,
    group: &Translations,
    li: u8,
    route_of: fn(&str, &str) -> String,
    template: &str,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let s = r.site;
    let l = r.lang(li);
    let slug = &group.slug;
    let exists = |lang: &str| group.docs.contains_key(lang).then(|| route_of(lang, slug));
    let Some(doc) = group.docs.get(&l.code) else {
        let best = group.best(&l.code, &s.languages);
        let meta = page_meta(s, &l.code, r.full_title(best.title(), &l.code), String::new(), &exists);
        let mut ctx = r.context(meta);
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
        return r.template(li, "missing.html", &ctx, out);
    };
    let description = doc.meta.summary.clone().unwrap_or_default();
    let meta = page_meta(s, &l.code, r.full_title(doc.title(), &l.code), description, &exists);
    let mut ctx = r.context(meta);
    let date = doc.date_iso();
    ctx.insert(
        "doc",
        &DocView {
            title: doc.title(),
            html: &doc.html,
            authors: &doc.meta.authors,
            summary: doc.meta.summary.as_deref(),
            date: date.as_deref().and_then(|d| crate::model::PartialDate::parse(d).ok()).map(|d| l.date(&d)),
            datetime: date,
            headings: &doc.headings,
            sources: &doc.meta.sources,
        },
    );
    r.template(li, template, &ctx, out)
}
