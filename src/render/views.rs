//! Prepared views: what each template receives. Views borrow from the site where
//! they can and hold only what one page shows — never whole records cloned per
//! page, never the site's full page list.

use serde::Serialize;

use crate::content::{Document, Heading};
use crate::i18n::{fill, Language};
use crate::names::{self, Form};
use crate::records::{Case, PartialDate, Person, Sex};
use crate::site::{Site, Translations};
use crate::urls::route;

/// A labelled value on a person page. `lang` is set when the value is in another
/// language than the page (archive text on a Kazakh or English page).
#[derive(Serialize)]
pub struct Fact<'a> {
    pub label: &'a str,
    pub value: String,
    pub lang: Option<&'a str>,
    /// Machine-readable date for `<time datetime>`.
    pub datetime: Option<String>,
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// One language in the language switcher.
#[derive(Serialize)]
pub struct LanguageLink<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub href: String,
    pub current: bool,
}

/// What every page has: title, canonical URL, translations.
#[derive(Serialize)]
pub struct PageMeta<'a> {
    pub title: String,
    pub description: String,
    pub canonical: String,
    /// Translations that exist, with absolute URLs, for `<link rel=alternate>`.
    pub alternates: Vec<Alternate<'a>>,
    /// The language switcher: every site language, linking this page's translation
    /// (or that language's home when there is none).
    pub switcher: Vec<LanguageLink<'a>>,
    pub noindex: bool,
}

#[derive(Serialize)]
pub struct Alternate<'a> {
    pub lang: &'a str,
    pub href: String,
}

/// The routes of one page in every language where it exists.
pub fn page_meta<'a>(
    site: &'a Site,
    lang: &str,
    title: String,
    description: String,
    route_of: &dyn Fn(&str) -> Option<String>,
) -> PageMeta<'a> {
    let own = route_of(lang);
    let canonical = site.urls.absolute(own.as_deref().unwrap_or(&route::home(lang)));
    let mut alternates: Vec<Alternate> = site
        .languages
        .iter()
        .filter_map(|l| route_of(&l.code).map(|r| Alternate { lang: &l.code, href: site.urls.absolute(&r) }))
        .collect();
    if let Some(r) = route_of(&site.config.default_language) {
        alternates.push(Alternate { lang: "x-default", href: site.urls.absolute(&r) });
    }
    let switcher = site
        .languages
        .iter()
        .map(|l| LanguageLink {
            code: &l.code,
            name: &l.name,
            href: site.urls.link(&route_of(&l.code).unwrap_or_else(|| route::home(&l.code))),
            current: l.code == lang,
        })
        .collect();
    PageMeta { title, description, canonical, alternates, switcher, noindex: own.is_none() }
}

/// Marks text in the records' language when the page is in another one.
fn record_lang<'a>(site: &'a Site, lang: &str) -> Option<&'a str> {
    (site.config.record_language != lang).then_some(site.config.record_language.as_str())
}

fn date_fact<'a>(label: &'a str, date: &Option<PartialDate>, l: &Language) -> Option<Fact<'a>> {
    date.as_ref().map(|d| Fact { label, value: l.date(d), lang: None, datetime: Some(d.iso()), href: None })
}

fn text_fact<'a>(label: &'a str, value: &str, lang: Option<&'a str>) -> Option<Fact<'a>> {
    (!value.is_empty()).then(|| Fact { label, value: value.to_string(), lang, datetime: None, href: None })
}

/// "1890 – 1938", "? – 1938", or empty.
pub fn life_years(p: &Person) -> String {
    let year = |d: &Option<PartialDate>| d.map(|d| format!("{}{}", if d.approximate { "~" } else { "" }, d.year));
    match (year(&p.birth_date), year(&p.death_date)) {
        (None, None) => String::new(),
        (b, d) => format!("{} – {}", b.unwrap_or_else(|| "?".into()), d.unwrap_or_else(|| "?".into())),
    }
}

#[derive(Serialize)]
pub struct NameForm<'a> {
    pub label: &'a str,
    pub value: String,
    /// Set when the form is in another language than the page.
    pub lang: Option<&'a str>,
}

#[derive(Serialize)]
pub struct CaseView<'a> {
    pub number: usize,
    /// "Case 2" in the page's language.
    pub title: String,
    pub facts: Vec<Fact<'a>>,
    pub status_code: &'a str,
    pub status: &'a str,
}

/// A photo or document of a biography, with its resized variants.
#[derive(Serialize)]
pub struct Figure<'a> {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
}

fn figure<'a>(site: &Site, id: &str, img: &'a crate::content::images::Image) -> Figure<'a> {
    let widths = img.variant_widths();
    let url = |w: u32| site.urls.link(&route::person_image(id, &img.variant_name(w)));
    // The default source: the variant closest to the column width (640 px).
    let default = widths.iter().copied().filter(|w| *w <= 640).max().unwrap_or(widths[0]);
    Figure {
        src: url(default),
        srcset: widths.iter().map(|w| format!("{} {w}w", url(*w))).collect::<Vec<_>>().join(", "),
        width: default,
        height: img.height_at(default),
        alt: &img.alt,
        caption: img.caption.as_deref(),
    }
}

#[derive(Serialize)]
pub struct Biography<'a> {
    pub figures: Vec<Figure<'a>>,
    pub html: &'a str,
    pub authors: &'a [String],
    pub sources: &'a [String],
    pub headings: &'a [Heading],
}

#[derive(Serialize)]
pub struct PersonView<'a> {
    pub id: &'a str,
    pub name: String,
    pub years: String,
    pub forms: Vec<NameForm<'a>>,
    pub variants: &'a [String],
    pub facts: Vec<Fact<'a>>,
    pub cases: Vec<CaseView<'a>>,
    pub biography: Option<Biography<'a>>,
    /// Biographies in other languages when there is none in this one.
    pub biography_elsewhere: Vec<Link>,
    pub regions: Vec<Link>,
    pub permanent_url: String,
    pub citation: super::cite::Citation,
    pub json_ld: String,
    pub qr_svg: String,
    pub correction_href: Option<String>,
    /// The person's open-data record.
    pub data_href: String,
}

pub fn person<'a>(site: &'a Site, index: usize, l: &'a Language, build_date: &PartialDate) -> PersonView<'a> {
    let p = &site.people[index];
    let lang = l.code.as_str();
    let rl = record_lang(site, lang);
    let form = Form::for_language(lang);
    let display = names::form(p, form);

    let other = |form_lang: &'a str| (form_lang != lang).then_some(form_lang);
    let mut forms = vec![NameForm {
        label: l.t("name_archive"),
        value: names::full(&p.archive_name, Form::Archive),
        lang: other(&site.config.record_language),
    }];
    let kazakh = names::full(&names::kazakh(p), Form::Kazakh);
    if !p.kk_name.is_empty() && kazakh != forms[0].value {
        forms.push(NameForm { label: l.t("name_kazakh"), value: kazakh, lang: other("kk") });
    }
    forms.push(NameForm {
        label: l.t("name_latin"),
        value: names::full(&names::latin(p), Form::Latin),
        lang: other("en"),
    });

    let sex = match p.sex {
        Sex::Male => l.t("sex_m"),
        Sex::Female => l.t("sex_f"),
        Sex::Unknown => "",
    };
    let facts = [
        text_fact(l.t("field_sex"), sex, None),
        date_fact(l.t("field_birth_date"), &p.birth_date, l),
        text_fact(l.t("field_birth_place"), &p.birth_place, rl),
        text_fact(l.t("field_nationality"), &p.nationality, rl),
    ]
    .into_iter()
    .flatten()
    .collect();

    let last = p.cases.len().saturating_sub(1);
    let cases = p.cases.iter().enumerate().map(|(i, c)| case_view(site, p, c, i, i == last, l)).collect();

    let mut regions: Vec<Link> = Vec::new();
    for c in &p.cases {
        let r = site.regions.get(c.region);
        let href = site.urls.link(&route::region(lang, &r.slug, 1));
        if !regions.iter().any(|x| x.href == href) {
            regions.push(Link { label: r.names[lang].clone(), href });
        }
    }

    let bios = &site.biographies[index];
    let biography = bios.get(lang).map(|d| Biography {
        figures: d.images.iter().map(|img| figure(site, &p.id, img)).collect(),
        html: &d.html,
        authors: &d.meta.authors,
        sources: &d.meta.sources,
        headings: &d.headings,
    });
    let biography_elsewhere = if biography.is_some() {
        Vec::new()
    } else {
        site.languages
            .iter()
            .filter(|other| bios.contains_key(&other.code))
            .map(|other| Link {
                label: other.name.clone(),
                href: site.urls.link(&route::person(&other.code, &p.id)) + "#biography",
            })
            .collect()
    };

    let permanent_url = site.urls.absolute(&route::person(lang, &p.id));
    let name = names::full(&display, form);
    PersonView {
        id: &p.id,
        name: name.clone(),
        years: life_years(p),
        forms,
        variants: &p.name_variants,
        facts,
        cases,
        biography,
        biography_elsewhere,
        regions,
        citation: super::cite::citation(site, p, l, &permanent_url, &name, build_date),
        json_ld: super::cite::json_ld(site, p, &permanent_url, &name),
        qr_svg: super::cite::qr_svg(&permanent_url, &fill(l.t("qr_label"), &[("url", &permanent_url)])),
        correction_href: super::cite::correction_href(site, p, l, &permanent_url),
        data_href: site.urls.link(&route::person_data(&p.id)),
        permanent_url,
    }
}

fn case_view<'a>(site: &'a Site, p: &'a Person, c: &'a Case, i: usize, last: bool, l: &'a Language) -> CaseView<'a> {
    let lang = l.code.as_str();
    let rl = record_lang(site, lang);
    let v = &site.vocabulary;
    let term =
        |table: &'a crate::reference::TermTable, code: Option<u16>| code.map(|c| table.get(c).labels[lang].as_str());
    let region = site.regions.get(c.region);
    let mut sentence = term(&v.sentences, c.sentence).unwrap_or("").to_string();
    if let Some(years) = c.sentence_years {
        let years = l.plural("years", years as u64);
        sentence = if sentence.is_empty() { years } else { format!("{sentence}, {years}") };
    }
    let mut facts: Vec<Option<Fact>> = vec![
        text_fact(l.t("field_occupation"), &c.occupation, rl),
        text_fact(l.t("field_residence"), &c.residence, rl),
        Some(Fact {
            label: l.t("field_region"),
            value: region.names[lang].clone(),
            lang: None,
            datetime: None,
            href: Some(site.urls.link(&route::region(lang, &region.slug, 1))),
        }),
        text_fact(l.t("field_district"), &c.district, rl),
        date_fact(l.t("field_arrest_date"), &c.arrest_date, l),
        text_fact(l.t("field_charge"), &c.charge, rl),
        term(&v.bodies, c.sentenced_by).and_then(|t| text_fact(l.t("field_sentenced_by"), t, None)),
        date_fact(l.t("field_sentence_date"), &c.sentence_date, l),
        text_fact(l.t("field_sentence"), &sentence, None),
        term(&v.fates, c.fate).and_then(|t| text_fact(l.t("field_fate"), t, None)),
    ];
    // Death belongs to the person; it is told after the fate of the last case.
    if last {
        facts.push(date_fact(l.t("field_death_date"), &p.death_date, l));
        facts.push(text_fact(l.t("field_death_place"), &p.death_place, rl));
    }
    facts.extend([
        date_fact(l.t("field_rehabilitation_date"), &c.rehabilitation_date, l),
        text_fact(l.t("field_rehabilitated_by"), &c.rehabilitated_by, rl),
        text_fact(l.t("field_archive"), &c.archive, rl),
        text_fact(l.t("field_source"), &c.source, rl),
    ]);
    let status = v.status.get(c.status);
    CaseView {
        number: i + 1,
        title: fill(l.t("case_n"), &[("n", &(i + 1).to_string())]),
        facts: facts.into_iter().flatten().collect(),
        status_code: &status.code,
        status: &status.labels[lang],
    }
}

/// A row of an index or list: a person with their years.
#[derive(Serialize)]
pub struct PersonLink {
    pub name: String,
    pub href: String,
    pub years: String,
}

pub fn person_link(site: &Site, index: usize, lang: &str) -> PersonLink {
    let p = &site.people[index];
    let form = Form::for_language(lang);
    PersonLink {
        name: names::inverted(&names::form(p, form), form),
        href: site.urls.link(&route::person(lang, &p.id)),
        years: life_years(p),
    }
}

#[derive(Serialize)]
pub struct RegionLink<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub href: String,
    pub count: usize,
    pub count_label: String,
}

pub fn region_links<'a>(site: &'a Site, l: &Language) -> Vec<RegionLink<'a>> {
    site.regions
        .list
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let count = site.region_count(i);
            RegionLink {
                name: &r.names[&l.code],
                code: &r.code,
                href: site.urls.link(&route::region(&l.code, &r.slug, 1)),
                count,
                count_label: l.plural("people", count as u64),
            }
        })
        .collect()
}

/// An essay or page in a list: its title in this language, or in the language it
/// exists in (then `lang` says which).
#[derive(Serialize)]
pub struct DocLink<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub href: String,
    pub lang: Option<&'a str>,
    pub date: Option<String>,
    pub datetime: Option<String>,
}

pub fn doc_link<'a>(
    site: &'a Site,
    group: &'a Translations,
    l: &Language,
    route_of: fn(&str, &str) -> String,
) -> DocLink<'a> {
    let doc: &Document = group.best(&l.code, &site.languages);
    let datetime = doc.date_iso();
    DocLink {
        title: doc.title(),
        summary: doc.meta.summary.as_deref().unwrap_or(""),
        href: site.urls.link(&route_of(&l.code, &group.slug)),
        lang: (doc.lang != l.code).then_some(doc.lang.as_str()),
        date: datetime.as_deref().and_then(|d| crate::records::PartialDate::parse(d).ok()).map(|d| l.date(&d)),
        datetime,
    }
}
