// The timeline chart: SVG drawn here, no library. Requests as an area against the left axis;
// blocked, monitored and attack verdicts as lines against the right axis (attacks are usually
// a small fraction of the traffic, so one axis would flatten them).

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round upper bound for an axis and its tick step. */
function niceMax(value) {
  if (value <= 0) return { max: 1, step: 1 };
  const raw = value / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return { max: step * Math.ceil(value / step), step };
}

export function compact(n) {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(abs >= 1e10 ? 0 : 1)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(abs >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(n * 100) / 100);
}

export const SERIES = [
  { key: 'requests', label: 'Requests', className: 'series-requests', axis: 'left' },
  { key: 'blocked', label: 'Blocked', className: 'series-blocked', axis: 'right' },
  { key: 'monitored', label: 'Monitored', className: 'series-monitored', axis: 'right' },
  { key: 'attacks', label: 'Attack verdicts', className: 'series-attacks', axis: 'right' },
];

function label(time, stepS) {
  const d = new Date(time);
  if (stepS >= 86400) return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  if (stepS >= 3600) return `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Draws `timeline` (the JSON of /api/timeline) into `container`, replacing what was there. */
export function drawTimeline(container, timeline) {
  const points = timeline.points || [];
  const width = Math.max(container.clientWidth || 800, 320);
  const height = 240;
  const pad = { left: 52, right: 52, top: 12, bottom: 28 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Timeline of requests and attacks' });

  const left = niceMax(Math.max(0, ...points.map((p) => p.requests)));
  const right = niceMax(Math.max(0, ...points.map((p) => Math.max(p.blocked, p.monitored, p.attacks))));
  const n = Math.max(points.length, 1);
  const x = (i) => pad.left + (n === 1 ? w / 2 : (i * w) / (n - 1));
  const yl = (v) => pad.top + h - (v / left.max) * h;
  const yr = (v) => pad.top + h - (v / right.max) * h;

  const grid = el('g', { class: 'grid' });
  for (let v = 0; v <= left.max + 1e-9; v += left.step) {
    const y = yl(v);
    grid.append(el('line', { x1: pad.left, x2: pad.left + w, y1: y, y2: y }));
    grid.append(el('text', { x: pad.left - 8, y: y + 4, 'text-anchor': 'end', class: 'axis axis-left' }, compact(v)));
  }
  for (let v = 0; v <= right.max + 1e-9; v += right.step) {
    grid.append(el('text', { x: pad.left + w + 8, y: yr(v) + 4, 'text-anchor': 'start', class: 'axis axis-right' }, compact(v)));
  }
  const ticks = Math.min(6, n);
  for (let t = 0; t < ticks; t++) {
    const i = Math.round((t * (n - 1)) / Math.max(ticks - 1, 1));
    if (!points[i]) continue;
    grid.append(el('text', { x: x(i), y: height - 8, 'text-anchor': 'middle', class: 'axis' }, label(points[i].time, timeline.step_s)));
  }
  svg.append(grid);

  if (points.length > 0) {
    const line = (key, y) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join('');
    const area = `${line('requests', yl)}L${x(n - 1).toFixed(1)},${yl(0)}L${x(0).toFixed(1)},${yl(0)}Z`;
    svg.append(el('path', { d: area, class: 'area series-requests' }));
    svg.append(el('path', { d: line('requests', yl), class: 'line series-requests' }));
    for (const s of SERIES.slice(1)) svg.append(el('path', { d: line(s.key, yr), class: `line ${s.className}` }));
  }

  // Hover: a guide line and a tooltip with the bucket's numbers.
  const guide = el('line', { y1: pad.top, y2: pad.top + h, class: 'guide', visibility: 'hidden' });
  svg.append(guide);
  const overlay = el('rect', { x: pad.left, y: pad.top, width: w, height: h, class: 'overlay' });
  svg.append(overlay);
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.hidden = true;
  overlay.addEventListener('mousemove', (event) => {
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * width;
    const i = Math.max(0, Math.min(n - 1, Math.round(((px - pad.left) / w) * (n - 1))));
    const p = points[i];
    if (!p) return;
    guide.setAttribute('x1', x(i));
    guide.setAttribute('x2', x(i));
    guide.setAttribute('visibility', 'visible');
    tip.replaceChildren();
    const head = document.createElement('strong');
    head.textContent = new Date(p.time).toLocaleString();
    tip.append(head);
    for (const s of SERIES) {
      const row = document.createElement('div');
      row.className = s.className;
      row.textContent = `${s.label}: ${p[s.key].toLocaleString()}`;
      tip.append(row);
    }
    tip.hidden = false;
    const left = ((x(i) / width) * box.width);
    tip.style.left = `${Math.min(left + 12, box.width - 180)}px`;
  });
  overlay.addEventListener('mouseleave', () => {
    guide.setAttribute('visibility', 'hidden');
    tip.hidden = true;
  });
  container.replaceChildren(svg, tip);
}
