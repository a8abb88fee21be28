//! `/404.html`: one page for the whole site, with its message in every
//! language.

use serde::Serialize;

use super::super::catalogue::{Item, PageKind};
use super::super::views::page_meta;
use super::super::Renderer;
use super::one;
use crate::site::Site;
use crate::urls::route;

pub struct NotFound;

#[derive(Serialize)]
struct NotFoundMessage<'a> {
    lang: &'a str,
    title: &'a str,
    text: &'a str,
    home: &'a str,
    home_href: String,
    search: &'a str,
    search_href: String,
    regions: &'a str,
    regions_href: String,
}

impl PageKind for NotFound {
    fn templates(&self) -> &'static [&'static str] {
        &["404.html"]
    }
    fn per_language(&self) -> bool {
        false
    }
    fn items(&self, _site: &Site) -> Vec<Item> {
        one()
    }
    fn route(&self, _site: &Site, _lang: &str, _item: Item) -> String {
        route::not_found()
    }
    fn in_sitemap(&self) -> bool {
        false
    }
    fn render(&self, r: &Renderer, li: u8, _item: Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let messages: Vec<NotFoundMessage> = s
            .languages
            .iter()
            .map(|l| NotFoundMessage {
                lang: &l.code,
                title: l.t("not_found_title"),
                text: l.t("not_found_text"),
                home: l.t("home_link"),
                home_href: s.urls.link(&route::home(&l.code)),
                // A family that followed a broken link looks for the person by name.
                search: l.t("nav_search"),
                search_href: s.urls.link(&route::search(&l.code)),
                regions: l.t("regions_title"),
                regions_href: s.urls.link(&route::regions(&l.code)),
            })
            .collect();
        let l = r.lang(li);
        let mut meta = page_meta(s, &l.code, r.full_title(l.t("not_found_title"), &l.code), String::new(), &|_| None);
        meta.alternates.clear();
        let mut ctx = r.context(meta);
        ctx.insert("messages", &messages);
        r.template(li, "404.html", &ctx, out)
    }
}
