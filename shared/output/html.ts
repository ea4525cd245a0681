/*
 * The pieces of Clearance's self-contained HTML pages (the scan report, the fleet page): one
 * file each, opened offline or from an S3 presigned link, so nothing is loaded from anywhere.
 * Inline CSS only, inline SVG charts, no script, and a Content-Security-Policy that forbids
 * every request (`default-src 'none'`). Every text that reaches the page goes through
 * `escapeHtml`: package names, paths and secret matches come from images, which are untrusted.
 */

/** The page's policy: nothing is fetched, only the inline style and data: images are allowed. */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Text for an element's content or a double-quoted attribute value. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** A whole page: the title (escaped), the policy, the style, and `body` (already HTML). */
export function htmlPage(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
    '',
  ].join('\n');
}

/** One bar of a chart: a label, a value and a CSS colour. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** Layout of the bar charts, in SVG user units. */
const BAR_WIDTH = 56;
const BAR_GAP = 16;
const CHART_HEIGHT = 160;
const LABEL_SPACE = 36;

/**
 * A vertical bar chart as inline SVG, with the values written above the bars and a `<title>`
 * for screen readers; zero bars are drawn as a hairline so the axis reads.
 */
export function barChart(title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = bars.length * (BAR_WIDTH + BAR_GAP) + BAR_GAP;
  const plot = CHART_HEIGHT - LABEL_SPACE;
  const drawn = bars.map((bar, i) => {
    const height = Math.max(1, Math.round((bar.value / max) * (plot - 16)));
    const x = BAR_GAP + i * (BAR_WIDTH + BAR_GAP);
    const y = plot - height;
    const middle = x + BAR_WIDTH / 2;
    return [
      `<rect x="${x}" y="${y}" width="${BAR_WIDTH}" height="${height}" fill="${escapeHtml(bar.color)}"></rect>`,
      `<text x="${middle}" y="${y - 4}" text-anchor="middle" class="v">${escapeHtml(bar.value)}</text>`,
      `<text x="${middle}" y="${plot + 16}" text-anchor="middle" class="l">${escapeHtml(bar.label)}</text>`,
    ].join('');
  });
  return [
    `<svg class="chart" role="img" width="${width}" height="${CHART_HEIGHT}" viewBox="0 0 ${width} ${CHART_HEIGHT}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(title)}</title>`,
    `<line x1="0" y1="${plot}" x2="${width}" y2="${plot}" stroke="#999"></line>`,
    ...drawn,
    '</svg>',
  ].join('');
}

/** One column of a stacked chart: its label and its parts, bottom first. */
export interface Stack {
  readonly label: string;
  readonly parts: readonly Bar[];
}

/** Columns of a stacked chart: each night of a trend. */
const STACK_WIDTH = 28;
const STACK_GAP = 10;

/**
 * Stacked columns as inline SVG (a trend: one column per night, its parts pass/warn/fail), each
 * column's total above it and its label below, and a legend of the parts' names.
 */
export function stackedChart(title: string, stacks: readonly Stack[]): string {
  const max = Math.max(1, ...stacks.map((s) => total(s.parts)));
  const width = Math.max(1, stacks.length) * (STACK_WIDTH + STACK_GAP) + STACK_GAP;
  const plot = CHART_HEIGHT - LABEL_SPACE;
  const columns = stacks.map((stack, i) => {
    const x = BAR_GAP / 2 + i * (STACK_WIDTH + STACK_GAP);
    let y = plot;
    const rects = stack.parts.map((part) => {
      const height = Math.round((part.value / max) * (plot - 16));
      y -= height;
      return `<rect x="${x}" y="${y}" width="${STACK_WIDTH}" height="${height}" fill="${escapeHtml(part.color)}"><title>${escapeHtml(`${stack.label}: ${part.value} ${part.label}`)}</title></rect>`;
    });
    const middle = x + STACK_WIDTH / 2;
    return `${rects.join('')}<text x="${middle}" y="${y - 4}" text-anchor="middle" class="v">${total(stack.parts)}</text><text x="${middle}" y="${plot + 14}" text-anchor="middle" class="l">${escapeHtml(stack.label)}</text>`;
  });
  const legend = (stacks[0]?.parts ?? [])
    .map(
      (p) =>
        `<span class="badge" style="background:${escapeHtml(p.color)}">${escapeHtml(p.label)}</span>`,
    )
    .join(' ');
  return [
    `<svg class="chart" role="img" width="${width}" height="${CHART_HEIGHT}" viewBox="0 0 ${width} ${CHART_HEIGHT}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(title)}</title>`,
    `<line x1="0" y1="${plot}" x2="${width}" y2="${plot}" stroke="#999"></line>`,
    ...columns,
    '</svg>',
    `<p class="meta">${legend}</p>`,
  ].join('');
}

function total(parts: readonly Bar[]): number {
  return parts.reduce((sum, p) => sum + p.value, 0);
}

/** A table: the headers (escaped) and rows of cells that are already HTML. */
export function htmlTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A section with a heading (escaped) and content (HTML); `note` when there is nothing to show. */
export function htmlSection(heading: string, content: string, id?: string): string {
  return `<section${id === undefined ? '' : ` id="${escapeHtml(id)}"`}><h2>${escapeHtml(heading)}</h2>\n${content}\n</section>`;
}

/** A paragraph of plain text, escaped. */
export function note(text: string): string {
  return `<p class="note">${escapeHtml(text)}</p>`;
}

/** A coloured label: a severity or a decision. */
export function badge(text: string, kind: string): string {
  return `<span class="badge ${escapeHtml(kind.toLowerCase())}">${escapeHtml(text)}</span>`;
}

/** The colours of severities and decisions, shared by the badges and the charts. */
export const COLORS: Readonly<Record<string, string>> = {
  critical: '#7b1fa2',
  high: '#c62828',
  medium: '#ef6c00',
  low: '#f9a825',
  unknown: '#757575',
  pass: '#2e7d32',
  warn: '#ef6c00',
  fail: '#c62828',
  error: '#424242',
};

const STYLE = [
  'body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#1b1b1b;background:#fff}',
  'h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}',
  'table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}th{background:#f5f5f5;font-weight:600}',
  'code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}',
  '.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;background:#757575}',
  ...Object.entries(COLORS).map(([kind, color]) => `.badge.${kind}{background:${color}}`),
  '.verdict{padding:12px 16px;border-radius:6px;border-left:8px solid #757575;background:#fafafa;margin:12px 0}',
  ...['pass', 'warn', 'fail'].map((d) => `.verdict.${d}{border-left-color:${COLORS[d]}}`),
  '.verdict .decision{font-size:20px;font-weight:700}',
  '.note{color:#555}.meta{color:#555;font-size:13px}.chart{display:block;margin:8px 0}',
  '.chart .v{font-size:12px;fill:#1b1b1b}.chart .l{font-size:11px;fill:#555}',
  '.kev{color:#b71c1c;font-weight:700}',
].join('\n');
