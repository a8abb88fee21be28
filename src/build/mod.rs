//! The conductor: `esim build` and `esim check`. One build runs
//! load → resolve ([`load`]) → render → publish ([`run`]), with the other
//! outputs produced beside the pages ([`outputs`]) and what the build is made
//! of decided in one place ([`inputs`]). The [`warm`] builder keeps a site in
//! memory between builds, for `esim serve`.
//!
//! Serve and the command line use this module through its public surface:
//! [`build`], [`check`], [`Options`], [`Summary`] and [`warm::Builder`].

mod edit;
pub mod inputs;
mod load;
mod options;
mod output_place;
mod outputs;
mod run;
mod state;
pub mod warm;

pub use inputs::build_date;
pub use options::{BrokenLink, BuildKind, Checked, Error, Options, Summary, Timings};
pub use run::build;

use crate::{publish, render, site};

/// Loads and validates a site without building it (for benchmarks and tools).
pub fn load_site(options: &Options) -> Result<(site::Site, render::Templates), Error> {
    load::load(options)
}

/// Validates every input without writing anything, and checks the internal
/// links and fragments of the output directory when it holds a built site.
pub fn check(options: &Options) -> Result<Checked, Error> {
    let (site, tera) = load::load(options)?;
    // Rendering one page of each kind in each language catches template errors.
    let theme_static = site.config.theme_dir(&options.root).join("static");
    let assets = crate::export::assets::Assets::load(&theme_static).map_err(Error::Failed)?;
    let renderer = render::Renderer::new(&site, &tera, &assets, build_date());
    for job in render::catalogue::one_of_each_kind(&renderer.jobs()) {
        renderer.render(job).map_err(Error::Failed)?;
    }
    let output = options.output_dir();
    let mut pages_checked = None;
    if output.join(publish::MARKER).is_file() {
        // The base URL the site was built with (its robots.txt says), unless given.
        let base_url = options.base_url.clone().or_else(|| publish::linkcheck::built_base_url(&output));
        let (pages, broken) = publish::linkcheck::check(&output, base_url.as_deref().unwrap_or(&site.config.base_url));
        if !broken.is_empty() {
            return Err(Error::BrokenLinks(
                broken.into_iter().map(|b| BrokenLink { page: output.join(&b.page), ..b }).collect(),
            ));
        }
        pages_checked = Some(pages);
    }
    Ok(Checked { people: site.people.len(), pages_checked, report: crate::export::report::report(&site) })
}
