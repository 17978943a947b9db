// The page benchmark behind `cargo xtask bench-web`: drags the energy-cost slider with the mouse,
// one value step at a time, waiting for each update; then prints ONE JSON line on stdout with
// percentiles (ms) of the timings the page records itself in `window.__atlas.timings`:
//
//   {"steps":200,"input_to_paint_ms":{"p50":…,"p95":…,"p99":…},"total_ms":{"p50":…,"p95":…,"p99":…},
//    "simulate_ms":{"p50":…,"p95":…},
//    "draw_ms":{"p50":…,"p95":…},"dom_ms":{"p50":…,"p95":…}}
//
// Real mouse input (Playwright's `page.mouse`, through Chromium's input pipeline) rather than
// setting the value from a script: the browser delivers drag events aligned to animation frames,
// as it does for a person, so input-to-paint is what a person sees. (A script that dispatches
// `input` from inside an animation frame adds a whole frame: about 32 ms at p50 instead of 21.)
//
// Then two timed drags (20 and 60 mouse moves a second): frames per second, long tasks, and how
// soon the bands follow the release ("drags" in the JSON line).
//
// Progress and errors go to stderr. Settings come from the environment (see lib.mjs).

import { launch, openPage } from './lib.mjs';
import { summarize } from './stats.mjs';

/** Measured steps. */
const STEPS = 200;

/** Steps before measuring, so caches, the JIT and lazy initialisation are warm. */
const WARMUP_STEPS = 10;

/** Slider changes after which the bands are timed (each way: with workers and without). */
const BAND_RUNS = 15;

/** Optimisations timed (each with its whole frontier). */
const PLAN_RUNS = 5;

/** The slider dragged. */
const SLIDER = '#ctl-energy_cost_multiplier';

/** How long one update may take before the benchmark gives up, in milliseconds. */
const STEP_TIMEOUT_MS = 10_000;

/** Mouse moves allowed without a change of value (at the ends of the track) before giving up. */
const MAX_IDLE_MOVES = 50;

/** How long each timed drag lasts, seconds. */
const DRAG_SECONDS = 7;

/** Waits until the page's current band job is done. */
async function jobDone(page) {
  for (let i = 0; i < 600; i += 1) {
    const done = await page.evaluate(() => window.__atlas.doneGeneration === window.__atlas.bandsGeneration);
    if (done) return;
    await page.waitForTimeout(25);
  }
  throw new Error('the bands did not finish within 15 s');
}

/** Sets the energy-cost slider to new values and records each change's band timings. */
async function timeBands(page, label) {
  await jobDone(page);
  const runs = [];
  for (let i = 0; i < BAND_RUNS; i += 1) {
    await page.evaluate(
      ([selector, v]) => {
        const el = document.querySelector(selector);
        el.value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      },
      [SLIDER, (1.1 + 0.05 * i).toFixed(2)],
    );
    await page.waitForTimeout(50);
    await jobDone(page);
    runs.push(
      await page.evaluate(() => ({
        full: window.__atlas.bandsMs,
        draws_done: window.__atlas.drawsMs,
        tornado: window.__atlas.tornadoMs,
        slice: window.__atlas.bandsSliceMaxMs,
        draws: window.__atlas.bands.draws,
        workers: window.__atlas.helpers ?? 0,
        worker_draws: window.__atlas.helperDraws ?? 0,
        worker_ms: window.__atlas.helperMs ?? 0,
        page_ms: window.__atlas.pageDrawMs ?? 0,
      })),
    );
  }
  console.error(`bench: bands ${label}: ${runs.map((r) => Math.round(r.full)).join(' ')} ms`);
  return runs;
}

/** Percentiles and per-draw costs of band runs. */
function summarizeBands(runs) {
  const sum = (key) => runs.reduce((a, r) => a + r[key], 0);
  const draws = runs[0].draws;
  const workerDraws = sum('worker_draws');
  return {
    runs: runs.length,
    draws,
    workers: runs[0].workers,
    full_ms: summarize(runs.map((r) => r.full)),
    draws_ms: summarize(runs.map((r) => r.draws_done)),
    tornado_ms: summarize(runs.map((r) => r.tornado)),
    slice_max_ms: Math.max(...runs.map((r) => r.slice)),
    worker_share: workerDraws / (draws * runs.length),
    page_us_per_draw: (1000 * sum('page_ms')) / (draws * runs.length - workerDraws),
    worker_us_per_draw: workerDraws > 0 ? (1000 * sum('worker_ms')) / workerDraws : 0,
  };
}

/**
 * Drags the slider back and forth at `hz` mouse moves a second for DRAG_SECONDS, as a person does
 * (a slow hand at 20 Hz pauses between moves; a steady one moves every frame), and measures what
 * the drag's frames got: frames per second (requestAnimationFrame), the longest frame, and long
 * tasks (over 50 ms, PerformanceObserver). Then, from the release, how soon the bands of the last
 * value start and are done.
 */
async function timedDrag(page, hz) {
  await jobDone(page);
  await page.evaluate(() => {
    const d = { frames: [], long: [], stop: false };
    d.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) d.long.push(e.duration);
    });
    d.observer.observe({ type: 'longtask' });
    const tick = (t) => {
      if (d.stop) return;
      d.frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.__drag = d;
  });
  const slider = page.locator(SLIDER);
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  const [left, right, y] = [box.x + 2, box.x + box.width - 2, box.y + box.height / 2];
  // About a fortieth of the track per move, so most moves change the value.
  const dx = (right - left) / 40;
  let [x, direction] = [left + (right - left) / 2, 1];
  await page.mouse.move(x, y);
  await page.mouse.down();
  const moves = Math.round(hz * DRAG_SECONDS);
  const start = Date.now();
  for (let i = 0; i < moves; i += 1) {
    if (x + direction * dx > right || x + direction * dx < left) direction = -direction;
    x += direction * dx;
    await page.mouse.move(x, y);
    const due = start + ((i + 1) * 1000) / hz;
    const wait = due - Date.now();
    if (wait > 0) await page.waitForTimeout(wait);
  }
  const drag = await page.evaluate(() => {
    const d = window.__drag;
    d.stop = true;
    d.observer.disconnect();
    const gaps = d.frames.slice(1).map((t, i) => t - d.frames[i]);
    const span = d.frames[d.frames.length - 1] - d.frames[0];
    return {
      fps: ((d.frames.length - 1) * 1000) / span,
      worst_frame_ms: Math.max(...gaps),
      long_tasks: d.long.length,
      longest_task_ms: d.long.length > 0 ? Math.max(...d.long) : 0,
      generation: window.__atlas.bandsGeneration,
      released: performance.now(),
    };
  });
  await page.mouse.up();
  // The bands of the last value: started by the release, or (if band work ran during the drag)
  // perhaps before it; either way done once the current job is.
  await page.waitForTimeout(400);
  await jobDone(page);
  const follow = await page.evaluate(() => ({
    started: window.__atlas.bandsStartedAt,
    bands: window.__atlas.bandsMs,
  }));
  const { generation, released, ...measured } = drag;
  const result = {
    hz,
    moves,
    ...measured,
    bands_start_after_release_ms: Math.max(0, follow.started - released),
    bands_on_screen_after_release_ms: Math.max(0, follow.started - released + follow.bands),
  };
  console.error(`bench: drag at ${hz} Hz: ${JSON.stringify(result)}`);
  return result;
}

/** The slider's value and the page's update count. */
function state(page) {
  return page.evaluate((selector) => {
    return { value: document.querySelector(selector).value, updates: window.__atlas.updates };
  }, SLIDER);
}

/** Resolves once `window.__atlas.updates` exceeds `count`. */
function updateAfter(page, count) {
  return page.waitForFunction((n) => window.__atlas.updates > n, count, {
    polling: 'raf',
    timeout: STEP_TIMEOUT_MS,
  });
}

/**
 * Presses the mouse on the slider's left end and returns a function that makes one step: moves
 * the mouse along the track (back and forth) until the value changes, then waits for the update.
 */
async function grabSlider(page) {
  const slider = page.locator(SLIDER);
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  if (!box || box.width < 10) throw new Error(`${SLIDER} is not visible`);
  const { min, max, step } = await slider.evaluate((el) => ({
    min: Number(el.min || 0),
    max: Number(el.max || 100),
    step: el.step && el.step !== 'any' ? Number(el.step) : 1,
  }));
  const positions = Math.max(1, Math.round((max - min) / step));
  // A little more than one value step of the track per move, so (almost) every move changes it.
  const dx = (box.width / positions) * 1.25;
  const [left, right, y] = [box.x + 1, box.x + box.width - 1, box.y + box.height / 2];
  let [x, direction] = [left, 1];
  const before = await state(page);
  await page.mouse.move(x, y);
  await page.mouse.down();
  if ((await state(page)).value !== before.value) await updateAfter(page, before.updates);

  return async function stepOnce() {
    for (let idle = 0; idle < MAX_IDLE_MOVES; idle += 1) {
      if (x + direction * dx > right || x + direction * dx < left) direction = -direction;
      x += direction * dx;
      const previous = await state(page);
      await page.mouse.move(x, y);
      if ((await state(page)).value !== previous.value) {
        await updateAfter(page, previous.updates);
        return;
      }
    }
    throw new Error(`${MAX_IDLE_MOVES} mouse moves did not change ${SLIDER}`);
  };
}

const browser = await launch();
try {
  const { context, page, errors } = await openPage(browser);
  const stepOnce = await grabSlider(page);
  for (let i = 0; i < WARMUP_STEPS; i += 1) await stepOnce();
  const from = await page.evaluate(() => window.__atlas.timings.length);
  for (let i = 0; i < STEPS; i += 1) await stepOnce();
  await page.mouse.up();
  // Input-to-paint is recorded after the paint: give the last update two frames and a task.
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))),
  );
  const timings = await page.evaluate((n) => window.__atlas.timings.slice(n), from);
  if (errors.length > 0) throw new Error(`errors during the benchmark:\n  ${errors.join('\n  ')}`);
  // Frames during slow and steady drags, with the bands' work waiting for the release.
  const drags = [];
  for (const hz of [20, 60]) drags.push(await timedDrag(page, hz));
  // The release of the mouse may add an update of its own; the steps are the first STEPS.
  const measured = timings.slice(0, STEPS);
  const column = (name) => {
    const values = measured.map((t) => t[name]).filter(Number.isFinite);
    if (values.length < STEPS) throw new Error(`${values.length} of ${STEPS} updates have ${name}`);
    return values;
  };
  // The planner: one solve (with the form's 50% share bound) a few times, then the frontier a
  // point per task, as the page does it.
  await page.locator('#opt-share').fill('50');
  const solves = [];
  for (let i = 0; i < PLAN_RUNS; i += 1) {
    await page.click('#opt-run');
    await page.waitForFunction(() => window.__atlas.frontierPoints === 23, null, { timeout: 60_000 });
    solves.push(await page.evaluate(() => window.__atlas.planMs));
  }
  const frontier = await page.evaluate(() => ({ steps: window.__atlas.frontierSteps, whole: window.__atlas.frontierDoneMs }));
  if (errors.length > 0) throw new Error(`errors while planning:\n  ${errors.join('\n  ')}`);

  // Uncertainty: the energy-cost slider set to a new value and released, then the time until
  // every draw was taken, the bands of every draw on screen, and the tornado (the page's own
  // clock, from the frame that showed the change); with the page's workers, then without.
  const withWorkers = await timeBands(page, 'with workers');
  if (errors.length > 0) throw new Error(`errors while drawing bands:\n  ${errors.join('\n  ')}`);
  await context.close();
  const alone = await openPage(browser, '', {});
  await alone.page.addInitScript(() => {
    // A browser without workers: the page takes every draw itself.
    delete window.Worker;
  });
  await alone.page.reload();
  await alone.page.waitForFunction(() => window.__atlas?.ready === true, null, { timeout: 60_000 });
  const withoutWorkers = await timeBands(alone.page, 'without workers');
  if (alone.errors.length > 0) throw new Error(`errors while drawing bands:\n  ${alone.errors.join('\n  ')}`);
  await alone.context.close();
  const result = {
    steps: STEPS,
    planner: {
      runs: PLAN_RUNS,
      solve_ms: summarize(solves),
      frontier_step_ms: summarize(frontier.steps),
      frontier_ms: frontier.whole,
    },
    drags,
    bands: summarizeBands(withWorkers),
    bands_alone: summarizeBands(withoutWorkers),
    input_to_paint_ms: summarize(column('inputToPaintMs'), [50, 95, 99]),
    total_ms: summarize(column('totalMs'), [50, 95, 99]),
    simulate_ms: summarize(column('simulateMs')),
    draw_ms: summarize(column('drawMs')),
    dom_ms: summarize(column('domMs')),
  };
  console.error(`bench: ${STEPS} slider steps after ${WARMUP_STEPS} warm-up steps`);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
