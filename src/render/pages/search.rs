//! The search page: the form, and the index's manifest and the labels the
//! script needs, embedded as JSON.

use super::super::catalogue::{Item, PageKind};
use super::super::views::page_meta;
use super::super::Renderer;
use super::one;
use crate::search::index::Manifest;
use crate::site::Site;
use crate::urls::route;

pub struct SearchPage;

impl PageKind for SearchPage {
    fn templates(&self) -> &'static [&'static str] {
        &["search.html"]
    }
    fn items(&self, _site: &Site) -> Vec<Item> {
        one()
    }
    fn route(&self, _site: &Site, lang: &str, _item: Item) -> String {
        route::search(lang)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn reads_search_index(&self) -> bool {
        true
    }
    fn render(&self, r: &Renderer, li: u8, _item: Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let l = r.lang(li);
        let lang = l.code.as_str();
        let title = l.t("search_title").to_string();
        let meta = page_meta(s, lang, r.full_title(&title, lang), l.t("search_intro").into(), &|lang| {
            Some(route::search(lang))
        });
        let mut ctx = r.context(meta);
        let regions: Vec<&str> = s.regions.list.iter().map(|r| r.names[lang].as_str()).collect();
        let fates: Vec<&str> = s.vocabulary.fates.terms.iter().map(|t| t.labels[lang].as_str()).collect();
        let manifest = r.search.clone().unwrap_or_else(Manifest::empty);
        let strings: serde_json::Map<String, serde_json::Value> =
            ["prompt", "searching", "none", "browse", "born", "arrested", "sentenced", "essay", "page", "biography"]
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
            "segment": manifest.segment,
            "groups": manifest.groups,
            // Text documents come in blocks of their own size, whatever the people's.
            "textBlock": crate::search::index::BLOCK,
            "shards": manifest.shards,
            "texts": manifest.texts.get(lang).map_or(0, |t| t.docs),
            // The first word of each texts' word part after the first.
            "textParts": manifest.texts.get(lang).map(|t| t.parts.as_slice()).unwrap_or_default(),
            "regions": regions,
            "fates": fates,
            "strings": strings,
        });
        let data = serde_json::to_string(&data).map_err(|e| e.to_string())?.replace('<', "\\u003c");
        // The options in the language's alphabetical order; their values stay
        // the indices the index's rows hold.
        let region_options: Vec<(usize, &str)> = s.regions_in_order(l).into_iter().map(|i| (i, regions[i])).collect();
        ctx.insert(
            "search",
            &serde_json::json!({
                "regions": region_options,
                "fates": fates,
                "data": data,
            }),
        );
        r.template(li, "search.html", &ctx, out)
    }
}
