//! `atlas`: Compute Atlas on the command line.
//!
//! A thin shell over `atlas-core`: it reads files and prints; every number comes from the core, so
//! the command line and the page always agree. Problems with the input go to stderr with exit
//! code 2 and nothing on stdout.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_core::export::{summary_text, to_csv};
use atlas_core::{Problem, Scenario, parse_scenario, simulate};
use clap::{Args, Parser, Subcommand, ValueEnum};

mod sweep;

/// Compute Atlas: how the world's AI compute gets built, and what it costs the grid, the wallet and
/// the climate.
#[derive(Parser)]
#[command(name = "atlas", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the default scenario (the article's world) as JSON, a starting point for your own.
    Default,
    /// Simulate a scenario file and print the results.
    Run {
        #[command(flatten)]
        source: Source,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = Format::Summary)]
        format: Format,
    },
    /// Compare scenarios given as page links (a whole URL, a query string, a preset id or name):
    /// the headline figures of A and B, B − A and the change; more scenarios each against A.
    Compare {
        /// Scenario A (`'https://…/?v=1&energy=2'`, `v=1&energy=2` or `azure-only`).
        a: String,
        /// Scenario B, in the same forms.
        b: String,
        /// More scenarios (C, D, …), each compared with A.
        more: Vec<String>,
        /// Output format: a text table, CSV, or JSON.
        #[arg(long, short, value_enum, default_value_t = Format::Summary)]
        format: Format,
    },
    /// Solve for the best allocation of new capital (a linear program) under the scenario's
    /// export rules, offers, power limits and budget, and print the plan.
    Plan {
        #[command(flatten)]
        source: Source,
        /// What to optimise.
        #[arg(long, value_enum, default_value_t = PlanObjective::MinCost)]
        objective: PlanObjective,
        /// H100e installed at the end that the plan must reach (default: the scenario's own).
        #[arg(long)]
        target: Option<f64>,
        /// Largest share of a year's capital one provider may take, percent.
        #[arg(long, default_value_t = 100.0)]
        max_share: f64,
        /// New design facility power any one region may add in a year, GW.
        #[arg(long)]
        power_limit_gw: Option<f64>,
        /// Let least-cost plans spend more than the yearly budget.
        #[arg(long)]
        no_budget: bool,
        /// Providers the plan may use, comma-separated (default: those the scenario gives a share).
        #[arg(long, value_delimiter = ',')]
        providers: Vec<String>,
        /// Print the page link (query string) of the scenario with the plan applied instead.
        #[arg(long)]
        link: bool,
        /// Output format: a summary, JSON, or CSV of the purchases.
        #[arg(long, short, value_enum, default_value_t = Format::Summary)]
        format: Format,
    },
    /// Monte Carlo bands: the scenario simulated with its uncertain inputs drawn (width, draws and
    /// seed from the scenario: `unc=`, `draws=`, `seed=` in a query), as percentiles P5–P95 of
    /// every headline figure (summary), or of every series per quarter too (CSV, JSON).
    Bands {
        #[command(flatten)]
        source: Source,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = Format::Summary)]
        format: Format,
    },
    /// What matters most: each uncertain input and main slider swung from its low to its high end,
    /// and the headline figure it moves, widest swing first.
    Tornado {
        #[command(flatten)]
        source: Source,
        /// The headline figure (an id, as in `atlas run -f json`'s summary).
        #[arg(long, default_value = atlas_core::tornado::DEFAULT_KPI.as_str())]
        kpi: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = Format::Summary)]
        format: Format,
    },
    /// Run many scenarios on every core: a grid over a base link, or a file of links (one a
    /// line). Writes a row of headline figures per scenario, in order, as each chunk is done (CSV
    /// to standard output or a file, or Parquet to a file); a bad link is a row with its problems,
    /// and the rest still run. A progress bar shows on a terminal.
    Sweep {
        /// The base link every grid point starts from (`v=1&base=world`).
        #[arg(long, default_value = "v=1")]
        base: String,
        /// An axis of the grid: `param=v1,v2,…`, `param=from:to:step`, or `param=a;b` for values
        /// with commas (a `ban=` list). Repeat for more axes; every combination is run.
        #[arg(long)]
        grid: Vec<String>,
        /// A file of links, one a line (`-`: standard input), instead of a grid.
        #[arg(long)]
        links: Option<PathBuf>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = sweep::SweepFormat::Csv)]
        format: sweep::SweepFormat,
        /// Output file (standard output without; Parquet needs one).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Threads (default: every core).
        #[arg(long)]
        threads: Option<usize>,
        /// The progress bar on standard error.
        #[arg(long, value_enum, default_value_t = sweep::Progress::Auto)]
        progress: sweep::Progress,
    },
    /// Check a scenario file and list every problem.
    Validate {
        /// Scenario file (JSON); `-` reads standard input.
        file: PathBuf,
    },
    /// List every default value with its source and year (tab-separated).
    Sources,
}

/// Where a scenario comes from: a file or a page query.
#[derive(Args)]
struct Source {
    /// Scenario file (JSON); `-` reads standard input. Leave out with `--query`.
    #[arg(required_unless_present = "query", conflicts_with = "query")]
    file: Option<PathBuf>,
    /// A scenario as the page's URL query string (`v=1&energy=1.5&ban=blackwell:embargoed`);
    /// parameters it ignores or adjusts are listed on stderr.
    #[arg(long, short)]
    query: Option<String>,
}

impl Source {
    /// The scenario, and the name to report problems under (the file, or `--query`).
    fn load(self) -> (PathBuf, Result<Scenario, String>) {
        let file = self.file.unwrap_or_else(|| PathBuf::from("--query"));
        let scenario = match self.query {
            Some(query) => Ok(from_query(&query)),
            None => load(&file),
        };
        (file, scenario)
    }
}

/// The planner's objectives.
#[derive(Clone, Copy, ValueEnum)]
enum PlanObjective {
    /// Least total cost (capital + energy + carbon price × emissions) for a capacity target.
    MinCost,
    /// Most compute (H100e-years) for the budget.
    MaxCompute,
    /// Least emissions for the budget and a capacity target.
    MinCarbon,
}

/// How results are printed.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A short human summary.
    Summary,
    /// Every series, breakdown, redirection and headline figure as JSON.
    Json,
    /// Tidy long CSV: quarter, provider, region, accelerator, metric, unit, value.
    Csv,
}

/// Exit code for bad input (unreadable file, invalid scenario).
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Sweep { base, grid, links, format, output, threads, progress } => {
            let request = sweep::Request { base, grid, links, format, output, threads, progress };
            // Rows go out as they are made; nothing is left to print at the end.
            sweep::run(request).map(|()| String::new()).map_err(|e| format!("error: {e}\n"))
        }
        Command::Default => Ok(Scenario::default().to_json_pretty() + "\n"),
        Command::Sources => Ok(sources()),
        Command::Validate { file } => {
            load(&file).map(|s| format!("{}: valid ({})\n", file.display(), s.name))
        }
        Command::Compare { a, b, more, format } => compare(&a, &b, &more, format),
        Command::Plan {
            source,
            objective,
            target,
            max_share,
            power_limit_gw,
            no_budget,
            providers,
            link,
            format,
        } => {
            let (_, scenario) = source.load();
            let settings = atlas_core::plan::PlanSettings {
                objective: match objective {
                    PlanObjective::MinCost => atlas_core::plan::Objective::MinCost,
                    PlanObjective::MaxCompute => atlas_core::plan::Objective::MaxCompute,
                    PlanObjective::MinCarbon => atlas_core::plan::Objective::MinCarbon,
                },
                capacity_target_h100e: target,
                respect_budget: !no_budget,
                max_provider_share: max_share / 100.0,
                power_limit_gw_per_region_year: power_limit_gw,
                providers,
            };
            scenario.and_then(|s| plan(&s, &settings, if link { None } else { Some(format) }))
        }
        Command::Run { source, format } => {
            let (file, scenario) = source.load();
            scenario.and_then(|s| run(&file, &s, format))
        }
        Command::Bands { source, format } => {
            let (file, scenario) = source.load();
            scenario.and_then(|s| bands(&file, &s, format))
        }
        Command::Tornado { source, kpi, format } => {
            let (file, scenario) = source.load();
            scenario.and_then(|s| tornado(&file, &s, &kpi, format))
        }
    };
    match outcome {
        Ok(text) => {
            let mut stdout = io::stdout().lock();
            // A closed pipe (`atlas run … | head`) is not an error worth reporting.
            let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprint!("{message}");
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// Simulates a valid scenario and formats the results.
fn run(file: &Path, s: &Scenario, format: Format) -> Result<String, String> {
    let results = simulate(s).map_err(|p| report(file, &p))?;
    Ok(match format {
        Format::Summary => summary_text(&s.name, &results),
        Format::Json => results.to_json() + "\n",
        Format::Csv => to_csv(s, &results),
    })
}

/// The Monte Carlo bands of a valid scenario.
fn bands(file: &Path, s: &Scenario, format: Format) -> Result<String, String> {
    valid(file, s)?;
    let b = atlas_core::montecarlo::bands(s);
    Ok(match format {
        Format::Summary => atlas_core::montecarlo::bands_text(&s.name, &b),
        Format::Json => serde_json::to_string_pretty(&b).unwrap_or_default() + "\n",
        Format::Csv => atlas_core::montecarlo::bands_csv(&b),
    })
}

/// The tornado of a valid scenario.
fn tornado(file: &Path, s: &Scenario, kpi: &str, format: Format) -> Result<String, String> {
    valid(file, s)?;
    let kpi: atlas_core::KpiId = kpi.parse().map_err(|err| format!("error: {err}\n"))?;
    let t = atlas_core::tornado::tornado(s, kpi);
    Ok(match format {
        Format::Summary => atlas_core::tornado::tornado_text(&s.name, &t),
        Format::Json => serde_json::to_string_pretty(&t).unwrap_or_default() + "\n",
        Format::Csv => atlas_core::tornado::tornado_csv(&t),
    })
}

/// Simulates two linked scenarios and formats the difference of their headline figures.
fn compare(a: &str, b: &str, more: &[String], format: Format) -> Result<String, String> {
    let side = |name: char, link: &str| -> Result<(String, atlas_core::Summary), String> {
        let decoded = atlas_core::compare::scenario_of_link(link);
        for n in &decoded.notices {
            eprintln!("notice ({name}): {} = {:?}: {}", n.param, n.value, n.message);
        }
        let results = simulate(&decoded.scenario).map_err(|p| report(Path::new(&name.to_string()), &p))?;
        Ok((atlas_core::naming::title(&decoded.scenario).name, results.summary))
    };
    let links: Vec<&str> = [a, b].into_iter().chain(more.iter().map(String::as_str)).collect();
    let sides = (links.iter().zip('A'..='Z'))
        .map(|(link, name)| side(name, link))
        .collect::<Result<Vec<_>, String>>()?;
    let (name_a, first) = &sides[0];
    let rows: Vec<Vec<atlas_core::compare::KpiDifference>> =
        sides[1..].iter().map(|(_, s)| atlas_core::compare::compare_kpis(first, s)).collect();
    let names: Vec<String> = sides.iter().map(|(n, _)| n.clone()).collect();
    Ok(match (format, rows.as_slice()) {
        (Format::Summary, _) => (sides[1..].iter().zip(&rows))
            .map(|((name, _), r)| atlas_core::compare::to_text(name_a, name, r))
            .collect::<Vec<_>>()
            .join("\n"),
        (Format::Json, [one]) => serde_json::to_string_pretty(one).unwrap_or_default() + "\n",
        (Format::Json, many) => serde_json::to_string_pretty(many).unwrap_or_default() + "\n",
        (Format::Csv, [one]) => atlas_core::compare::to_csv(one),
        (Format::Csv, many) => atlas_core::compare::to_csv_many(&names, many),
    })
}

/// Plans a scenario and formats the plan; no plan is an error with the planner's message.
/// `format` `None` prints the link of the scenario with the plan applied.
fn plan(
    s: &Scenario,
    settings: &atlas_core::plan::PlanSettings,
    format: Option<Format>,
) -> Result<String, String> {
    let plan = atlas_core::plan::plan(s, settings).map_err(|err| format!("error: no plan: {err}\n"))?;
    Ok(match format {
        None => atlas_core::url::encode(&atlas_core::plan::apply(s, &plan)) + "\n",
        Some(Format::Summary) => {
            let simulate = |s: &Scenario| {
                atlas_core::simulate(s)
                    .map_err(|p| format!("error: the planned scenario is invalid: {p:?}\n"))
            };
            let own = simulate(s)?;
            let planned = simulate(&atlas_core::plan::apply(s, &plan))?;
            let mut text = atlas_core::plan::summary_text(&atlas_core::naming::title(s).name, &plan);
            for line in atlas_core::plan::review(&plan, &own, &planned) {
                text.push_str(&format!("\nNote: {line}\n"));
            }
            text
        }
        Some(Format::Json) => serde_json::to_string_pretty(&plan).unwrap_or_default() + "\n",
        Some(Format::Csv) => atlas_core::plan::purchases_csv(&plan),
    })
}

/// The scenario of a URL query string; what the query could not carry is listed on stderr.
fn from_query(query: &str) -> Scenario {
    let decoded = atlas_core::url::decode(query, &atlas_core::url::PAGE_PARAMETERS);
    for n in &decoded.notices {
        eprintln!("notice: {} = {:?}: {}", n.param, n.value, n.message);
    }
    decoded.scenario
}

/// Reads and validates a scenario file; the error is the text to print.
fn load(file: &Path) -> Result<Scenario, String> {
    let text = if file.as_os_str() == "-" {
        let mut buf = String::new();
        io::stdin().read_to_string(&mut buf).map(|_| buf)
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|err| format!("error: cannot read {}: {err}\n", file.display()))?;
    parse_scenario(&text).map_err(|problems| report(file, &problems))
}

/// Checks a scenario (from a query; files are checked as they load).
fn valid(file: &Path, s: &Scenario) -> Result<(), String> {
    let problems = atlas_core::validate(s);
    if problems.is_empty() { Ok(()) } else { Err(report(file, &problems)) }
}

fn report(file: &Path, problems: &[Problem]) -> String {
    let name = if file.as_os_str() == "-" { "standard input".into() } else { file.display().to_string() };
    let plural = if problems.len() == 1 { "" } else { "s" };
    let mut out = format!("error: {name} has {} problem{plural}:\n", problems.len());
    for p in problems {
        out.push_str(&format!("  - {p}\n"));
    }
    out
}

fn sources() -> String {
    atlas_core::export::sources_tsv()
}
