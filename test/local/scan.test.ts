/**
 * The synthesized ScanImage state machine executed end to end by aws-local-stepfunctions, with
 * every handler in-process over local stand-ins: the definition CloudFormation would deploy,
 * with its real Retry, Catch, Choice and Map semantics.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_STEPS } from '../../shared/handlers/bindings';
import { bindStep } from '../../shared/pipeline/step-binding';
import { synthesizeTemplate } from '../../lib/synthesize';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/policy';
import { LocalExecutionStarter } from '../../shared/local/execution-starter';
import { executeScanImage, type LocalHandler } from '../../shared/local/run';
import { runLocalScan, type LocalScanOptions } from '../../shared/local/scan';
import { openLocalPipeline } from '../../shared/local/session';
import type { AuditEvent } from '../../shared/audit/events';
import type { Notification } from '../../shared/notify/notifier';
import type { RegistryWriter } from '../../shared/pipeline/ports';
import type { ImageTarget, ScanImageInput } from '../../shared/pipeline/states';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { ecrPushEvent } from '../support/ecr-events';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { notificationSchemaErrors } from '../support/schemas';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(120_000);

/** A day after the demo advisories' newest `modified`: the data is fresh, not a coverage gap. */
const NOW = new Date('2026-11-02T10:00:00Z');
const PROMOTION = { repository: 'releases', tagPattern: 'release-{tag}' };

/** A copy as Promote asks for it (a test double of our RegistryWriter port). */
class RecordingRegistry implements RegistryWriter {
  readonly copies: { from: ImageTarget; to: { repository: string; tag: string } }[] = [];
  copy(from: ImageTarget, to: { repository: string; tag: string }): Promise<void> {
    this.copies.push({ from, to });
    return Promise.resolve();
  }
}

let template: Record<string, unknown>;
let promoting: Record<string, unknown>;
beforeAll(() => {
  template = synthesizeTemplate();
  promoting = synthesizeTemplate({
    context: { clearance: { quarantine: 'record', promotion: PROMOTION } },
  });
});

const dir = useTempDir();
let store: LocalStore;
beforeEach(async () => {
  store = LocalStore.open(join(dir(), 'db'), { create: true });
  await importOsv(store, [DEMO_OSV]);
});
afterEach(() => store.close());

/** A single-platform OCI layout that passes the default policy: non-root, healthcheck, no shell. */
async function passingImage(layers: LayerSpec[] = [{ files: { 'app/server.js': 'run()' } }]) {
  const image = await buildImage({
    layers,
    config: { User: '1000', Healthcheck: { Test: ['CMD', '/app/health'] } },
  });
  const layout = join(dir(), 'passing');
  await writeOciLayout(layout, { '1.0': image });
  return `oci:${layout}:1.0`;
}

/** A copy of the demo layout: SignVerdict attaches the signed verdict into the layout it scans. */
function demoImage(): string {
  const copy = join(dir(), 'demo-image');
  cpSync(DEMO_IMAGE, copy, { recursive: true });
  return `oci:${copy}:latest`;
}

function scan(reference: string, overrides: Partial<LocalScanOptions> = {}) {
  const lines: string[] = [];
  const run = runLocalScan({
    reference,
    stateDir: join(dir(), 'state'),
    vulnerabilities: store,
    policy: parsePolicy(DEFAULT_POLICY, 'default'),
    template,
    out: { write: (chunk: string) => lines.push(chunk) },
    clock: () => NOW,
    actor: 'tester',
    retryIntervalMs: 0,
    ...overrides,
  });
  return run.then((result) => ({ ...result, output: lines.join('') }));
}

const readJsonLines = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
const outbox = () => readJsonLines<Notification>(join(dir(), 'state', 'outbox.jsonl'));
const audit = () => readJsonLines<AuditEvent>(join(dir(), 'state', 'audit.jsonl'));

describe('ScanImage, executed locally', () => {
  describe('when the image passes', () => {
    it('records pass, promotes the exact digest and skips quarantine', async () => {
      const registry = new RecordingRegistry();
      const result = await scan(await passingImage(), { template: promoting, registry });

      expect(result.execution.status).toBe('SUCCEEDED');
      expect(result.decision).toBe('pass');
      expect(result.output).toMatch(/✓ Promote/);
      expect(result.output).not.toMatch(/Quarantine/);
      expect(registry.copies).toEqual([
        {
          from: expect.objectContaining({ digest: result.input.image.digest, tag: '1.0' }),
          to: { repository: 'releases', tag: 'release-1.0' },
        },
      ]);
      expect(audit().map((e) => e.type)).toEqual(
        expect.arrayContaining(['scan.started', 'scan.completed', 'image.promoted']),
      );
    });

    it('leaves the summary, the report and both SBOMs in the object directory', async () => {
      const result = await scan(await passingImage());
      const scanDir = join(dir(), 'state', 'objects', 'scans', result.scanId!);
      const summary = JSON.parse(readFileSync(join(scanDir, 'summary.json'), 'utf8')) as {
        platforms: { keys: Record<string, string> }[];
      };
      for (const key of Object.values(summary.platforms[0]!.keys))
        expect(() => readFileSync(join(dir(), 'state', 'objects', key))).not.toThrow();
    });
  });

  describe('when the image fails', () => {
    it('quarantines it, skips promotion and alerts with filterable attributes', async () => {
      const registry = new RecordingRegistry();
      const result = await scan(demoImage(), { template: promoting, registry });

      expect(result.decision).toBe('fail');
      expect(result.output).toMatch(/✓ Quarantine/);
      expect(result.output).not.toMatch(/Promote/);
      expect(registry.copies).toEqual([]);
      const [alert] = outbox();
      expect(alert).toMatchObject({
        topic: 'alerts',
        attributes: {
          verdict: 'fail',
          maxSeverity: 'high',
          repository: 'demo-image',
          eventType: 'verdict.changed',
        },
      });
      expect(alert!.subject.length).toBeLessThanOrEqual(100);
      expect(notificationSchemaErrors(alert!.document)).toEqual([]);
      expect(audit().map((e) => e.type)).toContain('image.quarantined');
    });

    it('does not alert again when a second scan finds the same', async () => {
      const demo = demoImage();
      await scan(demo);
      const again = await scan(demo, {
        clock: () => new Date(NOW.getTime() + 60_000),
      });

      expect(again.decision).toBe('fail');
      // Notify runs for every verdict (its event, publishEvents), and alerts on a change only.
      expect(outbox()).toHaveLength(1);
    });
  });

  describe('when a layer is corrupt', () => {
    it("fails the image's verdict as incomplete and tells its team: the image is at fault, not the pipeline", async () => {
      const reference = await passingImage([
        { files: { 'app/server.js': 'run()' } },
        { tar: Buffer.from('not a tar at all'), compression: 'gzip' },
      ]);
      const result = await scan(reference);

      expect(result.execution.status).toBe('SUCCEEDED');
      expect(result.decision).toBe('fail');
      expect(result.output).toMatch(
        /✓ Evaluate {2}linux\/amd64: fail; incomplete: layer-unreadable sha256:/,
      );
      expect(audit().map((e) => e.type)).not.toContain('scan.failed');
      expect(outbox()).toEqual([
        expect.objectContaining({
          topic: 'alerts',
          subject: expect.stringMatching(/^\[FAIL\] .* - incomplete/),
          attributes: expect.objectContaining({ eventType: 'verdict.changed', verdict: 'fail' }),
        }),
      ]);
    });
  });

  describe('when Lambda throttles a function', () => {
    it('retries the state and finishes the scan', async () => {
      let throttled = 0;
      const throttleOnce = (name: string, handler: LocalHandler): LocalHandler =>
        name !== 'analyze-layer'
          ? handler
          : (input) => {
              if (throttled++ > 0) return handler(input);
              const error = new Error('Rate exceeded');
              error.name = 'Lambda.TooManyRequestsException';
              return Promise.reject(error);
            };
      const result = await scan(await passingImage(), { wrap: throttleOnce });

      expect(result.output).toMatch(/↻ AnalyzeLayer: retry 1/);
      expect(result.decision).toBe('pass');
    });

    it('invokes it no more often than its own retries allow, then fails the scan cleanly', async () => {
      let invocations = 0;
      const throttled = (name: string, handler: LocalHandler): LocalHandler =>
        name !== 'analyze-layer'
          ? handler
          : () => {
              invocations += 1;
              const error = new Error('Rate exceeded');
              error.name = 'Lambda.TooManyRequestsException';
              return Promise.reject(error);
            };
      const result = await scan(await passingImage(), { wrap: throttled });

      // The task's MaxAttempts (6) and the first attempt; no Map around it retries it again.
      expect(invocations).toBe(7);
      expect(result.execution.status).toBe('FAILED');
      expect(result.execution.failure).toMatchObject({
        state: 'AnalyzeLayer',
        error: 'Lambda.TooManyRequestsException',
        message: 'Rate exceeded',
      });
      expect(audit().map((e) => e.type)).toContain('scan.failed');
    });
  });
});

describe('StartScan into ScanImage, locally', () => {
  it('starts one execution for duplicate push events', async () => {
    const reference = await passingImage();
    const layout = reference.slice('oci:'.length, -':1.0'.length);
    const pipeline = await openLocalPipeline({
      stateDir: join(dir(), 'state'),
      vulnerabilities: store,
      policy: parsePolicy(DEFAULT_POLICY, 'default'),
      out: process.stdout,
      clock: () => NOW,
      template,
    });
    try {
      const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
        manifests: { digest: string }[];
      };
      const imageDigest = index.manifests[0]!.digest;
      const starter = new LocalExecutionStarter((_name, input) =>
        executeScanImage({
          template,
          handlers: pipeline.handlers,
          // The event names an ECR registry; locally the image is the layout it was pushed from.
          input: localized(input as ScanImageInput, `oci:${layout}`),
          print: () => undefined,
        }),
      );
      const startScan = bindStep(PIPELINE_STEPS['start-scan'], {
        starter,
        verdicts: pipeline.verdicts,
        audit: pipeline.audit,
        watches: () => true,
        windowSeconds: 3600,
        indexWaitSeconds: 60,
        opener: { open: (image) => pipeline.opener.open({ ...image, registry: `oci:${layout}` }) },
      });
      const push = ecrPushEvent({ 'image-digest': imageDigest, 'image-tag': '1.0' });
      const first = await startScan(push);
      const redelivered = await startScan(push);
      const secondEvent = await startScan({ ...push, id: 'another-event-id-for-the-same-push' });

      expect([first, redelivered, secondEvent].map((r) => r.action)).toEqual([
        'started',
        'duplicate',
        'duplicate',
      ]);
      expect(starter.names()).toHaveLength(1);
      expect(await starter.outcome(starter.names()[0]!)).toMatchObject({ status: 'succeeded' });
    } finally {
      await pipeline.close();
    }
  });
});

function localized(input: ScanImageInput, registry: string): ScanImageInput {
  return { ...input, image: { ...input.image, registry } };
}
