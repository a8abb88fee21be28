//! The permanent page of a person, and the page of a merged record that
//! forwards to the surviving person. (A person's record as open data is a line
//! of the bulk files, `records.csv` and `records.jsonl`: see `export::opendata`.)

use super::super::catalogue::{Item, PageKind};
use super::super::views::{self, page_meta, person_link, LanguageLink};
use super::super::{Fingerprints, Renderer};
use super::each;
use crate::site::Site;
use crate::urls::route;

pub struct Person;
pub struct Redirect;

impl PageKind for Person {
    fn templates(&self) -> &'static [&'static str] {
        &["person.html"]
    }
    fn items(&self, site: &Site) -> Vec<Item> {
        each(site.people.len())
    }
    fn route(&self, site: &Site, lang: &str, (p, _): Item) -> String {
        route::person(lang, &site.people[p as usize].id)
    }
    fn in_sitemap(&self) -> bool {
        true
    }
    fn inputs(&self, fps: &Fingerprints, li: u8, (p, _): Item) -> Option<u64> {
        Some(fps.page(1, &[li as u64, fps.person(p as usize)]))
    }
    fn render(&self, r: &Renderer, li: u8, (p, _): Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let l = r.lang(li);
        let p = p as usize;
        let view = views::person(s, p, l, &r.build_date);
        let id = &s.people[p].id;
        let mut description = view.name.clone();
        if !view.years.is_empty() {
            description.push_str(&format!(" ({})", view.years));
        }
        let description = format!("{description}. {}", l.t("person_description"));
        let meta = page_meta(s, &l.code, r.full_title(&view.name, &l.code), description, &|lang| {
            Some(route::person(lang, id))
        });
        let mut ctx = r.context(meta);
        ctx.insert("person", &view);
        r.template(li, "person.html", &ctx, out)
    }
}

/// A merged record's page: canonical to the surviving person, a meta refresh
/// and a visible link, for hosts without redirect rules.
impl PageKind for Redirect {
    fn templates(&self) -> &'static [&'static str] {
        &["redirect.html"]
    }
    fn items(&self, site: &Site) -> Vec<Item> {
        each(site.redirects.len())
    }
    fn route(&self, site: &Site, lang: &str, (r, _): Item) -> String {
        route::person(lang, &site.redirects[r as usize].from)
    }
    fn in_sitemap(&self) -> bool {
        false
    }
    fn inputs(&self, fps: &Fingerprints, li: u8, (r, _): Item) -> Option<u64> {
        Some(fps.page(6, &[li as u64, fps.redirect(r as usize)]))
    }
    fn render(&self, r: &Renderer, li: u8, (i, _): Item, out: &mut Vec<u8>) -> Result<(), String> {
        let s = r.site;
        let l = r.lang(li);
        let redirect = &s.redirects[i as usize];
        let target = s.people.iter().position(|p| p.id == redirect.to).ok_or("a redirect target exists")?;
        let person = person_link(s, target, l);
        let to = redirect.to.clone();
        let mut meta = page_meta(s, &l.code, r.full_title(&person.name, &l.code), String::new(), &|lang| {
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
        let mut ctx = r.context(meta);
        ctx.insert("target", &person);
        ctx.insert("from", &redirect.from);
        r.template(li, "redirect.html", &ctx, out)
    }
}
