//! The outputs of a build other than pages, each one a unit of the build
//! cache, produced again only when its inputs changed: the search index (two
//! units), the theme's assets, the images, the open data, the redirect rules,
//! the sitemaps and robots.txt. The producers ([`crate::search`],
//! [`crate::export`]) make bytes; this hands them to publish's [`Output`].

use std::path::Path;

use crate::export::assets::Assets;
use crate::export::{images, opendata, redirects, sitemap};
use crate::publish::output::Output;
use crate::publish::PublishError;
use crate::render::{catalogue, Fingerprints};
use crate::search::index::{self as search_index, Manifest as SearchManifest};
use crate::site::Site;
use crate::urls;

/// The search index's units: the people's names and rows, and the texts
/// (which change with every edit of a biography, when the names do not).
pub const SEARCH: &str = "search";
pub const SEARCH_TEXTS: &str = "search-texts";

/// Every unit, for the cache: a unit missing here loses its files.
pub const UNITS: [&str; 9] =
    [SEARCH, SEARCH_TEXTS, "static", "images", "open-data", "redirect-rules", "sitemap", "robots", "indexnow-key"];

fn publish_error(e: PublishError) -> String {
    e.to_string()
}

/// The search index's two parts, each written again only when its inputs
/// changed; returns the manifest the search pages embed. `memo`: what a
/// long-running build keeps of each person for the index, brought up to date
/// here.
pub fn write_search_index(
    site: &Site,
    out: &Output,
    fps: &Fingerprints,
    memo: Option<&mut search_index::PeopleMemo>,
) -> Result<SearchManifest, String> {
    let memo = memo.map(|m| {
        m.update(site);
        &*m
    });
    let previous = out.previous();
    let cached = previous.and_then(|p| serde_json::from_str::<SearchManifest>(&p.search).ok());
    let clean = |unit: &str, fp: u64| cached.is_some() && previous.and_then(|p| p.units.get(unit)) == Some(&fp);
    let (people_fp, texts_fp) = (fps.search_people(site), fps.search_texts(site));
    let mut manifest = match cached.clone() {
        Some(m) if clean(SEARCH, people_fp) => m,
        _ => {
            let (m, _) = search_index::write_people(site, memo, &mut |rel, bytes| {
                out.file(SEARCH, rel, bytes).map_err(publish_error)
            })?;
            out.unit_done(SEARCH, people_fp);
            m
        }
    };
    manifest.texts = match cached {
        Some(m) if clean(SEARCH_TEXTS, texts_fp) => m.texts,
        _ => {
            let (texts, _) = search_index::write_texts(site, &mut |rel, bytes| {
                out.file(SEARCH_TEXTS, rel, bytes).map_err(publish_error)
            })?;
            out.unit_done(SEARCH_TEXTS, texts_fp);
            texts
        }
    };
    Ok(manifest)
}

/// What a build keeps of the open data it writes.
pub enum OpenDataKept<'a> {
    /// Nothing: the files are written from the site.
    Nothing,
    /// The blocks, brought up to date and written (a long-running build).
    Blocks(&'a mut opendata::Blocks),
    /// [`opendata::Blocks::lengths`] of the files written from the site, when
    /// they are written (a one-shot build's saved state).
    Lengths(&'a mut Option<Vec<(u64, u64, u64)>>),
}

/// Theme assets, images, open data, redirect rules, the sitemaps and
/// robots.txt: each unit produced again only when its inputs changed.
pub fn write_extras(
    site: &Site,
    out: &Output,
    assets: &Assets,
    fps: &Fingerprints,
    open_data: OpenDataKept,
) -> Result<(), String> {
    let previous = out.previous();
    let (open_data, lengths) = match open_data {
        OpenDataKept::Blocks(blocks) => {
            blocks.update(site, fps.records()).map_err(|e| format!("open data: {e}"))?;
            (Some(&*blocks), None)
        }
        OpenDataKept::Lengths(lengths) => (None, Some(lengths)),
        OpenDataKept::Nothing => (None, None),
    };
    let written = std::cell::RefCell::new((None, None));
    let e = publish_error;
    let unit = |name: &str, fp: Option<u64>, produce: &dyn Fn() -> Result<(), String>| -> Result<(), String> {
        if fp.is_some() && previous.and_then(|p| p.units.get(name)) == fp.as_ref() {
            return Ok(());
        }
        produce()?;
        out.unit_done(name, fp.unwrap_or(0));
        Ok(())
    };
    unit("static", Some(fps.global()), &|| {
        assets.files().try_for_each(|(name, bytes)| out.file("static", name, bytes).map_err(e))
    })?;
    unit("images", Some(fps.images(site)), &|| write_images(site, out))?;
    unit("open-data", Some(fps.open_data()), &|| {
        out.stream("open-data", "data/records.csv", |w: &mut dyn std::io::Write| match open_data {
            Some(blocks) => blocks.write_csv(w),
            None => opendata::write_csv(site, w).map(|l| written.borrow_mut().0 = Some(l)),
        })
        .map_err(e)?;
        out.stream("open-data", "data/records.jsonl", |w: &mut dyn std::io::Write| match open_data {
            Some(blocks) => blocks.write_jsonl(w),
            None => opendata::write_jsonl(site, w).map(|l| written.borrow_mut().1 = Some(l)),
        })
        .map_err(e)
    })?;
    if let (Some(lengths), (Some(csv), Some(jsonl))) = (lengths, written.into_inner()) {
        *lengths = Some(opendata::Blocks::lengths_of(fps.records(), &csv, &jsonl));
    }
    unit("redirect-rules", None, &|| {
        let (netlify, nginx) = redirects::rules(site);
        out.file("redirect-rules", "_redirects", netlify.as_bytes()).map_err(e)?;
        out.file("redirect-rules", "nginx-redirects.map", nginx.as_bytes()).map_err(e)
    })?;
    unit("sitemap", Some(fps.sitemap(site)), &|| {
        let mut write = |name: &str, xml: &str| out.file("sitemap", name, xml.as_bytes()).map_err(e);
        let mut sitemap = sitemap::SitemapWriter::new(site.config.build.sitemap_max_urls, &mut write);
        catalogue::sitemap_groups(site, &mut |routes| {
            let urls: Vec<(&str, String)> = routes.into_iter().map(|(l, r)| (l, site.urls.absolute(&r))).collect();
            sitemap.add_group(&urls)
        })?;
        sitemap.finish(&|r| site.urls.absolute(r))
    })?;
    unit("robots", None, &|| {
        let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.urls.absolute("/sitemap.xml"));
        out.file("robots", "robots.txt", robots.as_bytes()).map_err(e)
    })?;
    // The deploy targets' IndexNow keys, each in `<key>.txt` at the site's
    // root: a search engine fetches it to check that a submission of this
    // site's URLs comes from its publisher.
    unit("indexnow-key", None, &|| {
        for key in site.config.indexnow_keys() {
            out.file("indexnow-key", &format!("{key}.txt"), key.as_bytes()).map_err(e)?;
        }
        Ok(())
    })
}

/// The resized variants of every biography image, in parallel. Each image is
/// written once, whichever languages' biographies show it.
fn write_images(site: &Site, out: &Output) -> Result<(), String> {
    use rayon::prelude::*;
    let mut list: Vec<(&str, &crate::content::images::Image)> = Vec::new();
    for (person, bios) in site.people.iter().zip(&site.biographies) {
        for doc in bios.values() {
            for img in &doc.images {
                if !list.iter().any(|(id, i)| *id == person.id && i.file == img.file) {
                    list.push((&person.id, img));
                }
            }
        }
    }
    list.par_iter().try_for_each(|(id, img)| {
        let dir = urls::route::person_image(id, "");
        images::write_variants(img, Path::new(dir.trim_matches('/')), &|rel, bytes| {
            out.file("images", rel, bytes).map_err(publish_error)
        })
    })
}
