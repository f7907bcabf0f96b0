//! Chart geometry for the statistics view: axis ticks, bar placement, donut arcs. Pure numbers,
//! no DOM, so that every chart scales the same way and the math is tested once.

export interface Axis {
  /** The axis' top value, a tick, at or above the largest value. */
  max: number;
  step: number;
  /** 0, step, 2·step, …, max. */
  ticks: number[];
}

/**
 * Round axis ticks for values from 0 to `maxValue`: steps of 1, 2, 2.5 or 5 times a power of ten, about
 * `target` of them, whole numbers only (the charts count things).
 */
export function niceAxis(maxValue: number, target = 4): Axis {
  const top = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 1;
  const rough = top / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(
    1,
    [1, 2, 2.5, 5, 10]
      .map((m) => m * power)
      .find((s) => s >= rough && Number.isInteger(s)) ?? 10 * power,
  );
  const max = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(Math.round(t));
  return { max, step, ticks };
}

/** Where `value` lands on an axis `length` long. */
export function scale(value: number, axisMax: number, length: number): number {
  if (!(axisMax > 0) || !(value > 0)) return 0;
  return Math.min(length, (value / axisMax) * length);
}

export interface Bands {
  /** Distance from one bar's start to the next. */
  step: number;
  /** A bar's thickness. */
  bar: number;
  /** Where bar `i` starts. */
  at: (i: number) => number;
}

/**
 * `count` bars spread over `length`, with `gap` (a fraction of each step) between them and bars no
 * thicker than `maxBar`, centered when they are capped.
 */
export function bands(count: number, length: number, gap = 0.25, maxBar = Infinity): Bands {
  if (count <= 0 || length <= 0) return { step: 0, bar: 0, at: () => 0 };
  const step = length / count;
  const bar = Math.max(1, Math.min(maxBar, step * (1 - gap)));
  return { step, bar, at: (i) => i * step + (step - bar) / 2 };
}

/** "950", "1.2k", "12k", "1.5M": short numbers for axis labels. */
export function compact(n: number): string {
  const abs = Math.abs(n);
  const short = (v: number, suffix: string) => `${v < 10 ? Number(v.toFixed(1)) : Math.round(v)}${suffix}`;
  if (abs >= 1e6) return short(n / 1e6, "M");
  if (abs >= 1e3) return short(n / 1e3, "k");
  return String(Math.round(n));
}

/** A label cut to `max` characters with an ellipsis (whole characters, accents kept). */
export function truncate(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, Math.max(1, max - 1)).join("").trimEnd()}…`;
}

export interface Item {
  label: string;
  value: number;
}

/** The `keep` largest items, the rest summed into "Other" (when there is a rest). */
export function topWithOther(items: Item[], keep: number, other = "Other"): Item[] {
  const sorted = [...items].filter((i) => i.value > 0).sort((a, b) => b.value - a.value);
  if (sorted.length <= keep) return sorted;
  const rest = sorted.slice(keep).reduce((sum, i) => sum + i.value, 0);
  return [...sorted.slice(0, keep), { label: other, value: rest }];
}

export interface Slice {
  /** Radians, clockwise from 12 o'clock. */
  start: number;
  end: number;
  fraction: number;
}

/** Donut slices for `values`, in order, filling the circle. */
export function slices(values: number[]): Slice[] {
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  let at = 0;
  return values.map((v) => {
    const fraction = total > 0 ? Math.max(0, v) / total : 0;
    const start = at;
    at += fraction * 2 * Math.PI;
    return { start, end: at, fraction };
  });
}

function point(cx: number, cy: number, r: number, angle: number): string {
  const x = cx + r * Math.sin(angle);
  const y = cy - r * Math.cos(angle);
  return `${round(x)} ${round(y)}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** An SVG path for a ring segment between radii `inner` and `outer`. A full circle is drawn as two halves. */
export function arcPath(cx: number, cy: number, outer: number, inner: number, start: number, end: number): string {
  const sweep = end - start;
  if (sweep <= 0) return "";
  if (sweep >= 2 * Math.PI - 1e-9) {
    const mid = start + Math.PI;
    return `${arcPath(cx, cy, outer, inner, start, mid)} ${arcPath(cx, cy, outer, inner, mid, start + 2 * Math.PI)}`;
  }
  const large = sweep > Math.PI ? 1 : 0;
  return [
    `M ${point(cx, cy, outer, start)}`,
    `A ${outer} ${outer} 0 ${large} 1 ${point(cx, cy, outer, end)}`,
    `L ${point(cx, cy, inner, end)}`,
    `A ${inner} ${inner} 0 ${large} 0 ${point(cx, cy, inner, start)}`,
    "Z",
  ].join(" ");
}

/** "12%", "0.4%", "<0.1%". */
export function percent(fraction: number): string {
  const p = fraction * 100;
  if (p > 0 && p < 0.1) return "<0.1%";
  return p < 10 ? `${Number(p.toFixed(1))}%` : `${Math.round(p)}%`;
}
