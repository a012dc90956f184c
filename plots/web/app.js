/* app.js — the page: pick or edit a config, run it in a worker, show the
 * summary, the figures and the files.  The simulator is the worker's
 * (worker.js); the figures are figures.js's. */
'use strict';

const $ = (id) => document.getElementById(id);
const state = { worker: null, pending: new Map(), next: 1, files: null, sum: null,
                window: null, shownName: 'config.yaml', errorLine: 0, progress: '' };

/* The files of a run are bytes (Uint8Array); a small one as text. */
const utf8 = new TextDecoder();
const text = (bytes) => (bytes ? utf8.decode(bytes) : '');

/* ---- the worker ---- */

const engineURL = URL.createObjectURL(new Blob([window.GILSIM_ENGINE], { type: 'text/javascript' }));

function startWorker() {
  state.worker = new Worker(engineURL);
  state.worker.onerror = (e) => {
    $('status').textContent = 'the simulator failed: ' + (e.message || 'it could not start');
    console.error('worker: ' + e.message);
  };
  state.worker.onmessage = (e) => {
    if (e.data.progress) {       /* the run goes on */
      state.progress = e.data.progress;
      return;
    }
    const done = state.pending.get(e.data.id);
    state.pending.delete(e.data.id);
    if (done)
      done(e.data);
  };
}

function ask(q) {
  return new Promise((resolve) => {
    const id = state.next++;
    state.pending.set(id, resolve);
    state.worker.postMessage(Object.assign({ id }, q));
  });
}

/* Stop ends the worker, the only way to stop a C loop that never yields. */
function stop() {
  state.worker.terminate();
  for (const done of state.pending.values())
    done({ status: -2, stopped: true });
  state.pending.clear();
  startWorker();
}

/* ---- the editor ---- */

function showGutter() {
  const n = $('editor').value.split('\n').length;
  const g = $('gutter');
  g.textContent = '';
  for (let i = 1; i <= n; i++) {
    const s = document.createElement('div');
    s.textContent = i;
    if (i === state.errorLine)
      s.className = 'err';
    g.appendChild(s);
  }
  g.scrollTop = $('editor').scrollTop;
}

/* The loader's one line, file:line:column: message, shown at its line. */
function showError(stderr) {
  const m = /^([^\n:]+):(\d+):(\d+): (.*)$/m.exec(stderr);
  const box = $('error');
  box.hidden = false;
  if (m && m[1] === state.shownName) {
    state.errorLine = +m[2];
    box.textContent = `line ${m[2]}, column ${m[3]}: ${m[4]}`;
    const lines = $('editor').value.split('\n');
    const at = lines.slice(0, state.errorLine - 1).reduce((a, l) => a + l.length + 1, 0) + (+m[3] - 1);
    $('editor').setSelectionRange(at, at);
  } else {
    state.errorLine = 0;
    box.textContent = stderr.trim() || 'the run failed';
  }
  showGutter();
}

function clearError() {
  state.errorLine = 0;
  $('error').hidden = true;
  showGutter();
}

function option(parent, value, label) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  parent.appendChild(o);
}

function loadExamples() {
  const sel = $('examples');
  for (const ex of window.GILSIM_EXAMPLES)
    option(sel, ex.path, ex.path);
  sel.value = 'configs/default.yaml';
  pickExample();
  const labs = [...new Set(window.GILSIM_LABS.map((f) => f.path.split('/')[2]))].sort();
  for (const id of labs)
    option($('lab'), id, id);
}

/* The configs to pick from: the shipped ones, then a lab's for a student. */
function allConfigs() {
  return window.GILSIM_EXAMPLES.concat(state.labConfigs || []);
}

/* A config's first line may say how the key ran it ("# gilsim run t8.yaml
 * --set K=V"): its options go into the options field. */
function pickExample() {
  const ex = allConfigs().find((e) => e.path === $('examples').value);
  if (!ex)
    return;
  $('editor').value = ex.text;
  state.shownName = ex.path.split('/').pop();
  const head = /^# gilsim (run|sweep) \S+\.yaml ?(.*)$/m.exec(ex.text.split('\n')[0]);
  $('options').value = head && head[1] === 'run' ? head[2] : '';
  $('options-note').textContent = head && head[1] === 'sweep'
    ? 'This config is a sweep (' + head[0].slice(2) + '): the page runs one run at a time; ' +
      'run the sweep with gilsim on a computer, or set each value with --set here.'
    : '';
  clearError();
}

/* The options field: --set KEY=VALUE and --seed N only, quotes allowed. */
function runOptions() {
  const words = ($('options').value.match(/'[^']*'|"[^"]*"|\S+/g) || [])
    .map((w) => w.replace(/^(['"])(.*)\1$/, '$2'));
  const args = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if ((w === '--set' || w === '--seed') && i + 1 < words.length)
      args.push(w, words[++i]);
    else if (/^--(set|seed)=/.test(w))
      args.push(w);
    else
      throw new Error(`options: '${w}': only --set KEY=VALUE and --seed N go here`);
  }
  return args;
}

/* ---- a lab: the student's handout and configs, as lab make gives them ---- */

async function getLab() {
  const lab = $('lab').value, student = $('student').value.trim();
  $('get-lab').disabled = true;
  $('status').textContent = `making ${lab} for ${student}…`;
  const r = await ask({ cmd: 'lab', lab, student,
                        labFiles: window.GILSIM_LABS.filter((f) => f.path.split('/')[2] === lab) });
  $('get-lab').disabled = false;
  if (r.stopped)
    return;
  if (r.status !== 0) {
    $('status').textContent = (r.stderr || 'the lab failed').trim();
    return;
  }
  showHandout(text(r.files['handout.md']));
  state.labConfigs = Object.keys(r.files).filter((n) => n.startsWith('configs/')).sort()
    .map((n) => ({ path: `${lab}/${student}/${n}`, text: text(r.files[n]) }));
  const sel = $('examples');
  sel.querySelectorAll('optgroup').forEach((g) => g.remove());
  const group = document.createElement('optgroup');
  group.label = `${lab}, student ${student}`;
  for (const c of state.labConfigs)
    option(group, c.path, c.path.split('/').pop());
  sel.insertBefore(group, sel.firstChild);
  sel.value = state.labConfigs.length ? state.labConfigs[0].path : sel.value;
  pickExample();
  $('status').textContent = `${lab} for ${student}: the handout below, its configs to pick from`;
}

/* Markdown as the handouts use it (headings, lists, code blocks,
 * paragraphs), built as elements with text only: nothing in a handout
 * becomes markup. */
function showHandout(md) {
  const box = $('handout-text');
  box.textContent = '';
  let para = null, code = null;
  const add = (tag, t) => { const e = document.createElement(tag); e.textContent = t; box.appendChild(e); return e; };
  for (const line of md.split('\n')) {
    if (code !== null) {
      if (line.startsWith('```')) { add('pre', code); code = null; } else code += line + '\n';
      continue;
    }
    const h = /^(#{1,4}) (.*)$/.exec(line);
    if (line.startsWith('```')) { code = ''; para = null; }
    else if (h) { add('h' + Math.min(6, h[1].length + 2), h[2]); para = null; }
    else if (/^\s*([-*]|\d+\.) /.test(line)) { add('p', line.trim()).className = 'item'; para = null; }
    else if (line.trim() === '') para = null;
    else if (para) para.textContent += ' ' + line.trim();
    else para = add('p', line.trim());
  }
  $('handout').hidden = false;
}

/* ---- a run ---- */

async function run() {
  clearError();
  $('run').disabled = true;
  $('stop').disabled = false;
  const t0 = performance.now();
  state.progress = '';
  const tick = setInterval(() => {
    const took = ((performance.now() - t0) / 1000).toFixed(1);
    $('status').textContent = `running… ${took} s` + (state.progress ? `: ${state.progress}` : '');
  }, 100);
  let args;
  try {
    args = runOptions();
  } catch (x) {
    $('run').disabled = false;
    $('stop').disabled = true;
    clearInterval(tick);
    showError(x.message);
    $('status').textContent = 'not run';
    return;
  }
  const r = await ask({ cmd: 'run', name: state.shownName, config: $('editor').value, args });
  clearInterval(tick);
  $('run').disabled = false;
  $('stop').disabled = true;
  if (r.stopped) {
    $('status').textContent = 'stopped';
    return;
  }
  if (r.status !== 0) {
    $('status').textContent = `failed (exit status ${r.status})`;
    showError(r.stderr);
    return;
  }
  state.files = r.files;
  state.sum = Figures.table(text(r.files['summary.csv']))[0] || null;
  state.window = null;
  $('summary').textContent = r.stdout;
  $('hover').textContent = '';
  $('results').hidden = false;
  showDownloads();
  await drawFigures();
  $('status').textContent = `done in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
  document.body.dataset.ran = String(Number(document.body.dataset.ran || 0) + 1);
}

/* The figures' data, from gilsim itself (plot --format data) in the worker. */
async function figureData(from, to) {
  const files = runFiles(['summary.csv', 'threads.csv', 'trace.csv', 'log.csv']);
  const args = from === undefined ? [] : ['--from', from + 'ns', '--to', to + 'ns'];
  const r = await ask({ cmd: 'plot', files, args });
  if (r.status !== 0 && !r.stopped)
    $('status').textContent = 'figures: ' + (r.stderr || 'failed');
  const dats = {};
  for (const [n, bytes] of Object.entries(r.files || {}))
    if (n.endsWith('.dat'))
      dats[n] = text(bytes);
  return dats;
}

function put(id, svg) {
  const box = $(id);
  box.textContent = '';
  if (svg)
    box.appendChild(svg);
  else
    box.textContent = 'nothing to draw for this run';
}

function width() {
  return Math.min(1180, document.querySelector('main').clientWidth);
}

async function drawFigures() {
  const d = await figureData();
  const py = pyColour(d);
  drawTimeline(d);
  put('asymmetry', Figures.asymmetry(d['asymmetry.dat'], state.sum, width(), py));
  put('cores', Figures.cores(d['cores.dat'], state.sum, width(), py));
  put('latency', Figures.latency(d['latency.dat'], state.sum, width(), py));
}

/* The bars take the colour of Python holding the GIL, from the timeline's
 * own key: the figures' one table of colours. */
function pyColour(d) {
  const name = Object.keys(d).find((n) => /^timeline.*\.dat$/.test(n));
  const t = name ? Figures.parseTimeline(d[name]) : { keys: [] };
  const k = t.keys.find((k) => k.style === 0);
  return k ? k.rgb : '#004266';
}

function drawTimeline(d) {
  const name = Object.keys(d).find((n) => /^timeline.*\.dat$/.test(n));
  put('timeline', name ? Figures.timeline(d[name], state.sum, width(), hover) : null);
  const w = state.window;
  $('window').textContent = w ? `${fmtNs(w[0])} to ${fmtNs(w[1])}` : 'the whole run';
}

/* A panel's time back in ns: its axis label names the unit, and the time
 * it counts from when that is not the run's start ("simulated time after
 * 1 s (µs)"). */
const UNIT_NS = { s: 1e9, ms: 1e6, 'µs': 1e3, ns: 1 };

function panelNs(x, label) {
  const unit = /\((s|ms|µs|ns)\)$/.exec(label);
  const after = /after ([\d.]+) (s|ms|µs|ns) \(/.exec(label);
  const origin = after ? Math.round(+after[1] * UNIT_NS[after[2]]) : 0;
  return origin + Math.round(x * UNIT_NS[unit ? unit[1] : 's']);
}

/* What a box shows, and gilsim's own sentence for its start (`gilsim
 * explain --thread T --from A --to B --limit 1`), asked once the pointer
 * rests. */
function hover(h) {
  const lane = h.lane ? h.lane.text : '';
  const thread = /\//.test(h.what) ? h.what : lane;
  const unit = (/\((s|ms|µs|ns)\)$/.exec(h.unit) || ['', ''])[1];
  const after = (/ after (.*) \(/.exec(h.unit) || ['', ''])[1];
  $('hover').textContent = `${lane}: ${h.what} — from ${h.x0} to ${h.x1} ${unit}` +
    (after ? ` after ${after}` : '');
  clearTimeout(state.hoverTimer);
  state.hoverTimer = setTimeout(() => explainBox(thread, panelNs(h.x0, h.unit), panelNs(h.x1, h.unit)), 150);
}

/* The window shown told in words (gilsim explain --from --to): the
 * keyboard's way to what the pointer gets box by box. */
async function explainWindow() {
  const [from, to] = state.window || [0, runEnd()];
  const args = ['--from', from + 'ns', '--to', Math.max(to, from + 1) + 'ns', '--limit', '12'];
  $('hover').dataset.explain = JSON.stringify(args);
  const r = await ask({ cmd: 'explain', files: explainFiles(), args });
  if (r.status === 0)
    $('hover').textContent = (r.stdout || '').split('\n')
      .filter((l) => /^\s+[\d.]+ (s|ms|µs|ns)\s|^\.\.\. /.test(l)).map((l) => l.trim()).join('\n');
}

/* The run's files of these names, those it has: what plot and explain read. */
function runFiles(names) {
  return Object.fromEntries(names.filter((n) => n in state.files).map((n) => [n, state.files[n]]));
}

function explainFiles() {
  return runFiles(['summary.csv', 'threads.csv', 'trace.csv', 'log.csv', 'tasks.csv']);
}

async function explainBox(thread, from, to) {
  const asked = $('hover').textContent;
  const files = explainFiles();
  const args = ['--thread', thread, '--from', from + 'ns', '--to', Math.max(to, from + 1) + 'ns',
                '--limit', '1'];
  $('hover').dataset.explain = JSON.stringify(args);
  const r = await ask({ cmd: 'explain', files, args });
  const line = r.status === 0 && (r.stdout || '').split('\n').find((l) => /^\s+[\d.]+ (s|ms|µs|ns)\s/.test(l));
  if (line && $('hover').textContent === asked)
    $('hover').textContent = asked + '\n' + line.trim();
}

function fmtNs(ns) {
  if (ns >= 1e9) return (ns / 1e9).toPrecision(6) / 1 + ' s';
  if (ns >= 1e6) return (ns / 1e6).toPrecision(6) / 1 + ' ms';
  if (ns >= 1e3) return (ns / 1e3).toPrecision(6) / 1 + ' µs';
  return ns + ' ns';
}

/* ---- zoom: gilsim redraws the window asked for ---- */

function runEnd() {
  return state.sum ? Number(state.sum.makespan_ns) : 0;
}

async function zoomTo(from, to) {
  const end = runEnd();
  if (!end)
    return;
  const len = Math.max(1000, Math.round(to - from));
  from = Math.max(0, Math.min(Math.round(from), end - len));
  to = Math.min(end, from + len);
  state.window = from <= 0 && to >= end ? null : [from, to];
  const d = state.window ? await figureData(from, to) : await figureData();
  drawTimeline(d);
}

function zoom(factor) {
  const [a, b] = state.window || [0, runEnd()];
  const mid = (a + b) / 2, half = (b - a) * factor / 2;
  return zoomTo(mid - half, mid + half);
}

function pan(dir) {
  const [a, b] = state.window || [0, runEnd()];
  return zoomTo(a + dir * (b - a) / 2, b + dir * (b - a) / 2);
}

/* ---- downloads ---- */

/* A download link whose file is made when it is followed: a blob of a
 * large trace takes the page a while, and most runs never download it. */
function link(name, makeBlob) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = '#';
  a.download = name;
  a.textContent = name;
  a.addEventListener('click', () => {
    if (a.getAttribute('href') === '#')
      a.href = URL.createObjectURL(makeBlob());
  });
  li.appendChild(a);
  return li;
}

function showDownloads() {
  const ul = $('downloads');
  ul.textContent = '';
  for (const [name, bytes] of Object.entries(state.files))
    ul.appendChild(link(name, () => new Blob([bytes], {
      type: name.endsWith('.json') ? 'application/json' : 'text/csv' })));
  for (const id of ['timeline', 'asymmetry', 'cores', 'latency']) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `${id}.svg`;
    b.addEventListener('click', () => {
      const svg = $(id).querySelector('svg');
      if (!svg)
        return;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([svg.outerHTML], { type: 'image/svg+xml' }));
      a.download = `${id}.svg`;
      a.click();
    });
    li.appendChild(b);
    ul.appendChild(li);
  }
}

/* ---- wiring ---- */

function keys(e) {
  const act = { '+': () => zoom(0.5), '=': () => zoom(0.5), '-': () => zoom(2),
                ArrowLeft: () => pan(-1), ArrowRight: () => pan(1), 0: () => zoomTo(0, runEnd()) }[e.key];
  if (act) {
    e.preventDefault();
    act();
  }
}

async function main() {
  startWorker();
  loadExamples();
  $('examples').addEventListener('change', pickExample);
  $('editor').addEventListener('input', showGutter);
  $('editor').addEventListener('scroll', () => { $('gutter').scrollTop = $('editor').scrollTop; });
  $('run').addEventListener('click', run);
  $('get-lab').addEventListener('click', getLab);
  $('student').addEventListener('input', () => {
    $('get-lab').disabled = !$('student').checkValidity() || !$('student').value;
  });
  $('stop').addEventListener('click', stop);
  $('zoom-in').addEventListener('click', () => zoom(0.5));
  $('zoom-out').addEventListener('click', () => zoom(2));
  $('pan-left').addEventListener('click', () => pan(-1));
  $('pan-right').addEventListener('click', () => pan(1));
  $('zoom-reset').addEventListener('click', () => zoomTo(0, runEnd()));
  $('explain-window').addEventListener('click', explainWindow);
  $('timeline').addEventListener('keydown', keys);
  const v = await ask({ cmd: 'version' });
  $('version').textContent = (v.stdout || '').trim();
  $('run').disabled = false;
}

main();
