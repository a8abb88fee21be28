//! The page of a withdrawn person (`data/withdrawn.csv`), at the person's
//! permanent URL in every language: that the record was withdrawn, when, and
//! the category of the reason — no name, nothing of the record, `noindex`,
//! outside the sitemap and the hreflang alternates.

use serde::Serialize;

use super::super::catalogue::{Item, PageKind};
use super::super::views::page_meta;
use super::super::{Fingerprints, Renderer};
use super::each;
use crate::i18n::fill;
use crate::site::Site;
use crate::urls::route;

pub struct Withdrawn;

#[derive(Serialize)]
struct WithdrawnView<'a> {
    id: &'a str,
    text: String,
    reason: &'a str,
    date: String,
    home: String,
}

impl PageKind for Withdrawn {
    fn templates(&self) -> &'static [&'static str] {
        &["withdrawn.html"]
    }
    fn items(&self, site: &Site) -> Vec<Item> {
        each(site.withdrawn.len())
    }
    fn route(&self, site: &Site, lang: &str, (w, _): Item) -> String {
        route::person(lang, &site.withdrawn[w as usize].id)
    }
    fn in_sitemap(&self) -> bool {
        false
    }
    fn inputs(&self, fps: &Fingerprints, li: u8, (w, _): Item) -> Option<u64> {
        Some(fps.page(7, &[li as u64, fps.withdrawal(w as usize)]))
    }
    fn render(&self, r: &Renderer, li: u8, (w, _): Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let l = r.lang(li);
        let w = &s.withdrawn[w as usize];
        let date = l.date(&w.date);
        let view = WithdrawnView {
            id: &w.id,
            text: fill(l.t("withdrawn_text"), &[("id", &w.id), ("date", &date)]),
            reason: s.vocabulary.withdrawal.get(w.reason).labels.get(&l.code).map(String::as_str).unwrap_or(""),
            date: w.date.iso(),
            home: s.urls.link(&route::home(&l.code)),
        };
        let id = &w.id;
        let title = r.full_title(l.t("withdrawn_title"), &l.code);
        let mut meta = page_meta(s, &l.code, title, String::new(), &|lang| Some(route::person(lang, id)));
        // Search engines forget the page; the switcher still links its translations.
        meta.noindex = true;
        meta.alternates.clear();
        let mut ctx = r.context(meta);
        ctx.insert("withdrawn", &view);
        r.template(li, "withdrawn.html", &ctx, out)
    }
}
