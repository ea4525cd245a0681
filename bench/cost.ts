/**
 * A cost model of the cloud pipeline, from measurements: the synthesized ScanImage run locally
 * on a real image (the Debian bookworm image of `../shared/tools/build-debian-image.sh` when
 * CLEARANCE_DEBIAN_IMAGE names it, else the demo image), timing every handler and counting the
 * states entered; a fleet re-check (rematchReport) of the same image timed on its own. Lambda
 * durations are scaled to each function's memory size in the template (CPU grows with memory up
 * to one vCPU at 1,769 MB); prices are list prices (us-east-1, arm64, on-demand).
 *
 *   npm run bench:cost      (CLEARANCE_BENCH_DB=DIR uses that vulnerability store for Match)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeTemplate } from '../lib/synthesize';
import { DEFAULT_POLICY, parsePolicy } from '../shared/policy';
import { DirectoryObjectStore } from '../shared/objects/object-store';
import { rematchReport } from '../shared/pipeline/rematch';
import { runLocalScan } from '../shared/local/scan';
import type { LocalHandler } from '../shared/local/run';
import { importOsv } from '../shared/vulndb/import';
import { LocalStore } from '../shared/vulndb/local-store';

/** Prices (USD), as published on the services' pricing pages in November 2026. */
const PRICE = {
  transition: 0.025 / 1000,
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  dynamoRead: 0.125 / 1e6,
  dynamoWrite: 0.625 / 1e6,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  logsGb: 0.5,
} as const;

/** The workload the issue names. */
const PUSHES_PER_DAY = 1000;
const FLEET_IMAGES = 10_000;
const DAYS = 30;
/** Share of a push's layers already analysed (shared base layers): their reports are reused. */
const LAYER_CACHE_HIT = 0.6;
/** Bytes Step Functions logs per state entered with `logging ALL` and execution data. */
const LOG_BYTES_PER_TRANSITION = 2048;
/** Memory at which Lambda gives a function one full vCPU. */
const ONE_VCPU_MB = 1769;

interface Timing {
  calls: number;
  ms: number;
}

async function main(): Promise<void> {
  const image = process.env.CLEARANCE_DEBIAN_IMAGE
    ? `oci:${join(process.env.CLEARANCE_DEBIAN_IMAGE, 'oci')}`
    : 'oci:examples/demo-image:latest';
  const dir = mkdtempSync(join(tmpdir(), 'clearance-cost-'));
  const store = await vulnerabilityStore(dir);
  const template = synthesizeTemplate();
  const memory = memoryByHandler(template);
  const cold = await timedScan(image, dir, store, template);
  const warm = await timedScan(image, dir, store, template);
  const rematchMs = await timeRematch(dir, store, cold.reportKey);
  console.log(`image ${image}: ${cold.transitions} states entered per scan`);
  printTimings(cold.timings, warm.timings, memory);
  const push = pushCost(cold.timings, warm.timings, memory, cold.transitions);
  const fleet = fleetCost(rematchMs, memory['fleet-scan-item'] ?? 1024);
  printCosts(push, fleet);
  store.close();
}

async function vulnerabilityStore(dir: string): Promise<LocalStore> {
  if (process.env.CLEARANCE_BENCH_DB) return LocalStore.open(process.env.CLEARANCE_BENCH_DB);
  const store = LocalStore.open(join(dir, 'db'), { create: true });
  await importOsv(store, ['examples/osv']);
  return store;
}

function memoryByHandler(template: Record<string, unknown>): Record<string, number> {
  const resources = template.Resources as Record<
    string,
    { Type: string; Metadata?: Record<string, string>; Properties?: { MemorySize?: number } }
  >;
  return Object.fromEntries(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['clearance:handler'])
      .map((r) => [r.Metadata!['clearance:handler']!, r.Properties?.MemorySize ?? 128]),
  );
}

async function timedScan(
  reference: string,
  dir: string,
  store: LocalStore,
  template: Record<string, unknown>,
) {
  const timings: Record<string, Timing> = {};
  const wrap = (name: string, handler: LocalHandler): LocalHandler => {
    return async (input) => {
      const started = performance.now();
      try {
        return await handler(input);
      } finally {
        const timing = (timings[name] ??= { calls: 0, ms: 0 });
        timing.calls += 1;
        timing.ms += performance.now() - started;
      }
    };
  };
  const result = await runLocalScan({
    reference,
    stateDir: join(dir, 'state'),
    vulnerabilities: store,
    policy: parsePolicy(DEFAULT_POLICY, 'default'),
    template,
    out: { write: () => true },
    clock: () => new Date(),
    actor: 'bench',
    wrap,
  });
  const output = result.execution.output as { platforms: { keys: { report: string } }[] };
  return {
    timings,
    transitions: result.execution.transitions,
    reportKey: output.platforms[0]!.keys.report,
  };
}

async function timeRematch(dir: string, store: LocalStore, reportKey: string): Promise<number> {
  const deps = {
    store: new DirectoryObjectStore(join(dir, 'state', 'objects')),
    vulnerabilities: store,
    policy: parsePolicy(DEFAULT_POLICY, 'default'),
    clock: () => new Date(),
  };
  await rematchReport(reportKey, deps);
  const started = performance.now();
  await rematchReport(reportKey, deps);
  return performance.now() - started;
}

/** Seconds on Lambda: this machine's time, slower below one vCPU. */
function lambdaSeconds(ms: number, memoryMb: number): number {
  return (ms / 1000) * Math.max(1, ONE_VCPU_MB / memoryMb);
}

function pushCost(
  cold: Record<string, Timing>,
  warm: Record<string, Timing>,
  memory: Record<string, number>,
  transitions: number,
) {
  let gbSeconds = 0;
  let requests = 0;
  for (const [name, timing] of Object.entries(cold)) {
    const warmMs = warm[name]?.ms ?? timing.ms;
    // Only AnalyzeLayer reads less on a cache hit; the other steps do the same work.
    const ms =
      name === 'analyze-layer'
        ? timing.ms * (1 - LAYER_CACHE_HIT) + warmMs * LAYER_CACHE_HIT
        : timing.ms;
    gbSeconds += lambdaSeconds(ms, memory[name] ?? 1024) * ((memory[name] ?? 1024) / 1024);
    requests += timing.calls;
  }
  const perMonth = PUSHES_PER_DAY * DAYS;
  return {
    transitions: transitions * perMonth,
    gbSeconds: gbSeconds * perMonth,
    requests: (requests + 1) * perMonth, // + start-scan
  };
}

function fleetCost(rematchMs: number, memoryMb: number) {
  // Per item: the CheckImage task and the NeedsScan choice inside the child workflow, entering it.
  const transitionsPerItem = 3;
  const perMonth = FLEET_IMAGES * DAYS;
  return {
    transitions: transitionsPerItem * perMonth,
    gbSeconds: lambdaSeconds(rematchMs, memoryMb) * (memoryMb / 1024) * perMonth,
    requests: perMonth,
  };
}

function printTimings(
  cold: Record<string, Timing>,
  warm: Record<string, Timing>,
  memory: Record<string, number>,
): void {
  console.log('handler            calls  first scan (ms)  cached layers (ms)  memory (MB)');
  for (const [name, timing] of Object.entries(cold))
    console.log(
      `${name.padEnd(18)} ${String(timing.calls).padStart(5)}  ${timing.ms.toFixed(0).padStart(15)}  ` +
        `${(warm[name]?.ms ?? 0).toFixed(0).padStart(18)}  ${String(memory[name]).padStart(11)}`,
    );
}

function printCosts(push: ReturnType<typeof pushCost>, fleet: ReturnType<typeof fleetCost>): void {
  const row = (what: string, usage: ReturnType<typeof pushCost>): void => {
    const sfn = usage.transitions * PRICE.transition;
    const lambda = usage.gbSeconds * PRICE.lambdaGbSecond + usage.requests * PRICE.lambdaRequest;
    const logs = ((usage.transitions * LOG_BYTES_PER_TRANSITION) / 1e9) * PRICE.logsGb;
    console.log(
      `${what.padEnd(34)} ${usage.transitions.toFixed(0).padStart(11)} transitions $${sfn.toFixed(2).padStart(7)}` +
        `  ${usage.gbSeconds.toFixed(0).padStart(9)} GB-s $${lambda.toFixed(2).padStart(6)}` +
        `  logs $${logs.toFixed(2)}`,
    );
  };
  console.log(`\nper month (${DAYS} days), layer cache hit ${LAYER_CACHE_HIT * 100} %:`);
  row(`${PUSHES_PER_DAY} pushes a day`, push);
  row(`nightly re-check of ${FLEET_IMAGES} images`, fleet);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
