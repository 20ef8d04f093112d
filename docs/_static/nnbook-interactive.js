/* The book's interactive figures (nnbook.book.interactive): every number was computed
   by the engine when the book was built and sits in the figure's JSON; this script only
   looks values up for the settings chosen and draws them as SVG. No dependency, no
   network. Each figure sets data-* attributes with what it shows (read by the tests). */
(() => {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const BLUE = [0, 114, 178], WHITE = [255, 255, 255], VERMILLION = [213, 94, 0];
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const level = (c) => ALPHABET.indexOf(c) / (ALPHABET.length - 1);
  const SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];

  const el = (tag, attrs, parent, text) => {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.append(node);
    return node;
  };
  const svg = (plot, w, h, cls) => {
    const s = el("svg", { viewBox: `0 0 ${w} ${h}`, class: "nnbook-ifig-svg " + (cls || ""),
      "aria-hidden": "true", focusable: "false" });
    plot.append(s);
    return s;
  };
  const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));
  const score = (t) => `rgb(${(t < 0.5 ? mix(BLUE, WHITE, 2 * t) : mix(WHITE, VERMILLION, 2 * t - 1)).join(",")})`;
  // Numbers as the book writes them: a true minus sign, at most 4 significant digits.
  const fmt = (v, digits = 3) => {
    if (v === null || v === undefined) return "∞";
    const a = Math.abs(v);
    let s = a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(Math.max(digits - 1, 0)).replace("e+", "e")
      : String(Number(v.toPrecision(digits)));
    return s.replace("-", "−");
  };
  const scale = (d0, d1, r0, r1) => (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);

  // Axes: a frame, a few ticks and their labels, the axis titles.
  const axes = (s, box, xs, ys, xt, yt, xlabel, ylabel) => {
    const [x0, y0, x1, y1] = box;
    el("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: "ifig-frame" }, s);
    for (const [v, label] of xt) {
      el("line", { x1: xs(v), x2: xs(v), y1: y1, y2: y1 + 4, class: "ifig-axis" }, s);
      el("text", { x: xs(v), y: y1 + 16, class: "ifig-text", "text-anchor": "middle" }, s, label);
    }
    for (const [v, label] of yt) {
      el("line", { x1: x0 - 4, x2: x0, y1: ys(v), y2: ys(v), class: "ifig-axis" }, s);
      el("text", { x: x0 - 6, y: ys(v) + 4, class: "ifig-text", "text-anchor": "end" }, s, label);
    }
    if (xlabel) el("text", { x: (x0 + x1) / 2, y: y1 + 32, class: "ifig-text", "text-anchor": "middle" }, s, xlabel);
    if (ylabel) el("text", { x: 12, y: (y0 + y1) / 2, class: "ifig-text", "text-anchor": "middle",
      transform: `rotate(-90 12 ${(y0 + y1) / 2})` }, s, ylabel);
  };
  const clip = (s, id, box) => {
    const defs = el("defs", {}, s);
    const c = el("clipPath", { id }, defs);
    el("rect", { x: box[0], y: box[1], width: box[2] - box[0], height: box[3] - box[1] }, c);
    return `url(#${id})`;
  };

  // --- the neuron ----------------------------------------------------------------------
  const neuron = (fig, d, st, plot) => {
    const s = svg(plot, 400, 330, "ifig-square");
    const box = [44, 8, 332, 296], B = d.box;
    const xs = scale(-B, B, box[0], box[2]), ys = scale(-B, B, box[3], box[1]);
    const i = (st.w1 * d.nw + st.w2) * d.nb + st.b, act = d.acts[st.act];
    const stops = d.stops[act][i], e = d.ends[i], [lo, hi] = d.ranges[st.act];
    const defs = el("defs", {}, s);
    const grad = el("linearGradient", { id: fig.id + "-field", gradientUnits: "userSpaceOnUse",
      x1: xs(e[0]), y1: ys(e[1]), x2: xs(e[2]), y2: ys(e[3]) }, defs);
    // The engine's values at evenly spaced stops, and one stop exactly on the line (z = 0):
    // the step jumps there (two stops at one offset), the ReLU bends there.
    let field = [...stops].map((c, k) => [k / (stops.length - 1), level(c)]);
    const t0 = d.cross[i];
    if (t0 !== null) {
      const below = field.filter(([t]) => t < t0), above = field.filter(([t]) => t > t0);
      const on = act === "step" ? [[t0, 0], [t0, 1]] : [[t0, (d.online[act] - lo) / (hi - lo)]];
      field = [...below, ...on, ...above];
    }
    field.forEach(([t, v]) => el("stop", { offset: t, "stop-color": score(v) }, grad));
    // The colour bar of this activation: its range, bottom to top.
    const bar = el("linearGradient", { id: fig.id + "-bar", x1: 0, y1: 1, x2: 0, y2: 0 }, defs);
    [0, 0.5, 1].forEach((v) => el("stop", { offset: v, "stop-color": score(v) }, bar));
    el("rect", { x: 348, y: box[1], width: 12, height: box[3] - box[1], fill: `url(#${fig.id}-bar)` }, s);
    el("rect", { x: 348, y: box[1], width: 12, height: box[3] - box[1], class: "ifig-frame" }, s);
    const bs = scale(lo, hi, box[3], box[1]);
    [lo, (lo + hi) / 2, hi].forEach((v) => {
      el("line", { x1: 360, x2: 364, y1: bs(v), y2: bs(v), class: "ifig-axis" }, s);
      el("text", { x: 366, y: bs(v) + 4, class: "ifig-text" }, s, fmt(v));
    });
    el("text", { x: 354, y: box[3] + 32, class: "ifig-text", "text-anchor": "middle" }, s, "φ(z)");
    el("rect", { x: box[0], y: box[1], width: box[2] - box[0], height: box[3] - box[1], fill: `url(#${fig.id}-field)` }, s);
    const ticks = [-B, 0, B].map((v) => [v, fmt(v)]);
    axes(s, box, xs, ys, ticks, ticks, "x₁", "x₂");
    const line = d.line[i];
    if (line.length) el("line", { x1: xs(line[0]), y1: ys(line[1]), x2: xs(line[2]), y2: ys(line[3]), class: "ifig-boundary" }, s);
    const side = d.side[i];
    d.points.forEach((p, k) => {
      const colour = d.labels[k] ? SERIES[1] : SERIES[0], right = Number(side[k]) === d.labels[k];
      // A black outline under a white rim: the fill shows on a background of its own colour.
      const attrs = { fill: right ? colour : "#fff", stroke: right ? "#fff" : colour, "stroke-width": right ? 2 : 2.5 };
      const rim = { fill: "none", stroke: "#000", "stroke-width": right ? 4.5 : 0 };
      for (const a of [rim, attrs]) {
        if (d.labels[k]) el("rect", { x: xs(p[0]) - 6, y: ys(p[1]) - 6, width: 12, height: 12, ...a }, s);
        else el("circle", { cx: xs(p[0]), cy: ys(p[1]), r: 6.5, ...a }, s);
      }
    });
    const origin = d.origin[act][st.b];
    Object.assign(fig.dataset, { right: d.right[i], origin: origin, line: line.join(" ") });
    return `${act}: output at the origin φ(b) = ${fmt(origin, 4)}; ${d.right[i]} of ${d.points.length} points on their class's side` +
      (line.length ? "." : " (no line crosses the square).");
  };

  // --- the learning rate ---------------------------------------------------------------
  const learningRate = (fig, d, st, plot) => {
    const run = d.runs[st.mu][st.lr], lr = d.rates[st.lr], mu = d.momenta[st.mu], limit = d.limit[st.mu];
    const [wx0, wx1, wy0, wy1] = d.window;
    const a = svg(plot, 340, 296), colour = d.colours[st.lr];
    const box = [48, 8, 332, 210];
    const xs = scale(wx0, wx1, box[0], box[2]), ys = scale(wy0, wy1, box[3], box[1]);
    const url = clip(a, fig.id + "-clip", box);
    const g = el("g", { "clip-path": url }, a);
    for (const [rx, ry] of d.levels)
      el("ellipse", { cx: xs(0), cy: ys(0), rx: xs(rx) - xs(0), ry: ys(0) - ys(ry), class: "ifig-level" }, g);
    const pts = run.x.filter((p) => p[0] !== null && p[1] !== null);
    el("polyline", { points: pts.map((p) => `${xs(p[0])},${ys(p[1])}`).join(" "), class: "ifig-path", style: `stroke: ${colour}` }, g);
    pts.forEach((p) => el("circle", { cx: xs(p[0]), cy: ys(p[1]), r: 2.6, class: "ifig-dot", style: `fill: ${colour}` }, g));
    el("circle", { cx: xs(0), cy: ys(0), r: 4, class: "ifig-minimum" }, g);
    axes(a, box, xs, ys, [[wx0, fmt(wx0)], [0, "0"], [wx1, fmt(wx1)]].map(([v, l]) => [v, l]),
      [[wy0, fmt(wy0)], [0, "0"], [wy1, fmt(wy1)]], "x₁", "x₂");
    // The chapter's colour scale of η (log, 0.01 to 10) under the path, the chosen rate marked.
    const [r0, r1] = d.scale_range, es = (v) => box[0] + (Math.log(v / r0) / Math.log(r1 / r0)) * (box[2] - box[0]);
    const strip = el("linearGradient", { id: fig.id + "-rates", x1: 0, y1: 0, x2: 1, y2: 0 }, el("defs", {}, a));
    d.scale.forEach((c, k) => el("stop", { offset: k / (d.scale.length - 1), "stop-color": c }, strip));
    el("rect", { x: box[0], y: 258, width: box[2] - box[0], height: 10, fill: `url(#${fig.id}-rates)` }, a);
    el("rect", { x: box[0], y: 258, width: box[2] - box[0], height: 10, class: "ifig-frame" }, a);
    for (const v of d.scale_ticks) {
      el("line", { x1: es(v), x2: es(v), y1: 268, y2: 272, class: "ifig-axis" }, a);
      el("text", { x: es(v), y: 284, class: "ifig-text", "text-anchor": "middle" }, a, fmt(v));
    }
    el("path", { d: `M${es(lr)},256 l-5,-7 h10 z`, class: "ifig-minimum" }, a);
    el("text", { x: box[0] - 6, y: 267, class: "ifig-text", "text-anchor": "end" }, a, "η");

    const b = svg(plot, 340, 250);
    const lo = -4, hi = 8, steps = d.steps;
    const ts = scale(0, steps, box[0], box[2]), ls = scale(lo, hi, box[3], box[1]);
    const url2 = clip(b, fig.id + "-clip2", box);
    const g2 = el("g", { "clip-path": url2 }, b);
    const fs = run.f.map((v, t) => [t, v === null ? hi + 10 : Math.log10(Math.max(v, 1e-300))]);
    el("polyline", { points: fs.map(([t, v]) => `${ts(t)},${ls(Math.min(v, hi + 1))}`).join(" "), class: "ifig-path", style: `stroke: ${colour}` }, g2);
    axes(b, box, ts, ls, [0, 10, 20, 30].filter((t) => t <= steps).map((t) => [t, String(t)]),
      [[-4, "10⁻⁴"], [0, "1"], [4, "10⁴"], [8, "10⁸"]], "step", "loss f (log scale)");
    const last = run.f[run.f.length - 1], n = run.f.length - 1;
    const diverged = last === null || n < steps || last > run.f[0];
    Object.assign(fig.dataset, { finalLoss: last === null ? "inf" : last, steps: n, diverged: diverged });
    const where = lr < limit ? `below the limit 2(1 + μ)/λ_max = ${fmt(limit)}` : `at or past the limit 2(1 + μ)/λ_max = ${fmt(limit)}`;
    return diverged
      ? `η = ${fmt(lr)}, μ = ${fmt(mu)} (${where}): the run diverges; ` +
        (n < steps ? `|x| passes 10⁴ at step ${n}, loss ${fmt(last)}.` : `loss ${fmt(last)} after ${n} steps.`)
      : `η = ${fmt(lr)}, μ = ${fmt(mu)} (${where}): loss ${fmt(last)} after ${n} steps.`;
  };

  // --- initialization ------------------------------------------------------------------
  const initialization = (fig, d, st, plot) => {
    const depth = st.depth + 1, a = st.act, sc = st.scheme, gn = st.gain;
    const acts = d.acts[a][sc][gn], arms = d.arms[a][sc][gn], ar = d.arange[a][sc][gn];
    const grads = d.grads[a][sc][gn][depth - 1], grms = d.grms[a][sc][gn][depth - 1], gr = d.grange[a][sc][gn][depth - 1];
    const rowH = 22, top = 22;
    const panel = (title, hists, rms, lo, hi) => {
      const s = svg(plot, 320, top + 10 * rowH + 36);
      el("text", { x: 160, y: 14, class: "ifig-text ifig-title", "text-anchor": "middle" }, s, title);
      const x0 = 60, x1 = 250, bw = (x1 - x0) / d.bins;
      for (let l = 0; l < depth; l++) {
        const y = top + l * rowH;
        el("text", { x: x0 - 6, y: y + rowH - 6, class: "ifig-text", "text-anchor": "end" }, s, `layer ${l + 1}`);
        el("line", { x1: x0, x2: x1, y1: y + rowH - 2, y2: y + rowH - 2, class: "ifig-axis" }, s);
        [...hists[l]].forEach((c, k) => {
          const h = level(c) * (rowH - 4);
          if (h > 0) el("rect", { x: x0 + k * bw + 0.5, y: y + rowH - 2 - h, width: bw - 1, height: h, class: "ifig-bar" }, s);
        });
        el("text", { x: x1 + 6, y: y + rowH - 6, class: "ifig-text" }, s, fmt(rms[l], 2));
      }
      const yb = top + depth * rowH + 14;
      el("text", { x: x0, y: yb, class: "ifig-text", "text-anchor": "middle" }, s, fmt(lo, 2));
      el("text", { x: x1, y: yb, class: "ifig-text", "text-anchor": "middle" }, s, fmt(hi, 2));
      el("text", { x: x1 + 6, y: 14 + 0 * yb, class: "ifig-text" }, s, "");
      s.setAttribute("viewBox", `0 0 320 ${yb + 8}`);
    };
    panel("activations aˡ (RMS right)", acts, arms, ar[0], ar[1]);
    panel("gradients δˡ (RMS right)", grads, grms, -gr, gr);
    Object.assign(fig.dataset, { actRms: arms.slice(0, depth).join(" "), gradRms: grms.join(" ") });
    return `Depth ${depth}: activation RMS ${fmt(arms[0])} in layer 1, ${fmt(arms[depth - 1])} in layer ${depth}; ` +
      `gradient RMS ${fmt(grms[0])} in layer 1, ${fmt(grms[depth - 1])} in layer ${depth}.`;
  };

  // --- losses --------------------------------------------------------------------------
  const loss = (fig, d, st, plot) => {
    const fam = st.family ? d.cls : d.reg;
    const xi = Math.min(st.x, fam.x.length - 1), ti = Math.min(st.target, fam.targets.length - 1);
    const x = fam.x[xi], vals = fam.values[ti], grads = fam.grads[ti];
    // Each loss in the chapter's colour for it (fam.colours), else the series' colours.
    const colour = (k) => (fam.colours || SERIES)[k];
    const panel = (title, curves, lim) => {
      const s = svg(plot, 300, 240);
      const box = [44, 20, 292, 200];
      const xs = scale(fam.x[0], fam.x[fam.x.length - 1], box[0], box[2]), ys = scale(lim[0], lim[1], box[3], box[1]);
      el("text", { x: 168, y: 14, class: "ifig-text ifig-title", "text-anchor": "middle" }, s, title);
      const g = el("g", { "clip-path": clip(s, `${fig.id}-${title.length}`, box) }, s);
      curves.forEach((c, k) => {
        el("polyline", { points: c.map((v, j) => `${xs(fam.x[j])},${ys(v)}`).join(" "), fill: "none",
          stroke: colour(k), "stroke-width": 2, "stroke-dasharray": k % 2 ? "6 3" : "none" }, g);
        el("circle", { cx: xs(x), cy: ys(c[xi]), r: 4.5, fill: colour(k), stroke: "#000" }, g);
      });
      el("line", { x1: xs(x), x2: xs(x), y1: box[1], y2: box[3], class: "ifig-cursor" }, g);
      const x0 = fam.x[0], x1 = fam.x[fam.x.length - 1];
      axes(s, box, xs, ys, [[x0, fmt(x0)], [0, "0"], [x1, fmt(x1)]], [[lim[0], fmt(lim[0])], [0, "0"], [lim[1], fmt(lim[1])]].filter((v, i, a) => a.findIndex((w) => w[0] === v[0]) === i),
        st.family ? "logit z" : "prediction", "");
    };
    panel("loss", vals, fam.ylim);
    panel("derivative", grads, fam.glim);
    let table = fig.querySelector(".nnbook-ifig-table");
    if (!table) {
      table = document.createElement("table");
      table.className = "nnbook-ifig-table";
      plot.after(table);
    }
    const rows = fam.names.map((n, k) => `<tr><th scope="row"><span class="ifig-swatch" style="background:${colour(k)}"></span>${n}</th>` +
      `<td data-loss="${k}">${fmt(vals[k][xi], 4)}</td><td data-grad="${k}">${fmt(grads[k][xi], 4)}</td></tr>`).join("");
    table.innerHTML = `<thead><tr><th scope="col">loss</th><th scope="col">value</th><th scope="col">derivative</th></tr></thead><tbody>${rows}</tbody>`;
    Object.assign(fig.dataset, { x: x, target: fam.targets[ti], values: fam.names.map((n, k) => vals[k][xi]).join(" "),
      grads: fam.names.map((n, k) => grads[k][xi]).join(" ") });
    return `${st.family ? "Logit" : "Prediction"} ${fmt(x)}, target ${fmt(fam.targets[ti])}: ` +
      fam.names.map((n, k) => `${n} ${fmt(vals[k][xi], 4)} (slope ${fmt(grads[k][xi], 4)})`).join("; ") + ".";
  };
  // Switching the family of losses changes the targets and the range of the slider.
  const lossControls = (fig, d, st) => {
    const fam = st.family ? d.cls : d.reg;
    const select = fig.querySelector('[data-control="target"]'), slider = fig.querySelector('[data-control="x"]');
    if (select.options.length !== fam.targets.length) {
      select.innerHTML = fam.targets.map((t, i) => `<option value="${i}">${fmt(t)}</option>`).join("");
      st.target = Math.min(st.target, fam.targets.length - 1);
      if (st.family) st.target = fam.targets.length - 1;
      select.value = String(st.target);
      const old = Number(slider.max);
      slider.max = String(fam.x.length - 1);
      st.x = Math.round((st.x / old) * (fam.x.length - 1));
      slider.value = String(st.x);
      fig.querySelector('label[for="' + slider.id + '"] span').textContent = st.family ? "logit z" : "prediction";
    }
    const x = fam.x[st.x];
    slider.setAttribute("aria-valuetext", fmt(x));
    fig.querySelector('[data-output="x"]').textContent = fmt(x);
  };

  // --- the backward pass ---------------------------------------------------------------
  const chainRule = (fig, d, st, plot) => {
    // Left to right on a wide column; top to bottom on a narrow one (a phone), where
    // eight columns of boxes would shrink the text below 8 px.
    const k = st.step, cols = Math.max(...d.nodes.map((n) => n.col)) + 1, rows = Math.max(...d.nodes.map((n) => n.row)) + 1;
    const tall = plot.clientWidth < 560;
    // The first two gaps (leaves to products to their sum) are wider: their edges are
    // slanted and carry a label each (on a phone the first is wider still: its labels sit
    // side by side, 88 px apart at the leaves; on a wide one it is as long as they are).
    const W = 88, H = 74, bw = 76, bh = 62;
    const gap = (c) => (tall ? [0, 64, 104] : [0, 56, 96])[Math.min(c, 2)];
    // Three significant figures throughout (−0.590 beside −0.393), integers as they are.
    const num = (v) => (Number.isInteger(v) ? String(v) : v.toPrecision(3)).replace("-", "−");
    const s = tall ? svg(plot, rows * W + 8, cols * H + gap(cols) + 8, "ifig-graph ifig-tall")
      : svg(plot, cols * W + gap(cols) + 8, rows * H + 8, "ifig-graph");
    const cx = (n) => 4 + (tall ? n.row * W : n.col * W + gap(n.col)) + W / 2;
    const cy = (n) => 4 + (tall ? n.col * H + gap(n.col) : n.row * H) + H / 2;
    fig.dataset.layout = tall ? "tall" : "wide";
    const grad = {}, sent = {};
    d.steps.slice(0, k).forEach((step) => {
      grad[step.node] = step.grad;
      for (const [p, g] of step.sent) sent[`${p}-${step.node}`] = g;
    });
    const current = k ? d.steps[k - 1].node : -1;
    d.nodes.forEach((n, i) => n.parents.forEach((p) => {
      const a = d.nodes[p];
      const [ax, ay, nx, ny] = tall ? [cx(a), cy(a) + bh / 2, cx(n), cy(n) - bh / 2]
        : [cx(a) + bw / 2, cy(a), cx(n) - bw / 2, cy(n)];
      el("line", { x1: ax, y1: ay, x2: nx, y2: ny, class: "ifig-edge" }, s);
      const g = sent[`${p}-${i}`];
      if (g !== undefined) {
        // Halfway along the edge (on a phone, a steep edge's label sits 22 px below its
        // input, where the edges into one box are still apart); on an edge shorter than its
        // label (between two boxes of the chain), beside it: above a horizontal edge, right
        // of the boxes by a vertical one.
        const t = tall && ny - ay > Math.abs(nx - ax) / 2 ? Math.min(0.5, 22 / (ny - ay)) : 0.5;
        let mx = ax + t * (nx - ax), my = ay + t * (ny - ay), anchor = "middle";
        if (Math.hypot(nx - ax, ny - ay) < 40) {
          if (tall) [mx, my, anchor] = [ax + bw / 2 + 6, (ay + ny) / 2, "start"];
          else [mx, my] = [(ax + nx) / 2, ay - bh / 2 - 4];
        }
        const label = el("text", { x: mx, y: my + 4, class: "ifig-text ifig-sent" + (i === current ? " ifig-now" : ""), "text-anchor": anchor }, s, num(g));
        const w = 9 * label.textContent.length, x0 = anchor === "start" ? mx - 2 : mx - w / 2 - 2;
        s.insertBefore(el("rect", { x: x0, y: my - 9, width: w + 4, height: 17, class: "ifig-edge-label-bg" }), label);
      }
    }));
    d.nodes.forEach((n, i) => {
      const x = cx(n) - bw / 2, y = cy(n) - bh / 2;
      el("rect", { x, y, width: bw, height: bh, rx: n.op ? 14 : 3, class: "ifig-node" + (i === current ? " ifig-current" : "") + (i in grad ? " ifig-done" : "") }, s);
      el("text", { x: cx(n), y: y + 17, class: "ifig-text ifig-strong", "text-anchor": "middle" }, s, n.op ? `${n.name} ${n.op}` : n.name);
      el("text", { x: cx(n), y: y + 36, class: "ifig-text", "text-anchor": "middle" }, s, `= ${num(n.value)}`);
      if (i in grad) el("text", { x: cx(n), y: y + 54, class: "ifig-text ifig-grad", "text-anchor": "middle" }, s, `∂ ${num(grad[i])}`);
    });
    if (!k) {
      Object.assign(fig.dataset, { node: "", grad: "" });
      return `Forward pass done: every box shows its value. Press Next to start the backward pass at the output.`;
    }
    const step = d.steps[k - 1], n = d.nodes[step.node];
    Object.assign(fig.dataset, { node: n.name, grad: step.grad });
    const to = step.sent.map(([p, g]) => `${fmt(g, 4)} to ${d.nodes[p].name}`).join(" and ");
    return `Step ${k} of ${d.steps.length}: ${n.name} has its gradient ${fmt(step.grad, 4)}` +
      (to ? `; its backward sends ${to}.` : " (a leaf: it keeps it).");
  };

  const DRAW = { neuron, "learning-rate": learningRate, initialization, loss, "chain-rule": chainRule };

  const setup = (fig) => {
    const draw = DRAW[fig.dataset.kind];
    const source = fig.querySelector("script.nnbook-ifig-data");
    if (!draw || !source) return;
    const d = JSON.parse(source.textContent);
    const plot = fig.querySelector(".nnbook-ifig-plot"), readout = fig.querySelector(".nnbook-ifig-readout");
    const inputs = [...fig.querySelectorAll("[data-control]")];
    const st = {};
    // On paper, the still frame: the default settings, or those of data-print-state.
    const paper = window.matchMedia("print");
    const printed = JSON.parse(fig.dataset.printState || "{}");
    const render = () => {
      for (const input of inputs) st[input.dataset.control] = Number(input.value);
      if (paper.matches) Object.assign(st, printed);
      if (fig.dataset.kind === "loss") lossControls(fig, d, st);
      for (const input of inputs) {
        if (input.type !== "range" || (fig.dataset.kind === "loss" && input.dataset.control === "x")) continue;
        const out = fig.querySelector(`[data-output="${input.dataset.control}"]`);
        const values = JSON.parse(input.dataset.values || "null");
        if (values) {
          out.textContent = values[input.value];
          input.setAttribute("aria-valuetext", values[input.value]);
        }
      }
      plot.replaceChildren();
      readout.textContent = draw(fig, d, st, plot);
      fig.dataset.ready = "true";
    };
    for (const input of inputs) input.addEventListener("input", render);
    for (const button of fig.querySelectorAll("button[data-step]")) {
      button.addEventListener("click", () => {
        const input = fig.querySelector(`#${button.getAttribute("aria-controls")}`);
        input.value = String(Math.min(Number(input.max), Math.max(0, Number(input.value) + Number(button.dataset.step))));
        render();
      });
    }
    render();
    if (Object.keys(printed).length) paper.addEventListener("change", render);
    if (fig.dataset.kind === "chain-rule" && window.ResizeObserver) {
      let wide = plot.clientWidth >= 560;
      new ResizeObserver(() => {
        if ((plot.clientWidth >= 560) !== wide) {
          wide = !wide;
          render();
        }
      }).observe(plot);
    }
  };

  const start = () => document.querySelectorAll("figure.nnbook-interactive").forEach(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
