import type { Finding } from '../match';
import type { ScanReport } from '../scan';
import {
  fingerprint,
  LEVEL,
  SECURITY_SEVERITY,
  type SarifEntry,
  type SarifResult,
  type SarifRule,
} from './sarif-log';

/**
 * The vulnerabilities of a report as SARIF: one rule per advisory (rule id: the advisory's own
 * id), one result per affected package located at the file the package was found in,
 * suppressed findings carried as SARIF suppressions.
 */
export function vulnerabilityEntries(report: ScanReport): SarifEntry[] {
  return vulnerabilitiesOf(report).map((f) => ({
    kind: 'vulnerability',
    rule: ruleOf(f),
    result: resultOf(f, report),
    severity: f.severity,
    priority: f,
    suppressed: f.suppressedBy !== null,
  }));
}

/**
 * The findings that are vulnerabilities of the image: a Go finding that cannot apply to its
 * binary (another platform, the Go tools' code) stays in the JSON report, not here.
 */
function vulnerabilitiesOf(report: ScanReport): readonly Finding[] {
  return (report.vulnerabilities ?? []).filter((f) => f.applicability?.status !== 'not-applicable');
}

function ruleOf(finding: Finding): SarifRule {
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
      tags: ['security', 'vulnerability', finding.severity, ...(finding.kev ? ['kev'] : [])],
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

function resultOf(f: Finding, report: ScanReport): SarifResult {
  return {
    ruleId: f.id,
    level: LEVEL[f.severity],
    message: {
      text: `${f.package} ${f.installedVersion} is affected by ${f.id} (${f.severity})${f.fixedVersion ? `; fixed in ${f.fixedVersion}` : '; no fix yet'}.${kevText(f)}${f.applicability ? ` In this binary: ${f.applicability.reason}.` : ''} Image ${report.image.reference} (${report.image.platform}), layer ${f.layer}.`,
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
    partialFingerprints: { 'clearance/v1': fingerprint(f.id, f.purl, f.path) },
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
      ...(f.kev !== undefined && { kev: f.kev }),
      ...(f.epss !== undefined && { epss: f.epss }),
      ...(f.applicability && {
        confidence: CONFIDENCE[f.applicability.symbols],
        applicability: f.applicability,
      }),
    },
  };
}

/** Exploited now: CISA's KEV catalog lists it (said in the message, tagged `kev` on the rule). */
function kevText(f: Finding): string {
  return f.kev ? ` Known exploited (CISA KEV since ${f.kev.dateAdded}, due ${f.kev.dueDate}).` : '';
}

/**
 * How sure a Go finding is, from the binary's function table: an affected function in it is
 * `high`; none in it `low` (inlining can leave no name, so it is still a result); not known,
 * `medium`, as for any other package.
 */
const CONFIDENCE = { present: 'high', unknown: 'medium', absent: 'low' } as const;
