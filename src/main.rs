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
                    esim::BuildKind::Incremental => println!("esim: rebuilt {s}"),
                    esim::BuildKind::Unchanged => println!("esim: {s}"),
                }
                let t = &s.timings;
                if !quiet && s.kind != esim::BuildKind::Unchanged {
                    println!(
                        "      load {:.2} s, resolve {:.2} s, search index {:.2} s, render {:.2} s, publish {:.2} s",
                        t.load.as_secs_f64(),
                        t.resolve.as_secs_f64(),
                        t.search.as_secs_f64(),
                        t.render.as_secs_f64(),
                        t.publish.as_secs_f64()
                    );
                }
            })
        }
        Command::Check { site, output } => {
            let mut options = site.options();
            options.output = output;
            esim::check(&options).map(|c| match c.pages_checked {
                Some(pages) => println!("esim: check passed ({} people; links of {pages} built pages)", c.people),
                None => println!("esim: check passed ({} people; no built site to check links in)", c.people),
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
        Command::Fixture { people, seed, out, from } => {
            let started = std::time::Instant::now();
            let options = esim::fixture::FixtureOptions { people, seed, out, from };
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
