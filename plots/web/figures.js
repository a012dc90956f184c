/* figures.js — the run's figures as SVG, from the data files gilsim itself
 * writes for gnuplot (`gilsim plot DIR --format data`; plots/README.md):
 * timeline.dat is laid out and coloured by gilsim (sim/out/plotdat.c says
 * what each row holds), so the page only scales it; asymmetry.dat,
 * cores.dat and latency.dat hold what the gnuplot scripts draw.  Nothing
 * here decides a colour of a thread state: they come from the data. */
'use strict';

const Figures = (() => {
  const NS = 'http://www.w3.org/2000/svg';

  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {}))
      e.setAttribute(k, v);
    if (text !== undefined)
      e.textContent = text;
    return e;
  }

  /* A label of a data file: plot_data_label writes '"', '\' and a leading
   * space as octal escapes. */
  function label(s) {
    return s.replace(/\\([0-7]{3})/g, (m, o) => String.fromCharCode(parseInt(o, 8)));
  }

  function hex(rgb) {
    return '#' + (Number(rgb) >>> 0).toString(16).padStart(6, '0');
  }

  /* RFC 4180 CSV, as libcsv writes it: rows of fields. */
  function csv(text) {
    const rows = [];
    let row = [], field = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(field); field = ''; }
      else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
      else if (c !== '\r') field += c;
    }
    if (field !== '' || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  /* A CSV file's rows as objects by column name. */
  function table(text) {
    const rows = csv(text || '');
    const head = rows.shift() || [];
    return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
  }

  function tsv(text) {
    return (text || '').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  }

  /* The line every figure carries: which gilsim and which model made it. */
  function caption(sum) {
    if (!sum)
      return '';
    const si = Number(sum.switch_interval_ns) / 1e6;
    return `${sum.config} · gilsim ${sum.gilsim_version} · GIL ${sum.gil_policy} · Python ` +
      `${sum.python_version} · ${sum.cores} cores · switch interval ${si} ms · seed ${sum.seed}`;
  }

  function svgRoot(w, h, title) {
    const s = el('svg', { xmlns: NS, width: w, height: h, viewBox: `0 0 ${w} ${h}`,
                          role: 'img', 'font-family': 'sans-serif', 'font-size': 12 });
    s.appendChild(el('title', {}, title));
    s.appendChild(el('rect', { x: 0, y: 0, width: w, height: h, fill: '#fff' }));
    return s;
  }

  function footer(s, w, h, sum) {
    s.appendChild(el('text', { x: 8, y: h - 6, fill: '#444', 'font-size': 11 }, caption(sum)));
  }

  /* ---- the timeline ---- */

  const LANE = 20, LABEL_W = 170, KEY_ROW = 18;

  function parseTimeline(text) {
    const t = { panels: [], keys: [], lanes: [], boxes: [], marks: [], names: [] };
    for (const f of tsv(text)) {
      switch (f[0]) {
        case 'G': t.g = f.slice(1).map(Number); break;
        case 'P': t.panels.push({ x0: +f[2], x1: +f[3], xlabel: label(f[6] || ''),
                                  title: label(f[7] || '') }); break;
        case 'K': t.keys.push({ style: +f[1], rgb: hex(f[2]), text: label(f[3] || '') }); break;
        case 'L': t.lanes.push({ y: +f[1], swatch: +f[2] < 0 ? null : hex(f[2]), sep: +f[3],
                                 text: label(f[4] || '') }); break;
        case 'B': t.boxes.push({ p: +f[1], y: +f[2], x0: +f[3], x1: +f[4], half: +f[5],
                                 rgb: hex(f[6]) }); break;
        case 'M': t.marks.push({ p: +f[1], y: +f[2], x: +f[3], kind: +f[4] }); break;
        case 'N': t.names.push({ p: +f[1], y: +f[2], x: +f[3], rgb: hex(f[4]),
                                 text: label(f[5] || '') }); break;
      }
    }
    return t;
  }

  /* What a box's colour means: a state's name from the key, or the thread
   * whose identity colour it is (a core's or a GIL's lanes). */
  function meaning(t, rgb) {
    const k = t.keys.find((k) => k.style <= 1 && k.rgb === rgb);
    if (k)
      return k.text;
    const l = t.lanes.find((l) => l.swatch === rgb);
    return l ? l.text : '';
  }

  function timeline(text, sum, width, onHover) {
    const t = parseTimeline(text);
    const nl = t.lanes.length;
    const plotW = Math.max(200, width - LABEL_W - 20);
    const panelH = nl * LANE + 48;
    const keyRows = Math.ceil(t.keys.length / 3);
    const h = t.panels.length * panelH + keyRows * KEY_ROW + 40;
    const s = svgRoot(width, h, 'timeline: ' + caption(sum));
    t.panels.forEach((p, pi) => {
      const top = pi * panelH + 20;
      const span = p.x1 - p.x0 || 1;
      const X = (x) => LABEL_W + (x - p.x0) / span * plotW;
      s.appendChild(el('text', { x: LABEL_W, y: top - 6, 'font-weight': 'bold' }, p.title));
      for (const l of t.lanes) {
        const y = top + l.y * LANE;
        if (l.sep)
          s.appendChild(el('line', { x1: 0, x2: LABEL_W + plotW, y1: y, y2: y, stroke: '#888' }));
        if (l.swatch)
          s.appendChild(el('rect', { x: 2, y: y + 5, width: 10, height: 10, fill: l.swatch }));
        s.appendChild(el('text', { x: 16, y: y + 14 }, l.text));
      }
      const g = el('g', { 'data-panel': pi });
      for (const b of t.boxes) {
        if (b.p !== pi)
          continue;
        const cy = top + b.y * LANE + LANE / 2;
        const r = el('rect', { x: X(b.x0), y: cy - b.half * LANE, width: Math.max(0.5, X(b.x1) - X(b.x0)),
                               height: 2 * b.half * LANE, fill: b.rgb });
        r.dataset.lane = b.y;
        r.dataset.x0 = b.x0;
        r.dataset.x1 = b.x1;
        r.dataset.what = meaning(t, b.rgb);
        g.appendChild(r);
      }
      for (const m of t.marks) {
        if (m.p !== pi)
          continue;
        const cx = X(m.x), cy = top + m.y * LANE + 2;
        g.appendChild(el('path', { d: `M${cx - 3},${cy} L${cx + 3},${cy} L${cx},${cy + 5} Z`,
                                   fill: m.kind ? '#000' : '#fff', stroke: '#000' }));
      }
      for (const n of t.names)
        if (n.p === pi)
          g.appendChild(el('text', { x: X(n.x), y: top + n.y * LANE + 14, fill: n.rgb,
                                     'text-anchor': 'middle', 'font-size': 11 }, n.text));
      s.appendChild(g);
      const axisY = top + nl * LANE;
      s.appendChild(el('line', { x1: LABEL_W, x2: LABEL_W + plotW, y1: axisY, y2: axisY, stroke: '#000' }));
      for (let i = 0; i <= 5; i++) {
        const x = p.x0 + span * i / 5;
        s.appendChild(el('text', { x: X(x), y: axisY + 14, 'text-anchor': 'middle' },
                         String(+x.toPrecision(6))));
      }
      s.appendChild(el('text', { x: LABEL_W + plotW / 2, y: axisY + 28, 'text-anchor': 'middle' }, p.xlabel));
      g.addEventListener('mousemove', (e) => {
        const r = e.target;
        if (r.tagName === 'rect' && onHover)
          onHover({ panel: pi, lane: t.lanes.find((l) => l.y === +r.dataset.lane),
                    x0: +r.dataset.x0, x1: +r.dataset.x1, what: r.dataset.what, unit: p.xlabel });
      });
    });
    let ky = t.panels.length * panelH + 16;
    t.keys.forEach((k, i) => {
      const x = (i % 3) * (width / 3) + 8, y = ky + Math.floor(i / 3) * KEY_ROW;
      if (k.style === 0)
        s.appendChild(el('rect', { x, y: y - 10, width: 14, height: 12, fill: k.rgb }));
      else if (k.style === 1)
        s.appendChild(el('rect', { x, y: y - 5, width: 14, height: 2, fill: k.rgb }));
      else if (k.style === 2 || k.style === 3)
        s.appendChild(el('path', { d: `M${x},${y - 9} L${x + 10},${y - 9} L${x + 5},${y - 1} Z`,
                                   fill: k.style === 3 ? '#000' : '#fff', stroke: '#000' }));
      s.appendChild(el('text', { x: x + 20, y }, k.text));
    });
    footer(s, width, h, sum);
    return s;
  }

  /* ---- bars: asymmetry and cores ---- */

  function bars(items, opt) {
    const w = opt.width, h = 360, left = 60, bottom = 90, top = 30;
    const s = svgRoot(w, h, opt.title + ': ' + caption(opt.sum));
    const max = Math.max(opt.ymax || 0, ...items.map((b) => Math.max(b.v, b.mark || 0))) || 1;
    const plotW = w - left - 20, plotH = h - top - bottom;
    const bw = plotW / Math.max(1, items.length);
    const Y = (v) => top + plotH - v / max * plotH;
    s.appendChild(el('text', { x: left, y: 18, 'font-weight': 'bold' }, opt.title));
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4;
      s.appendChild(el('line', { x1: left, x2: left + plotW, y1: Y(v), y2: Y(v), stroke: '#ddd' }));
      s.appendChild(el('text', { x: left - 6, y: Y(v) + 4, 'text-anchor': 'end' }, String(+v.toPrecision(3))));
    }
    items.forEach((b, i) => {
      const x = left + i * bw;
      const r = el('rect', { x: x + bw * 0.15, y: Y(b.v), width: bw * 0.7, height: Y(0) - Y(b.v),
                             fill: opt.colour, stroke: '#000', 'stroke-width': 0.5 });
      r.appendChild(el('title', {}, `${b.label}: ${b.v}${opt.unit}`));
      s.appendChild(r);
      if (b.mark !== undefined)
        s.appendChild(el('line', { x1: x + bw * 0.05, x2: x + bw * 0.95, y1: Y(b.mark), y2: Y(b.mark),
                                   stroke: '#000', 'stroke-width': 2 }));
      if (items.length <= 64)
        s.appendChild(el('text', { x: x + bw / 2, y: Y(0) + 12, 'font-size': 11,
                                   transform: `rotate(45 ${x + bw / 2} ${Y(0) + 12})` }, b.label));
    });
    s.appendChild(el('text', { x: 14, y: top + plotH / 2, transform: `rotate(-90 14 ${top + plotH / 2})`,
                               'text-anchor': 'middle' }, opt.ylabel));
    footer(s, w, h, opt.sum);
    return s;
  }

  function asymmetry(text, sum, width, colour) {
    const items = tsv(text).map((f) => ({ v: +f[1], mark: +f[2], label: label(f[3] || '') }));
    if (!items.length)
      return null;
    return bars(items, { width, sum, colour, unit: ' %', ylabel: "share of its group's work (%)",
                         title: `Thread-load asymmetry (lowest Jain index ${sum ? sum.jain_min : ''}; ` +
                                'black: the equal share)' });
  }

  function cores(text, sum, width, colour) {
    const items = tsv(text).map((f) => ({ v: Math.round(+f[1] * 1000) / 10, label: 'core ' + f[0] }));
    if (!items.length)
      return null;
    return bars(items, { width, sum, colour, unit: ' %', ymax: 100, ylabel: 'busy (%)',
                         title: 'Core utilisation over the run' });
  }

  /* ---- the latency CDF ---- */

  function latency(text, sum, width, colour) {
    const v = tsv(text).map((f) => +f[0] * 1e3).filter((x) => x >= 0).sort((a, b) => a - b);
    if (!v.length)
      return null;
    const w = width, h = 360, left = 60, bottom = 50, top = 30;
    const plotW = w - left - 20, plotH = h - top - bottom;
    const lo = Math.max(1e-4, v[0]), hi = Math.max(lo * 10, v[v.length - 1]);
    const X = (x) => left + (Math.log10(Math.max(x, lo)) - Math.log10(lo)) /
      (Math.log10(hi) - Math.log10(lo)) * plotW;
    const Y = (p) => top + plotH - p * plotH;
    const med = v[Math.floor((v.length - 1) / 2)];
    const title = `Wait after I/O completes until Python runs again (${v.length} operations; ` +
      `median ${+med.toPrecision(3)} ms, max ${+v[v.length - 1].toPrecision(3)} ms)`;
    const s = svgRoot(w, h, title + ': ' + caption(sum));
    s.appendChild(el('text', { x: left, y: 18, 'font-weight': 'bold' }, title));
    let d = `M${X(v[0])},${Y(0)}`;
    v.forEach((x, i) => { d += ` L${X(x)},${Y(i / v.length)} L${X(x)},${Y((i + 1) / v.length)}`; });
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) {
      const x = X(10 ** e);
      s.appendChild(el('line', { x1: x, x2: x, y1: top, y2: top + plotH, stroke: '#ddd' }));
      s.appendChild(el('text', { x, y: top + plotH + 14, 'text-anchor': 'middle' }, String(10 ** e)));
    }
    for (let i = 0; i <= 4; i++)
      s.appendChild(el('text', { x: left - 6, y: Y(i / 4) + 4, 'text-anchor': 'end' }, String(i / 4)));
    s.appendChild(el('path', { d, fill: 'none', stroke: colour, 'stroke-width': 2 }));
    s.appendChild(el('text', { x: left + plotW / 2, y: top + plotH + 32, 'text-anchor': 'middle' },
                     'wait (ms, log scale)'));
    footer(s, w, h, sum);
    return s;
  }

  return { timeline, asymmetry, cores, latency, table, parseTimeline, caption };
})();
