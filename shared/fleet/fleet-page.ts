import type { ObjectStore } from '../objects';
import {
  COLORS,
  badge,
  barChart,
  escapeHtml,
  htmlPage,
  htmlSection,
  htmlTable,
  note,
  stackedChart,
} from '../output';
import type { ImageTarget } from '../pipeline';
import { fleetKeys } from './items';
import type { FleetSummary } from './summary';

/** Earlier nights the trend shows, at most. */
export const TREND_NIGHTS = 14;

/** The stored summaries of earlier runs, oldest first, and how many could not be read. */
export interface FleetHistory {
  readonly summaries: readonly FleetSummary[];
  readonly unreadable: number;
}

/**
 * Writes `fleet/<runId>/index.html`: the run's page, with the trend over the last nights'
 * stored summaries. History is a nicety: a summary that does not read is counted and left out.
 */
export async function writeFleetPage(store: ObjectStore, summary: FleetSummary): Promise<string> {
  const key = fleetKeys(summary.runId).page;
  const history = await readFleetHistory(store, summary);
  await store.put(key, Buffer.from(fleetHtml(summary, history)));
  return key;
}

/** The last {@link TREND_NIGHTS} summaries stored under `fleet/` before `current`, oldest first. */
export async function readFleetHistory(
  store: ObjectStore,
  current: FleetSummary,
): Promise<FleetHistory> {
  const keys = (await store.list('fleet/')).filter(
    (key) => SUMMARY_KEY.test(key) && key !== fleetKeys(current.runId).summary,
  );
  const summaries: FleetSummary[] = [];
  let unreadable = 0;
  for (const key of keys) {
    const summary = await readSummary(store, key);
    if (summary === undefined) unreadable++;
    else if (summary.generatedAt < current.generatedAt) summaries.push(summary);
  }
  summaries.sort((a, b) => (a.generatedAt < b.generatedAt ? -1 : 1));
  return { summaries: summaries.slice(-TREND_NIGHTS), unreadable };
}

const SUMMARY_KEY = /^fleet\/[^/]+\/summary\.json$/;

async function readSummary(store: ObjectStore, key: string): Promise<FleetSummary | undefined> {
  try {
    const parsed = JSON.parse((await store.get(key))?.toString('utf8') ?? 'null') as unknown;
    const summary = parsed as Partial<FleetSummary> | null;
    const ok =
      typeof summary?.generatedAt === 'string' &&
      typeof summary.runId === 'string' &&
      typeof summary.posture?.images === 'number';
    return ok ? (summary as FleetSummary) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The fleet page: the posture now, the trend over the last nights, the worst images, the
 * CRITICAL/HIGH findings new and fixed tonight, the verdicts that changed, and what was not
 * checked. Self-contained as the scan report is (shared/output/html.ts).
 */
export function fleetHtml(summary: FleetSummary, history: FleetHistory): string {
  const body = [
    `<h1>Clearance fleet: ${escapeHtml(summary.runId)}</h1>`,
    `<p class="meta">Generated ${escapeHtml(summary.generatedAt)}; ${summary.rematched} re-matched against current data, ${summary.scanned} scanned for the first time.</p>`,
    postureSection(summary),
    trendSection(summary, history),
    worstSection(summary),
    findingSection(
      'New critical/high findings',
      summary.newFindings,
      'None new since the images’ last verdicts.',
    ),
    findingSection(
      'Fixed critical/high findings',
      summary.fixedFindings ?? [],
      'None gone since the images’ last verdicts.',
    ),
    changeSection(summary),
    uncheckedSection(summary),
    '<footer class="meta"><p>Written by Clearance’s nightly run. This page loads nothing.</p></footer>',
  ];
  return htmlPage(`Clearance fleet ${summary.runId}`, body.join('\n'));
}

function postureSection({ posture }: FleetSummary): string {
  const bars = [
    { label: 'pass', value: posture.pass, color: COLORS.pass! },
    { label: 'warn', value: posture.warn, color: COLORS.warn! },
    { label: 'fail', value: posture.fail, color: COLORS.fail! },
    {
      label: 'not scanned',
      value: posture.needsScan + posture.scannedWithoutVerdict,
      color: COLORS.unknown!,
    },
    { label: 'failed', value: posture.failed + posture.pending, color: COLORS.error! },
  ];
  return htmlSection(`Posture now: ${posture.images} images`, barChart('Images by verdict', bars));
}

function trendSection(summary: FleetSummary, history: FleetHistory): string {
  const nights = [...history.summaries, summary].map((s) => ({
    label: s.generatedAt.slice(5, 10),
    parts: [
      { label: 'pass', value: s.posture.pass, color: COLORS.pass! },
      { label: 'warn', value: s.posture.warn, color: COLORS.warn! },
      { label: 'fail', value: s.posture.fail, color: COLORS.fail! },
    ],
  }));
  const notes = [
    history.summaries.length === 0
      ? note('No earlier summary is stored: the trend starts with this run.')
      : '',
    history.unreadable > 0
      ? note(`${history.unreadable} stored summaries could not be read and are left out.`)
      : '',
  ];
  return htmlSection(
    `Trend: the last ${nights.length} runs`,
    [stackedChart('Images by verdict, run by run', nights), ...notes].join('\n'),
  );
}

function worstSection(summary: FleetSummary): string {
  if (summary.worst.length === 0)
    return htmlSection('Worst images', note('No image has a CRITICAL or HIGH finding or fails.'));
  const rows = summary.worst.map((o) => [
    imageCell(o.image),
    badge(o.decision, o.decision),
    String(o.counts.critical),
    String(o.counts.high),
    String(o.counts.medium),
  ]);
  return htmlSection(
    'Worst images',
    htmlTable(['Image', 'Verdict', 'Critical', 'High', 'Medium'], rows),
  );
}

function findingSection(
  heading: string,
  findings: NonNullable<FleetSummary['fixedFindings']>,
  none: string,
): string {
  if (findings.length === 0) return htmlSection(heading, note(none));
  const rows = findings.map((f) => [
    `<code>${escapeHtml(f.id)}</code>`,
    f.images.map(imageCell).join('<br>'),
  ]);
  return htmlSection(`${heading} (${findings.length})`, htmlTable(['Finding', 'Images'], rows));
}

function changeSection(summary: FleetSummary): string {
  if (summary.verdictChanges.length === 0)
    return htmlSection('Verdicts that changed', note('None.'));
  const rows = summary.verdictChanges.map((c) => [
    imageCell(c.image),
    `${badge(c.from, c.from)} → ${badge(c.to, c.to)}`,
  ]);
  return htmlSection('Verdicts that changed', htmlTable(['Image', 'Change'], rows));
}

function uncheckedSection({ posture, failures }: FleetSummary): string {
  const counts = note(
    `${posture.needsScan} not scanned yet, ${posture.failed} failed to check, ${posture.pending} not run.`,
  );
  const rows = failures.map((f) => [
    f.image === null ? '(unknown image)' : imageCell(f.image),
    `<code>${escapeHtml(f.error)}</code>`,
    escapeHtml(f.cause.split('\n')[0] ?? ''),
  ]);
  return htmlSection(
    'Not checked',
    [counts, rows.length === 0 ? '' : htmlTable(['Image', 'Error', 'Cause'], rows)].join('\n'),
  );
}

function imageCell(image: ImageTarget): string {
  const name = `${image.repository}${image.tag === undefined ? '' : `:${image.tag}`}`;
  return `<code>${escapeHtml(name)}</code> <span class="meta">${escapeHtml(image.digest.slice(0, 19))}…</span>`;
}
