// Compute Atlas worker: the same WebAssembly module as the page, taking chunks of Monte Carlo
// draws. The page sends the compiled module first, then chunks; `worker_answer` reads each and
// makes the answer (both are typed in web/src/protocol.rs). This file only passes them on, and
// answers {failed: {message}} itself when the module cannot start.
import init, { worker_answer } from './pkg/atlas_web.js';

let ready = null;

const failed = (message) => self.postMessage({ failed: { message } });

self.onmessage = (event) => {
  const message = event.data;
  if (message.module) {
    ready = init({ module_or_path: message.module });
    ready.catch((err) => failed(`the worker could not start: ${err && err.message ? err.message : err}`));
    return;
  }
  if (!ready) {
    failed('the worker got draws before its module');
    return;
  }
  ready.then(() => {
    try {
      const answer = worker_answer(message);
      // The draws' bytes are handed over, not copied.
      self.postMessage(answer, answer.rows ? [answer.rows.rows.buffer] : []);
    } catch (err) {
      failed(`${err && err.message ? err.message : err}`);
    }
  }, () => {});
};
