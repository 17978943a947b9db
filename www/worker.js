// Compute Atlas worker: the same WebAssembly module as the page, taking chunks of Monte Carlo
// draws (web/src/worker.rs). The page sends the compiled module first, then chunks:
// {generation, scenario, from, to} → {generation, from, rows, ms} (a Float64Array, and the
// time it took) or {error}.
import init, { worker_rows } from './pkg/atlas_web.js';

let ready = null;

self.onmessage = (event) => {
  const message = event.data;
  if (message.module) {
    ready = init({ module_or_path: message.module });
    ready.catch((err) => self.postMessage({ error: `the worker could not start: ${err && err.message ? err.message : err}` }));
    return;
  }
  if (!ready) {
    self.postMessage({ error: 'the worker got draws before its module' });
    return;
  }
  ready.then(() => {
    try {
      const began = performance.now();
      const rows = worker_rows(message.scenario, message.from, message.to);
      const ms = performance.now() - began;
      self.postMessage({ generation: message.generation, from: message.from, rows, ms }, [rows.buffer]);
    } catch (err) {
      self.postMessage({ error: `${err && err.message ? err.message : err}` });
    }
  }, () => {});
};
