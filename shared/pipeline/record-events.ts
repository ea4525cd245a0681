import { auditEventId, scanEvent } from './audit-events';
import { imageName } from './image-names';
import type { AuditEvent } from '../audit';
import type { ScanSummary } from './scan-summary';
import type { EvaluatedPlatform } from './states';

/*
 * The audit events Record appends, all made from the scan's summary (what a retried Record reads
 * back), so that a retry appends the very same events: `scan.completed`; `verdict.changed` when
 * people are told; `policy.changed` when repository:tag was last judged under another policy;
 * `exception.used` per policy exception that excepted a rule; `exception.expired` per expired
 * exception the policy still lists. Each carries the versions that decided the scan.
 */

/** The events of a recorded scan, in the order they happened. */
export function recordEvents(summary: ScanSummary, summaryKey: string): AuditEvent[] {
  return [
    ...policyChanged(summary),
    completed(summary, summaryKey),
    ...verdictChanged(summary),
    ...exceptionsUsed(summary),
    ...exceptionsExpired(summary),
  ];
}

function common(summary: ScanSummary) {
  return {
    subject: summary.scanId,
    time: summary.recordedAt,
    trigger: summary.trigger,
    image: summary.image,
    versions: summary.versions,
  };
}

function completed(summary: ScanSummary, summaryKey: string): AuditEvent {
  return scanEvent({
    ...common(summary),
    type: 'scan.completed',
    details: {
      scanId: summary.scanId,
      name: imageName(summary.image),
      registry: summary.image.registry,
      trigger: { type: summary.trigger.type, id: summary.trigger.id },
      decision: summary.decision,
      summaryKey,
      platforms: summary.platforms.map(platformDetails),
    },
  });
}

function verdictChanged(summary: ScanSummary): AuditEvent[] {
  if (!summary.changed) return [];
  return [
    scanEvent({
      ...common(summary),
      type: 'verdict.changed',
      details: {
        scanId: summary.scanId,
        from: summary.previous?.decision ?? null,
        to: summary.decision,
        previousScanId: summary.previous?.scanId ?? null,
        reasons: summary.reasons,
        newSevereFindings: summary.newSevereFindings,
      },
    }),
  ];
}

/**
 * The policy that judged this scan is not the one that judged the last scan of repository:tag.
 * One event per scan that first sees the change for its repository:tag: the trail then says,
 * image by image, from which verdict under which policy the new one follows.
 */
function policyChanged(summary: ScanSummary): AuditEvent[] {
  const before = summary.previous?.policyDigest;
  const now = summary.versions.policyDigest;
  if (before === undefined || before === '' || now === undefined || before === now) return [];
  return [
    scanEvent({
      ...common(summary),
      type: 'policy.changed',
      details: {
        scanId: summary.scanId,
        name: imageName(summary.image),
        policy: policyNames(summary.platforms),
        from: before,
        to: now,
        previousScanId: summary.previous!.scanId,
      },
    }),
  ];
}

/** One event per exception that excepted a rule on any platform, with the rules and platforms. */
function exceptionsUsed(summary: ScanSummary): AuditEvent[] {
  const used = new Map<string, { note: string; rules: Set<string>; platforms: string[] }>();
  for (const platform of summary.platforms)
    for (const exception of platform.exceptionsUsed ?? []) {
      const entry = used.get(exception.id) ?? {
        note: exception.note,
        rules: new Set<string>(),
        platforms: [],
      };
      for (const rule of exception.rules) entry.rules.add(rule);
      entry.platforms.push(platform.platform);
      used.set(exception.id, entry);
    }
  return [...used.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, entry]) =>
      scanEvent({
        ...common(summary),
        subject: `${summary.scanId}:${id}`,
        type: 'exception.used',
        details: {
          scanId: summary.scanId,
          exception: id,
          note: entry.note,
          rules: [...entry.rules].sort(),
          platforms: entry.platforms,
          decision: summary.decision,
        },
      }),
    );
}

/**
 * One event per expired exception and expiry date, whichever scan notices it first: a fact of
 * the policy, not of the image (every later scan would repeat it), so its id names the
 * exception and its expiry, and the event names no image; the scan that noticed it is in the
 * details. An exception renewed with a new expiry that lapses again is a new event.
 */
function exceptionsExpired(summary: ScanSummary): AuditEvent[] {
  const expired = new Map<string, { id: string; expires: string }>();
  for (const platform of summary.platforms)
    for (const e of platform.expiredExceptions ?? []) expired.set(`${e.id}@${e.expires}`, e);
  return [...expired.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, e]) => {
      const { image: _image, ...event } = scanEvent({
        ...common(summary),
        type: 'exception.expired',
        details: {
          exception: e.id,
          expires: e.expires,
          policy: policyNames(summary.platforms),
          noticedBy: { scanId: summary.scanId, name: imageName(summary.image) },
        },
      });
      return { ...event, id: auditEventId(`exception:${key}`, 'exception.expired') };
    });
}

function platformDetails(p: EvaluatedPlatform): Record<string, unknown> {
  return {
    platform: p.platform,
    manifestDigest: p.manifestDigest,
    decision: p.decision,
    policy: p.policy,
    counts: p.counts,
    secrets: p.secrets,
    failedChecks: p.failedChecks,
    failedRules: p.failedRules,
    ...(p.warnedRules && { warnedRules: p.warnedRules }),
    signature: p.signature,
  };
}

function policyNames(platforms: readonly EvaluatedPlatform[]): string {
  return [...new Set(platforms.map((p) => p.policy.name))].sort().join(',');
}
