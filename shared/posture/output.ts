import { createHash } from 'node:crypto';
import { describeGap } from '../coverage';
import { TOOL } from '../core';
import { LEVEL, SARIF_SCHEMA, SECURITY_SEVERITY } from '../output';
import type { PostureCheckResult } from './check';
import { POSTURE_CHECKS } from './checks';
import type { PostureReport } from './report';

/** A check result with where it was found: the workload (or repository) and its file. */
interface Located {
  readonly subject: string;
  readonly file: string;
  readonly result: PostureCheckResult;
}

/** Every check result of the report, with its subject and file. */
function located(report: PostureReport): Located[] {
  const workloads = report.workloads.flatMap((w) =>
    w.checks.map((result) => ({ subject: w.id, file: fileOf(w.source), result })),
  );
  const registry = report.registry;
  if (registry === null) return workloads;
  return [
    ...workloads,
    ...(registry.registry?.checks ?? []).map((result) => ({
      subject: `ecr:registry/${registry.registry!.registryId}`,
      file: '',
      result,
    })),
    ...registry.repositories.flatMap((r) =>
      r.checks.map((result) => ({ subject: `ecr:${r.name}`, file: fileOf(r.source), result })),
    ),
  ];
}

/** `deploy.yaml#2/items[0]` → `deploy.yaml`. */
function fileOf(source: string): string {
  return source.replace(/#.*$/, '');
}

/**
 * The posture report for a terminal: per workload, its verdict and the checks that failed or
 * erred (with the container and the field), then the documents not read.
 */
export function postureTable(report: PostureReport): string {
  const lines: string[] = [];
  for (const w of report.workloads) {
    lines.push(`${w.id}  (${w.source}, ${w.platform})  ${w.verdict.decision.toUpperCase()}`);
    const bad = w.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    for (const c of bad) lines.push(`  ${checkLine(c)}`);
    const rules = w.verdict.rules.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
    if (rules.length > 0)
      lines.push(
        `  policy ${w.verdict.policy.name}: ${rules.map((r) => `${r.id} (${r.action})`).join(', ')}`,
      );
  }
  if (report.registry !== null)
    for (const l of located(report).filter((l) => l.subject.startsWith('ecr:')))
      if (l.result.status === 'fail' || l.result.status === 'error')
        lines.push(`${l.subject}  ${checkLine(l.result)}`);
  for (const gap of report.coverage.gaps)
    lines.push(
      `not read: ${describeGap(gap)}${gap.acceptedBy ? ` (accepted: ${gap.acceptedBy})` : ''}`,
    );
  const s = report.summary;
  lines.push(
    `${s.workloads} workloads, ${s.containers} containers: ${s.checks.fail} checks failed (${s.failed.CRITICAL} critical, ${s.failed.HIGH} high, ${s.failed.MEDIUM} medium, ${s.failed.LOW} low), ${s.checks.error} errors; ${report.benchmark} numbering; decision ${report.decision}`,
  );
  return `${lines.join('\n')}\n`;
}

function checkLine(c: PostureCheckResult): string {
  const cis = c.cis === null ? '' : ` [CIS ${c.cis}]`;
  const where = c.container === null ? '' : ` ${c.container}:`;
  const evidence = c.evidence.map((e) => `${e.path}=${JSON.stringify(e.value)}`).join('; ');
  return `${c.status.toUpperCase()} ${c.severity} ${c.id}${cis}${where} ${c.reason ?? c.title}${evidence ? ` (${evidence})` : ''}`;
}

/** SARIF rule ids are namespaced so that posture and image results can share one upload. */
const ruleId = (id: string) => `posture/${id}`;

/**
 * SARIF 2.1.0 of a posture report, as GitHub code scanning reads it: one rule per check (help
 * text: the remediation; `security-severity`; the CIS item as a tag), one result per failed or
 * erring check located at its file with the workload and field as logical locations, documents
 * not read as tool execution notifications.
 */
export function postureSarif(report: PostureReport): string {
  const all = located(report).filter(
    (l) => l.result.status === 'fail' || l.result.status === 'error',
  );
  const rules = [...new Map(all.map((l) => [l.result.id, ruleOf(l.result)])).values()];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL.name, version: TOOL.version, rules } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.coverage.gaps.map((gap) => ({
              level: gap.acceptedBy === null ? 'error' : 'note',
              message: { text: describeGap(gap) },
              descriptor: { id: gap.kind },
            })),
          },
        ],
        results: all.map((l) => resultOf(l, index.get(ruleId(l.result.id))!)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function ruleOf(result: PostureCheckResult) {
  const check = POSTURE_CHECKS.find((c) => c.id === result.id);
  return {
    id: ruleId(result.id),
    name: result.id,
    shortDescription: { text: result.title },
    fullDescription: { text: check?.rationale ?? result.title },
    help: { text: result.remediation },
    defaultConfiguration: { level: LEVEL[result.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[result.severity],
      tags: [
        'security',
        'runtime-posture',
        ...(result.cis === null ? [] : [`CIS-Docker-1.6.0-${result.cis}`]),
      ],
    },
  };
}

function resultOf(l: Located, ruleIndex: number) {
  const { result } = l;
  const where = result.container === null ? l.subject : `${l.subject}/${result.container}`;
  const text = `${where}: ${result.reason ?? result.title}`;
  return {
    ruleId: ruleId(result.id),
    ruleIndex,
    level: result.status === 'error' ? 'error' : LEVEL[result.severity],
    message: {
      text: `${text}${result.evidence.length > 0 ? ` (${result.evidence.map((e) => `${e.path}=${JSON.stringify(e.value)}`).join('; ')})` : ''}`,
    },
    locations: [
      {
        ...(l.file !== '' && { physicalLocation: { artifactLocation: { uri: l.file } } }),
        logicalLocations: [
          { fullyQualifiedName: where, kind: 'resource' },
          ...result.evidence
            .slice(0, 3)
            .map((e) => ({ fullyQualifiedName: e.path, kind: 'member' })),
        ],
      },
    ],
    partialFingerprints: {
      clearancePosture: createHash('sha256')
        .update(`${where}\0${result.id}`)
        .digest('hex')
        .slice(0, 32),
    },
  };
}
