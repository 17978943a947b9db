//! `cargo xtask dist`: the page as a static site in `dist/`, and as one self-contained HTML file.
//!
//! - `dist/index.html` with `dist/assets/*.<hash>.{js,css,wasm}`: content-hashed names and relative
//!   paths only, so the folder deploys as is to any static host, in a sub-folder too.
//! - `dist/sw.js`: a service worker that keeps this version's files for offline use after the
//!   first visit; a new version's cache replaces the old one when it activates.
//!   `dist/manifest.webmanifest` and `dist/icons/` make the page installable.
//! - `dist/compute-atlas.html`: one file with the CSS, the JavaScript and the wasm (gzip, base64)
//!   inlined; its Content-Security-Policy allows exactly its own inline script and style, by hash.
//!   It works opened straight from disk (`file://`), with no server and no network.
//! - The wasm module goes through `wasm-opt -Oz` from npm's `binaryen` (Debian's build breaks the
//!   module; see shared/reference/toolchain.md). The sizes go to `docs/perf.md` (`bench:dist`).
//!
//! No request ever leaves the page's origin: no CDN, no web fonts, no analytics.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::perf::{self, Section};
use crate::site;
use crate::tools;
use crate::util::{self, Result, failed};

/// The generated section of `docs/perf.md`.
const SECTION: Section = Section {
    start: "<!-- bench:dist:start -->",
    end: "<!-- bench:dist:end -->",
    intro: "## The static site and the one-file page\n\n\
            `cargo xtask dist` writes `dist/` (hashed assets, service worker, manifest) and \
            `dist/compute-atlas.html`\n(everything inlined, the wasm gzipped and in base64). Sizes \
            as written:\n\n",
};

/// The theme colour of the manifest and the icons.
const THEME: &str = "#1d4ed8";

/// Sizes of one build, in bytes.
#[derive(Debug, PartialEq)]
pub struct Sizes {
    /// The wasm module as wasm-bindgen wrote it.
    pub wasm_raw: u64,
    /// After wasm-opt.
    pub wasm_opt: u64,
    /// After wasm-opt, gzipped (`-9`).
    pub wasm_opt_gzip: u64,
    /// The one-file page.
    pub one_file: u64,
    /// The one-file page, gzipped.
    pub one_file_gzip: u64,
}

/// Runs `cargo xtask dist`.
/// Only build output is written (`dist/`, `target/`, `www/pkg/`, all ignored by git), so building
/// leaves the tree clean; `--record` also writes the sizes into `docs/perf.md`.
pub fn run(args: &[String]) -> Result {
    let record = match args.first().map(String::as_str) {
        None => false,
        Some("--record") if args.len() == 1 => true,
        Some(other) => return Err(crate::util::Error::Usage(format!("unknown option `{other}` for dist"))),
    };
    let root = util::workspace_root();
    let sizes = build(&root)?;
    let body = render_sizes(&sizes, &perf::environment_line(&root, "cargo xtask dist --record"));
    println!("{body}");
    if record {
        perf::write_section(&root, &SECTION, &body)?;
        println!("Wrote {} and updated docs/perf.md (section bench:dist)", root.join("dist").display());
    } else {
        println!("Wrote {} (sizes recorded with `cargo xtask dist --record`)", root.join("dist").display());
    }
    Ok(())
}

/// Builds the site, then `dist/` and the one-file page; returns the sizes.
pub fn build(root: &Path) -> Result<Sizes> {
    tools::npm_packages(&crate::browser::e2e_dir(root))?;
    site::build(root)?;
    package(root)
}

/// Writes `dist/` and the one-file page from the built site (`www/pkg/` must be fresh).
pub fn package(root: &Path) -> Result<Sizes> {
    let pkg = root.join("www").join("pkg");
    let wasm_raw = read(&pkg.join("atlas_web_bg.wasm"))?;
    let wasm = wasm_opt(root, &pkg.join("atlas_web_bg.wasm"))?;
    let glue = read_text(&pkg.join("atlas_web.js"))?;
    let css = read_text(&root.join("www").join("style.css"))?;
    let main_js = read_text(&root.join("www").join("main.js"))?;
    let worker_src = read_text(&root.join("www").join("worker.js"))?;
    let index = read_text(&root.join("index.html"))?;

    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|err| failed(format!("could not clear {}: {err}", dist.display())))?;
    }
    let assets = dist.join("assets");
    let icons = dist.join("icons");
    for dir in [&assets, &icons] {
        std::fs::create_dir_all(dir)
            .map_err(|err| failed(format!("could not create {}: {err}", dir.display())))?;
    }

    // Hashed assets: the wasm first, since the glue names it, and the glue before the worker and
    // main.js.
    let worker_js = worker_src.clone();
    let wasm_name = hashed("atlas_web_bg", "wasm", &wasm);
    let glue = replace_once(&glue, "'atlas_web_bg.wasm'", &format!("'{wasm_name}'"), "the bindings")?;
    let glue_name = hashed("atlas_web", "js", glue.as_bytes());
    let worker_js =
        replace_once(&worker_js, "'./pkg/atlas_web.js'", &format!("'./{glue_name}'"), "www/worker.js")?;
    let worker_name = hashed("worker", "js", worker_js.as_bytes());
    let main_js = replace_once(&main_js, "'./pkg/atlas_web.js'", &format!("'./{glue_name}'"), "www/main.js")?;
    let main_js =
        replace_once(&main_js, "'./pkg/atlas_web_bg.wasm'", &format!("'./{wasm_name}'"), "www/main.js")?;
    let main_js = replace_once(&main_js, "'./worker.js'", &format!("'./{worker_name}'"), "www/main.js")?
        + SERVICE_WORKER_REGISTRATION;
    let main_name = hashed("main", "js", main_js.as_bytes());
    let css_name = hashed("style", "css", css.as_bytes());
    write(&assets.join(&wasm_name), &wasm)?;
    write(&assets.join(&glue_name), glue.as_bytes())?;
    write(&assets.join(&main_name), main_js.as_bytes())?;
    write(&assets.join(&worker_name), worker_js.as_bytes())?;
    write(&assets.join(&css_name), css.as_bytes())?;

    let svg = icon_svg();
    write(&icons.join("icon.svg"), svg.as_bytes())?;
    for size in [192u32, 512] {
        write(&icons.join(format!("icon-{size}.png")), &icon_png(size)?)?;
    }
    write(&dist.join("manifest.webmanifest"), manifest().as_bytes())?;

    let page =
        replace_once(&index, "href=\"www/style.css\"", &format!("href=\"assets/{css_name}\""), "index.html")?;
    let page =
        replace_once(&page, "src=\"www/main.js\"", &format!("src=\"assets/{main_name}\""), "index.html")?;
    let page = replace_once(
        &page,
        "<link rel=\"icon\" href=\"data:,\">",
        &format!(
            "<link rel=\"icon\" href=\"icons/icon.svg\" type=\"image/svg+xml\">\n  \
             <link rel=\"apple-touch-icon\" href=\"icons/icon-192.png\">\n  \
             <link rel=\"manifest\" href=\"manifest.webmanifest\">\n  \
             <meta name=\"theme-color\" content=\"{THEME}\">"
        ),
        "index.html",
    )?;
    write(&dist.join("index.html"), page.as_bytes())?;

    let mut files: Vec<String> = vec!["./".into(), "./index.html".into(), "./manifest.webmanifest".into()];
    files.extend(
        [&wasm_name, &glue_name, &main_name, &worker_name, &css_name].iter().map(|n| format!("./assets/{n}")),
    );
    files.extend(["icon.svg", "icon-192.png", "icon-512.png"].iter().map(|n| format!("./icons/{n}")));
    let version = hex(&Sha256::digest(files.join("\n").as_bytes() as &[u8]))[..12].to_string();
    write(&dist.join("sw.js"), service_worker(&version, &files).as_bytes())?;

    let one_file = one_file_page(&index, &css, &glue, &worker_src, &wasm, &svg)?;
    write(&dist.join("compute-atlas.html"), one_file.as_bytes())?;

    Ok(Sizes {
        wasm_raw: wasm_raw.len() as u64,
        wasm_opt: wasm.len() as u64,
        wasm_opt_gzip: gzip(&wasm)?.len() as u64,
        one_file: one_file.len() as u64,
        one_file_gzip: gzip(one_file.as_bytes())?.len() as u64,
    })
}

/// Registers the service worker; appended to main.js in `dist/` only (a page opened from a file
/// has none, and the development server has no `sw.js`).
const SERVICE_WORKER_REGISTRATION: &str = "
// Offline after the first visit: the service worker keeps this version's files.
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch((err) => console.warn('Compute Atlas will not work offline:', err));
}
";

/// The service worker for `files` (paths relative to `dist/`), cache version `version`.
fn service_worker(version: &str, files: &[String]) -> String {
    let list = files.iter().map(|f| format!("  '{f}',")).collect::<Vec<_>>().join("\n");
    format!(
        "// Compute Atlas service worker, written by `cargo xtask dist`: keeps this version's files so the
// page works offline after the first visit. A new version installs its own cache and, once active,
// deletes the old one. Requests to other origins are never made or touched.
const CACHE = 'compute-atlas-{version}';
const FILES = [
{list}
];

self.addEventListener('install', (event) => {{
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
}});

self.addEventListener('activate', (event) => {{
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('compute-atlas-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
}});

self.addEventListener('fetch', (event) => {{
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {{
    // The page: the network first (it may be a new version), this version's copy offline. The
    // query string is the scenario, not a different page.
    event.respondWith(
      fetch(request).catch(() =>
        caches.match(request, {{ ignoreSearch: true }}).then((hit) => hit || caches.match('./index.html')),
      ),
    );
    return;
  }}
  // Hashed files never change: the cache first.
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
}});
"
    )
}

/// The web app manifest.
fn manifest() -> String {
    format!(
        r##"{{
  "name": "Compute Atlas",
  "short_name": "Compute Atlas",
  "description": "How the world's AI compute gets built, and what it costs the grid, the wallet and the climate.",
  "start_url": "./",
  "scope": "./",
  "display": "standalone",
  "background_color": "#ffffff",
  "theme_color": "{THEME}",
  "icons": [
    {{ "src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png" }},
    {{ "src": "icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable" }},
    {{ "src": "icons/icon.svg", "sizes": "any", "type": "image/svg+xml" }}
  ]
}}
"##
    )
}

/// The icon: three rising bars (compute being built) on the theme colour.
fn icon_svg() -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">\
         <rect width=\"64\" height=\"64\" rx=\"12\" fill=\"{THEME}\"/>\
         <rect x=\"14\" y=\"34\" width=\"9\" height=\"16\" rx=\"2\" fill=\"#fff\"/>\
         <rect x=\"27.5\" y=\"25\" width=\"9\" height=\"25\" rx=\"2\" fill=\"#fff\"/>\
         <rect x=\"41\" y=\"14\" width=\"9\" height=\"36\" rx=\"2\" fill=\"#fff\"/>\
         </svg>\n"
    )
}

/// The icon as a `size`-pixel PNG, drawn from the same shapes (bars in 64ths of the side; the
/// background fills the whole square so it also works masked).
fn icon_png(size: u32) -> Result<Vec<u8>> {
    let (r, g, b) = (0x1d, 0x4e, 0xd8);
    let bars = [(14.0, 34.0, 9.0, 16.0), (27.5, 25.0, 9.0, 25.0), (41.0, 14.0, 9.0, 36.0)];
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        for px in 0..size {
            let (x, y) = (
                (f64::from(px) + 0.5) * 64.0 / f64::from(size),
                (f64::from(py) + 0.5) * 64.0 / f64::from(size),
            );
            let white =
                bars.iter().any(|(bx, by, bw, bh)| x >= *bx && x < bx + bw && y >= *by && y < by + bh);
            pixels.extend_from_slice(&if white { [255, 255, 255, 255] } else { [r, g, b, 255] });
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, size, size);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|err| failed(format!("icon: {err}")))?;
        writer.write_image_data(&pixels).map_err(|err| failed(format!("icon: {err}")))?;
    }
    Ok(out)
}

/// The one-file page: the page with its stylesheet and scripts inlined, the wasm gzipped in
/// base64, and a Content-Security-Policy that allows exactly these inline blocks by hash.
fn one_file_page(index: &str, css: &str, glue: &str, worker: &str, wasm: &[u8], svg: &str) -> Result<String> {
    let wasm_b64 = base64::engine::general_purpose::STANDARD.encode(gzip(wasm)?);
    let worker = classic_worker(glue, worker)?;
    let worker_block = format!("<script type=\"text/plain\" id=\"atlas-worker-src\">{worker}</script>\n");
    if worker_block.matches("</script").count() != 1 {
        return Err(failed("the worker's source contains </script"));
    }
    let script = format!(
        "{glue}\n\
         // Compute Atlas, one-file edition: the wasm module is below, gzipped and in base64.\n\
         const WASM_GZIP_BASE64 = '{wasm_b64}';\n\
         {ONE_FILE_BOOTSTRAP}"
    );
    let style = css.to_string();
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{}' 'wasm-unsafe-eval'; style-src 'sha256-{}'; \
         img-src data: blob:; worker-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'",
        sha256_b64(&script),
        sha256_b64(&style)
    );
    let icon = format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg));
    let start = index
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .ok_or_else(|| failed("index.html has no CSP meta tag"))?;
    let end =
        start + index[start..].find('>').ok_or_else(|| failed("index.html: unterminated CSP meta tag"))? + 1;
    let page = format!(
        "{}<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">{}",
        &index[..start],
        &index[end..]
    );
    let page = replace_once(
        &page,
        "<link rel=\"icon\" href=\"data:,\">",
        &format!("<link rel=\"icon\" href=\"{icon}\">"),
        "index.html",
    )?;
    let page = replace_once(
        &page,
        "<link rel=\"stylesheet\" href=\"www/style.css\">",
        &format!("<style>{style}</style>"),
        "index.html",
    )?;
    replace_once(
        &page,
        "<script type=\"module\" src=\"www/main.js\"></script>",
        &format!("{worker_block}<script type=\"module\">{script}</script>"),
        "index.html",
    )
}

/// The workers' source for the one-file page, kept in it as data: the bindings, then www/worker.js
/// calling them directly. A page opened from a file can start only a classic worker from a blob
/// (a module worker there has no origin to load from), so the bindings lose their `export`s.
fn classic_worker(glue: &str, worker: &str) -> Result<String> {
    let glue =
        glue.replace("\nexport function ", "\nfunction ").replace("import.meta.url", "self.location.href");
    let glue = replace_once(&glue, "export { initSync, __wbg_init as default };", "", "the bindings")?;
    let worker = replace_once(
        worker,
        "import init, { worker_answer } from './pkg/atlas_web.js';",
        "const init = __wbg_init;",
        "www/worker.js",
    )?;
    let source = format!("{glue}\n{worker}");
    if source.contains("\nexport ") || source.contains("\nimport ") || source.contains("import.meta") {
        return Err(failed("the bindings have a module form the one-file worker does not handle"));
    }
    Ok(source)
}

/// Starts the one-file page: inflate and compile the wasm, instantiate it (the bindings' default
/// export), start the workers from the source kept in the page, and show the error banner if that
/// fails. Mirrors www/main.js.
const ONE_FILE_BOOTSTRAP: &str = "
function fail(message) {
  document.getElementById('error-text').textContent = message;
  document.getElementById('error-banner').hidden = false;
  const loading = document.getElementById('loading');
  if (loading) loading.textContent = 'The model could not start.';
}
document.getElementById('error-reload').addEventListener('click', () => location.reload());
async function inflate(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}
function startWorkers(module) {
  if (typeof Worker !== 'function') return;
  const count = Math.max(1, Math.min(3, (navigator.hardwareConcurrency || 2) - 1));
  const source = document.getElementById('atlas-worker-src').textContent;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const workers = [];
  for (let i = 0; i < count; i++) {
    try {
      const worker = new Worker(url, { name: `atlas-draws-${i + 1}` });
      worker.postMessage({ module });
      workers.push(worker);
    } catch (err) {
      console.warn('Compute Atlas: no worker for the uncertainty bands:', err);
    }
  }
  attach_workers(workers);
}
inflate(WASM_GZIP_BASE64)
  .then((bytes) => WebAssembly.compile(bytes))
  .then((module) => __wbg_init({ module_or_path: module }).then(() => startWorkers(module)))
  .catch((err) => {
    console.error(err);
    fail(`The model could not load: ${err && err.message ? err.message : err}`);
  });
";

/// Runs `wasm-opt -Oz` (npm's binaryen) on `input`; returns the optimised module.
fn wasm_opt(root: &Path, input: &Path) -> Result<Vec<u8>> {
    let tool = crate::browser::e2e_dir(root).join("node_modules").join(".bin").join("wasm-opt");
    if !tool.is_file() {
        return Err(failed(format!("{} is missing: npm ci in tests/e2e/ installs binaryen", tool.display())));
    }
    let output: PathBuf = util::target_dir(root).join("atlas_web_bg.opt.wasm");
    println!("    wasm-opt -Oz {}", input.display());
    util::flush();
    let mut cmd = Command::new(&tool);
    cmd.arg("-Oz").arg(input).arg("-o").arg(&output);
    util::run(&mut cmd)?;
    read(&output)
}

/// `stem.<first 10 hex digits of the SHA-256 of bytes>.ext`.
fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> String {
    format!("{stem}.{}.{ext}", &hex(&Sha256::digest(bytes))[..10])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The base64 SHA-256 of a text, as CSP hashes are written.
fn sha256_b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|err| failed(format!("gzip: {err}")))?;
    encoder.finish().map_err(|err| failed(format!("gzip: {err}")))
}

/// Replaces the one occurrence of `from`; an error naming `what` if there is not exactly one.
fn replace_once(text: &str, from: &str, to: &str, what: &str) -> Result<String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(failed(format!("{what}: expected `{from}` once, found it {n} times"))),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|err| failed(format!("could not read {}: {err}", path.display())))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|err| failed(format!("could not read {}: {err}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|err| failed(format!("could not write {}: {err}", path.display())))
}

/// The sizes as the `bench:dist` section of docs/perf.md.
fn render_sizes(s: &Sizes, environment: &str) -> String {
    let kib = |b: u64| format!("{:.1} KiB", b as f64 / 1024.0);
    let mut out = String::from("| File | Raw | gzip -9 |\n|---|---:|---:|\n");
    let _ = writeln!(out, "| wasm module, as wasm-bindgen writes it | {} | – |", kib(s.wasm_raw));
    let _ = writeln!(
        out,
        "| wasm module after `wasm-opt -Oz` | {} | {} |",
        kib(s.wasm_opt),
        kib(s.wasm_opt_gzip)
    );
    let _ = writeln!(
        out,
        "| One-file page `compute-atlas.html` | {} | {} |",
        kib(s.one_file),
        kib(s.one_file_gzip)
    );
    let _ = writeln!(
        out,
        "\nAims: wasm under 300 KB gzip; one-file page under 1.4 MB (six languages, the map's countries).\n\n{environment}"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hashes() {
        assert_eq!(hashed("main", "js", b"x"), "main.2d711642b7.js");
        // The CSP hash of the empty text, as browsers compute it.
        assert_eq!(sha256_b64(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assert!(replace_once("a b a", "a", "c", "t").is_err());
        assert_eq!(replace_once("a b", "b", "c", "t").unwrap(), "a c");
    }

    #[test]
    fn the_icon_is_a_png_of_the_right_size() {
        let png = icon_png(192).expect("icon");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // Width and height in the IHDR chunk.
        assert_eq!(u32::from_be_bytes([png[16], png[17], png[18], png[19]]), 192);
        assert_eq!(u32::from_be_bytes([png[20], png[21], png[22], png[23]]), 192);
    }

    #[test]
    fn the_service_worker_caches_every_file_under_its_version() {
        let sw = service_worker("abc", &["./".into(), "./assets/main.1.js".into()]);
        assert!(sw.contains("const CACHE = 'compute-atlas-abc';"));
        assert!(sw.contains("'./assets/main.1.js',"));
        assert!(sw.contains("ignoreSearch: true"));
    }
}
