//! Load and validate every input: config, theme strings and templates,
//! reference tables, records and Markdown (in parallel), redirects and the
//! ledger; then resolve them into the site. Every problem is collected.

use std::collections::{HashMap, HashSet};

use super::{state, Error, Options};
use crate::diagnostics::Diagnostics;
use crate::{config, content, i18n, ledger, model, publish, records, reference, render, site};

pub(super) fn invalid(diags: Diagnostics) -> Error {
    Error::Invalid(diags.into_sorted())
}

/// What every load reads besides the records and the Markdown.
struct Settings {
    config: config::Config,
    languages: Vec<i18n::Language>,
    templates: Result<render::Templates, Vec<crate::diagnostics::Diagnostic>>,
    regions: reference::Regions,
    vocabulary: reference::Vocabulary,
}

/// Reads config.toml, the theme's strings and templates and the reference
/// tables.
fn settings(options: &Options, diags: &mut Diagnostics) -> Result<Settings, Error> {
    let root = &options.root;
    let config =
        config::Config::load(&root.join("config.toml"), options.base_url.as_deref()).map_err(Error::Invalid)?;
    let theme_dir = config.theme_dir(root);
    super::output_place::check(root, &options.output_dir(), &theme_dir).map_err(Error::Failed)?;
    let languages = i18n::load(&theme_dir, &config.languages, &config.default_language, diags);
    let templates = render::load_templates(&theme_dir);
    let data = root.join("data");
    let regions = reference::load_regions(&data.join("regions.toml"), &config.languages, diags);
    let vocabulary = reference::load_vocabulary(&data.join("vocabulary.toml"), &config.languages, diags);
    Ok(Settings { config, languages, templates, regions, vocabulary })
}

/// The templates, or their problems among the load's.
fn templates_or_problems(
    templates: Result<render::Templates, Vec<crate::diagnostics::Diagnostic>>,
    diags: &mut Diagnostics,
) -> Option<render::Templates> {
    match templates {
        Ok(t) => Some(t),
        Err(problems) => {
            problems.into_iter().for_each(|d| diags.push(d));
            None
        }
    }
}

/// Load and validate every input: the whole site as data, or all its problems.
pub fn load(options: &Options) -> Result<(site::Site, render::Templates), Error> {
    let root = &options.root;
    let mut diags = Diagnostics::new();
    let Settings { config, languages, templates, regions, vocabulary } = settings(options, &mut diags)?;
    let data = root.join("data");
    let mut record_diags = Diagnostics::new();
    let mut content_diags = Diagnostics::new();
    let (records, content) = rayon::join(
        || records::load(&data.join("records"), &regions, &vocabulary, &mut record_diags),
        || content::load(&root.join("content"), &config.languages, &mut content_diags),
    );
    diags.extend(record_diags);
    diags.extend(content_diags);
    let templates = templates_or_problems(templates, &mut diags);
    let ledger_path = data.join(ledger::FILE);
    let published = ledger::load(&ledger_path, &mut diags);
    let withdrawn_path = data.join("withdrawn.csv");
    let mut withdrawn = records::withdrawn::load(&withdrawn_path, &vocabulary, &mut diags);
    // Rejected rows' ids count as present: their error is already reported.
    let ids: HashSet<&str> =
        records.people.iter().map(|p| p.id.as_str()).chain(records.rejected_ids.iter().map(String::as_str)).collect();
    let redirects = records::redirects::load(&data.join("redirects.csv"), &ids, &mut diags);
    let redirected: HashSet<&str> = redirects.iter().map(|r| r.from.as_str()).collect();
    let in_ledger: HashSet<&str> = published.ids.iter().map(|(id, _)| id.as_str()).collect();
    records::withdrawn::check(&withdrawn_path, &withdrawn, &ids, &in_ledger, &redirects, &mut diags);
    let output = options.output_dir();
    let previous_site = publish::previous::has_person_pages(&output).then_some(output.as_path());
    ledger::check_present(&ledger_path, previous_site, options.update_ledger, &mut diags);
    ledger::check_identities(&ledger_path, &published, records.people.iter(), &mut diags);
    if !records.incomplete {
        let present: HashSet<&str> = ids.iter().copied().chain(withdrawn.iter().map(|w| w.id.as_str())).collect();
        ledger::check(&ledger_path, &published, &present, &redirected, &mut diags);
    }
    drop((ids, redirected, in_ledger));
    let (people, file_of, withdrawn_file_of) = without_withdrawn(records.people, records.file_of, &mut withdrawn);
    let origins = site::Origins { files: records.files, file_of, withdrawn: withdrawn_file_of, shared: records.shared };
    let inputs = site::Inputs {
        config,
        languages,
        regions,
        vocabulary,
        people,
        origins,
        content,
        redirects,
        withdrawn,
        published,
    };
    let site = site::resolve(inputs, &mut diags);
    match templates {
        Some(t) if diags.is_empty() => Ok((site, t)),
        _ => Err(invalid(diags)),
    }
}

/// The site from the records a build kept ([`super::state`]) and every
/// other input read as [`load`] reads it. The checks across files of
/// [`load`] (ids, the ledger, redirects, withdrawals) passed when the records
/// were kept and still pass: the state is used only when no input but record
/// files changed since, and [`super::edit`] checks the edited records.
pub fn restore(options: &Options, kept: state::Records) -> Result<(site::Site, render::Templates), Error> {
    let root = &options.root;
    let mut diags = Diagnostics::new();
    let Settings { config, languages, templates, regions, vocabulary } = settings(options, &mut diags)?;
    let data = root.join("data");
    let content = content::load(&root.join("content"), &config.languages, &mut diags);
    let published = ledger::load(&data.join(ledger::FILE), &mut diags);
    let mut withdrawn = records::withdrawn::load(&data.join("withdrawn.csv"), &vocabulary, &mut diags);
    for w in &mut withdrawn {
        w.identity = kept.identities.get(&w.id).cloned();
    }
    let state::Records { people, origins, indexes, .. } = kept;
    let ids: HashSet<&str> =
        people.iter().map(|p| p.id.as_str()).chain(origins.withdrawn.keys().map(String::as_str)).collect();
    let redirects = records::redirects::load(&data.join("redirects.csv"), &ids, &mut diags);
    drop(ids);
    let inputs = site::Inputs {
        config,
        languages,
        regions,
        vocabulary,
        people,
        origins,
        content,
        redirects,
        withdrawn,
        published,
    };
    let mut site = site::resolve_unsorted(inputs, &mut diags);
    let regions = site.regions.list.len();
    if indexes.len() != site.languages.len() || indexes.iter().any(|l| l.len() != regions) {
        return Err(Error::Failed("the kept indexes are not the site's".into()));
    }
    site.indexes = indexes;
    match templates_or_problems(templates, &mut diags) {
        Some(t) if diags.is_empty() => Ok((site, t)),
        _ => Err(invalid(diags)),
    }
}

/// The people still published: a withdrawn person's record leaves every page,
/// list and file of the site (their own URLs answer the withdrawal page).
/// Each withdrawal gets the identity of its record, for the ledger's mark.
/// `file_of`: each person's record file, kept beside the people published,
/// and returned by id for those withdrawn.
fn without_withdrawn(
    people: Vec<model::Person>,
    file_of: Vec<u32>,
    withdrawn: &mut [records::withdrawn::Withdrawal],
) -> (Vec<model::Person>, Vec<u32>, HashMap<String, u32>) {
    let mut files_of_withdrawn = HashMap::new();
    if withdrawn.is_empty() {
        return (people, file_of, files_of_withdrawn);
    }
    let mut by_id: HashMap<String, &mut records::withdrawn::Withdrawal> =
        withdrawn.iter_mut().map(|w| (w.id.clone(), w)).collect();
    let (people, file_of) = people
        .into_iter()
        .zip(file_of)
        .filter(|(p, file)| match by_id.get_mut(&p.id) {
            Some(w) => {
                w.identity = Some(ledger::identity(p));
                files_of_withdrawn.insert(p.id.clone(), *file);
                false
            }
            None => true,
        })
        .unzip();
    (people, file_of, files_of_withdrawn)
}
