//! The open data page: the files, their licence and the meaning of each column.

use super::super::catalogue::{Item, PageKind};
use super::super::views::page_meta;
use super::super::Renderer;
use super::one;
use crate::site::Site;
use crate::urls::route;

pub struct DataPage;

impl PageKind for DataPage {
    fn templates(&self) -> &'static [&'static str] {
        &["data.html"]
    }
    fn items(&self, _site: &Site) -> Vec<Item> {
        one()
    }
    fn route(&self, _site: &Site, lang: &str, _item: Item) -> String {
        route::data(lang)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn render(&self, r: &Renderer, li: u8, _item: Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let l = r.lang(li);
        let title = l.t("data_title").to_string();
        let meta = page_meta(s, &l.code, r.full_title(&title, &l.code), l.t("data_description").into(), &|lang| {
            Some(route::data(lang))
        });
        let mut ctx = r.context(meta);
        let columns: Vec<(&str, &str)> =
            crate::model::columns::ALL.iter().map(|c| (c.name(), l.t(&format!("col_{}", c.name())))).collect();
        ctx.insert("columns", &columns);
        ctx.insert("csv_href", &s.urls.link("/data/records.csv"));
        ctx.insert("jsonl_href", &s.urls.link("/data/records.jsonl"));
        ctx.insert("licence", &s.config.data.licence);
        ctx.insert("licence_url", &s.config.data.licence_url);
        ctx.insert("people_count_label", &l.plural("people", s.people.len() as u64));
        r.template(li, "data.html", &ctx, out)
    }
}
