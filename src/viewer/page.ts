// The graph viewer's page code (browser only; bundled with dagre into dist/web/viewer.js, which `tsnn view` inlines
// into its HTML and pages load as a script): draws a GraphView as SVG with pan, zoom, search and node details.
//
// Large graphs: dagre's layered layout grows much faster than linearly with the graph, so the nodes (in the order the
// graph was built, which keeps a layer's nodes together) are cut into parts of about `partSize` nodes where the
// fewest values cross, each part is laid out by dagre on its own, and the parts are stacked top to bottom, drawn as
// each is laid out. A value from an earlier part enters a part as a port node naming its producer (click: go there).
// Parts can be collapsed to their header.
import dagre from '@dagrejs/dagre';
import type { GraphView, ViewConstant, ViewEdge, ViewNode } from './model.js';

export interface ViewerOptions {
  /** About how many nodes one part (laid out on its own) holds; default 120. */
  partSize?: number;
}

export interface Viewer {
  /** Resolves when every part is laid out and drawn. */
  readonly done: Promise<void>;
  /** Ids of the nodes whose operator or name contains `query` (case-insensitive), or `#id`. */
  find(query: string): number[];
  /** Centers the view on a node (laying out and expanding its part first). */
  focus(id: number): void;
  /** Nodes drawn so far (graph nodes, not ports). */
  readonly drawn: number;
  readonly parts: number;
}

const SVG = 'http://www.w3.org/2000/svg';
const FONT = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const SMALL_FONT = '10px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const LINE = 15;
const PAD = 7;
const MAX_TEXT = 300;
const MAX_CONSTANTS = 4;
const HEADER = 26;
const PART_GAP = 30;

const STYLE = `
.tv-root{position:relative;display:flex;flex-direction:column;height:100%;min-height:300px;font:13px system-ui,sans-serif;color:#1d2430;background:#f7f8fa}
.tv-bar{display:flex;gap:8px;align-items:center;padding:6px 10px;border-bottom:1px solid #d6dae1;background:#fff;flex-wrap:wrap}
.tv-title{font-weight:600}.tv-stats{color:#5b6574}.tv-legend{color:#b35c00}
.tv-bar input{font:inherit;padding:3px 6px;width:220px}.tv-bar button{font:inherit;padding:2px 8px;cursor:pointer}
.tv-status{color:#5b6574;min-width:90px}
.tv-canvas{flex:1;width:100%;cursor:grab;touch-action:none;user-select:none}.tv-canvas.tv-drag{cursor:grabbing}
.tv-node rect{fill:#fff;stroke:#8792a2;stroke-width:1}.tv-node{cursor:pointer}
.tv-node text{font:${FONT};fill:#1d2430}.tv-node .tv-op{font-weight:700}.tv-node .tv-name{fill:#4a5566}
.tv-node .tv-const{fill:#6b4fa3}.tv-node.tv-input rect{fill:#e6f4ea;stroke:#3c8c56}.tv-node.tv-output rect{fill:#fdeaea;stroke:#b84a4a}
.tv-node.tv-port rect{fill:#f0f2f5;stroke:#a3abb8;stroke-dasharray:4 3}.tv-node.tv-port text{fill:#5b6574}
.tv-node.tv-match rect{stroke:#e0a100;stroke-width:3}.tv-node.tv-focus rect{stroke:#d23f00;stroke-width:4}
.tv-edge{fill:none;stroke:#7d8796;stroke-width:1.2}.tv-edge.tv-dyn{stroke:#c26a00}
.tv-elabel{font:${SMALL_FONT};fill:#4a5566}.tv-elabel.tv-dyn{fill:#b35c00;font-weight:700}
.tv-elbg{fill:#f7f8fa;opacity:.85}
.tv-part-head{cursor:pointer}.tv-part-head rect{fill:#e9ecf1;stroke:#c9ced6}.tv-part-head text{font:12px system-ui,sans-serif;fill:#3a4350}
.tv-details{position:absolute;right:8px;top:46px;width:320px;max-height:70%;overflow:auto;background:#fff;border:1px solid #c9ced6;
 box-shadow:0 2px 8px rgba(0,0,0,.15);padding:8px 10px;font:12px ui-monospace,monospace;display:none}
.tv-details h3{margin:0 0 6px;font:600 14px system-ui,sans-serif}.tv-details ul{margin:2px 0 8px;padding-left:16px}
.tv-details .tv-close{float:right;cursor:pointer;border:none;background:none;font-size:16px}
`;

interface Box { width: number; height: number; lines: { text: string; cls: string }[] }
interface Part {
  index: number;
  nodes: number[];
  /** Sources in earlier parts whose values this part uses. */
  ports: number[];
  laidOut: boolean;
  collapsed: boolean;
  width: number;
  height: number;
  group?: SVGGElement;
  body?: SVGGElement;
  /** Node id → center within the part (graph nodes only). */
  centers: Map<number, { x: number; y: number }>;
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function html<K extends keyof HTMLElementTagNameMap>(name: K, cls: string, parent?: Element, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(name);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  parent?.appendChild(e);
  return e;
}

/** Text width in the page's fonts (canvas measurement), with a fixed-width estimate where there is no canvas. */
function measurer(): (text: string, small?: boolean) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (t, small) => t.length * (small ? 6 : 7.3);
  const cache = new Map<string, number>();
  return (text, small) => {
    const key = (small ? 's' : 'n') + text;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = small ? SMALL_FONT : FONT;
      w = ctx.measureText(text).width;
      cache.set(key, w);
    }
    return w;
  };
}

function constText(c: ViewConstant): string {
  return `${c.arg ? `${c.arg} ` : ''}${c.type}${c.value !== undefined ? ` = ${c.value}` : ''}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The node order parts are cut from: operators in build order, each graph input just before its first user and each
 * graph output just after its producer, so that cutting keeps them beside the nodes they connect to.
 */
function sequence(view: GraphView): number[] {
  const users = new Map<number, number[]>();
  const producerOf = new Map<number, number>();
  for (const e of view.edges) {
    users.set(e.to, [...(users.get(e.to) ?? []), e.from]);
    if (view.nodes[e.to]!.kind === 'output') producerOf.set(e.to, e.from);
  }
  const outputsAfter = new Map<number, number[]>();
  for (const [out, from] of producerOf) outputsAfter.set(from, [...(outputsAfter.get(from) ?? []), out]);
  const placed = new Set<number>();
  const seq: number[] = [];
  const put = (id: number) => {
    if (!placed.has(id)) {
      placed.add(id);
      seq.push(id);
    }
  };
  for (const n of view.nodes) {
    if (n.kind !== 'op') continue;
    for (const from of users.get(n.id) ?? []) if (view.nodes[from]!.kind === 'input') put(from);
    put(n.id);
    for (const out of outputsAfter.get(n.id) ?? []) put(out);
  }
  for (const n of view.nodes) put(n.id); // unused inputs, outputs of inputs (none in WebNN): at the end
  return seq;
}

/** Cuts the sequence into parts of about `size` nodes, each cut where the fewest edges cross it. */
function cut(view: GraphView, seq: number[], size: number): number[][] {
  const pos = new Map(seq.map((id, i) => [id, i]));
  const crossing = new Int32Array(seq.length + 1);
  for (const e of view.edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    if (a < b) {
      crossing[a + 1]! += 1;
      crossing[b + 1]! -= 1;
    }
  }
  for (let i = 1; i <= seq.length; i++) crossing[i]! += crossing[i - 1]!;
  const parts: number[][] = [];
  let start = 0;
  while (start < seq.length) {
    if (seq.length - start <= Math.ceil(size * 1.4)) {
      parts.push(seq.slice(start));
      break;
    }
    let best = start + size;
    for (let k = start + Math.floor(size * 0.6); k <= start + Math.ceil(size * 1.4); k++) {
      if (crossing[k]! < crossing[best]! || (crossing[k] === crossing[best] && Math.abs(k - start - size) < Math.abs(best - start - size))) best = k;
    }
    parts.push(seq.slice(start, best));
    start = best;
  }
  return parts;
}

export function render(container: HTMLElement, view: GraphView, options: ViewerOptions = {}): Viewer {
  if (!document.getElementById('tv-style')) {
    const style = document.createElement('style');
    style.id = 'tv-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
  container.textContent = '';
  const measure = measurer();
  const root = html('div', 'tv-root', container);
  const bar = html('div', 'tv-bar', root);
  html('span', 'tv-title', bar, view.name);
  const mb = (view.stats.constantBytes / 1e6).toFixed(view.stats.constantBytes >= 1e7 ? 0 : 2);
  html('span', 'tv-stats', bar, `${view.stats.operators} operators · ${view.stats.constants} constants (${mb} MB)`);
  html('span', 'tv-legend', bar, 'orange: dynamic dimensions');
  const search = html('input', '', bar);
  search.type = 'search';
  search.placeholder = 'find operator or name (Enter: next)';
  const found = html('span', 'tv-status', bar, '');
  const prevBtn = html('button', '', bar, '▲');
  const nextBtn = html('button', '', bar, '▼');
  const fitBtn = html('button', '', bar, 'fit');
  const outBtn = html('button', '', bar, '−');
  const inBtn = html('button', '', bar, '+');
  const progress = html('span', 'tv-status', bar, '');
  const svg = el('svg', { class: 'tv-canvas' });
  root.appendChild(svg);
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'tv-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#7d8796' }, marker);
  const world = el('g', {}, svg);
  const details = html('div', 'tv-details', root);

  // ---- nodes' boxes ------------------------------------------------------------------------------------------------
  const maxChars = (w: number) => Math.max(8, Math.floor(w / 7.3));
  const boxes = new Map<number, Box>();
  const boxOf = (n: ViewNode): Box => {
    let b = boxes.get(n.id);
    if (b) return b;
    const lines: Box['lines'] = [];
    if (n.kind === 'op') {
      lines.push({ text: n.op, cls: 'tv-op' });
      if (n.name) lines.push({ text: clip(n.name, maxChars(MAX_TEXT)), cls: 'tv-name' });
    } else {
      lines.push({ text: clip(n.name, maxChars(MAX_TEXT)), cls: 'tv-op' });
      lines.push({ text: n.kind, cls: 'tv-name' });
    }
    for (const c of n.constants.slice(0, MAX_CONSTANTS)) lines.push({ text: clip(`◆ ${constText(c)}`, maxChars(MAX_TEXT)), cls: 'tv-const' });
    if (n.constants.length > MAX_CONSTANTS) lines.push({ text: `◆ +${n.constants.length - MAX_CONSTANTS} more constants`, cls: 'tv-const' });
    const width = Math.min(MAX_TEXT, Math.max(60, ...lines.map((l) => measure(l.text)))) + 2 * PAD;
    b = { width, height: lines.length * LINE + 2 * PAD - 3, lines };
    boxes.set(n.id, b);
    return b;
  };
  const portText = (n: ViewNode) => `↑ ${clip(n.kind === 'op' ? `${n.op}${n.name ? ` ${n.name}` : ''}` : n.name, 40)} #${n.id}`;

  // ---- parts ---------------------------------------------------------------------------------------------------------
  const size = Math.max(10, Math.floor(options.partSize ?? 120));
  const partOf = new Map<number, number>();
  const parts: Part[] = cut(view, sequence(view), size).map((nodes, index) => {
    nodes.forEach((id) => partOf.set(id, index));
    return { index, nodes, ports: [], laidOut: false, collapsed: false, width: 0, height: HEADER, centers: new Map() };
  });
  const inEdges = new Map<number, ViewEdge[]>();
  const outEdges = new Map<number, ViewEdge[]>();
  for (const e of view.edges) {
    inEdges.set(e.to, [...(inEdges.get(e.to) ?? []), e]);
    outEdges.set(e.from, [...(outEdges.get(e.from) ?? []), e]);
  }
  for (const p of parts) {
    const ports = new Set<number>();
    for (const id of p.nodes) for (const e of inEdges.get(id) ?? []) if (partOf.get(e.from)! !== p.index) ports.add(e.from);
    p.ports = [...ports];
  }

  const matches = new Set<number>();
  let focused: number | undefined;
  const nodeEls = new Map<number, SVGGElement>();
  let drawn = 0;

  const drawNode = (parent: SVGGElement, id: number, box: Box, x: number, y: number, cls: string, target: number) => {
    const g = el('g', { class: `tv-node ${cls}`, transform: `translate(${x - box.width / 2},${y - box.height / 2})`, 'data-id': target }, parent);
    el('rect', { width: box.width, height: box.height, rx: 5 }, g);
    box.lines.forEach((l, i) => {
      const t = el('text', { x: PAD, y: PAD + 10 + i * LINE, class: l.cls }, g);
      t.textContent = l.text;
    });
    if (cls.includes('tv-port')) {
      g.addEventListener('click', (ev) => {
        if (!moved) focus(target);
        ev.stopPropagation();
      });
    } else {
      nodeEls.set(id, g);
      const n = view.nodes[id]!;
      el('title', {}, g).textContent = [n.kind === 'op' ? n.op : n.kind, n.name, ...n.attrs].filter(Boolean).join('\n');
      if (matches.has(id)) g.classList.add('tv-match');
      if (focused === id) g.classList.add('tv-focus');
      g.addEventListener('click', (ev) => {
        if (!moved) showDetails(id);
        ev.stopPropagation();
      });
    }
  };

  const layoutPart = (p: Part) => {
    if (p.laidOut) return;
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 24, edgesep: 8, marginx: 12, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const id of p.nodes) {
      const b = boxOf(view.nodes[id]!);
      g.setNode(`n${id}`, { width: b.width, height: b.height });
    }
    const portBoxes = new Map<number, Box>();
    for (const id of p.ports) {
      const text = portText(view.nodes[id]!);
      const b: Box = { width: measure(text) + 2 * PAD, height: LINE + 2 * PAD - 3, lines: [{ text, cls: '' }] };
      portBoxes.set(id, b);
      g.setNode(`p${id}`, { width: b.width, height: b.height });
    }
    let k = 0;
    const edgeData: ViewEdge[] = [];
    for (const id of p.nodes) {
      for (const e of inEdges.get(id) ?? []) {
        const from = partOf.get(e.from) === p.index ? `n${e.from}` : `p${e.from}`;
        g.setEdge(from, `n${id}`, { width: measure(e.label, true) + 4, height: 12, labelpos: 'c' }, String(k++));
        edgeData.push(e);
      }
    }
    dagre.layout(g);
    const graph = g.graph();
    p.width = graph.width ?? 0;
    p.height = (graph.height ?? 0) + HEADER;
    // Draw.
    const group = el('g', { class: 'tv-part' }, world);
    const head = el('g', { class: 'tv-part-head' }, group);
    const ops = new Map<string, number>();
    for (const id of p.nodes) if (view.nodes[id]!.kind === 'op') ops.set(view.nodes[id]!.op, (ops.get(view.nodes[id]!.op) ?? 0) + 1);
    const summary = [...ops].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([op, c]) => `${op} ×${c}`).join(', ');
    const headText = `▾ part ${p.index + 1} of ${parts.length} · ${p.nodes.length} nodes · ${summary}`;
    // Centered over the part, as the part is centered on the graph's axis.
    const headWidth = measure(headText) + 20;
    head.setAttribute('transform', `translate(${(p.width - headWidth) / 2},0)`);
    el('rect', { x: 0, y: 0, width: headWidth, height: HEADER - 6, rx: 4 }, head);
    const ht = el('text', { x: 8, y: 14 }, head);
    ht.textContent = headText;
    head.addEventListener('click', (ev) => {
      if (moved) return;
      p.collapsed = !p.collapsed;
      p.body!.style.display = p.collapsed ? 'none' : '';
      ht.textContent = (p.collapsed ? '▸' : '▾') + headText.slice(1);
      restack();
      ev.stopPropagation();
    });
    const body = el('g', { transform: `translate(0,${HEADER})` }, group);
    p.group = group;
    p.body = body;
    const edgeLayer = el('g', {}, body);
    g.edges().forEach((ref: { v: string; w: string; name?: string }) => {
      const le = g.edge(ref) as { points: { x: number; y: number }[]; x: number; y: number; width: number };
      const e = edgeData[Number(ref.name)]!;
      const pts = le.points;
      let d = `M${pts[0]!.x},${pts[0]!.y}`;
      for (let i = 1; i < pts.length - 1; i++) {
        const mx = (pts[i]!.x + pts[i + 1]!.x) / 2;
        const my = (pts[i]!.y + pts[i + 1]!.y) / 2;
        d += ` Q${pts[i]!.x},${pts[i]!.y} ${i === pts.length - 2 ? `${pts[i + 1]!.x},${pts[i + 1]!.y}` : `${mx},${my}`}`;
      }
      if (pts.length === 2) d += ` L${pts[1]!.x},${pts[1]!.y}`;
      el('path', { d, class: `tv-edge${e.dynamic ? ' tv-dyn' : ''}`, 'marker-end': 'url(#tv-arrow)' }, edgeLayer);
      el('rect', { x: le.x - le.width / 2, y: le.y - 6, width: le.width, height: 12, class: 'tv-elbg' }, edgeLayer);
      const t = el('text', { x: le.x, y: le.y + 3.5, 'text-anchor': 'middle', class: `tv-elabel${e.dynamic ? ' tv-dyn' : ''}` }, edgeLayer);
      t.textContent = e.label;
    });
    for (const id of p.ports) {
      const pos = g.node(`p${id}`);
      drawNode(body, id, portBoxes.get(id)!, pos.x, pos.y, 'tv-port', id);
    }
    for (const id of p.nodes) {
      const pos = g.node(`n${id}`);
      const n = view.nodes[id]!;
      p.centers.set(id, { x: pos.x, y: pos.y });
      drawNode(body, id, boxOf(n), pos.x, pos.y, n.kind === 'op' ? '' : `tv-${n.kind}`, id);
      drawn++;
    }
    p.laidOut = true;
    restack();
  };

  /** Part p's top-left corner in world coordinates (parts are centered on x = 0, stacked in order). */
  const offsets = new Map<number, { x: number; y: number }>();
  const restack = () => {
    let y = 0;
    for (const p of parts) {
      if (!p.laidOut) break;
      const o = { x: -p.width / 2, y };
      offsets.set(p.index, o);
      p.group!.setAttribute('transform', `translate(${o.x},${o.y})`);
      y += (p.collapsed ? HEADER : p.height) + PART_GAP;
    }
  };

  // ---- pan and zoom --------------------------------------------------------------------------------------------------
  let tx = 0;
  let ty = 0;
  let k = 1;
  const apply = () => world.setAttribute('transform', `translate(${tx},${ty}) scale(${k})`);
  const viewport = () => ({ w: svg.clientWidth || 800, h: svg.clientHeight || 600 });
  const zoomAt = (factor: number, cx: number, cy: number) => {
    const nk = Math.min(4, Math.max(0.01, k * factor));
    tx = cx - ((cx - tx) * nk) / k;
    ty = cy - ((cy - ty) * nk) / k;
    k = nk;
    apply();
  };
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  let drag: { x: number; y: number; tx: number; ty: number } | undefined;
  let moved = false;
  svg.addEventListener('pointerdown', (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, tx, ty };
    moved = false;
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!moved && Math.hypot(dx, dy) < 4) return;
    if (!moved) {
      moved = true;
      svg.setPointerCapture(ev.pointerId);
      svg.classList.add('tv-drag');
    }
    tx = drag.tx + dx;
    ty = drag.ty + dy;
    apply();
  });
  const endDrag = () => {
    drag = undefined;
    svg.classList.remove('tv-drag');
    setTimeout(() => (moved = false), 0);
  };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  svg.addEventListener('click', () => (details.style.display = 'none'));
  inBtn.onclick = () => zoomAt(1.25, viewport().w / 2, viewport().h / 2);
  outBtn.onclick = () => zoomAt(0.8, viewport().w / 2, viewport().h / 2);
  const fit = () => {
    let w = 1;
    let h = 1;
    for (const p of parts) {
      if (!p.laidOut) break;
      w = Math.max(w, p.width);
      h = offsets.get(p.index)!.y + (p.collapsed ? HEADER : p.height);
    }
    const { w: vw, h: vh } = viewport();
    k = Math.min(2, Math.max(0.01, Math.min((vw - 20) / w, (vh - 20) / h)));
    tx = vw / 2;
    ty = Math.max(10, (vh - h * k) / 2);
    apply();
  };
  fitBtn.onclick = fit;

  // ---- search, focus and details -------------------------------------------------------------------------------------
  const find = (query: string): number[] => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const byId = /^#(\d+)$/.exec(q);
    if (byId) return view.nodes[Number(byId[1])] ? [Number(byId[1])] : [];
    return view.nodes.filter((n) => n.op.toLowerCase().includes(q) || n.name.toLowerCase().includes(q)).map((n) => n.id);
  };
  const focus = (id: number) => {
    const p = parts[partOf.get(id) ?? -1];
    if (!p) return;
    for (const q of parts.slice(0, p.index + 1)) layoutPart(q);
    if (p.collapsed) {
      p.collapsed = false;
      p.body!.style.display = '';
      restack();
    }
    if (focused !== undefined) nodeEls.get(focused)?.classList.remove('tv-focus');
    focused = id;
    nodeEls.get(id)?.classList.add('tv-focus');
    const o = offsets.get(p.index)!;
    const c = p.centers.get(id)!;
    const { w, h } = viewport();
    k = Math.max(k, 0.7);
    tx = w / 2 - (o.x + c.x) * k;
    ty = h / 2 - (o.y + HEADER + c.y) * k;
    apply();
  };
  let results: number[] = [];
  let at = -1;
  const runSearch = () => {
    for (const id of matches) nodeEls.get(id)?.classList.remove('tv-match');
    matches.clear();
    results = find(search.value);
    at = -1;
    for (const id of results) {
      matches.add(id);
      nodeEls.get(id)?.classList.add('tv-match');
    }
    found.textContent = search.value.trim() ? `${results.length} found` : '';
  };
  const step = (by: number) => {
    if (!results.length) return;
    at = (at + by + results.length) % results.length;
    found.textContent = `${at + 1} of ${results.length}`;
    focus(results[at]!);
  };
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') step(ev.shiftKey ? -1 : 1);
  });
  nextBtn.onclick = () => step(1);
  prevBtn.onclick = () => step(-1);

  const showDetails = (id: number) => {
    const n = view.nodes[id]!;
    details.textContent = '';
    const close = html('button', 'tv-close', details, '×');
    close.onclick = () => (details.style.display = 'none');
    html('h3', '', details, `${n.kind === 'op' ? n.op : n.kind} #${id}`);
    if (n.name) html('div', '', details, n.name);
    const list = (title: string, items: string[]) => {
      if (!items.length) return;
      html('div', '', details, title);
      const ul = html('ul', '', details);
      for (const i of items) html('li', '', ul, i);
    };
    const nameOf = (m: ViewNode) => `${m.kind === 'op' ? m.op : m.kind}${m.name ? ` ${m.name}` : ''} #${m.id}`;
    list('inputs', (inEdges.get(id) ?? []).map((e) => `${e.label} ← ${nameOf(view.nodes[e.from]!)}`));
    list('constants', n.constants.map((c) => `${constText(c)} (${c.bytes} bytes)`));
    list('attributes', n.attrs);
    list('used by', (outEdges.get(id) ?? []).map((e) => `${e.label} → ${nameOf(view.nodes[e.to]!)}`));
    details.style.display = 'block';
  };

  // ---- lay out part by part, drawing each as it is done ----------------------------------------------------------------
  container.dataset.nodes = String(view.nodes.length);
  container.dataset.parts = String(parts.length);
  const done = new Promise<void>((resolve) => {
    let i = 0;
    const next = () => {
      if (i < parts.length) {
        progress.textContent = parts.length > 1 ? `laying out part ${i + 1} of ${parts.length}` : 'laying out';
        layoutPart(parts[i]!);
        container.dataset.drawn = String(drawn);
        if (i === 0) {
          // The whole graph where it fits at a readable scale, else the top of the first part at full size (a large
          // graph fitted whole would be specks).
          if (parts.length === 1) fit();
          if (parts.length > 1 || k < 0.6) {
            // Centered on the topmost node, where the graph starts.
            const top = [...parts[0]!.centers.values()].reduce((a, c) => (c.y < a.y ? c : a));
            k = 1;
            tx = viewport().w / 2 - (offsets.get(0)!.x + top.x);
            ty = 10;
            apply();
          }
        }
        i++;
        setTimeout(next, 0);
      } else {
        progress.textContent = `${drawn} nodes in ${parts.length} part${parts.length === 1 ? '' : 's'}`;
        container.dataset.drawn = String(drawn);
        container.dataset.done = 'true';
        resolve();
      }
    };
    next();
  });
  return {
    done, find, focus,
    get drawn() { return drawn; },
    get parts() { return parts.length; },
  };
}
