/**
 * Which Amazon Linux release and repository an advisory belongs to. Amazon publishes ALAS in each
 * repository's `updateinfo.xml`; the id says the release (`ALAS2023-2024-123` → 2023,
 * `ALAS2-2023-2001` → 2) and, for an Amazon Linux 2 extras topic, the topic
 * (`ALAS2KERNEL-5.10-2022-001`, `ALAS2GOLANG1.19-2023-001`, or `ALASDOCKER-2023-029` as the
 * security center writes them). When the file was fetched from a known repository, that
 * repository decides instead.
 */

/** The Amazon Linux releases whose advisories are read. */
export type AlasRelease = '2' | '2023';

/** Where an updateinfo file came from, when that is known (a fetched repository). */
export interface AlasContext {
  readonly release: AlasRelease;
  /** The Amazon Linux 2 extras topic (`kernel-5.10`, `php8.0`); absent for core. */
  readonly topic?: string;
}

/** The OSV-style ecosystem of each release, as the store keys it (`Amazon Linux:2023`). */
export const ALAS_ECOSYSTEMS: Readonly<Record<AlasRelease, string>> = {
  '2': 'Amazon Linux:2',
  '2023': 'Amazon Linux:2023',
};

/** The release whose advisories `ecosystem` names (`Amazon Linux:2` → `2`), if it is one. */
export function alasReleaseOf(ecosystem: string): AlasRelease | undefined {
  return (Object.keys(ALAS_ECOSYSTEMS) as AlasRelease[]).find(
    (release) => ALAS_ECOSYSTEMS[release] === ecosystem,
  );
}

/** Whether `ecosystem` is an Amazon Linux one, of a release this version reads or not. */
export function isAmazonLinuxEcosystem(ecosystem: string): boolean {
  return ecosystem === 'Amazon Linux' || ecosystem.startsWith('Amazon Linux:');
}

/** `ALAS<prefix>-<year>-<number>`: the prefix says the release and topic. */
const ALAS_ID = /^ALAS([A-Za-z0-9.+_-]*?)-(\d{4})-(\d+)$/;

/**
 * The release and topic an advisory id names: `ALAS2023-…` is 2023; `ALAS2-…` Amazon Linux 2
 * core; `ALAS2<TOPIC>-…` and `ALAS<TOPIC>-…` (a topic starting with a letter) an Amazon Linux 2
 * extras topic, lower-cased (`ALAS2KERNEL-5.10-2022-001` → `kernel-5.10`). Undefined for the
 * ids of other releases (`ALAS-2023-1923` is the Amazon Linux AMI's, `ALAS2022-…` a preview's).
 */
export function contextOfId(id: string): AlasContext | undefined {
  const prefix = ALAS_ID.exec(id)?.[1];
  if (prefix === undefined || prefix === '') return undefined;
  if (prefix === '2023') return { release: '2023' };
  if (prefix === '2') return { release: '2' };
  const topic = /^2?([A-Za-z][A-Za-z0-9.+_-]*)$/.exec(prefix)?.[1];
  return topic === undefined ? undefined : { release: '2', topic: topic.toLowerCase() };
}

/**
 * The id an advisory is stored under. An extras topic's older advisories carry the bare
 * `ALAS-<year>-<n>` form, which every topic (and the Amazon Linux AMI) numbers on its own: in a
 * topic's file it is qualified with the topic, as the security center names it
 * (`ALAS-2022-015` of `docker` → `ALASDOCKER-2022-015`), so that two topics' advisories never
 * merge into one.
 */
export function storedId(id: string, context: AlasContext | undefined): string {
  const bare = /^ALAS-(\d{4}-\d+)$/.exec(id)?.[1];
  if (bare === undefined || context?.topic === undefined) return id;
  return `ALAS${context.topic.toUpperCase()}-${bare}`;
}

/**
 * The version stream a topic is named for: `kernel-5.10` → `5.10`, `postgresql14` → `14`,
 * `php8.0` → `8.0`, `mate-desktop1.x` → `1`; undefined for `docker` or `kernel-ng`.
 */
export function streamOfTopic(topic: string): string | undefined {
  return /(\d+(?:\.\d+)*)(?:\.x)?$/.exec(topic)?.[1];
}

/** The yum repository an advisory's packages come from, as Amazon Linux names it. */
export function repositoryOf(context: AlasContext): string {
  if (context.release === '2023') return 'amazonlinux';
  return context.topic === undefined ? 'amzn2-core' : `amzn2extra-${context.topic}`;
}
