import { createHash } from 'node:crypto';
import { describeGap } from '../coverage';
import type { Finding } from '../match';
import type { Severity } from '../osv';
import type { ScanReport } from '../scan';
import { TOOL } from '../sbom';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub code scanning reads `security-severity` (a CVSS-like number) to rank results. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: '0.0',
};
export const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: one rule per vulnerability (with help text
 * and `security-severity`), one result per affected package located at the file the package
 * was found in, suppressed findings carried as SARIF suppressions, stable fingerprints.
 */
export function sarifJson(reports: readonly ScanReport[]): string {
  const findings = reports.flatMap(vulnerabilitiesOf);
  const rules = [...new Map(findings.map((f) => [f.id, ruleOf(f)])).values()];
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
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: reports.flatMap(coverageNotifications),
          },
        ],
        results: reports.flatMap((report) =>
          vulnerabilitiesOf(report).map((f) => resultOf(f, report, ruleIndex.get(f.id)!)),
        ),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/**
 * The findings that are vulnerabilities of the image: a Go finding that cannot apply to its
 * binary (another platform, the Go tools' code) stays in the JSON report, not here.
 */
function vulnerabilitiesOf(report: ScanReport): readonly Finding[] {
  return (report.vulnerabilities ?? []).filter((f) => f.applicability?.status !== 'not-applicable');
}

function ruleOf(finding: Finding) {
  const title = finding.summary ?? `${finding.id} in ${finding.package}`;
  const aliases = finding.aliases.length > 0 ? ` (${finding.aliases.join(', ')})` : '';
  return {
    id: finding.id,
    name: finding.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: `${finding.id}${aliases}: ${title}` },
    fullDescription: { text: title },
    helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(finding.id)}`,
    help: {
      text: helpText(finding),
      markdown: helpText(finding, true),
    },
    properties: {
      'security-severity': finding.cvss
        ? String(finding.cvss.score)
        : SECURITY_SEVERITY[finding.severity],
      tags: ['security', 'vulnerability', finding.severity],
    },
  };
}

function helpText(f: Finding, markdown = false): string {
  const b = (s: string) => (markdown ? `**${s}**` : s);
  const fix =
    f.fixedVersion === null
      ? `No fixed version is available yet (${f.status}).`
      : `Upgrade ${f.package} to ${f.fixedVersion} or later.`;
  return [
    `${b('Vulnerability')}: ${f.id}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}`,
    `${b('Severity')}: ${f.severity}${f.cvss ? ` (CVSS ${f.cvss.score}, ${f.cvss.vector})` : ''}`,
    `${b('Source')}: ${f.source}`,
    fix,
  ].join(markdown ? '\n\n' : '\n');
}

function resultOf(f: Finding, report: ScanReport, ruleIndex: number) {
  return {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: {
      text: `${f.package} ${f.installedVersion} is affected by ${f.id} (${f.severity})${f.fixedVersion ? `; fixed in ${f.fixedVersion}` : '; no fix yet'}.${f.applicability ? ` In this binary: ${f.applicability.reason}.` : ''} Image ${report.image.reference} (${report.image.platform}), layer ${f.layer}.`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.path },
          region: { startLine: 1 },
        },
        message: { text: f.purl },
      },
    ],
    partialFingerprints: {
      'clearance/v1': createHash('sha256').update(`${f.id}\0${f.purl}\0${f.path}`).digest('hex'),
    },
    ...(f.suppressedBy !== null && {
      suppressions: [
        { kind: 'external', justification: `${f.suppressedBy.kind}: ${f.suppressedBy.reason}` },
      ],
    }),
    properties: {
      purl: f.purl,
      installedVersion: f.installedVersion,
      fixedVersion: f.fixedVersion,
      layer: f.layer,
      ...(f.applicability && {
        confidence: CONFIDENCE[f.applicability.symbols],
        applicability: f.applicability,
      }),
    },
  };
}

/**
 * How sure a Go finding is, from the binary's function table: an affected function in it is
 * `high`; none in it `low` (inlining can leave no name, so it is still a result); not known,
 * `medium`, as for any other package.
 */
const CONFIDENCE = { present: 'high', unknown: 'medium', absent: 'low' } as const;

/**
 * What the scan could not check, as SARIF tool execution notifications (SARIF 2.1.0 §3.20.21):
 * a gap nobody accepted is an `error` (code scanning shows it as a failed analysis), an
 * accepted one a `note` naming who accepted it.
 */
function coverageNotifications(report: ScanReport) {
  const where = `${report.image.reference} (${report.image.platform})`;
  const coverage = report.coverage;
  if (coverage === undefined) return [];
  const listed = coverage.gaps.map((gap) => ({
    level: gap.acceptedBy === null ? 'error' : 'note',
    descriptor: { id: `clearance/coverage/${gap.kind}` },
    message: {
      text: `${where}: not checked: ${describeGap(gap)}; affects ${gap.affects}${gap.acceptedBy === null ? '' : `; accepted by ${gap.acceptedBy}`}`,
    },
    properties: { kind: gap.kind, subject: gap.subject, acceptedBy: gap.acceptedBy },
  }));
  const omitted =
    coverage.omitted > 0
      ? [
          {
            level: coverage.omittedAcceptedBy === null ? 'error' : 'note',
            descriptor: { id: 'clearance/coverage/omitted' },
            message: { text: `${where}: ${coverage.omitted} more gaps, not listed` },
          },
        ]
      : [];
  return [...listed, ...omitted];
}
