/**
 * Exports: charts as SVG and PNG (the SVG drawn onto a canvas), results as CSV (every
 * time series, one row per window) and JSON (the full report, as the CLI's --json), and
 * downloads. The CSV holds the engine's numbers exactly as the report does.
 */
import type { Series } from '../sim/client.ts';

/** A file-name-safe version of a scenario or chart name. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'archsim';
}

/**
 * The series as CSV: a `t_seconds` column (end of each window), then one column per
 * series named by its place in the report: end to end, each client's own requests
 * ("clients.users.latencyMs.p99"), each node ("nodes.api.utilization") and each edge
 * ("edges.lb->api.sentPerSec"). Missing values are empty cells.
 */
export function seriesToCsv(series: Series): string {
  const cols: Array<{ name: string; values: ReadonlyArray<unknown> }> = [{ name: 't_seconds', values: series.t }];
  const walk = (x: unknown, name: string) => {
    if (Array.isArray(x)) cols.push({ name, values: x });
    else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, name ? `${name}.${k}` : k);
  };
  walk(series.endToEnd, 'endToEnd');
  walk(series.clients, 'clients');
  walk(series.nodes, 'nodes');
  walk(series.edges, 'edges');
  const cell = (v: unknown) => (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v));
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [cols.map((c) => quote(c.name)).join(',')];
  for (let i = 0; i < series.t.length; i++) lines.push(cols.map((c) => cell(c.values[i])).join(','));
  return lines.join('\n') + '\n';
}

/** The SVG element as a standalone SVG document. */
export function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(svg.clientWidth || svg.width.baseVal.value));
  clone.setAttribute('height', String(svg.clientHeight || svg.height.baseVal.value));
  clone.querySelectorAll('[data-export="skip"]').forEach((n) => n.remove());
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** Renders SVG text to a PNG blob at `scale` times its size. */
export function svgToPng(text: string, width: number, height: number, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) {
        URL.revokeObjectURL(url);
        reject(new Error('no 2D canvas available'));
        return;
      }
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png');
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the chart could not be drawn as an image'));
    };
    img.src = url;
  });
}

/** Saves a blob or text as a file. */
export function download(name: string, data: Blob | string, mime = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type: mime }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
