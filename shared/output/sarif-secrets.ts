import type { ScanReport } from '../scan';
import type { SecretFinding, SensitiveFileFinding } from '../secrets';
import {
  fingerprint,
  IMAGE_CONFIG_URI,
  LEVEL,
  SECURITY_SEVERITY,
  type SarifEntry,
  type SarifRule,
} from './sarif-log';

/** Rule ids are namespaced, as posture's `posture/<id>`, so every kind shares one upload. */
export const secretRuleId = (rule: string) => `secret/${rule}`;
export const sensitiveFileRuleId = (rule: string) => `sensitive-file/${rule}`;

/** Digest characters shown of a layer: enough to tell the image's layers apart. */
const SHORT_DIGEST = 12;
const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, SHORT_DIGEST);

/**
 * The secrets of a report as SARIF. The location is the file's path in the image (or, for the
 * config's `Env`, `history` and `Labels`, the config with the field as a logical location) and
 * the line; the layer is said in the message and carried as a property rather than in the path,
 * because GitHub keeps an alert only while its path stays the same, and a rebuild changes every
 * layer digest. The text shown is the report's redacted match: never the secret.
 */
export function secretEntries(report: ScanReport): SarifEntry[] {
  return (report.secrets ?? []).map((s) => ({
    kind: 'secret',
    rule: secretRule(s),
    severity: s.severity,
    priority: { id: secretRuleId(s.rule), severity: s.severity },
    suppressed: false,
    result: {
      ruleId: secretRuleId(s.rule),
      level: LEVEL[s.severity],
      message: { text: `${s.title} in ${where(s)}: ${s.match}. ${layerText(s)}` },
      locations: [location(s.layer === null ? null : s.path, s.path, s.line, s.match)],
      partialFingerprints: {
        'clearance/v1': fingerprint(secretRuleId(s.rule), s.path, String(s.line), s.match),
      },
      properties: { layer: s.layer, removedInLayer: s.removedInLayer, line: s.line },
    },
  }));
}

/** Files that should not ship (keys, credentials, histories): `warning`, whatever their severity. */
export function sensitiveFileEntries(report: ScanReport): SarifEntry[] {
  return (report.sensitiveFiles ?? []).map((f) => ({
    kind: 'sensitive-file',
    rule: sensitiveFileRule(f),
    severity: f.severity,
    priority: { id: sensitiveFileRuleId(f.rule), severity: f.severity },
    suppressed: false,
    result: {
      ruleId: sensitiveFileRuleId(f.rule),
      level: 'warning',
      message: { text: `${f.title}: ${f.path}. ${layerText(f)}` },
      locations: [location(f.path, f.path, 1, null)],
      partialFingerprints: { 'clearance/v1': fingerprint(sensitiveFileRuleId(f.rule), f.path) },
      properties: { layer: f.layer, removedInLayer: f.removedInLayer },
    },
  }));
}

const where = (s: SecretFinding) => `${s.path}${s.layer === null ? '' : `:${s.line}`}`;

function layerText(f: SecretFinding | SensitiveFileFinding): string {
  if (f.layer === null) return 'In the image config: anyone who pulls the image reads it.';
  const removed =
    f.removedInLayer === null
      ? ''
      : `, deleted by layer ${short(f.removedInLayer)} but still in the image for anyone who pulls that layer`;
  return `Layer ${short(f.layer)}${removed}.`;
}

/**
 * A file of the image at `line`, or the image config with `field` as the logical location. The
 * snippet is the redacted match, so that GitHub shows it rather than a line of the repository.
 */
function location(file: string | null, field: string, line: number, snippet: string | null) {
  return {
    physicalLocation: {
      artifactLocation: { uri: file ?? IMAGE_CONFIG_URI },
      region: { startLine: line, ...(snippet !== null && { snippet: { text: snippet } }) },
    },
    ...(file === null && { logicalLocations: [{ fullyQualifiedName: field, kind: 'member' }] }),
  };
}

function secretRule(s: SecretFinding): SarifRule {
  const remedy =
    'Revoke and rotate the credential first: it is in every copy of the image already pulled. Then remove it from the build: pass secrets at run time (a mounted file, the orchestrator’s secret store) and at build time with `RUN --mount=type=secret`, never COPY, ENV, ARG or LABEL. Deleting the file in a later layer does not remove it from the image.';
  return {
    id: secretRuleId(s.rule),
    name: s.rule,
    shortDescription: { text: `Secret: ${s.title}` },
    fullDescription: {
      text: `${s.title}, stored in the image (a layer or the image config): anyone who can pull the image can read it.`,
    },
    help: { text: remedy, markdown: `**${s.title}** in the image.\n\n${remedy}` },
    defaultConfiguration: { level: LEVEL[s.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[s.severity],
      tags: ['security', 'secret', s.severity],
    },
  };
}

function sensitiveFileRule(f: SensitiveFileFinding): SarifRule {
  const remedy =
    'Keep the file out of the build context (`.dockerignore`) or out of the final stage of a multi-stage build; rotate any credential it holds. Deleting it in a later layer does not remove it from the image.';
  return {
    id: sensitiveFileRuleId(f.rule),
    name: f.rule,
    shortDescription: { text: `Sensitive file: ${f.title}` },
    fullDescription: { text: `${f.title}: a file that should not ship in an image.` },
    help: { text: remedy, markdown: `**${f.title}**\n\n${remedy}` },
    defaultConfiguration: { level: 'warning' },
    properties: {
      'security-severity': SECURITY_SEVERITY[f.severity],
      tags: ['security', 'sensitive-file', f.severity],
    },
  };
}
