import type { OsRelease } from './analyzer';

/** Release → last day of support (YYYY-MM-DD). */
type Releases = Readonly<Record<string, string>>;

/** The `VERSION_ID` years of the Amazon Linux AMI (AL1): 2011.09 to 2018.03. */
const AMAZON_LINUX_AMI_YEARS = ['2011', '2012', '2013', '2014', '2015', '2016', '2017', '2018'];

/**
 * Debian, to the end of LTS (the last date the Debian project itself publishes updates; paid
 * ELTS excluded). https://endoflife.date/debian
 */
const DEBIAN: Releases = {
  '9': '2022-06-30',
  '10': '2024-06-30',
  '11': '2026-08-31',
  '12': '2028-06-30',
  '13': '2030-06-30',
};

/**
 * Ubuntu, to the end of standard support (ESM/Pro excluded), LTS and interim releases.
 * https://endoflife.date/ubuntu
 */
const UBUNTU: Releases = {
  '16.04': '2021-04-30',
  '16.10': '2017-07-20',
  '17.04': '2018-01-13',
  '17.10': '2018-07-19',
  '18.04': '2023-05-31',
  '18.10': '2019-07-18',
  '19.04': '2020-01-23',
  '19.10': '2020-07-17',
  '20.04': '2025-05-31',
  '20.10': '2021-07-22',
  '21.04': '2022-01-20',
  '21.10': '2022-07-14',
  '22.04': '2027-06-01',
  '22.10': '2023-07-20',
  '23.04': '2024-01-25',
  '23.10': '2024-07-11',
  '24.04': '2029-05-31',
  '24.10': '2025-07-10',
  '25.04': '2026-01-15',
  '25.10': '2026-07-09',
  '26.04': '2031-05-31',
};

/** Alpine, to the end of security fixes of each major.minor branch. https://endoflife.date/alpine-linux */
const ALPINE: Releases = {
  '3.15': '2023-11-01',
  '3.16': '2024-05-23',
  '3.17': '2024-11-22',
  '3.18': '2025-05-09',
  '3.19': '2025-11-01',
  '3.20': '2026-04-01',
  '3.21': '2026-11-01',
  '3.22': '2027-05-01',
  '3.23': '2027-11-01',
  '3.24': '2028-05-01',
};

/**
 * RHEL (and UBI, whose os-release says `rhel`), to the end of maintenance support (ELS excluded).
 * https://endoflife.date/rhel
 */
const RHEL: Releases = {
  '7': '2024-06-30',
  '8': '2029-05-31',
  '9': '2032-05-31',
  '10': '2035-05-31',
};

/**
 * Amazon Linux, to the end of its maintenance phase: AL2023 and AL2 per AWS's release notes
 * (https://docs.aws.amazon.com/linux/al2023/ug/release-cadence.html, the AL2 FAQ); the Amazon
 * Linux AMI (AL1, `VERSION_ID` 2011.09 … 2018.03, one rolling line) ended on 2023-12-31
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/amazon-linux-ami-basics.html).
 */
const AMAZON_LINUX: Releases = {
  ...Object.fromEntries(AMAZON_LINUX_AMI_YEARS.map((year) => [year, '2023-12-31'])),
  '2': '2026-06-30',
  '2023': '2029-06-30',
};

/** Rocky Linux, to the end of security support. https://endoflife.date/rocky-linux */
const ROCKY: Releases = { '8': '2029-05-31', '9': '2032-05-31', '10': '2035-05-31' };

/** AlmaLinux, to the end of security support (8 ends before RHEL 8). https://endoflife.date/almalinux */
const ALMA: Releases = { '8': '2029-03-01', '9': '2032-05-31', '10': '2035-05-31' };

/** CentOS Linux (not Stream). https://endoflife.date/centos */
const CENTOS: Releases = { '7': '2024-06-30', '8': '2021-12-31' };

/** End-of-life tables by os-release `ID`. */
const END_OF_LIFE: Readonly<Record<string, Releases>> = {
  debian: DEBIAN,
  ubuntu: UBUNTU,
  alpine: ALPINE,
  rhel: RHEL,
  amzn: AMAZON_LINUX,
  rocky: ROCKY,
  almalinux: ALMA,
  centos: CENTOS,
};

/** Rolling distributions: always current, never end-of-life. */
const ROLLING: ReadonlySet<string> = new Set(['wolfi', 'chainguard']);

/** How many dot-separated parts of VERSION_ID name a release (1 unless listed): `3.20.3` → `3.20`. */
const RELEASE_PARTS: Readonly<Record<string, number>> = { ubuntu: 2, alpine: 2 };

/** Length of the `YYYY-MM-DD` prefix of an ISO timestamp. */
const ISO_DATE_LENGTH = 10;

/** What {@link endOfLife} says of a release. */
export interface EndOfLife {
  /** Whether `today` is past the last day of support. */
  readonly eol: boolean;
  /** The last day of support, `YYYY-MM-DD`, or null when unknown or rolling. */
  readonly eolDate: string | null;
}

/**
 * Whether the distribution release is past its end of support on `today` (compared in UTC),
 * and that date. The release is the `VERSION_ID` major (`12`, `9.4` → `9`), or major.minor for
 * Alpine and Ubuntu. Rolling distributions (Wolfi, Chainguard), distributions not in the table
 * and releases not in it (too old, too new, no `VERSION_ID`) are `{ eol: false, eolDate: null }`:
 * not known to be unsupported.
 */
export function endOfLife(os: OsRelease, today: Date): EndOfLife {
  const date = ROLLING.has(os.id) ? undefined : endOfSupport(os.id, os.versionId);
  if (date === undefined) return { eol: false, eolDate: null };
  return { eol: today.toISOString().slice(0, ISO_DATE_LENGTH) > date, eolDate: date };
}

function endOfSupport(id: string, versionId: string | undefined): string | undefined {
  if (versionId === undefined) return undefined;
  const release = versionId
    .split('.')
    .slice(0, RELEASE_PARTS[id] ?? 1)
    .join('.');
  // Own properties only: `VERSION_ID=constructor` comes from the image and must not reach Object.
  const releases = Object.hasOwn(END_OF_LIFE, id) ? END_OF_LIFE[id] : undefined;
  return releases !== undefined && Object.hasOwn(releases, release) ? releases[release] : undefined;
}
