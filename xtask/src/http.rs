//! A small static-file HTTP/1.1 server for local development: std::net only, one thread per
//! connection, one request per connection. It runs in the foreground ([`serve_forever`], for
//! `cargo xtask serve`) or on a background thread until dropped ([`BackgroundServer`], for the
//! browser tests and benchmarks).
//!
//! GET and HEAD only. Request paths are percent-decoded, `..` segments are refused, and every
//! resolved file is canonicalised and must stay under the served root (so symlinks cannot lead
//! out). Responses carry the right `Content-Type` (including `application/wasm`) and
//! `Cache-Control: no-cache`, so a rebuilt page is picked up on reload. A bad request gets an
//! error status, never a panic.

use std::io::{self, BufRead, BufReader, Read as _, Write as _};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Largest request head (request line and headers) read, in bytes.
const MAX_HEAD_BYTES: u64 = 16 * 1024;

/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may take to accept the response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves the files under `root` on `listener` until the process is killed.
pub fn serve_forever(listener: TcpListener, root: &Path) -> io::Result<()> {
    serve_until(listener, root, &AtomicBool::new(false))
}

/// A server on a free port of 127.0.0.1, answering on a background thread until dropped.
pub struct BackgroundServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl BackgroundServer {
    /// Starts serving the files under `root`.
    pub fn start(root: &Path) -> io::Result<Self> {
        let root = root.canonicalize()?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::Builder::new()
            .name("xtask-http-accept".into())
            .spawn(move || serve_until(listener, &root, &flag))?;
        Ok(BackgroundServer { addr, stop, thread: Some(thread) })
    }

    /// The server's address as a URL ending in `/`: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for BackgroundServer {
    /// Stops accepting: raises the flag, then connects once so the blocked `accept` returns and
    /// sees it. Connections already accepted finish on their own threads.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves the files under `root` on `listener` until `stop` is raised; it is checked after each
/// accepted connection.
fn serve_until(listener: TcpListener, root: &Path, stop: &AtomicBool) -> io::Result<()> {
    let root = Arc::new(root.canonicalize()?);
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                let root = Arc::clone(&root);
                // If no thread can be started, the connection is dropped and the server goes on.
                let _ = thread::Builder::new()
                    .name("xtask-http".into())
                    .spawn(move || handle_connection(stream, &root));
            }
            Err(err) => {
                eprintln!("xtask serve: accept failed: {err}");
                // Out of file descriptors and similar: back off instead of spinning.
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
    Ok(())
}

/// The content type sent for a file, from its extension.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// What a request path leads to.
#[derive(Debug, PartialEq)]
pub enum Target {
    /// A regular file under the root (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect to this location.
    Redirect(String),
}

/// Why a request path leads nowhere.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Malformed path: bad percent-encoding, not UTF-8, NUL, backslash, or a `..` segment.
    BadRequest,
    /// Nothing servable there, or it lies outside the root.
    NotFound,
}

/// Maps the path of a request (`/`, `/pkg/app.wasm`, without query) to a file under `root`,
/// which must be canonical. `/` and any folder ending in `/` mean its `index.html`.
pub fn resolve(root: &Path, raw_path: &str) -> Result<Target, Refusal> {
    if !raw_path.starts_with('/') {
        return Err(Refusal::BadRequest);
    }
    let path = percent_decode(raw_path).ok_or(Refusal::BadRequest)?;
    let mut candidate = root.to_path_buf();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(Refusal::BadRequest),
            s if s.contains(['\\', '\0']) => return Err(Refusal::BadRequest),
            s => {
                // A segment must be a plain name: no root, prefix (`C:`) or parent component.
                let mut parts = Path::new(s).components();
                match (parts.next(), parts.next()) {
                    (Some(Component::Normal(_)), None) => candidate.push(s),
                    _ => return Err(Refusal::BadRequest),
                }
            }
        }
    }
    if candidate.is_dir() {
        if !path.ends_with('/') {
            return Ok(Target::Redirect(format!("{raw_path}/")));
        }
        candidate.push("index.html");
    }
    let canonical = candidate.canonicalize().map_err(|_| Refusal::NotFound)?;
    if canonical.starts_with(root) && canonical.is_file() {
        Ok(Target::File(canonical))
    } else {
        Err(Refusal::NotFound)
    }
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A response about to be written.
struct Response {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    extra_header: Option<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    /// A small HTML page for an error status.
    fn error(status: u16, reason: &'static str) -> Self {
        let body = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"color-scheme\" content=\"light dark\">\
             <title>{status} {reason}</title><link rel=\"icon\" href=\"data:,\"></head>\
             <body style=\"font-family: system-ui, sans-serif; margin: 3rem\">\
             <h1>{status} {reason}</h1><p><a href=\"/\">Back to Compute Atlas</a></p>\
             </body></html>\n"
        );
        Response {
            status,
            reason,
            content_type: "text/html; charset=utf-8",
            extra_header: None,
            body: body.into_bytes(),
        }
    }
}

/// Reads one request from `stream`, answers it and closes the connection. Errors are the
/// client's problem (timeouts, resets) and are dropped.
fn handle_connection(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let Some(request_line) = read_head(&stream) else {
        return;
    };
    let (response, head_only) = respond(root, &request_line);
    let _ = write_response(&mut stream, &response, head_only);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

/// Reads the request head and returns its first line; `None` if the client sent nothing.
/// Headers are read and ignored (nothing here depends on them).
fn read_head(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD_BYTES));
    let mut line = Vec::new();
    if reader.read_until(b'\n', &mut line).ok()? == 0 {
        return None;
    }
    let request_line = String::from_utf8_lossy(&line).trim().to_string();
    let mut header = Vec::new();
    loop {
        header.clear();
        match reader.read_until(b'\n', &mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim_ascii().is_empty() => break,
            Ok(_) => {}
        }
    }
    Some(request_line)
}

/// The response to a request line, and whether to leave out the body (HEAD).
fn respond(root: &Path, request_line: &str) -> (Response, bool) {
    let parts: Vec<&str> = request_line.split_whitespace().collect();
    let [method, target, version] = parts[..] else {
        return (Response::error(400, "Bad Request"), false);
    };
    if !version.starts_with("HTTP/") {
        return (Response::error(400, "Bad Request"), false);
    }
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let mut response = Response::error(405, "Method Not Allowed");
            response.extra_header = Some(("Allow", "GET, HEAD".into()));
            return (response, false);
        }
    };
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let response = match resolve(root, path) {
        Ok(Target::File(file)) => match std::fs::read(&file) {
            Ok(body) => Response {
                status: 200,
                reason: "OK",
                content_type: mime_type(&file),
                extra_header: None,
                body,
            },
            Err(_) => Response::error(404, "Not Found"),
        },
        Ok(Target::Redirect(location)) => {
            let mut response = Response::error(301, "Moved Permanently");
            response.extra_header = Some(("Location", location));
            response
        }
        Err(Refusal::BadRequest) => Response::error(400, "Bad Request"),
        Err(Refusal::NotFound) => Response::error(404, "Not Found"),
    };
    (response, head_only)
}

/// Writes status line, headers and (unless `head_only`) the body.
fn write_response(stream: &mut TcpStream, response: &Response, head_only: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        response.reason,
        response.content_type,
        response.body.len()
    );
    if let Some((name, value)) = &response.extra_header {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder with a small site: index, a wasm file, a subfolder with and without index.
    fn site(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-http-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pkg")).expect("mkdir");
        std::fs::create_dir_all(dir.join("empty")).expect("mkdir");
        std::fs::write(dir.join("index.html"), "<h1>home</h1>").expect("write");
        std::fs::write(dir.join("pkg/app.wasm"), b"\0asm").expect("write");
        std::fs::write(dir.join("pkg/index.html"), "pkg").expect("write");
        std::fs::write(dir.join("a b.txt"), "space").expect("write");
        dir.canonicalize().expect("canonical")
    }

    #[test]
    fn mime_types() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("app.mjs", "text/javascript; charset=utf-8"),
            ("pkg/atlas_web_bg.wasm", "application/wasm"),
            ("APP.WASM", "application/wasm"),
            ("data.json", "application/json"),
            ("icon.svg", "image/svg+xml"),
            ("icon.png", "image/png"),
            ("favicon.ico", "image/x-icon"),
            ("site.webmanifest", "application/manifest+json"),
            ("notes.txt", "text/plain; charset=utf-8"),
            ("series.csv", "text/csv; charset=utf-8"),
            ("Makefile", "application/octet-stream"),
            ("archive.tar.gz", "application/octet-stream"),
        ];
        for (path, expected) in cases {
            assert_eq!(mime_type(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn resolves_files_and_folders() {
        let root = site("resolve");
        assert_eq!(resolve(&root, "/"), Ok(Target::File(root.join("index.html"))));
        assert_eq!(resolve(&root, "/pkg/app.wasm"), Ok(Target::File(root.join("pkg/app.wasm"))));
        assert_eq!(resolve(&root, "/./pkg//app.wasm"), Ok(Target::File(root.join("pkg/app.wasm"))));
        assert_eq!(resolve(&root, "/a%20b.txt"), Ok(Target::File(root.join("a b.txt"))));
        assert_eq!(resolve(&root, "/pkg/"), Ok(Target::File(root.join("pkg/index.html"))));
        assert_eq!(resolve(&root, "/pkg"), Ok(Target::Redirect("/pkg/".into())));
        assert_eq!(resolve(&root, "/empty/"), Err(Refusal::NotFound));
        assert_eq!(resolve(&root, "/missing.js"), Err(Refusal::NotFound));
        assert_eq!(resolve(&root, "/index.html/x"), Err(Refusal::NotFound));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn refuses_traversal_and_malformed_paths() {
        let root = site("traversal");
        for path in [
            "/../Cargo.toml",
            "/pkg/../../etc/passwd",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/pkg/..",
            "/..\\secret",
            "/%00",
            "/%zz",
            "/%e",
            "/%+1",
            "/%ff",
            "relative",
            "",
        ] {
            assert_eq!(resolve(&root, path), Err(Refusal::BadRequest), "{path:?}");
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_cannot_lead_out_of_the_root() {
        let root = site("symlink");
        let outside = root.with_extension("outside");
        std::fs::write(&outside, "secret").expect("write");
        std::os::unix::fs::symlink(&outside, root.join("link.txt")).expect("symlink");
        assert_eq!(resolve(&root, "/link.txt"), Err(Refusal::NotFound));
        let _ = std::fs::remove_file(&outside);
        let _ = std::fs::remove_dir_all(&root);
    }

    /// Sends `request` to a server on a free port and returns the raw response.
    fn exchange(root: &Path, request: &[u8]) -> String {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let addr = listener.local_addr().expect("addr");
        let root = root.to_path_buf();
        thread::spawn(move || serve_forever(listener, &root));
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.write_all(request).expect("send");
        let _ = stream.shutdown(Shutdown::Write);
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("receive");
        String::from_utf8_lossy(&response).into_owned()
    }

    #[test]
    fn answers_over_tcp() {
        let root = site("tcp");
        let get = exchange(&root, b"GET /pkg/app.wasm?v=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(get.starts_with("HTTP/1.1 200 OK\r\n"), "{get}");
        assert!(get.contains("Content-Type: application/wasm\r\n"));
        assert!(get.contains("Cache-Control: no-cache\r\n"));
        assert!(get.contains("Content-Length: 4\r\n"));
        assert!(get.ends_with("\r\n\r\n\0asm"));

        let head = exchange(&root, b"HEAD / HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(head.contains("Content-Length: 13\r\n"));
        assert!(head.ends_with("\r\n\r\n"));

        let escape = exchange(&root, b"GET /../Cargo.toml HTTP/1.1\r\n\r\n");
        assert!(escape.starts_with("HTTP/1.1 400 "), "{escape}");
        let missing = exchange(&root, b"GET /nope HTTP/1.1\r\n\r\n");
        assert!(missing.starts_with("HTTP/1.1 404 "), "{missing}");
        assert!(missing.contains("text/html"));
        let post = exchange(&root, b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(post.starts_with("HTTP/1.1 405 "), "{post}");
        assert!(post.contains("Allow: GET, HEAD\r\n"));
        let folder = exchange(&root, b"GET /pkg HTTP/1.1\r\n\r\n");
        assert!(folder.contains("Location: /pkg/\r\n"), "{folder}");
        for garbage in [
            &b"\xff\xfe\r\n\r\n"[..],
            b"GET\r\n\r\n",
            b"GET / SPDY/9\r\n\r\n",
            b"GET http://example.com/ HTTP/1.1\r\n\r\n",
        ] {
            let reply = exchange(&root, garbage);
            assert!(reply.starts_with("HTTP/1.1 400 "), "{reply}");
        }
        assert_eq!(exchange(&root, b""), "");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn background_server_answers_until_dropped() {
        let root = site("background");
        let server = BackgroundServer::start(&root).expect("start");
        let url = server.url();
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        assert!(url.starts_with("http://127.0.0.1:") && url.ends_with('/'), "{url}");
        let mut stream = TcpStream::connect(&addr).expect("connect");
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("receive");
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        assert!(response.ends_with("<h1>home</h1>"));
        drop(server);
        assert!(TcpStream::connect(&addr).is_err(), "still listening after drop");
        let _ = std::fs::remove_dir_all(&root);
    }
}
