//! Prepared views: what each template receives. Views borrow from the site where
//! they can and hold only what one page shows — never whole records cloned per
//! page, never the site's full page list.

use serde::Serialize;

use crate::content::{Document, Heading};
use crate::i18n::{fill, Language};
use crate::model::names::{self, Form};
use crate::model::{Case, PartialDate, Person, Sex};
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
    /// Says which written form the heading shows when it is not the page's own
    /// (a Kazakh page showing the archive form, for want of a Kazakh one).
    pub name_note: Option<&'a str>,
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
    /// The QR code of the permanent URL, an inline `<img>`.
    pub qr: String,
    pub correction_href: Option<String>,
}

pub fn person<'a>(site: &'a Site, index: usize, l: &'a Language, build_date: &PartialDate) -> PersonView<'a> {
    let p = &site.people[index];
    let lang = l.code.as_str();
    let rl = record_lang(site, lang);
    let form = Form::for_language(lang);
    let display = p.name_in(form);
    let all = p.name_forms();
    let permanent_url = site.urls.absolute(&route::person(lang, &p.id));
    let name = names::full(&display, form);
    let json_ld = super::cite::json_ld(site, p, &all, &permanent_url, &name);

    let other = |form_lang: &'a str| (form_lang != lang).then_some(form_lang);
    let mut forms =
        vec![NameForm { label: l.t("name_archive"), value: all.archive, lang: other(&site.config.record_language) }];
    let kazakh = all.kazakh;
    if !p.kk_name.is_empty() && kazakh != forms[0].value {
        forms.push(NameForm { label: l.t("name_kazakh"), value: kazakh, lang: other("kk") });
    }
    forms.push(NameForm { label: l.t("name_latin"), value: all.latin, lang: other("en") });

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

    PersonView {
        id: &p.id,
        name: name.clone(),
        name_note: (form == Form::Kazakh && p.kk_name.is_empty()).then(|| l.t("name_archive_only")),
        years: life_years(p),
        forms,
        variants: &p.name_variants,
        facts,
        cases,
        biography,
        biography_elsewhere,
        regions,
        citation: super::cite::citation(site, p, l, &permanent_url, &name, build_date),
        json_ld,
        qr: super::qr::img(&permanent_url, &fill(l.t("qr_label"), &[("url", &permanent_url)])),
        correction_href: super::cite::correction_href(site, p, l, &permanent_url),
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
    let sentence = sentence_text(site, c, l);
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
        date_fact(l.t_sex("field_arrest_date", p.sex), &c.arrest_date, l),
        text_fact(l.t("field_charge"), &c.charge, rl),
        term(&v.bodies, c.sentenced_by).and_then(|t| text_fact(l.t_sex("field_sentenced_by", p.sex), t, None)),
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
        date_fact(l.t_sex("field_rehabilitation_date", p.sex), &c.rehabilitation_date, l),
        text_fact(l.t_sex("field_rehabilitated_by", p.sex), &c.rehabilitated_by, rl),
        text_fact(l.t("field_archive"), &c.archive, rl),
        text_fact(l.t("field_note"), &c.note, rl),
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

/// A row of an index or list: a person with their years, the other spelling
/// of the name, and what happened to them, as the record states it.
#[derive(Serialize)]
pub struct PersonLink<'a> {
    pub name: String,
    pub href: String,
    pub years: String,
    /// The name in the written form a reader of another language knows it by,
    /// when it differs from `name`.
    pub other_name: Option<String>,
    /// The language of `other_name`.
    pub other_lang: Option<&'a str>,
    /// "arrested 1937 · shot", "sentenced 1932": the case's year under its own
    /// name, and the fate or else the sentence; empty when the record has none.
    pub case: String,
}

pub fn person_link<'a>(site: &'a Site, index: usize, l: &Language) -> PersonLink<'a> {
    let p = &site.people[index];
    let lang = l.code.as_str();
    let form = Form::for_language(lang);
    let name = names::inverted(&p.name_in(form), form);
    let (other_form, other_lang) = other_form(site, p, lang);
    let other_name = Some(names::inverted(&p.name_in(other_form), other_form)).filter(|n| *n != name);
    PersonLink {
        name,
        href: site.urls.link(&route::person(lang, &p.id)),
        years: life_years(p),
        other_lang: other_name.as_ref().and(other_lang),
        other_name,
        case: case_summary(site, p, l),
    }
}

/// The written form a list shows beside the page's own: the archive form on
/// Kazakh and English pages, the Kazakh form (when the record gives one) on
/// the others. Its language is set when it differs from the page's.
fn other_form<'a>(site: &'a Site, p: &Person, lang: &str) -> (Form, Option<&'a str>) {
    let record = site.config.record_language.as_str();
    match Form::for_language(lang) {
        Form::Kazakh | Form::Latin => (Form::Archive, (record != lang).then_some(record)),
        Form::Archive if !p.kk_name.is_empty() => (Form::Kazakh, Some("kk")),
        Form::Archive => (Form::Archive, None),
    }
}

/// The facts of a person's cases a list line tells: the earliest arrest year,
/// else the earliest sentence year, each labelled as what it is; then the fate
/// of the last case that records one, else its sentence; then the year of
/// rehabilitation.
pub fn case_summary(site: &Site, p: &Person, l: &Language) -> String {
    let lang = l.code.as_str();
    let earliest = |date: fn(&Case) -> Option<PartialDate>| p.cases.iter().filter_map(date).map(|d| d.year).min();
    let year = match (earliest(|c| c.arrest_date), earliest(|c| c.sentence_date)) {
        (Some(y), _) => Some(format!("{} {y}", l.t("search_arrested"))),
        (None, Some(y)) => Some(format!("{} {y}", l.t("search_sentenced"))),
        (None, None) => None,
    };
    let v = &site.vocabulary;
    let outcome =
        p.cases.iter().rev().find_map(|c| c.fate).map(|f| v.fates.get(f).labels[lang].clone()).or_else(|| {
            p.cases
                .iter()
                .rev()
                .find(|c| c.sentence.is_some() || c.sentence_years.is_some())
                .map(|c| sentence_text(site, c, l))
        });
    let rehabilitated = earliest(|c| c.rehabilitation_date).map(|y| format!("{} {y}", l.t("list_rehabilitated")));
    [year, outcome, rehabilitated].into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

/// "camp, 10 years": the sentence and its term as the record gives them.
fn sentence_text(site: &Site, c: &Case, l: &Language) -> String {
    let label = c.sentence.map(|s| site.vocabulary.sentences.get(s).labels[&l.code].as_str()).unwrap_or("");
    let years = c.sentence_years.map(|y| l.plural("years", y as u64));
    match years {
        Some(y) if label.is_empty() => y,
        Some(y) => format!("{label}, {y}"),
        None => label.to_string(),
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

/// Every region in the language's alphabetical order.
pub fn region_links<'a>(site: &'a Site, l: &Language) -> Vec<RegionLink<'a>> {
    site.regions_in_order(l)
        .into_iter()
        .map(|i| {
            let r = &site.regions.list[i];
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
        date: datetime.as_deref().and_then(|d| crate::model::PartialDate::parse(d).ok()).map(|d| l.date(&d)),
        datetime,
    }
}
