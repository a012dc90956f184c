/* browser.js — the web page (make web) driven in a real, headless Chromium
 * over the DevTools protocol, with Debian's node-ws as the only module.
 *
 *   node tests/web/browser.js PAGE_DIR NATIVE_GILSIM SHOTS_DIR
 *
 * Opens PAGE_DIR/index.html from a file:// address (as a student who
 * downloaded the page would), then:
 *   - runs configs/default.yaml, configs/convoy.yaml and asyncio example 1
 *     and checks that the page's summary.csv holds the native build's
 *     numbers (wall time and version aside) and that its timeline draws
 *     every box of the native build's timeline.dat;
 *   - types a config with a misspelt key and checks that the loader's
 *     error is shown at its line;
 *   - gets a student's lab (handout and configs, as `gilsim lab show -o`
 *     writes them) and runs one of its configs with the key's options;
 *   - rests the pointer on a box of the timeline and checks the sentence
 *     shown against `gilsim explain`'s for that thread and moment;
 *   - zooms the timeline from the keyboard and checks that gilsim redrew
 *     the window asked for;
 *   - stops a long run;
 * and writes screenshots into SHOTS_DIR (web.png: the default run's
 * summary and timeline, the README's picture).  Prints one line per check; exits
 * 1 on the first that fails. */
'use strict';

const { spawn, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const WebSocket = require('ws');

const [pageDir, nativeBin, shots] = process.argv.slice(2);
if (!pageDir || !nativeBin || !shots) {
  console.error('usage: node browser.js PAGE_DIR NATIVE_GILSIM SHOTS_DIR');
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || 'chromium';
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gilsim-web-'));
let browser, ws, seq = 0;
const waiting = new Map();
const pageErrors = [];         /* uncaught exceptions in the page: each fails the test */

class Failure extends Error {}

/* Ends the checks: main's caller says why and closes the browser. */
function fail(msg) {
  throw new Failure(msg);
}

/* Closes the browser (Browser.close lets it end its own helpers; SIGKILL
 * after 5 s), removes its profile and exits. */
function finish(code) {
  const end = () => {
    for (const d of Object.values(nativeDirs))
      fs.rmSync(d, { recursive: true, force: true });
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    } catch (e) {
      console.log(`note: ${profile} is left behind: ${e.message}`);
    }
    process.exit(code);
  };
  if (!browser || browser.exitCode !== null)
    return end();
  browser.on('exit', () => setTimeout(end, 200));
  const kill = setTimeout(() => browser.kill('SIGKILL'), 5000);
  kill.unref();
  if (ws && ws.readyState === WebSocket.OPEN)
    ws.send(JSON.stringify({ id: ++seq, method: 'Browser.close' }));
  else
    browser.kill('SIGKILL');
}

function send(method, params, sessionId) {
  return new Promise((resolve, reject) => {
    const id = ++seq;
    waiting.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params: params || {}, sessionId }));
  });
}

function launch() {
  return new Promise((resolve, reject) => {
    browser = spawn(CHROMIUM, ['--headless=new', '--no-sandbox', '--disable-gpu',
      '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--window-size=1280,900',
      'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    browser.stderr.on('data', (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m)
        resolve(m[1]);
    });
    browser.once('exit', (c) => reject(new Error('chromium ended (' + c + '): ' + err.slice(-500))));
    setTimeout(() => reject(new Error('chromium did not start within 60 s: ' + err.slice(-500))),
               60000).unref();
  });
}

let session;
const page = (method, params) => send(method, params, session);

async function evaluate(expr) {
  const r = await page('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails)
    throw new Error(expr + ': ' + JSON.stringify(r.exceptionDetails).slice(0, 400));
  return r.result.value;
}

async function waitFor(expr, what, ms) {
  const end = Date.now() + (ms || 60000);
  for (;;) {
    if (pageErrors.length)
      fail('the page threw: ' + pageErrors[0]);
    const v = await evaluate(expr);
    if (v)
      return v;
    if (Date.now() > end) {
      const st = await evaluate("(document.getElementById('status') || {}).textContent || ''");
      fail('timed out waiting for ' + what + (st ? ` (the page says: ${st})` : ''));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/* A screenshot of the whole page, or of the part from element `from` to
 * the end of element `to`. */
async function shot(name, from, to) {
  const params = { format: 'png', captureBeyondViewport: true };
  if (from)
    params.clip = await evaluate(`(() => {
      const a = document.getElementById(${JSON.stringify(from)}).getBoundingClientRect();
      const b = document.getElementById(${JSON.stringify(to)}).getBoundingClientRect();
      return { x: 0, y: a.top + scrollY - 8, width: document.documentElement.clientWidth,
               height: b.bottom - a.top + 16, scale: 1 };
    })()`);
  const r = await page('Page.captureScreenshot', params);
  fs.writeFileSync(path.join(shots, name + '.png'), Buffer.from(r.data, 'base64'));
}

function csvRow(text) {
  const [head, row] = text.trim().split('\n').map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)
    .map((f) => f.replace(/,$/, '')));
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}

const unquote = (f) => f.replace(/^"(.*)"$/, '$1').replace(/""/g, '"');

/* The native build's summary.csv of a config, and the number of boxes
 * its timeline.dat lays out (B rows), for the page to match. */
const nativeDirs = {};

function native(config) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gilsim-native-'));
  nativeDirs[config] = out;
  execFileSync(nativeBin, ['run', config, '-q', '-o', out]);
  execFileSync(nativeBin, ['plot', out, '--format', 'data']);
  const sum = csvRow(fs.readFileSync(path.join(out, 'summary.csv'), 'utf8'));
  const boxes = fs.readFileSync(path.join(out, 'timeline.dat'), 'utf8').split('\n')
    .filter((l) => l.startsWith('B\t')).length;
  return { sum, boxes };
}

const IGNORED = new Set(['wall_s', 'gilsim_version', '']);

/* The page's summary.csv row holds the native one's values, but for the
 * wall time and the build's name. */
function sameSummary(what, web, nat) {
  for (const k of Object.keys(nat))
    if (!IGNORED.has(k) && web[k] !== nat[k])
      fail(`${what}: summary.csv ${k} is ${web[k]} in the page, ${nat[k]} natively`);
}

async function runExample(config) {
  const ran = await evaluate('Number(document.body.dataset.ran || 0)');
  await evaluate(`(() => { const s = document.getElementById('examples'); s.value = ${JSON.stringify(config)};
                   s.dispatchEvent(new Event('change')); document.getElementById('run').click(); })()`);
  const t0 = Date.now();
  await waitFor(`Number(document.body.dataset.ran || 0) > ${ran} || !document.getElementById('error').hidden`,
                'the run of ' + config);
  const ms = Date.now() - t0;
  const err = await evaluate("document.getElementById('error').hidden ? '' : document.getElementById('error').textContent");
  if (err)
    fail(`${config}: the page says ${err}`);
  const web = csvRow(await evaluate("text(state.files['summary.csv'])"));
  const { sum: nat, boxes } = native(config);
  sameSummary(config, web, nat);
  const drawn = await evaluate(`['timeline', 'asymmetry', 'cores', 'latency']
      .map((id) => id + ':' + document.querySelectorAll('#' + id + ' svg rect').length).join(' ')`);
  const webTrace = await evaluate(`(async () => [...new Uint8Array(await crypto.subtle.digest('SHA-256',
      state.files['trace.csv']))].map((b) => b.toString(16).padStart(2, '0')).join(''))()`);
  const natTrace = crypto.createHash('sha256').update(fs.readFileSync(path.join(nativeDirs[config], 'trace.csv')))
    .digest('hex');
  if (webTrace !== natTrace)
    fail(`${config}: the page's trace.csv differs from the native build's`);
  const drawnBoxes = await evaluate("document.querySelectorAll('#timeline g[data-panel] rect').length");
  if (drawnBoxes !== boxes)
    fail(`${config}: the timeline draws ${drawnBoxes} boxes, gilsim's timeline.dat has ${boxes}`);
  const summary = await evaluate("document.getElementById('summary').textContent");
  if (!summary.includes(`${nat.gil_switches} switches`))
    fail(`${config}: the printed summary lacks "${nat.gil_switches} switches"`);
  const captions = await evaluate(`[...document.querySelectorAll('.figure svg')]
      .map((svg) => svg.outerHTML.includes(${JSON.stringify(`gilsim ${unquote(web.gilsim_version)} · GIL ` +
                                                           unquote(nat.gil_policy))}))`);
  if (!captions.length || captions.includes(false))
    fail(`${config}: a figure lacks the line naming the gilsim build and GIL (${captions})`);
  const download = await evaluate(`(async () => {
      const a = [...document.querySelectorAll('#downloads a')].find((a) => a.download === 'summary.csv');
      a.click();
      return (await (await fetch(a.href)).text()) === text(state.files['summary.csv']) ? a.href : '';
    })()`);
  if (!download.startsWith('blob:'))
    fail(`${config}: the summary.csv download does not hold the run's summary.csv`);
  console.log(`ok ${config}: summary.csv as native (${Object.keys(nat).length - 2} columns), ` +
              `trace.csv byte for byte, the timeline's ${boxes} boxes drawn, each figure captioned, the download, ` +
              `run and drawn in ` +
              `${ms} ms; rects ${drawn}`);
}

async function configError() {
  const bad = 'name: typo\nduration: 1s\nprocesses:\n  - name: app\n    threds:\n      - name: t\n';
  await evaluate(`(() => { document.getElementById('options').value = '';
                   const e = document.getElementById('editor'); e.focus(); e.select(); })()`);
  await page('Input.insertText', { text: bad });   /* typed, as from a keyboard */
  await evaluate("document.getElementById('run').click()");
  await waitFor("!document.getElementById('error').hidden", 'the config error');
  const text = await evaluate("document.getElementById('error').textContent");
  const marked = await evaluate("[...document.querySelectorAll('#gutter .err')].map((d) => d.textContent).join()");
  if (!/^line 5, column 5: unknown key 'threds'/.test(text) || marked !== '5')
    fail(`the error is "${text}", marked at line ${marked}; expected line 5, column 5`);
  console.log(`ok a misspelt key: "${text}", line ${marked} marked`);
}

/* The pointer on a thread's box of the detail panel: the page names the
 * thread and its state, then gilsim's sentence for that moment, the one
 * `gilsim explain` prints natively for the same thread and window. */
async function hoverBox(config) {
  const at = await evaluate(`(() => {
    const g = document.querySelector('#timeline g[data-panel="1"]') ||
              document.querySelector('#timeline g[data-panel="0"]');
    const r = [...g.querySelectorAll('rect')].find((r) => r.dataset.what === 'Python (GIL held)' &&
                                                         +r.dataset.x0 > 0 && r.getBoundingClientRect().width > 6);
    r.scrollIntoView({ block: 'center' });
    const b = r.getBoundingClientRect();
    return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
  })()`);
  await page('Input.dispatchMouseEvent', { type: 'mouseMoved', x: at.x, y: at.y });
  const text = await waitFor(`(() => { const t = document.getElementById('hover').textContent;
                                 return t.includes('\\n') ? t : ''; })()`, 'the sentence on hover');
  const args = JSON.parse(await evaluate("document.getElementById('hover').dataset.explain"));
  const said = execFileSync(nativeBin, ['explain', nativeDirs[config], ...args], { encoding: 'utf8' })
    .split('\n').find((l) => /^\s+[\d.]+ (s|ms|µs|ns)\s/.test(l));
  const [what, sentence] = text.split('\n');
  if (!/^app\/worker-\d+: Python \(GIL held\) — from /.test(what) || sentence !== said.trim())
    fail(`hover says "${text}"; gilsim explain ${args.join(' ')} says "${said}"`);
  console.log(`ok hover: "${what}" / "${sentence}"`);
}

/* A run of over a million trace rows (gil-16, 30 s simulated): the page
 * draws what gilsim's timeline.dat lays out for it, as natively, and says
 * how long the longest task kept its main thread busy (the run itself is
 * the worker's). */
async function millionRows() {
  const text = fs.readFileSync('tests/bench/gil16.yaml', 'utf8').replace(/^duration: .*$/m, 'duration: 30s');
  const cfg = path.join(profile, 'gil16-30s.yaml');
  fs.writeFileSync(cfg, text);
  const { boxes } = native(cfg);
  const ran = await evaluate('Number(document.body.dataset.ran || 0)');
  await evaluate(`(() => {
    window.longest = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) longest = Math.max(longest, e.duration); })
      .observe({ type: 'longtask' });
    document.getElementById('options').value = ''; const e = document.getElementById('editor'); e.value = ${JSON.stringify(text)};
    e.dispatchEvent(new Event('input')); document.getElementById('run').click(); })()`);
  const t0 = Date.now();
  await waitFor(`Number(document.body.dataset.ran || 0) > ${ran}`, 'the run of a million rows', 300000);
  const longest = await evaluate('Math.round(longest)');   /* before the count below, a task of its own */
  const rows = await evaluate("state.files['trace.csv'].reduce((n, b) => n + (b === 10), 0) - 1");
  const drawn = await evaluate("document.querySelectorAll('#timeline g[data-panel] rect').length");
  if (rows < 1000000 || drawn !== boxes)
    fail(`gil-16 for 30 s: ${rows} trace rows, ${drawn} boxes drawn where gilsim's timeline.dat has ${boxes}`);
  console.log(`ok ${rows} trace rows: the timeline's ${boxes} boxes drawn; run and drawn in ` +
              `${Date.now() - t0} ms, the page's longest task ${longest} ms`);
}

/* Lab mode: a student's id gives their handout and configs, those of
 * `gilsim lab show LAB --student ID -o DIR`; a config headed by the key's
 * command line runs with its options, as natively. */
async function labMode() {
  const dir = path.join(profile, 'ana');
  execFileSync(nativeBin, ['lab', 'show', 'lab4_asymmetry', '--student', 'ana', '-o', dir]);
  await evaluate(`(() => { document.getElementById('lab').value = 'lab4_asymmetry';
    const s = document.getElementById('student'); s.value = 'ana'; s.dispatchEvent(new Event('input'));
    document.getElementById('get-lab').click(); })()`);
  await waitFor("!document.getElementById('handout').hidden", 'the handout');
  const setup = fs.readFileSync(path.join(dir, 'handout.md'), 'utf8').split('\n')
    .find((l) => l.startsWith('Your set-up:'));
  const shown = await evaluate("document.getElementById('handout-text').textContent");
  if (!setup || !shown.includes(setup))
    fail(`the handout lacks "${setup}"`);
  const configs = JSON.parse(await evaluate('JSON.stringify(state.labConfigs)'));
  const native = fs.readdirSync(path.join(dir, 'configs')).sort();
  if (configs.map((c) => c.path.split('/').pop()).join() !== native.join() ||
      configs.some((c) => c.text !== fs.readFileSync(path.join(dir, 'configs', c.path.split('/').pop()), 'utf8')))
    fail(`the page's configs (${configs.map((c) => c.path)}) are not lab show -o's (${native})`);
  await evaluate(`(() => { const s = document.getElementById('examples');
    s.value = 'lab4_asymmetry/ana/configs/t8.yaml'; s.dispatchEvent(new Event('change')); })()`);
  const opts = await evaluate("document.getElementById('options').value");
  const ran = await evaluate('Number(document.body.dataset.ran || 0)');
  await evaluate("document.getElementById('run').click()");
  await waitFor(`Number(document.body.dataset.ran || 0) > ${ran}`, 'the run of t8.yaml');
  const out = path.join(profile, 'ana-t8');
  const head = fs.readFileSync(path.join(dir, 'configs', 't8.yaml'), 'utf8').split('\n')[0];
  const sets = [...head.matchAll(/--set '([^']*)'/g)].flatMap((m) => ['--set', m[1]]);
  if (!sets.length || opts !== head.replace(/^# gilsim run \S+ /, ''))
    fail(`t8.yaml's options field holds "${opts}", its first line is "${head}"`);
  execFileSync(nativeBin, ['run', path.join(dir, 'configs', 't8.yaml'), '-q', '-o', out, ...sets]);
  const web = csvRow(await evaluate("text(state.files['summary.csv'])"));
  const nat = csvRow(fs.readFileSync(path.join(out, 'summary.csv'), 'utf8'));
  sameSummary('lab4 t8.yaml', web, nat);
  console.log(`ok lab mode: ana's handout and ${configs.length} configs as lab show -o writes them; ` +
              `t8.yaml ran with "${opts}" as natively (${nat.threads} threads)`);
}

/* The Explain button, pressed from the keyboard: the window's events in
 * words, as `gilsim explain --from --to --limit 12` prints them. */
async function explainKeys(config) {
  await evaluate("document.getElementById('explain-window').focus()");
  for (const type of ['keyDown', 'keyUp'])
    await page('Input.dispatchKeyEvent', { type, key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13,
                                           text: type === 'keyDown' ? '\r' : undefined });
  const shown = await waitFor(`(() => { const t = document.getElementById('hover').textContent;
      return t.split('\\n').length >= 10 ? t : ''; })()`, 'the window told in words');
  const args = JSON.parse(await evaluate("document.getElementById('hover').dataset.explain"));
  const said = execFileSync(nativeBin, ['explain', nativeDirs[config], ...args], { encoding: 'utf8' })
    .split('\n').filter((l) => /^\s+[\d.]+ (s|ms|µs|ns)\s|^\.\.\. /.test(l)).map((l) => l.trim()).join('\n');
  if (shown !== said)
    fail(`Explain shows "${shown.slice(0, 200)}", gilsim explain ${args.join(' ')} "${said.slice(0, 200)}"`);
  console.log(`ok Explain from the keyboard: ${shown.split('\n').length} lines as gilsim explain prints them`);
}

async function zoomKeys() {
  await evaluate("document.getElementById('timeline').focus()");
  const before = await evaluate("document.getElementById('window').textContent");
  for (const key of ['+', '+'])
    for (const type of ['keyDown', 'keyUp'])
      await page('Input.dispatchKeyEvent', { type, key, text: type === 'keyDown' ? key : undefined });
  const after = await waitFor(`(() => { const w = document.getElementById('window').textContent;
                                 return w !== ${JSON.stringify(before)} && w.includes(' to ') ? w : ''; })()`,
                              'the zoomed timeline');
  const title = await evaluate("document.querySelector('#timeline svg text[font-weight=bold]').textContent");
  const [from, to] = JSON.parse(await evaluate('JSON.stringify(state.window)'));
  const dir = nativeDirs['configs/default.yaml'];
  const before_ = new Set(fs.readdirSync(dir));
  execFileSync(nativeBin, ['plot', dir, '--format', 'data', '--from', from + 'ns', '--to', to + 'ns']);
  const dat = fs.readdirSync(dir).find((n) => !before_.has(n) && /^timeline-.*\.dat$/.test(n));
  const boxes = fs.readFileSync(path.join(dir, dat), 'utf8').split('\n').filter((l) => l.startsWith('B\t')).length;
  const drawn = await evaluate("document.querySelectorAll('#timeline g[data-panel] rect').length");
  if (drawn !== boxes)
    fail(`zoom: ${drawn} boxes drawn, gilsim plot --from ${from}ns --to ${to}ns lays out ${boxes}`);
  console.log(`ok zoom: "${before}" -> "${after}", ${boxes} boxes as gilsim plot --from --to; the panel: "${title}"`);
}

async function stopRun() {
  const long = 'name: long\nduration: 3600s\nprocesses:\n  - name: app\n    threads:\n      - name: w\n' +
    '        count: 64\n        program:\n          - repeat: forever\n            do:\n              - cpu: 1us\n';
  await evaluate(`(() => { document.getElementById('options').value = ''; const e = document.getElementById('editor'); e.value = ${JSON.stringify(long)};
                   e.dispatchEvent(new Event('input')); document.getElementById('run').click(); })()`);
  await waitFor("!document.getElementById('stop').disabled", 'the Stop button');
  const progress = await waitFor(`(() => { const s = document.getElementById('status').textContent;
      return /simulated .* of 3600.000 s \\(\\d+%\\)/.test(s) ? s : ''; })()`, 'the run\'s progress', 20000);
  await evaluate("document.getElementById('stop').click()");
  await waitFor("document.getElementById('status').textContent === 'stopped'", 'the stop');
  await waitFor("!document.getElementById('run').disabled", 'Run again after the stop');
  console.log(`ok progress ("${progress}"); Stop ends the run of an hour, and Run is offered again`);
}

async function main() {
  const url = await launch();
  ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
  ws.on('message', (m) => {
    const msg = JSON.parse(m);
    if (msg.method === 'Runtime.exceptionThrown')
      pageErrors.push(JSON.stringify(msg.params.exceptionDetails).slice(0, 600));
    if (msg.method === 'Runtime.consoleAPICalled')
      console.log('page console: ' + msg.params.args.map((a) => a.value).join(' ').slice(0, 600));
    const w = waiting.get(msg.id);
    if (!w)
      return;
    waiting.delete(msg.id);
    if (msg.error)
      w.reject(new Error(JSON.stringify(msg.error)));
    else
      w.resolve(msg.result);
  });
  await new Promise((r) => ws.on('open', r));
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  ({ sessionId: session } = await send('Target.attachToTarget', { targetId, flatten: true }));
  await send('Browser.setDownloadBehavior', { behavior: 'deny' });   /* links are checked, not saved */
  await page('Page.enable');
  await page('Runtime.enable');
  const index = 'file://' + path.resolve(pageDir, 'index.html');
  await page('Page.navigate', { url: index });
  const version = await waitFor(`(() => { const v = document.getElementById('version');
      const run = document.getElementById('run');
      return v && run && !run.disabled && v.textContent.startsWith('gilsim') ? v.textContent : ''; })()`,
                                'the page to load');
  console.log(`ok loaded from ${index}: ${version}`);
  await shot('1-loaded');
  await runExample('configs/default.yaml');
  await shot('2-default');
  await hoverBox('configs/default.yaml');
  await shot('web', 'results-h', 'hover');  /* the README's picture: make examples */
  await zoomKeys();
  await explainKeys('configs/default.yaml');
  await shot('3-zoomed');
  await runExample('configs/convoy.yaml');
  await shot('4-convoy');
  await runExample('configs/seed/asyncio_ex1_tasks_gather.yaml');   /* its tasks' lanes */
  await shot('4-asyncio');
  await configError();
  await shot('5-error');
  await labMode();
  await shot('6-lab');
  await millionRows();
  await shot('7-million');
  await stopRun();
  if (pageErrors.length)
    fail('the page threw: ' + pageErrors[0]);
}

main().then(() => finish(0), (e) => {
  console.log('FAIL ' + (e instanceof Failure ? e.message : e.stack || String(e)));
  finish(1);
});
