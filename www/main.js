// Compute Atlas bootstrap: load the WebAssembly module and start it. Everything else (the
// controls, the model, the charts) is built by the Rust code in web/.
import init from './pkg/atlas_web.js';

function fail(message) {
  const banner = document.getElementById('error-banner');
  document.getElementById('error-text').textContent = message;
  banner.hidden = false;
  const loading = document.getElementById('loading');
  if (loading) loading.textContent = 'The model could not start.';
}

document.getElementById('error-reload').addEventListener('click', () => location.reload());

init().catch((err) => {
  console.error(err);
  fail(`The model could not load: ${err && err.message ? err.message : err}`);
});
