//! The `esim` command line: parses arguments, calls the library, prints the result.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

// mimalloc: the build allocates many small strings on every thread, and glibc's
// allocator spent a third of the build's time on them (see bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// esim builds a trilingual memorial website from victims' records (CSV) and
/// editors' essays and biographies (Markdown).
#[derive(Parser)]
#[command(name = "esim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory (default: public/). The previous
    /// site is replaced only when the whole build succeeded.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site (default: <root>/public).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Do not show a progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Do not add this build's people to data/published.txt, the ledger of
        /// published pages (for previews; the ledger is still checked).
        #[arg(long)]
        no_ledger: bool,
        /// Render every page and swap in a complete new site, ignoring the
        /// build cache (.esim/cache/) of earlier builds.
        #[arg(long)]
        full: bool,
    },
    /// Build the site, serve it on 127.0.0.1 under the base URL's path, and
    /// rebuild it and reload the open pages whenever data/, content/, themes/
    /// or config.toml change. Writes into <root>/.esim/serve: never into
    /// public/, never into data/published.txt.
    Serve {
        /// The site's root directory, holding config.toml.
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// The port (0: any free port).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Where to write the preview (default: <root>/.esim/serve).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write a new Markdown file with its front matter, correctly named.
    New {
        /// What to create.
        kind: NewKind,
        /// The person's id, or the essay's or page's slug.
        name: String,
        /// The language (default: the site's default language).
        #[arg(long, short)]
        lang: Option<String>,
        /// The site's root directory.
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
    /// Validate every input (config, records, content, theme) without writing.
    /// Prints every problem as path:line:column: message. Also checks every
    /// internal link and fragment of the built site in the output directory,
    /// when there is one.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// The built site whose links to check (default: <root>/public).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Also write the editors' report (people by region and status, what
        /// records lack) to this CSV file.
        #[arg(long, value_name = "FILE.csv")]
        report: Option<PathBuf>,
        /// Also check the built site against the limits of a host:
        /// github-pages, gitlab-pages, cloudflare-pages, netlify, vercel or s3.
        #[arg(long)]
        host: Option<String>,
    },
    /// Upload the built site to object storage ([deploy.NAME] in config.toml:
    /// S3 or any S3-compatible server, gs://, az://): only the files that
    /// changed since the last deploy, pages of published people never deleted.
    /// Credentials come from the environment (AWS_ACCESS_KEY_ID, …).
    Deploy {
        /// The site's root directory, holding config.toml.
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// The built site to upload (default: <root>/public).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The [deploy.NAME] table (may be left out when there is one).
        #[arg(long, short)]
        target: Option<String>,
        /// Print what would be uploaded and deleted; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// List the bucket once and repair what differs from the deploy manifest.
        #[arg(long)]
        verify: bool,
        /// Allow up to N deletions (default 100).
        #[arg(long, default_value_t = esim::deploy::DEFAULT_MAX_DELETES)]
        max_deletes: usize,
        /// Do not show a progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// List pairs of records that are probably one person (same name under any
    /// spelling, compatible patronymic, birth year and place), best score
    /// first, with both source rows. Pairs in data/not-duplicates.csv are left
    /// out. A report, not a check: the exit status is 0 whatever it finds.
    Duplicates {
        /// The site's root directory, holding config.toml.
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// Also write the pairs to this CSV file, for a spreadsheet.
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<PathBuf>,
        /// Leave out pairs scoring less than this (0–100).
        #[arg(long, default_value_t = esim::duplicates::DEFAULT_MIN_SCORE, value_parser = clap::value_parser!(u8).range(0..=100))]
        min_score: u8,
    },
    /// Write a complete site of N fictitious people (for tests and benchmarks),
    /// the same for the same seed. Refuses a non-empty directory that does not
    /// hold a previous fixture.
    Fixture {
        /// How many people.
        #[arg(long)]
        people: usize,
        /// The seed of the random choices.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The directory to write the site into.
        #[arg(long)]
        out: PathBuf,
        /// The site whose themes/ and data/*.toml are copied.
        #[arg(long, default_value = ".")]
        from: PathBuf,
        /// Also plant K known duplicates: people listed a second time, as
        /// another list spells them, in data/records/second-list.csv; the
        /// pairs are listed in .esim-fixture-duplicates.csv.
        #[arg(long, default_value_t = 0, value_name = "K")]
        duplicates: usize,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    /// A biography: content/people/<id>.<lang>.md (the record must exist).
    Person,
    /// An essay: content/essays/<slug>.<lang>.md.
    Essay,
    /// A page: content/pages/<slug>.<lang>.md.
    Page,
}

#[derive(Args)]
struct SiteArgs {
    /// The site's root directory, holding config.toml.
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Override base_url of config.toml (e.g. https://host/sub/path).
    #[arg(long)]
    base_url: Option<String>,
}

impl SiteArgs {
    fn options(&self) -> esim::Options {
        let mut o = esim::Options::new(&self.root);
        o.base_url = self.base_url.clone();
        o
    }
}

/// The summary of a deploy: the plan of a dry run, the changed URLs (the first
/// few; all of them are in the file named), what was kept and found.
fn print_deploy(s: &esim::deploy::DeploySummary, quiet: bool) {
    const SHOWN: usize = 20;
    for line in &s.plan {
        println!("  {line}");
    }
    println!("esim: deploy {s}");
    if quiet {
        return;
    }
    for url in s.changed.iter().take(SHOWN) {
        println!("  changed {url}");
    }
    if let Some(file) = &s.changed_file {
        let more = s.changed.len().saturating_sub(SHOWN);
        let more = if more > 0 { format!(" ({more} more)") } else { String::new() };
        println!("      {} changed URL(s){more} written to {}", s.changed.len(), file.display());
    }
    if s.indexnow_sent > 0 {
        println!("      {} page URL(s) submitted to IndexNow", s.indexnow_sent);
    }
    for key in &s.kept {
        println!("  kept {key}: a page in data/published.txt is never deleted");
    }
    if !s.strays.is_empty() {
        println!("      {} object(s) in the bucket that esim did not upload (not deleted):", s.strays.len());
        for key in s.strays.iter().take(SHOWN) {
            println!("  stray {key}");
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { site, output, quiet, no_ledger, full } => {
            let mut options = site.options();
            options.output = output;
            options.update_ledger = !no_ledger;
            options.incremental = !full;
            options.progress = !quiet && std::io::stderr().is_terminal();
            esim::build(&options).map(|s| {
                match s.kind {
                    esim::BuildKind::Full => println!("esim: built {s}"),
                    esim::BuildKind::Incremental | esim::BuildKind::Rebuild => println!("esim: rebuilt {s}"),
                    esim::BuildKind::Unchanged => println!("esim: {s}"),
                }
                if !quiet && s.kind != esim::BuildKind::Unchanged {
                    println!("      {}", s.timings);
                }
                if let Some(dir) = &s.unused_standby {
                    eprintln!(
                        "esim: note: {} is the copy of the site that [build] standby keeps, and the setting is off: delete it to free its disk",
                        dir.display()
                    );
                }
            })
        }
        Command::Check { site, output, report, host } => {
            let mut options = site.options();
            options.output = output;
            // An unknown host is reported before the (long) check of a big site.
            let known = host.as_deref().map_or(Ok(()), |h| esim::deploy::hosts::find(h).map(|_| ()));
            known
                .map_err(esim::Error::Failed)
                .and_then(|()| esim::check(&options))
                .and_then(|c| {
                    match c.pages_checked {
                        Some(pages) => {
                            println!("esim: check passed ({} people; links of {pages} built pages)", c.people)
                        }
                        None => println!("esim: check passed ({} people; no built site to check links in)", c.people),
                    }
                    print!("\n{}", c.report.table());
                    report.map_or(Ok(()), |path| write_report(&c.report, &path))
                })
                .and_then(|()| match host {
                    Some(host) => esim::deploy::hosts::check(&options.output_dir(), &host)
                        .map(|fits| println!("esim: {fits}"))
                        .map_err(esim::Error::Failed),
                    None => Ok(()),
                })
        }
        Command::Deploy { root, output, target, dry_run, verify, max_deletes, quiet } => {
            let options = esim::deploy::DeployOptions {
                output,
                target,
                dry_run,
                verify,
                max_deletes,
                progress: !quiet && std::io::stderr().is_terminal(),
                ..esim::deploy::DeployOptions::new(root)
            };
            // A failed IndexNow submission fails the command after the
            // deploy's summary (the upload itself succeeded).
            esim::deploy::deploy(&options).and_then(|s| {
                print_deploy(&s, quiet);
                s.indexnow_error.map_or(Ok(()), |e| Err(esim::Error::Failed(e)))
            })
        }
        Command::Serve { root, port, bind, output } => esim::serve(esim::ServeOptions { root, port, bind, output }),
        Command::New { kind, name, lang, root } => {
            let kind = match kind {
                NewKind::Person => esim::scaffold::Kind::Person,
                NewKind::Essay => esim::scaffold::Kind::Essay,
                NewKind::Page => esim::scaffold::Kind::Page,
            };
            let today = esim::build_date().iso();
            esim::scaffold::create(&root, kind, &name, lang.as_deref(), &today)
                .map(|path| println!("esim: wrote {}", path.display()))
                .map_err(esim::Error::Failed)
        }
        Command::Duplicates { root, csv, min_score } => duplicates(root, csv, min_score),
        Command::Fixture { people, seed, out, from, duplicates } => {
            let started = std::time::Instant::now();
            let options = esim::fixture::FixtureOptions { people, seed, out, from, duplicates };
            esim::fixture::generate(&options)
                .map(|s| {
                    println!(
                        "esim: fixture (seed {seed}) {s} → {} in {:.2} s",
                        options.out.display(),
                        started.elapsed().as_secs_f64()
                    )
                })
                .map_err(esim::Error::Failed)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the probable duplicates and, with `csv`, writes them as CSV.
fn duplicates(root: PathBuf, csv: Option<PathBuf>, min_score: u8) -> Result<(), esim::Error> {
    let report =
        esim::duplicates::find(&esim::duplicates::Options { root, min_score }).map_err(esim::Error::Invalid)?;
    for w in &report.warnings {
        eprintln!("{w}");
    }
    let mut stdout = std::io::stdout().lock();
    report.write_table(&mut stdout).map_err(|e| esim::Error::Failed(format!("cannot print the report: {e}")))?;
    if let Some(path) = csv {
        let failed = |e: String| esim::Error::Failed(format!("{}: {e}", path.display()));
        let file = std::fs::File::create(&path).map_err(|e| failed(e.to_string()))?;
        report.write_csv(std::io::BufWriter::new(file)).map_err(|e| failed(e.to_string()))?;
        println!("esim: wrote the pairs to {}", path.display());
    }
    Ok(())
}

/// Writes the editors' report as CSV.
fn write_report(report: &esim::export::report::Report, path: &std::path::Path) -> Result<(), esim::Error> {
    let failed = |e: String| esim::Error::Failed(format!("{}: {e}", path.display()));
    let file = std::fs::File::create(path).map_err(|e| failed(e.to_string()))?;
    report.write_csv(std::io::BufWriter::new(file)).map_err(|e| failed(e.to_string()))?;
    println!("esim: wrote the report to {}", path.display());
    Ok(())
}
