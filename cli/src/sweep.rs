//! `atlas sweep`: many scenarios on every core. The links come from a grid over a base link
//! (`--base v=1 --grid energy=0.5:2:0.25 --grid share.aws=10,30,50`) or from a file, one link a
//! line; each is run by the core's [`atlas_core::sweep::evaluate`] on rayon's threads, a chunk at a
//! time, and its row written in order as soon as its chunk is done (CSV, or Parquet to a file),
//! with a progress bar on a terminal. A bad link is a row with its problems; the rest still run.

use std::fs::File;
use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use atlas_core::KpiId;
use atlas_core::sweep::{Axis, CHUNK, Row, csv_header, csv_row, evaluate, expand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// How a sweep's rows are written.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SweepFormat {
    /// CSV: `index,link,problems` and every headline figure.
    Csv,
    /// Parquet (to `--output`): the same columns, the figures as nullable doubles.
    Parquet,
}

/// When to show the progress bar.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Progress {
    /// When standard error is a terminal.
    Auto,
    /// Always: a bar on a terminal, else a line per chunk of rows.
    Always,
    /// Never.
    Never,
}

/// What `atlas sweep` was asked.
pub struct Request {
    /// The base link (`v=1&…`).
    pub base: String,
    /// Grid axes (`param=v1,v2` or `param=from:to:step`).
    pub grid: Vec<String>,
    /// A file of links, one a line (`-` for standard input); instead of a grid.
    pub links: Option<PathBuf>,
    /// Output format.
    pub format: SweepFormat,
    /// Where the rows go (standard output without).
    pub output: Option<PathBuf>,
    /// Threads (all cores without).
    pub threads: Option<usize>,
    /// The progress bar.
    pub progress: Progress,
}

/// The links a request names.
fn links_of(request: &Request) -> Result<Vec<String>, String> {
    if let Some(path) = &request.links {
        if !request.grid.is_empty() {
            return Err("give either --links or --grid, not both".into());
        }
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(io::BufReader::new(File::open(path).map_err(|e| format!("{}: {e}", path.display()))?))
        };
        let mut links = Vec::new();
        for line in reader.lines() {
            let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
            let line = line.trim();
            // A whole address, a query or a named scenario, as `atlas run --query` reads one.
            if !line.is_empty() && !line.starts_with('#') {
                links.push(line.to_string());
            }
        }
        return Ok(links);
    }
    let axes = request.grid.iter().map(|g| Axis::parse(g)).collect::<Result<Vec<_>, _>>()?;
    Ok(expand(&request.base, &axes))
}

/// Runs the sweep; the message of what went wrong before any row was run, if something did.
pub fn run(request: Request) -> Result<(), String> {
    let links = links_of(&request)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(request.threads.unwrap_or(0))
        .build()
        .map_err(|e| format!("threads: {e}"))?;
    // A bar on a terminal; forced elsewhere (a log), a line per chunk.
    let terminal = io::stderr().is_terminal();
    let (bar_shown, lines) = match request.progress {
        Progress::Always => (terminal, !terminal),
        Progress::Never => (false, false),
        Progress::Auto => (terminal, false),
    };
    let bar = if bar_shown { ProgressBar::new(links.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} scenarios, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut sink = Sink::open(request.format, request.output.as_deref())?;
    let mut failed = 0;
    for (c, chunk) in links.chunks(CHUNK).enumerate() {
        let rows: Vec<Row> = pool.install(|| {
            chunk.par_iter().enumerate().map(|(i, link)| evaluate(c * CHUNK + i, link)).collect()
        });
        failed += rows.iter().filter(|r| !r.ok()).count();
        match sink.write(&rows) {
            // The reader went away (`atlas sweep | head`): stop, as other commands do.
            Err(Stop::Closed) => return Ok(()),
            Err(Stop::Failed(e)) => return Err(e),
            Ok(()) => {}
        }
        bar.inc(rows.len() as u64);
        if lines {
            eprintln!("{}/{} scenarios", (c * CHUNK + rows.len()).min(links.len()), links.len());
        }
    }
    sink.finish()?;
    bar.finish_and_clear();
    if failed > 0 {
        eprintln!("{failed} of {} scenarios could not be run as written (their rows list why)", links.len());
    }
    Ok(())
}

/// Why writing rows stopped.
enum Stop {
    /// The reader closed the pipe.
    Closed,
    /// Anything else.
    Failed(String),
}

/// Where rows go.
enum Sink {
    Csv(Box<dyn Write>),
    Parquet(parquet_sink::ParquetSink),
}

impl Sink {
    fn open(format: SweepFormat, output: Option<&Path>) -> Result<Sink, String> {
        let file = |path: &Path| File::create(path).map_err(|e| format!("{}: {e}", path.display()));
        match format {
            SweepFormat::Csv => {
                let mut out: Box<dyn Write> = match output {
                    Some(path) => Box::new(BufWriter::new(file(path)?)),
                    None => Box::new(BufWriter::new(io::stdout().lock())),
                };
                out.write_all(csv_header().as_bytes()).map_err(|e| e.to_string())?;
                Ok(Sink::Csv(out))
            }
            SweepFormat::Parquet => {
                let path = output.ok_or("Parquet needs a file: add --output sweep.parquet")?;
                Ok(Sink::Parquet(parquet_sink::ParquetSink::new(file(path)?)?))
            }
        }
    }

    fn write(&mut self, rows: &[Row]) -> Result<(), Stop> {
        let stop = |e: io::Error| {
            if e.kind() == io::ErrorKind::BrokenPipe { Stop::Closed } else { Stop::Failed(e.to_string()) }
        };
        match self {
            Sink::Csv(out) => {
                for row in rows {
                    out.write_all(csv_row(row).as_bytes()).map_err(stop)?;
                }
                out.flush().map_err(stop)
            }
            Sink::Parquet(p) => p.write(rows).map_err(Stop::Failed),
        }
    }

    fn finish(self) -> Result<(), String> {
        match self {
            Sink::Csv(mut out) => out.flush().map_err(|e| e.to_string()),
            Sink::Parquet(p) => p.finish(),
        }
    }
}

/// Rows as Parquet: one row group per chunk.
mod parquet_sink {
    use super::*;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    /// A Parquet file being written.
    pub struct ParquetSink {
        writer: SerializedFileWriter<File>,
    }

    /// The schema: index, link, problems, then each headline figure (null for a row not run).
    fn schema() -> String {
        let mut schema = String::from(
            "message sweep { REQUIRED INT64 index; REQUIRED BYTE_ARRAY link (UTF8); REQUIRED BYTE_ARRAY problems (UTF8);",
        );
        for k in KpiId::ALL {
            schema.push_str(&format!(" OPTIONAL DOUBLE {};", k.as_str()));
        }
        schema.push_str(" }");
        schema
    }

    impl ParquetSink {
        pub fn new(file: File) -> Result<ParquetSink, String> {
            let schema = Arc::new(parse_message_type(&schema()).map_err(|e| e.to_string())?);
            let props = Arc::new(WriterProperties::builder().build());
            let writer = SerializedFileWriter::new(file, schema, props).map_err(|e| e.to_string())?;
            Ok(ParquetSink { writer })
        }

        pub fn write(&mut self, rows: &[Row]) -> Result<(), String> {
            let err = |e: parquet::errors::ParquetError| e.to_string();
            let mut group = self.writer.next_row_group().map_err(err)?;
            let mut column = 0;
            while let Some(mut writer) = group.next_column().map_err(err)? {
                match column {
                    0 => {
                        let values: Vec<i64> = rows.iter().map(|r| r.index as i64).collect();
                        writer.typed::<Int64Type>().write_batch(&values, None, None).map_err(err)?;
                    }
                    1 | 2 => {
                        let values: Vec<ByteArray> = rows
                            .iter()
                            .map(|r| if column == 1 { r.link.clone() } else { r.problems.join(" | ") })
                            .map(|s| ByteArray::from(s.into_bytes()))
                            .collect();
                        writer.typed::<ByteArrayType>().write_batch(&values, None, None).map_err(err)?;
                    }
                    k => {
                        let values: Vec<f64> =
                            rows.iter().filter_map(|r| r.figures.get(k - 3).copied()).collect();
                        let levels: Vec<i16> =
                            rows.iter().map(|r| i16::from(r.figures.len() > k - 3)).collect();
                        writer
                            .typed::<DoubleType>()
                            .write_batch(&values, Some(&levels), None)
                            .map_err(err)?;
                    }
                }
                writer.close().map_err(err)?;
                column += 1;
            }
            group.close().map_err(err)?;
            Ok(())
        }

        pub fn finish(self) -> Result<(), String> {
            self.writer.close().map(|_| ()).map_err(|e| e.to_string())
        }
    }
}
