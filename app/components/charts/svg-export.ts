// Browser-only: turns a drawn recharts <svg> into a standalone SVG document (computed colours and
// fonts inlined, since CSS variables and the page's stylesheet do not travel with the file), with an
// explicit size, a background, a title line, a caption line (range and source) and the legend, and
// draws that SVG onto a canvas at 2x for a PNG. Downloads go through a blob URL.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Presentation properties copied from the computed style onto every element of the copy. */
const STYLE_PROPS = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "text-anchor",
  "dominant-baseline",
  "visibility",
  "display",
] as const;

export interface ChartSvg {
  svg: string;
  width: number;
  height: number;
}

const TRANSPARENT = /^(transparent|rgba\(\s*0,\s*0,\s*0,\s*0\s*\))$/;

/** The first opaque background colour at or above `el` (the panel's), else white or near-black by scheme. */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && !TRANSPARENT.test(bg)) return bg;
  }
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "#0f1419" : "#ffffff";
}

/** The chart's own drawing surface: recharts' main <svg>, not a legend icon. */
export function findChartSvg(root: Element): SVGSVGElement | null {
  return root.querySelector<SVGSVGElement>(".recharts-wrapper > svg.recharts-surface");
}

function inlineStyles(src: Element, dst: Element) {
  const from = [src, ...src.querySelectorAll("*")];
  const to = [dst, ...dst.querySelectorAll("*")];
  for (let i = 0; i < from.length && i < to.length; i++) {
    const cs = getComputedStyle(from[i]);
    const decl: string[] = [];
    for (const p of STYLE_PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) decl.push(`${p}:${v}`);
    }
    const t = to[i];
    t.setAttribute("style", decl.join(";"));
    // Attributes that still say var(--…) would not resolve in a standalone file.
    for (const a of ["fill", "stroke", "stop-color", "color"]) {
      const v = t.getAttribute(a);
      if (v && v.includes("var(")) t.setAttribute(a, cs.getPropertyValue(a === "stop-color" ? "stop-color" : a) || "currentColor");
    }
    t.removeAttribute("tabindex");
    t.removeAttribute("class");
  }
}

interface LegendEntry {
  text: string;
  color: string;
}

function legendOf(root: Element): LegendEntry[] {
  return [...root.querySelectorAll(".recharts-legend-item")].map((item) => {
    const icon = item.querySelector("svg path, svg rect, svg line");
    const ics = icon ? getComputedStyle(icon) : null;
    const usable = (c: string | undefined) => c && c !== "none" && !TRANSPARENT.test(c);
    const color = ics && usable(ics.fill) ? ics.fill : ics && usable(ics.stroke) ? ics.stroke : getComputedStyle(item).color;
    return { text: (item.querySelector(".recharts-legend-item-text")?.textContent ?? item.textContent ?? "").trim(), color };
  });
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  // textContent: the serializer escapes <, & and quotes, so titles from data stay text.
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A standalone SVG of the chart inside `root`: background rect, title, caption, legend, then the
 * chart at its drawn size. Throws when no chart is drawn yet.
 */
export function chartToSvg(root: Element, opts: { title: string; caption?: string }): ChartSvg {
  const chart = findChartSvg(root);
  if (!chart) throw new Error("The chart has not been drawn yet.");
  const box = chart.getBoundingClientRect();
  const w = Math.max(1, Math.round(box.width));
  const h = Math.max(1, Math.round(box.height));
  const pad = 16;
  const css = getComputedStyle(root);
  const fg = css.color || "#17202a";
  const font = css.fontFamily || "system-ui, sans-serif";
  const bg = backgroundOf(root);
  const legend = legendOf(root);

  const width = w + 2 * pad;
  let y = pad + 18;
  const out = el("svg", { xmlns: SVG_NS, version: "1.1", "font-family": font });
  out.appendChild(el("rect", { x: 0, y: 0, width: "100%", height: "100%", fill: bg }));
  out.appendChild(el("text", { x: pad, y, "font-size": 16, "font-weight": 600, fill: fg }, opts.title));
  if (opts.caption) {
    y += 20;
    out.appendChild(el("text", { x: pad, y, "font-size": 12, fill: fg, "fill-opacity": 0.75 }, opts.caption));
  }
  if (legend.length) {
    y += 22;
    let x = pad;
    for (const l of legend) {
      out.appendChild(el("rect", { x, y: y - 10, width: 12, height: 12, fill: l.color }));
      const label = el("text", { x: x + 16, y, "font-size": 12, fill: fg }, l.text);
      out.appendChild(label);
      x += 16 + Math.max(40, l.text.length * 7) + 16;
    }
  }
  y += 12;

  const copy = chart.cloneNode(true) as SVGSVGElement;
  inlineStyles(chart, copy);
  copy.setAttribute("x", String(pad));
  copy.setAttribute("y", String(y));
  copy.setAttribute("width", String(w));
  copy.setAttribute("height", String(h));
  if (!copy.getAttribute("viewBox")) copy.setAttribute("viewBox", `0 0 ${w} ${h}`);
  copy.removeAttribute("style");
  copy.setAttribute("overflow", "visible");
  out.appendChild(copy);

  const height = y + h + pad;
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}`;
  return { svg, width, height };
}

/** PNG of a standalone SVG, drawn at `scale` (2x by default) on a canvas. */
export async function svgToPng(s: ChartSvg, scale = 2): Promise<Blob> {
  const img = new Image();
  img.width = s.width;
  img.height = s.height;
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(s.svg)}`;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(s.width * scale);
  canvas.height = Math.round(s.height * scale);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("This browser cannot draw on a canvas.");
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, s.width, s.height);
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("The PNG could not be made."))), "image/png"),
  );
}

/** Saves a blob under `filename` through a temporary blob URL. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
