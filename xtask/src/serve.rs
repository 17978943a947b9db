//! `cargo xtask serve`: build the site into `target/site/` ([`crate::site`]: the release wasm
//! build, its bindings, `index.html` and `www/`), bind a
//! port on 127.0.0.1, announce the address in one line, optionally open a browser, then serve
//! until killed. The HTTP side is in [`crate::http`].

use std::io::{self, Write as _};
use std::net::{Ipv4Addr, TcpListener};
use std::process::{Command, Stdio};

use crate::http;
use crate::site;
use crate::util::{self, Error, Result, failed};

/// Port tried first when `--port` is not given.
const DEFAULT_PORT: u16 = 8000;

/// How many consecutive ports are tried, starting at the requested one, before giving up.
const PORT_ATTEMPTS: u16 = 20;

/// Options of `cargo xtask serve`.
#[derive(Debug, PartialEq)]
struct Options {
    /// First port to try; 0 lets the system choose.
    port: u16,
    /// Whether to open the page in the default browser.
    open: bool,
}

/// Runs `cargo xtask serve [--port N] [--no-open]`.
pub fn run(args: &[String]) -> Result {
    let options = parse_args(args)?;
    let root = site::build(&util::workspace_root())?;
    let listener = bind(options.port)?;
    let port = listener.local_addr().map_err(failed)?.port();
    let url = format!("http://127.0.0.1:{port}/");
    println!("Compute Atlas is being served at {url}");
    io::stdout().flush().map_err(failed)?;
    if options.open {
        open_browser(&url);
    }
    http::serve_forever(listener, &root).map_err(failed)
}

/// Parses the options after `serve`.
fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options { port: DEFAULT_PORT, open: true };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--no-open" => options.open = false,
            "--port" => {
                let value = args.next().ok_or_else(|| Error::Usage("--port needs a number".into()))?;
                options.port = parse_port(value)?;
            }
            other => match other.strip_prefix("--port=") {
                Some(value) => options.port = parse_port(value)?,
                None => return Err(Error::Usage(format!("unknown option `{other}` for serve"))),
            },
        }
    }
    Ok(options)
}

fn parse_port(value: &str) -> Result<u16> {
    value.parse().map_err(|_| Error::Usage(format!("`{value}` is not a port number (0–65535)")))
}

/// Binds 127.0.0.1 on `first_port`, or on the next ports if it is taken.
fn bind(first_port: u16) -> Result<TcpListener> {
    if first_port == 0 {
        return TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(failed);
    }
    let last_port = first_port.saturating_add(PORT_ATTEMPTS - 1);
    for port in first_port..=last_port {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            Ok(listener) => return Ok(listener),
            Err(err) if err.kind() == io::ErrorKind::AddrInUse => continue,
            Err(err) => return Err(failed(format!("could not bind port {port}: {err}"))),
        }
    }
    Err(failed(format!("ports {first_port}–{last_port} are all in use; pick another with --port")))
}

/// Opens `url` in the default browser if the platform has an opener; silent if not.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut cmd = Command::new("cmd");
        cmd.args(["/C", "start", ""]);
        cmd
    } else {
        Command::new("xdg-open")
    };
    cmd.arg(url).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    if let Ok(mut child) = cmd.spawn() {
        // Reap the opener when it exits so it does not linger as a zombie.
        std::thread::spawn(move || child.wait());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn parses_options() {
        let default = parse_args(&[]).ok();
        assert_eq!(default, Some(Options { port: 8000, open: true }));
        let given = parse_args(&args(&["--port", "9001", "--no-open"])).ok();
        assert_eq!(given, Some(Options { port: 9001, open: false }));
        assert_eq!(parse_args(&args(&["--port=0"])).ok().map(|o| o.port), Some(0));
        assert!(matches!(parse_args(&args(&["--port"])), Err(Error::Usage(_))));
        assert!(matches!(parse_args(&args(&["--port", "http"])), Err(Error::Usage(_))));
        assert!(matches!(parse_args(&args(&["--verbose"])), Err(Error::Usage(_))));
    }

    #[test]
    fn next_port_is_used_when_taken() {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = taken.local_addr().expect("addr").port();
        if port > u16::MAX - PORT_ATTEMPTS {
            return; // no room above it to try
        }
        let next = bind(port).expect("a free port nearby");
        assert_ne!(next.local_addr().expect("addr").port(), port);
    }
}
