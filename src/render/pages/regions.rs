//! The list of regions, and each region's alphabetical index: paginated, with
//! letter navigation.

use serde::Serialize;

use super::super::catalogue::{Item, PageKind};
use super::super::views::{page_meta, person_link, region_links, PersonLink};
use super::super::{Fingerprints, Renderer};
use super::one;
use crate::i18n::{fill, Language};
use crate::site::{RegionIndex, Site};
use crate::urls::route;

pub struct RegionList;
pub struct RegionPage;

impl PageKind for RegionList {
    fn templates(&self) -> &'static [&'static str] {
        &["regions.html"]
    }
    fn items(&self, _site: &Site) -> Vec<Item> {
        one()
    }
    fn route(&self, _site: &Site, lang: &str, _item: Item) -> String {
        route::regions(lang)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn render(&self, r: &Renderer, li: u8, _item: Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let l = r.lang(li);
        let title = l.t("regions_title").to_string();
        let meta = page_meta(s, &l.code, r.full_title(&title, &l.code), l.t("regions_description").into(), &|lang| {
            Some(route::regions(lang))
        });
        let mut ctx = r.context(meta);
        ctx.insert("regions", &region_links(s, l));
        ctx.insert("people_count_label", &l.plural("people", s.people.len() as u64));
        r.template(li, "regions.html", &ctx, out)
    }
}

#[derive(Serialize)]
struct LetterLink {
    rank: u32,
    letter: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct LetterGroup<'a> {
    rank: u32,
    letter: String,
    people: Vec<PersonLink<'a>>,
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

/// Item: (region, page number from 1).
impl PageKind for RegionPage {
    fn templates(&self) -> &'static [&'static str] {
        &["region.html"]
    }
    fn items(&self, site: &Site) -> Vec<Item> {
        (0..site.regions.list.len())
            .flat_map(|r| (1..=site.region_pages(r)).map(move |page| (r as u32, page as u32)))
            .collect()
    }
    fn route(&self, site: &Site, lang: &str, (r, page): Item) -> String {
        route::region(lang, &site.regions.list[r as usize].slug, page as usize)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn inputs(&self, fps: &Fingerprints, li: u8, (r, page): Item) -> Option<u64> {
        Some(fps.page(3, &[li as u64, r as u64, page as u64, fps.region(li as usize, r as usize)]))
    }
    fn render(&self, r: &Renderer, li: u8, (region, page): Item, out: &mut Vec<u8>) -> Result<(), String> {
        let (s, l) = (r.site, r.lang(li));
        let (region, page) = (region as usize, page as usize);
        let info = &s.regions.list[region];
        let index = &s.indexes[li as usize][region];
        let pages = s.region_pages(region);
        let name = &info.names[&l.code];
        let slug = &info.slug;
        let title = if page > 1 { format!("{name} — {}", page_label(l, page)) } else { name.clone() };
        let meta = page_meta(
            s,
            &l.code,
            r.full_title(&title, &l.code),
            format!("{name}: {}", l.plural("people", index.entries.len() as u64)),
            &|lang| Some(route::region(lang, slug, page)),
        );
        let link = |n: usize| s.urls.link(&route::region(&l.code, slug, n));
        let pagination: Vec<PageLink> =
            (1..=pages).map(|n| PageLink { number: n, href: link(n), current: n == page }).collect();
        let mut ctx = r.context(meta);
        ctx.insert(
            "region",
            &RegionView {
                name,
                code: &info.code,
                centre: info.centre.get(&l.code).map(String::as_str),
                historical: info.historical.get(&l.code).map(String::as_str),
                count_label: l.plural("people", index.entries.len() as u64),
                count: index.entries.len(),
            },
        );
        ctx.insert("letters", &letters(s, l, index, &link));
        ctx.insert("groups", &groups(s, l, index, page));
        ctx.insert("pagination", &pagination);
        ctx.insert("current_page", &page);
        ctx.insert("page_label", &page_label(l, page));
        ctx.insert("prev", &(page > 1).then(|| link(page - 1)));
        ctx.insert("next", &(page < pages).then(|| link(page + 1)));
        r.template(li, "region.html", &ctx, out)
    }
}

fn page_label(l: &Language, page: usize) -> String {
    fill(l.t("page_n"), &[("n", &page.to_string())])
}

/// Letter navigation: each letter links to the page where it begins.
fn letters(s: &Site, l: &Language, index: &RegionIndex, link: &dyn Fn(usize) -> String) -> Vec<LetterLink> {
    let per_page = s.config.build.people_per_page;
    let mut letters: Vec<LetterLink> = Vec::new();
    for (i, e) in index.entries.iter().enumerate() {
        match letters.last_mut() {
            Some(last) if last.rank == e.letter_rank => last.count += 1,
            _ => letters.push(LetterLink {
                rank: e.letter_rank,
                letter: l.collator.letter(e.letter_rank),
                href: format!("{}#letter-{}", link(i / per_page + 1), e.letter_rank),
                count: 1,
            }),
        }
    }
    letters
}

/// One page's people, grouped under their letters.
fn groups<'a>(s: &'a Site, l: &Language, index: &RegionIndex, page: usize) -> Vec<LetterGroup<'a>> {
    let per_page = s.config.build.people_per_page;
    let mut groups: Vec<LetterGroup> = Vec::new();
    for e in index.entries.iter().skip((page - 1) * per_page).take(per_page) {
        if groups.last().is_none_or(|g| g.rank != e.letter_rank) {
            groups.push(LetterGroup {
                rank: e.letter_rank,
                letter: l.collator.letter(e.letter_rank),
                people: Vec::new(),
            });
        }
        groups.last_mut().expect("pushed above").people.push(person_link(s, e.person as usize, l));
    }
    groups
}
