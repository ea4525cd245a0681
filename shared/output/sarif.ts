import type { ScanReport } from '../scan';
import { TOOL } from '../core';
import { checkEntries } from './sarif-checks';
import { coverageNotifications } from './sarif-coverage';
import {
  byPriority,
  capped,
  GITHUB_LIMITS,
  omittedNotification,
  type SarifLimits,
} from './sarif-limits';
import { SARIF_SCHEMA, type SarifEntry, type SarifNotification } from './sarif-log';
import { secretEntries, sensitiveFileEntries } from './sarif-secrets';
import { vulnerabilityEntries } from './sarif-vulnerabilities';

export { IMAGE_CONFIG_URI, LEVEL, SARIF_SCHEMA, SECURITY_SEVERITY } from './sarif-log';
export { GITHUB_LIMITS, type SarifLimits } from './sarif-limits';

/**
 * SARIF 2.1.0 of image scans as GitHub code scanning shows them, one run for every report
 * (platform) given, a finding on several platforms one result:
 * - vulnerabilities: rule = the advisory id, located at the file the package was found in;
 * - secrets (`secret/<rule>`): the file's path in the image and the line, the match redacted;
 *   a secret of the config at the config, the field as a logical location;
 * - sensitive files (`sensitive-file/<rule>`): the file, as `warning`;
 * - failed or erring image checks (`check/<id>`): the file the evidence names, else the config
 *   with the field or history entry as logical locations;
 * - coverage gaps as tool execution notifications.
 *
 * Every rule has help text and `security-severity`; fingerprints are stable across rebuilds;
 * suppressed findings carry SARIF suppressions. Results are written most severe first and
 * capped to GitHub's limits in that order, the rest counted in a notification.
 */
export function sarifJson(
  reports: readonly ScanReport[],
  limits: SarifLimits = GITHUB_LIMITS,
): string {
  const ordered = byPriority(onePerFinding(reports));
  const notifications = reports.flatMap(coverageNotifications);
  const render = (kept: readonly SarifEntry[]) =>
    logOf(kept, [...notifications, ...omittedNotification(ordered.slice(kept.length), limits)]);
  return render(capped(ordered, limits, render));
}

/**
 * The results of every report, one per finding: the same finding on several platforms (a secret
 * in a layer they share, a check of the config they have in common, an npm package) has one
 * fingerprint, and code scanning would fold the copies into one alert; the one kept names every
 * platform it was found on.
 */
function onePerFinding(reports: readonly ScanReport[]): SarifEntry[] {
  const found = new Map<string, { entry: SarifEntry; platforms: string[] }>();
  for (const report of reports)
    for (const entry of entriesOf(report)) {
      const key = `${entry.result.ruleId}\0${entry.result.partialFingerprints['clearance/v1']}`;
      const seen = found.get(key);
      if (seen === undefined) found.set(key, { entry, platforms: [report.image.platform] });
      else if (!seen.platforms.includes(report.image.platform))
        seen.platforms.push(report.image.platform);
    }
  return [...found.values()].map(({ entry, platforms }) =>
    platforms.length === 1
      ? entry
      : {
          ...entry,
          result: {
            ...entry.result,
            message: { text: `${entry.result.message.text} Found on ${platforms.join(', ')}.` },
            properties: { ...entry.result.properties, platforms },
          },
        },
  );
}

/** Every result of one report, in the report's order: vulnerabilities, secrets, files, checks. */
function entriesOf(report: ScanReport): SarifEntry[] {
  return [
    ...vulnerabilityEntries(report),
    ...secretEntries(report),
    ...sensitiveFileEntries(report),
    ...checkEntries(report),
  ];
}

function logOf(entries: readonly SarifEntry[], notifications: readonly SarifNotification[]) {
  const rules = [...new Map(entries.map((e) => [e.rule.id, e.rule])).values()];
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: entries.map(({ result }) => ({
          ...result,
          ruleIndex: ruleIndex.get(result.ruleId)!,
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
