//! The home page of each language, and the site's root (the default
//! language's home, with links to the others).

use super::super::catalogue::{Item, PageKind};
use super::super::views::{doc_link, page_meta, region_links, DocLink};
use super::super::Renderer;
use super::one;
use crate::site::Site;
use crate::urls::route;

pub struct Root;
pub struct Home;

impl PageKind for Root {
    fn templates(&self) -> &'static [&'static str] {
        &["home.html"]
    }
    fn per_language(&self) -> bool {
        false
    }
    fn items(&self, _site: &Site) -> Vec<Item> {
        one()
    }
    fn route(&self, _site: &Site, _lang: &str, _item: Item) -> String {
        route::root()
    }
    fn in_sitemap(&self) -> bool {
        false
    }
    fn render(&self, r: &Renderer, li: u8, _item: Item, out: &mut Vec<u8>) -> Result<(), String> {
        home(r, li, true, out)
    }
}

impl PageKind for Home {
    fn templates(&self) -> &'static [&'static str] {
        &["home.html"]
    }
    fn items(&self, _site: &Site) -> Vec<Item> {
        one()
    }
    fn route(&self, _site: &Site, lang: &str, _item: Item) -> String {
        route::home(lang)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn render(&self, r: &Renderer, li: u8, _item: Item, out: &mut Vec<u8>) -> Result<(), String> {
        home(r, li, false, out)
    }
}

fn home(r: &Renderer, li: u8, root: bool, out: &mut Vec<u8>) -> Result<(), String> {
    let s = r.site;
    let l = r.lang(li);
    let description = s.config.description.get(&l.code).cloned().unwrap_or_default();
    let meta = page_meta(s, &l.code, r.site_title(&l.code).to_string(), description, &|lang| Some(route::home(lang)));
    let mut ctx = r.context(meta);
    ctx.insert("people_count", &s.people.len());
    ctx.insert("people_count_label", &l.plural("people", s.people.len() as u64));
    ctx.insert("regions", &region_links(s, l));
    let essays: Vec<DocLink> = s.essays.iter().map(|e| doc_link(s, e, l, route::essay)).collect();
    ctx.insert("essays", &essays);
    ctx.insert("is_root", &root);
    r.template(li, "home.html", &ctx, out)
}
