import { acceptGaps, coverageOf, coverageStatus, matchesGap, parseGapPattern } from '../coverage';
import type { Coverage, CoverageGap, GapAcceptance } from '../coverage';
import { evaluateDocument, type Policy, type Verdict } from '../policy';
import {
  CIS_BENCHMARK,
  type ImageFacts,
  type PostureCheckResult,
  type PostureContext,
} from './check';
import { imageReferenceOf, POSTURE_CHECKS } from './checks';
import { readDocuments, type DeploymentDocument, type DocumentResult } from './documents';
import { registryPosture, type RegistryPosture, type RegistryPostureOptions } from './registry';
import { runPostureChecks } from './run';
import type { ContainerSpec, WorkloadSpec } from './workload';

/** Where the images' verdicts come from (`--verdicts`, `--image-report`, the deployed tables). */
export interface ImageFactsSource {
  /** What it is, for evidence: `local state .clearance/pipeline`, `report.json`. */
  readonly name: string;
  /**
   * The facts of the image a container runs: by its digests (the reference's, those running),
   * else by repository and tag. `unknown` when the source has no verdict for it.
   */
  lookup(image: {
    readonly registry: string;
    readonly repository: string;
    readonly tag: string | undefined;
    readonly digests: readonly string[];
  }): Promise<ImageFacts>;
}

export interface PostureOptions {
  readonly now: Date;
  readonly policy: Policy;
  readonly verdicts?: ImageFactsSource;
  readonly trustedRegistries?: readonly string[];
  readonly registry?: RegistryPostureOptions;
  /** Coverage gaps accepted on the command line (`--allow-gap`, `--allow-incomplete`). */
  readonly accept?: GapAcceptance;
}

export interface ContainerSummary {
  readonly name: string;
  readonly role: ContainerSpec['role'];
  readonly image: {
    readonly reference: string | null;
    readonly registry: string | null;
    readonly repository: string | null;
    readonly tag: string | null;
    readonly digest: string | null;
  };
  readonly runningDigests: readonly string[];
  /** The image's latest verdict, when a verdict source was given. */
  readonly verdict: (ImageFacts & { readonly source: string }) | null;
}

export interface WorkloadReport {
  readonly id: string;
  readonly format: WorkloadSpec['format'];
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly source: string;
  readonly platform: WorkloadSpec['platform'];
  readonly os: 'linux' | 'windows' | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly ContainerSummary[];
  readonly checks: readonly PostureCheckResult[];
  /** The policy's decision on this workload. */
  readonly verdict: Verdict;
}

/** `clearance posture`: every document's fate, every workload's checks and verdict, the registry's. */
export interface PostureReport {
  readonly schemaVersion: 1;
  /** The benchmark whose numbering `cis` uses. */
  readonly benchmark: typeof CIS_BENCHMARK;
  readonly generatedAt: string;
  readonly documents: readonly DocumentResult[];
  readonly workloads: readonly WorkloadReport[];
  readonly registry: RegistryPosture | null;
  /** What was not read: documents unknown or invalid (each a gap until accepted). */
  readonly coverage: Coverage;
  /** `fail` when a workload's verdict fails, a registry check fails, or a gap is open. */
  readonly decision: 'pass' | 'warn' | 'fail';
  readonly summary: PostureSummary;
}

export interface PostureSummary {
  readonly workloads: number;
  readonly containers: number;
  readonly checks: Readonly<Record<PostureCheckResult['status'], number>>;
  /** Failed checks by severity. */
  readonly failed: Readonly<Record<PostureCheckResult['severity'], number>>;
  readonly decisions: Readonly<Record<Verdict['decision'], number>>;
}

/**
 * Reads the documents, runs every posture check on every workload, and judges each under the
 * policy. Documents it could not read are gaps: the report cannot pass while one is open.
 */
export async function postureReport(
  documents: readonly (DeploymentDocument | DocumentResult)[],
  options: PostureOptions,
): Promise<PostureReport> {
  const read = readDocuments(documents);
  const facts = await imageFacts(read.workloads, options.verdicts);
  const context: PostureContext = {
    image: (c) => facts.get(c),
    trustedRegistries: options.trustedRegistries ?? [],
  };
  const registry =
    read.registry.length === 0 ? null : registryPosture(read.registry, options.registry ?? {});
  const gaps = [...read.results.flatMap(gapOf), ...(registry?.problems ?? []).map(registryGap)];
  const coverage = acceptedCoverage(coverageOf(gaps), options);
  const workloads = read.workloads.map((w) => workloadReport(w, context, options, facts));
  const registryFailed =
    registry !== null &&
    registryChecks(registry).some((c) => c.status === 'fail' || c.status === 'error');
  const decisions = workloads.map((w) => w.verdict.decision);
  const decision =
    decisions.includes('fail') || registryFailed || coverageStatus(coverage) === 'incomplete'
      ? 'fail'
      : decisions.includes('warn')
        ? 'warn'
        : 'pass';
  return {
    schemaVersion: 1,
    benchmark: CIS_BENCHMARK,
    generatedAt: options.now.toISOString(),
    documents: read.results,
    workloads,
    registry,
    coverage,
    decision,
    summary: summaryOf(workloads, registry),
  };
}

/** Every check result of the registry part: the registry's own and each repository's. */
export function registryChecks(registry: RegistryPosture): PostureCheckResult[] {
  return [...(registry.registry?.checks ?? []), ...registry.repositories.flatMap((r) => r.checks)];
}

function gapOf(result: DocumentResult): CoverageGap[] {
  if (result.status !== 'unknown' && result.status !== 'invalid') return [];
  return [
    {
      kind: 'document-unread',
      subject: result.source,
      reason: result.reason ?? result.status,
      affects: 'the containers it may define: none of their settings were checked',
      acceptedBy: null,
    },
  ];
}

/** A registry document (or part) that could not be read: `<source>: <field> <message>`. */
function registryGap(problem: string): CoverageGap {
  const colon = problem.indexOf(': ');
  return {
    kind: 'document-unread',
    subject: colon < 0 ? problem : problem.slice(0, colon),
    reason: colon < 0 ? problem : problem.slice(colon + 2),
    affects: 'the registry settings it holds: the checks that need them err',
    acceptedBy: null,
  };
}

/** The gaps accepted on the command line, then by the policy's exceptions that name them. */
function acceptedCoverage(coverage: Coverage, options: PostureOptions): Coverage {
  const today = options.now.toISOString().slice(0, 10);
  const accepting = options.policy.exceptions
    .filter(
      (e) => e.scope.coverage !== undefined && (e.expires === undefined || e.expires >= today),
    )
    .map((e) => ({ exception: e, pattern: parseGapPattern(e.scope.coverage!, e.id) }));
  const accept = options.accept;
  return acceptGaps(coverage, (gap) => {
    if (accept?.all) return '--allow-incomplete';
    const flag = accept?.patterns.find((p) => matchesGap(p, gap));
    if (flag !== undefined) return `--allow-gap ${gap.kind}`;
    const found = accepting.find(({ pattern }) => matchesGap(pattern, gap));
    return found && `exception ${found.exception.id} (${found.exception.owner})`;
  });
}

/** Looks up each container's image once, before the (synchronous) checks run. */
async function imageFacts(
  workloads: readonly WorkloadSpec[],
  source: ImageFactsSource | undefined,
): Promise<Map<ContainerSpec, ImageFacts>> {
  const facts = new Map<ContainerSpec, ImageFacts>();
  if (source === undefined) return facts;
  const cache = new Map<string, Promise<ImageFacts>>();
  for (const workload of workloads)
    for (const container of workload.containers) {
      const ref = imageReferenceOf(container);
      if (typeof ref === 'string') {
        facts.set(container, { verdict: 'unknown', source: source.name });
        continue;
      }
      const digests = [
        ...(ref.digest === undefined ? [] : [ref.digest]),
        ...container.runningDigests,
      ];
      const key = `${ref.registry}/${ref.repository}:${ref.tag ?? ''}@${digests.join(',')}`;
      if (!cache.has(key))
        cache.set(
          key,
          source.lookup({
            registry: ref.registry,
            repository: ref.repository,
            tag: ref.tag,
            digests,
          }),
        );
      facts.set(container, await cache.get(key)!);
    }
  return facts;
}

function workloadReport(
  workload: WorkloadSpec,
  context: PostureContext,
  options: PostureOptions,
  facts: ReadonlyMap<ContainerSpec, ImageFacts>,
): WorkloadReport {
  const checks = runPostureChecks(POSTURE_CHECKS, workload, context);
  const containers = workload.containers.map((c) => containerSummary(c, facts.get(c)));
  const head = {
    id: workload.id,
    format: workload.format,
    kind: workload.kind,
    name: workload.name,
    namespace: workload.namespace ?? null,
    source: workload.source,
    platform: workload.platform,
    os: workload.os.value ?? null,
    labels: workload.labels,
    containers,
    checks,
  };
  const verdict = judgeWorkload(options.policy, head, options.now);
  return { ...head, verdict };
}

/**
 * The policy's verdict on one workload of a report (also what `policy test` re-judges): rules
 * `match` its images' repositories, exceptions scope its id (`workload`), repositories, digests.
 */
export function judgeWorkload(
  policy: Policy,
  workload: Omit<WorkloadReport, 'verdict'>,
  now: Date,
): Verdict {
  const { containers } = workload;
  const identity = {
    repositories: containers.flatMap((c) =>
      c.image.repository === null
        ? []
        : [c.image.repository, `${c.image.registry}/${c.image.repository}`],
    ),
    tag: undefined,
    digests: containers.flatMap((c) => [
      ...(c.image.digest === null ? [] : [c.image.digest]),
      ...c.runningDigests,
    ]),
    workloads: [workload.id],
  };
  return evaluateDocument(policy, deploymentDocument(workload), identity, coverageOf([]), now);
}

function containerSummary(c: ContainerSpec, facts: ImageFacts | undefined): ContainerSummary {
  const ref = imageReferenceOf(c);
  const parsed = typeof ref === 'string' ? undefined : ref;
  return {
    name: c.name,
    role: c.role,
    image: {
      reference: c.image.value ?? null,
      registry: parsed?.registry ?? null,
      repository: parsed?.repository ?? null,
      tag: parsed?.tag ?? null,
      digest: parsed?.digest ?? null,
    },
    runningDigests: c.runningDigests,
    verdict: facts ?? null,
  };
}

/**
 * What a posture policy's expressions see, one workload at a time (documented in the README,
 * "Runtime posture"): `workload` (id, format, kind, name, namespace, platform, os, labels),
 * `containers` (name, role, image {reference, registry, repository, tag, digest}, verdict or
 * null), and `checks` (id, status, severity, cis, container). Plain JSON.
 */
export function deploymentDocument(
  workload: Omit<WorkloadReport, 'verdict'>,
): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      workload: {
        id: workload.id,
        format: workload.format,
        kind: workload.kind,
        name: workload.name,
        namespace: workload.namespace,
        platform: workload.platform,
        os: workload.os,
        labels: workload.labels,
      },
      containers: workload.containers.map((c) => ({
        name: c.name,
        role: c.role,
        image: c.image,
        verdict: c.verdict?.verdict ?? null,
      })),
      checks: workload.checks.map((c) => ({
        id: c.id,
        status: c.status,
        severity: c.severity,
        cis: c.cis,
        container: c.container,
      })),
    }),
  ) as Record<string, unknown>;
}

function summaryOf(
  workloads: readonly WorkloadReport[],
  registry: RegistryPosture | null,
): PostureSummary {
  const checks = { pass: 0, fail: 0, 'not-applicable': 0, error: 0 };
  const failed = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  const decisions = { pass: 0, warn: 0, fail: 0 };
  const all = [
    ...workloads.flatMap((w) => w.checks),
    ...(registry === null ? [] : registryChecks(registry)),
  ];
  for (const check of all) {
    checks[check.status]++;
    if (check.status === 'fail') failed[check.severity]++;
  }
  for (const w of workloads) decisions[w.verdict.decision]++;
  return {
    workloads: workloads.length,
    containers: workloads.reduce((n, w) => n + w.containers.length, 0),
    checks,
    failed,
    decisions,
  };
}
