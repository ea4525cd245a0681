import type { ObjectLink } from '../notify';
import type { PostureRunOutcome, PostureRunSummary } from '../posture-run';

/** Images and repositories named in the message; the summary and report have more. */
const LISTED = 20;
/** Parts of the recordings not read, named in the message. */
const UNREAD_LISTED = 5;
/** A failure's cause is cut to its first line, this long. */
const CAUSE_LENGTH = 160;
/** Digests are shown by their first 12 hex digits. */
const DIGEST_LENGTH = 'sha256:'.length + 12;

/**
 * The digest's "Runtime posture" section: the deployed workloads by decision, the worst
 * services, the images running without a pass verdict, the registry's failing repositories;
 * that the posture run failed, when it did; nothing when the run had no posture step.
 */
export function runtimePostureLines(
  outcome: PostureRunOutcome | undefined,
  link: ObjectLink = (key) => key,
): string[] {
  if (outcome === undefined) return [];
  if (outcome.status === 'failed') {
    const cause = outcome.cause.split('\n')[0]!.slice(0, CAUSE_LENGTH);
    return [
      '',
      `Runtime posture could not be checked: ${outcome.error}${cause === '' ? '' : `: ${cause}`}`,
    ];
  }
  return [
    ...headLines(outcome, link),
    ...worstLines(outcome),
    ...imageLines(outcome),
    ...registryLines(outcome),
  ];
}

function headLines(
  { workloads, collectionErrors, unread, unreadTotal, reportKey }: PostureRunSummary,
  link: ObjectLink,
): string[] {
  const errors = workloads.withErrors > 0 ? `; ${workloads.withErrors} with checks in error` : '';
  return [
    '',
    `Runtime posture (${link(reportKey)}): ${workloads.total} workloads`,
    `  fail ${workloads.fail}, warn ${workloads.warn}, pass ${workloads.pass}${errors}`,
    ...collectionErrors.map(
      (e) => `  not collected (${e.source}): ${e.error.split('\n')[0]!.slice(0, CAUSE_LENGTH)}`,
    ),
    ...(unreadTotal === 0 ? [] : [`  not read, so not checked (${unreadTotal}):`]),
    ...unread
      .slice(0, UNREAD_LISTED)
      .map((u) => `    ${u.source}: ${u.reason.slice(0, CAUSE_LENGTH)}`),
    ...more(unreadTotal, UNREAD_LISTED).map((line) => `  ${line}`),
  ];
}

function worstLines({ worstServices }: PostureRunSummary): string[] {
  if (worstServices.length === 0) return [];
  return [
    '',
    'Worst services',
    ...worstServices.map(
      (s, i) =>
        `  ${String(i + 1).padStart(2)}. ${s.name}  ${s.decision.toUpperCase()}  ${s.failedSevere} critical/high failed: ${s.failedChecks.join(', ')}`,
    ),
  ];
}

function imageLines({ imagesWithoutPass, imagesWithoutPassTotal }: PostureRunSummary): string[] {
  if (imagesWithoutPassTotal === 0) return [];
  return [
    '',
    `Images running without a pass verdict (${imagesWithoutPassTotal})`,
    ...imagesWithoutPass.slice(0, LISTED).map((image) => {
      const digest = image.digest.slice(0, DIGEST_LENGTH);
      const name = image.reference === null ? digest : `${image.reference} (${digest})`;
      return `  ${name}  ${image.verdict}  in ${image.workloads.join(', ')}`;
    }),
    ...more(imagesWithoutPassTotal, LISTED),
  ];
}

function registryLines({ registry }: PostureRunSummary): string[] {
  if (registry === null) return [];
  if (registry.failedChecks === 0)
    return ['', `Registry: ${registry.repositories} watched repositories, every check passed.`];
  return [
    '',
    `Registry: ${registry.failedChecks} failed checks; ${registry.failingTotal} of ${registry.repositories} watched repositories fail`,
    ...registry.failing
      .slice(0, LISTED)
      .map((r) => `  ${r.repository}  ${r.failedChecks.join(', ')}`),
    ...more(registry.failingTotal, LISTED),
  ];
}

function more(total: number, listed: number): string[] {
  return total > listed ? [`  … and ${total - listed} more in the report`] : [];
}
