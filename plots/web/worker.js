/* worker.js — runs gilsim's WebAssembly module in a Web Worker, so the page
 * never freezes.  The build (make web) puts this file after the module's
 * loader (createGilsim) in one script, which the page starts as a worker.
 *
 * Each request gets a fresh instance of the module: a C program's globals
 * start clean, and the page stops a run by ending the whole worker.
 *
 *   {id, cmd: "version"}                 -> {id, status, stdout}
 *   {id, cmd: "run", name, config, args} -> {id, progress} a line a second while
 *                                           it runs, then {id, status, stdout, stderr, files}
 *   {id, cmd: "plot", files, args}       -> {id, status, stderr, files}
 *   {id, cmd: "explain", files, args}    -> {id, status, stdout, stderr}
 *   {id, cmd: "lab", lab, student, labFiles} -> {id, status, stderr, files}: the
 *       student's handout.md and configs/NAME.yaml (`gilsim lab show LAB
 *       --student ID -o student`: no run, no key)
 *
 * A run writes NAME (a file name only) into /sim and runs `gilsim run
 * NAME -o out --perfetto --progress ARGS` there, so that an error names the
 * file as the user knows it; files holds every file of out, as bytes.  plot puts
 * files back into a run folder and writes the figures' data (`gilsim plot
 * DIR --format data ARGS`); explain tells it in words (`gilsim explain DIR
 * ARGS`). */
'use strict';

/* The module, compiled once (GILSIM_WASM: its bytes in base64, put here
 * by the build); each request instantiates it afresh. */
let compiled = null;

function compile() {
  if (!compiled)
    compiled = WebAssembly.compile(Uint8Array.from(atob(GILSIM_WASM), (c) => c.charCodeAt(0)));
  return compiled;
}

/* onProgress: called with each progress line of a run (`--progress`, a
 * line a second once it takes over one), while the run goes on. */
async function instance(onProgress) {
  const out = [], err = [];
  const wasm = await compile();
  const m = await createGilsim({
    print: (line) => out.push(line),
    printErr: (line) => {
      if (onProgress && /^simulated [\d.]+ \S+( of [\d.]+ \S+ \(\d+%\))?$/.test(line))
        onProgress(line);
      else
        err.push(line);
    },
    instantiateWasm: (imports, done) => {
      WebAssembly.instantiate(wasm, imports).then((inst) => done(inst, wasm));
      return {};
    },
  });
  m.FS.mkdir('/sim');           /* the module's own in-memory folder */
  m.FS.chdir('/sim');
  return { m, out, err };
}

/* A folder's files as bytes (Uint8Array): handed to the page without a
 * copy (transferred) and never decoded here, so a trace of a million rows
 * costs the page nothing until it is used. */
function readFolder(m, dir) {
  const files = {};
  let names = [];
  try { names = m.FS.readdir(dir); } catch (e) { return files; }
  for (const n of names)
    if (!n.startsWith('.') && m.FS.isFile(m.FS.stat(dir + '/' + n).mode))
      files[n] = m.FS.readFile(dir + '/' + n);
  return files;
}

function prefixed(files) {
  return Object.fromEntries(Object.entries(files).map(([n, b]) => ['configs/' + n, b]));
}

function buffers(reply) {
  return Object.values(reply.files || {}).map((b) => b.buffer);
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.ya?ml$/;

async function handle(q) {
  const { m, out, err } = await instance((line) => self.postMessage({ id: q.id, progress: line }));
  if (q.cmd === 'version')
    return { status: m.callMain(['--version']), stdout: out.join('\n') };
  if (q.cmd === 'run') {
    const name = SAFE_NAME.test(q.name) ? q.name : 'config.yaml';
    m.FS.writeFile(name, q.config);
    const status = m.callMain(['run', name, '-o', 'out', '--perfetto', '--progress', ...(q.args || [])]);
    return { status, stdout: out.join('\n'), stderr: err.join('\n'), files: readFolder(m, 'out') };
  }
  if (q.cmd === 'plot' || q.cmd === 'explain') {
    m.FS.mkdir('out');
    for (const [n, bytes] of Object.entries(q.files))
      if (/^[a-z_]+\.(csv|json)$/.test(n))
        m.FS.writeFile('out/' + n, bytes);
    if (q.cmd === 'explain')
      return { status: m.callMain(['explain', 'out', ...(q.args || [])]), stdout: out.join('\n'),
               stderr: err.join('\n') };
    const status = m.callMain(['plot', 'out', '--format', 'data', ...(q.args || [])]);
    return { status, stderr: err.join('\n'), files: readFolder(m, 'out') };
  }
  if (q.cmd === 'lab') {
    for (const f of q.labFiles) {
      const m2 = /^configs\/labs\/([a-z0-9_]+)\/([A-Za-z0-9_][A-Za-z0-9_.-]*)$/.exec(f.path);
      if (!m2)
        continue;
      m.FS.mkdirTree('/sim/configs/labs/' + m2[1]);   /* mkdirTree takes a path from the root */
      m.FS.writeFile(f.path, f.text);
    }
    const status = m.callMain(['lab', 'show', q.lab, '--student', q.student, '-o', 'student']);
    return { status, stdout: out.join('\n'), stderr: err.join('\n'),
             files: Object.assign(readFolder(m, 'student'), prefixed(readFolder(m, 'student/configs'))) };
  }
  throw new Error('unknown request ' + q.cmd);
}

self.onmessage = async (e) => {
  const q = e.data;
  try {
    const reply = await handle(q);
    self.postMessage(Object.assign({ id: q.id }, reply), buffers(reply));
  } catch (x) {
    self.postMessage({ id: q.id, status: -1, stderr: String(x && x.message || x), files: {} });
  }
};
