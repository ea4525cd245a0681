import type { OsRelease } from './analyzer';

/**
 * End of support by distribution and release (the last date updates are published: LTS/ELTS
 * excluded, maintenance support included). Sources: endoflife.date pages for debian, ubuntu,
 * alpine, rhel, amazon-linux, rocky-linux, almalinux, as of 2026-11.
 */
const END_OF_LIFE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  debian: {
    '9': '2022-06-30',
    '10': '2024-06-30',
    '11': '2026-08-31',
    '12': '2028-06-30',
    '13': '2030-06-30',
  },
  ubuntu: {
    '16.04': '2021-04-30',
    '18.04': '2023-05-31',
    '20.04': '2025-05-31',
    '22.04': '2027-06-01',
    '23.04': '2024-01-25',
    '23.10': '2024-07-11',
    '24.04': '2029-05-31',
    '24.10': '2025-07-10',
    '25.04': '2026-01-15',
    '25.10': '2026-07-09',
    '26.04': '2031-05-31',
  },
  alpine: {
    '3.15': '2023-11-01',
    '3.16': '2024-05-23',
    '3.17': '2024-11-22',
    '3.18': '2025-05-09',
    '3.19': '2025-11-01',
    '3.20': '2026-04-01',
    '3.21': '2026-11-01',
    '3.22': '2027-05-01',
    '3.23': '2027-11-01',
  },
  rhel: { '7': '2024-06-30', '8': '2029-05-31', '9': '2032-05-31', '10': '2035-05-31' },
  amzn: { '2': '2026-06-30', '2023': '2029-06-30' },
  rocky: { '8': '2029-05-31', '9': '2032-05-31', '10': '2035-05-31' },
  almalinux: { '8': '2029-05-01', '9': '2032-05-31', '10': '2035-05-31' },
  centos: { '7': '2024-06-30', '8': '2021-12-31' },
};

/** Rolling distributions: always current, never end-of-life. */
const ROLLING: ReadonlySet<string> = new Set(['wolfi', 'chainguard']);

/** How many dot-separated parts of VERSION_ID name a release. */
const RELEASE_PARTS: Readonly<Record<string, number>> = { ubuntu: 2, alpine: 2 };

/**
 * Whether the distribution release is past its end of support on `today`, and that date.
 * Unknown distributions and releases are `{ eol: false, eolDate: null }`: not known to be dead.
 */
export function endOfLife(os: OsRelease, today: Date): { eol: boolean; eolDate: string | null } {
  if (ROLLING.has(os.id) || os.versionId === undefined) return { eol: false, eolDate: null };
  const release = os.versionId
    .split('.')
    .slice(0, RELEASE_PARTS[os.id] ?? 1)
    .join('.');
  const date = END_OF_LIFE[os.id]?.[release];
  if (date === undefined) return { eol: false, eolDate: null };
  return { eol: today.toISOString().slice(0, 10) > date, eolDate: date };
}
