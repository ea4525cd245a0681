/**
 * The ScanImage steps that read an image, chained in-process as the state machine chains them
 * (Resolve → per platform: AnalyzeLayer per layer → Assemble → Match → Evaluate), over a
 * DirectoryObjectStore and local images.
 */
import { parseGapPattern } from '../../shared/coverage';
import type { CoverageSettings } from '../../shared/pipeline/coverage-settings';
import { join } from 'node:path';
import { parsePolicy, DEFAULT_POLICY, type Policy } from '../../shared/policy';
import { analyzeLayerStep } from '../../shared/pipeline/analyze-layer';
import { assemblePlatform } from '../../shared/pipeline/assemble';
import { evaluatePlatform, type EvaluateDeps } from '../../shared/pipeline/evaluate';
import { matchPlatform } from '../../shared/pipeline/match';
import { DirectoryObjectStore } from '../../shared/objects/object-store';
import { LocalImageOpener } from '../../shared/local/image-opener';
import { resolveScan, type ResolveDeps } from '../../shared/pipeline/resolve';
import type {
  AssembledPlatform,
  AssembleInput,
  EvaluatedPlatform,
  ImageTarget,
  ResolvedScan,
  ScanImageInput,
  Trigger,
} from '../../shared/pipeline/states';
import type { ScanReport } from '../../shared/scan/report';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { MemoryAuditLog, MemoryVerdictStore } from './pipeline-ports';

export const TODAY = new Date('2026-11-29T00:00:00Z');
export const DEMO_IMAGE = join(__dirname, '..', '..', 'examples', 'demo-image');
export const DEMO_OSV = join(__dirname, '..', '..', 'examples', 'osv');
/** An advisory for a package no test image holds: data that is there, yet finds nothing. */
export const UNRELATED_OSV = join(
  __dirname,
  '..',
  'fixtures',
  'osv',
  'valid',
  'GHSA-c2qf-rxjj-qqgw.json',
);

export const TRIGGER: Trigger = {
  type: 'manual',
  id: 'test-run-1',
  actor: 'tester',
  time: '2026-11-29T00:00:00Z',
};

/** The ports the steps take, all local. */
export interface StepWorld {
  readonly store: DirectoryObjectStore;
  readonly opener: LocalImageOpener;
  readonly clock: () => Date;
  readonly vulnerabilities: LocalStore;
  readonly policy: Policy;
  /** What Resolve appends (`scan.started`). */
  readonly audit: MemoryAuditLog;
  /** What a deferred Resolve asks (platform manifests marked by their index's push). */
  readonly verdicts: MemoryVerdictStore;
  /** The example advisories are dated 2026-11-01 and TODAY is 2026-11-29: stale, accepted by name. */
  readonly coverage: CoverageSettings;
}

export const ACCEPT_STALE_DATA: CoverageSettings = {
  accept: {
    all: false,
    patterns: [parseGapPattern('stale-data', 'the step world')],
    origin: 'settings',
  },
};

/** A world in `dir`: objects in `dir/objects`, the vulnerability data of `osv` in `dir/db`. */
export async function stepWorld(
  dir: string,
  osv: readonly string[] = [DEMO_OSV],
): Promise<StepWorld> {
  const vulnerabilities = LocalStore.open(join(dir, 'db'), { create: true });
  await importOsv(vulnerabilities, [...osv]);
  return {
    store: new DirectoryObjectStore(join(dir, 'objects')),
    opener: new LocalImageOpener(),
    clock: () => TODAY,
    vulnerabilities,
    policy: parsePolicy(DEFAULT_POLICY, 'default'),
    audit: new MemoryAuditLog(),
    verdicts: new MemoryVerdictStore(),
    coverage: ACCEPT_STALE_DATA,
  };
}

/** Resolve and AnalyzeLayer per layer: each platform's Assemble input, as ScanPlatforms passes it. */
export async function assembleInputs(
  image: ImageTarget,
  world: StepWorld,
): Promise<{ resolved: ResolvedScan; inputs: AssembleInput[] }> {
  const input: ScanImageInput = { image, trigger: TRIGGER };
  const resolved = await resolveImageScan(input, world);
  const inputs: AssembleInput[] = [];
  for (const platform of resolved.platforms) {
    const layers = [];
    for (const layer of platform.layers)
      layers.push(
        await analyzeLayerStep({ image, analyzerSet: resolved.analyzerSet, layer }, world),
      );
    inputs.push({ scanId: resolved.scanId, image, platform, layers });
  }
  return { resolved, inputs };
}

/** Resolve, AnalyzeLayer per layer and Assemble per platform: what Match starts from. */
export async function assembleSteps(
  image: ImageTarget,
  world: StepWorld,
): Promise<{ resolved: ResolvedScan; assembled: AssembledPlatform[] }> {
  const { resolved, inputs } = await assembleInputs(image, world);
  const assembled: AssembledPlatform[] = [];
  for (const input of inputs) assembled.push(await assemblePlatform(input, world));
  return { resolved, assembled };
}

/** Every step of one scan, in order, as the state machine would run them. */
export async function runScanSteps(
  image: ImageTarget,
  world: StepWorld,
  deps: Partial<EvaluateDeps> = {},
): Promise<{ resolved: ResolvedScan; platforms: EvaluatedPlatform[] }> {
  const { resolved, assembled } = await assembleSteps(image, world);
  const platforms: EvaluatedPlatform[] = [];
  for (const one of assembled) {
    const matched = await matchPlatform({ scanId: resolved.scanId, assembled: one }, world);
    platforms.push(
      await evaluatePlatform({ scanId: resolved.scanId, image, matched }, { ...world, ...deps }),
    );
  }
  return { resolved, platforms };
}

/** The JSON object at `key` (a test failure when there is none). */
export async function storedJson<T = ScanReport>(
  store: DirectoryObjectStore,
  key: string,
): Promise<T> {
  const bytes = await store.get(key);
  if (bytes === undefined) throw new Error(`no object at ${key}`);
  return JSON.parse(bytes.toString('utf8')) as T;
}

/** Resolve, for an image the test knows is one: a skipped scan fails the test. */
export async function resolveImageScan(
  input: ScanImageInput,
  deps: ResolveDeps,
): Promise<ResolvedScan> {
  const resolved = await resolveScan(input, deps);
  if ('skipped' in resolved) throw new Error(`Resolve skipped it: ${resolved.skipped.detail}`);
  return resolved;
}
