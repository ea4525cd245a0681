import { IMAGE_CHECKS, type CheckResult } from '../checks';
import type { ScanReport } from '../scan';
import {
  fingerprint,
  IMAGE_CONFIG_URI,
  LEVEL,
  SECURITY_SEVERITY,
  type SarifEntry,
  type SarifRule,
} from './sarif-log';

export const checkRuleId = (id: string) => `check/${id}`;

/** Evidence items shown in a message and as logical locations: GitHub shows a short text best. */
const MAX_EVIDENCE = 10;

/**
 * The config field each configuration check reads, for evidence that does not name its own
 * (`USER root`, `no HEALTHCHECK`, `tag latest`).
 */
const FIELD: Readonly<Record<string, string>> = {
  'user-root': 'config.User',
  'healthcheck-missing': 'config.Healthcheck',
  'ssh-port-exposed': 'config.ExposedPorts',
  'base-image-not-pinned': 'config.Labels',
  'latest-tag': 'reference',
  'os-end-of-life': 'os-release',
};

/** Checks whose evidence starts with a path of the image's filesystem (`usr/bin/su (mode 4755)`). */
const FILE_CHECKS: ReadonlySet<string> = new Set(['setuid-files', 'package-manager-cache']);

/**
 * The image checks that failed, or could not run (`error`: never a silent pass), as SARIF: rule
 * `check/<id>` with the rationale and remediation as help, the CIS and Dockle ids as tags. The
 * location is the file the first evidence names, else the image config with the field or
 * history entry (`config.history[4]`) as logical locations. `info` (informational: a policy
 * decides), `pass` and `not-applicable` give no result.
 */
export function checkEntries(report: ScanReport): SarifEntry[] {
  return (report.checks ?? [])
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => ({
      kind: 'check',
      rule: ruleOf(c),
      severity: c.severity,
      priority: { id: checkRuleId(c.id), severity: c.severity },
      suppressed: false,
      result: {
        ruleId: checkRuleId(c.id),
        level: c.status === 'error' ? 'error' : LEVEL[c.severity],
        message: { text: messageOf(c, report) },
        locations: [locationOf(c)],
        partialFingerprints: { 'clearance/v1': fingerprint(checkRuleId(c.id)) },
        properties: { status: c.status, evidence: c.evidence.slice(0, MAX_EVIDENCE) },
      },
    }));
}

function messageOf(c: CheckResult, report: ScanReport): string {
  const shown = c.evidence.slice(0, MAX_EVIDENCE).join('; ');
  const more =
    c.evidence.length > MAX_EVIDENCE ? ` and ${c.evidence.length - MAX_EVIDENCE} more` : '';
  const what = c.status === 'error' ? `${c.title}: the check could not run` : c.title;
  return `${what}${shown ? ` (${shown}${more})` : ''}. Image ${report.image.reference} (${report.image.platform}).`;
}

/** `history[4]: RUN …` → `config.history[4]`; `config.Env[2]: …` → `config.Env[2]`. */
function fieldOf(evidence: string): string | null {
  const history = /^history\[(\d+)\]/.exec(evidence);
  if (history) return `config.history[${history[1]}]`;
  return /^config\.[A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z_]+)?/.exec(evidence)?.[0] ?? null;
}

function locationOf(c: CheckResult) {
  const file = FILE_CHECKS.has(c.id) ? /^[^\s:]+/.exec(c.evidence[0] ?? '')?.[0] : undefined;
  if (file !== undefined)
    return { physicalLocation: { artifactLocation: { uri: file }, region: { startLine: 1 } } };
  const fields = [...new Set(c.evidence.slice(0, MAX_EVIDENCE).flatMap((e) => fieldOf(e) ?? []))];
  const named = fields.length > 0 ? fields : [FIELD[c.id] ?? 'config'];
  return {
    physicalLocation: { artifactLocation: { uri: IMAGE_CONFIG_URI }, region: { startLine: 1 } },
    logicalLocations: named.map((f) => ({ fullyQualifiedName: f, kind: 'member' })),
  };
}

function ruleOf(c: CheckResult): SarifRule {
  const check = IMAGE_CHECKS.find((k) => k.id === c.id);
  const ids = [c.cis && `CIS Docker Benchmark v1.6 ${c.cis}`, c.dockle && `Dockle ${c.dockle}`]
    .filter(Boolean)
    .join(', ');
  const rationale = check?.rationale ?? c.title;
  return {
    id: checkRuleId(c.id),
    name: c.id,
    shortDescription: { text: c.title },
    fullDescription: { text: rationale },
    help: {
      text: `${rationale}\nRemediation: ${c.remediation}${ids ? `\n${ids}` : ''}`,
      markdown: `${rationale}\n\n**Remediation**: ${c.remediation}${ids ? `\n\n${ids}` : ''}`,
    },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[c.severity],
      tags: [
        'security',
        'image-check',
        c.severity,
        ...(c.cis === null ? [] : [`CIS-Docker-1.6.0-${c.cis}`]),
        ...(c.dockle === null ? [] : [c.dockle]),
      ],
    },
  };
}
