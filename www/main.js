// Compute Atlas bootstrap: compile the WebAssembly module, start it, and start workers on the
// other cores that take some of the Monte Carlo draws (web/src/helpers.rs). Everything else (the
// controls, the model, the charts) is built by the Rust code in web/.
import init, { attach_workers } from './pkg/atlas_web.js';

const WASM_URL = new URL('./pkg/atlas_web_bg.wasm', import.meta.url);
const WORKER_URL = new URL('./worker.js', import.meta.url);

function fail(message) {
  const banner = document.getElementById('error-banner');
  document.getElementById('error-text').textContent = message;
  banner.hidden = false;
  const loading = document.getElementById('loading');
  if (loading) loading.textContent = 'The model could not start.';
}

document.getElementById('error-reload').addEventListener('click', () => location.reload());

// One worker per spare core (at most three); the page works without any.
function startWorkers(module) {
  if (typeof Worker !== 'function') return;
  const count = Math.max(1, Math.min(3, (navigator.hardwareConcurrency || 2) - 1));
  const workers = [];
  for (let i = 0; i < count; i++) {
    try {
      const worker = new Worker(WORKER_URL, { type: 'module', name: `atlas-draws-${i + 1}` });
      worker.postMessage({ module });
      workers.push(worker);
    } catch (err) {
      console.warn('Compute Atlas: no worker for the uncertainty bands:', err);
    }
  }
  attach_workers(workers);
}

fetch(WASM_URL)
  .then((response) => {
    if (!response.ok) throw new Error(`${WASM_URL.pathname}: HTTP ${response.status}`);
    return response.arrayBuffer();
  })
  .then((bytes) => WebAssembly.compile(bytes))
  .then((module) => init({ module_or_path: module }).then(() => startWorkers(module)))
  .catch((err) => {
    console.error(err);
    fail(`The model could not load: ${err && err.message ? err.message : err}`);
  });
