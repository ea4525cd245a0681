import { digestOf, verdictOf } from '../support/stored-verdicts';
import { join } from 'node:path';
import { DirectoryObjectStore } from '../../shared/objects';
import { SUMMARIZE_STEP } from '../../shared/fleet';
import {
  executeLocally,
  localPostureHandler,
  recordedPostureSources,
  recordingsIn,
  type LocalHandler,
} from '../../shared/local';
import { bindStep } from '../../shared/pipeline';
import type { RematchedItem } from '../../shared/fleet/schemas';
import { FakeNotifier, FakeVerdictStore } from '../support/fleet-ports';
import { writeMapRun } from '../support/map-run';
import { useTempDir } from '../support/temp';
import { synthesize } from '../lib/synth';

/*
 * FleetScan's posture branch as the CDK app synthesizes it (Posture, its Catch into
 * PostureFailed, Summarize), run by aws-local-stepfunctions with the posture-scan and
 * fleet-summarize handlers bound to local stand-ins, and the ECS and ECR APIs replaced by the
 * recordings the collectors wrote from the API reference's responses (the golden files).
 */

const RECORDINGS = join(__dirname, '..', 'fixtures', 'golden', 'posture-run');
const RUN = 'nightly-3';
const NOW = new Date('2026-12-07T04:00:00Z');
const digest = digestOf;
const template = synthesize().template.toJSON() as Record<string, unknown>;

const verdict = verdictOf;

describe("FleetScan's posture branch, run locally on recorded API responses", () => {
  const dir = useTempDir();

  async function run(recordings: Parameters<typeof recordedPostureSources>[0]) {
    const store = new DirectoryObjectStore(dir());
    const image = {
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      repository: 'web',
      digest: digest('c'),
      tag: '1.0',
    };
    const output: RematchedItem = {
      image,
      rematched: true,
      decision: 'pass',
      previousDecision: 'pass',
      newSevereFindings: [],
      counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
      changed: false,
      dataVersion: 'sha256:data',
    };
    const manifestKey = await writeMapRun(store, `fleet/${RUN}/results`, [
      { status: 'SUCCEEDED', input: { runId: RUN, image }, output },
    ]);
    const verdicts = new FakeVerdictStore();
    verdicts.byDigest.set(digest('c'), verdict(digest('c'), 'pass'));
    verdicts.byDigest.set(digest('d'), verdict(digest('d'), 'fail'));
    const notifier = new FakeNotifier();
    const clock = () => NOW;
    const handlers: Record<string, LocalHandler> = {
      'posture-scan': localPostureHandler({ recordings, store, verdicts, clock }),
      'fleet-summarize': bindStep(SUMMARIZE_STEP, { store, notifier, clock }),
    };
    const lines: string[] = [];
    const execution = await executeLocally({
      template,
      machine: 'FleetScan',
      from: 'Posture',
      handlers,
      // CheckFleet's output as the Distributed Map leaves it.
      input: {
        runId: RUN,
        resultsPrefix: `fleet/${RUN}/results`,
        results: { ResultWriterDetails: { Bucket: 'artifacts', Key: manifestKey } },
      },
      print: (line) => lines.push(line),
      retryIntervalMs: 0,
    });
    return { execution, store, digest: notifier.published[0]!, lines };
  }

  describe('when both recordings are given (a fixture directory)', () => {
    it('judges them, keeps the recordings and the report, and gives Summarize the summary for the digest', async () => {
      const { execution, store, digest: message } = await run(recordingsIn(RECORDINGS));
      expect(execution.status).toBe('SUCCEEDED');
      expect(await store.list(`posture/${RUN}/`)).toEqual([
        `posture/${RUN}/ecr-registry.json`,
        `posture/${RUN}/ecs-inventory.json`,
        `posture/${RUN}/report.json`,
      ]);
      expect(message.body).toContain(`Runtime posture (posture/${RUN}/report.json): 3 workloads`);
      expect(message.body).toMatch(/Worst services\n {3}1\. prod\/service:agent {2}FAIL/);
      expect(message.body).toContain('Images running without a pass verdict (2)');
      expect(message.body).toMatch(/Registry: \d+ failed checks; 2 of 2 watched repositories fail/);
      expect(message.document).toMatchObject({
        runtimePosture: { status: 'completed', workloads: { total: 3 } },
      });
    });
  });

  describe('when only the ECS inventory is given', () => {
    it('judges it and says the registry was not collected', async () => {
      const { execution, digest: message } = await run({
        ecsInventory: join(RECORDINGS, 'ecs-inventory.json'),
      });
      expect(execution.status).toBe('SUCCEEDED');
      expect(message.body).toContain(
        '  not collected (ecr): no clearance/ecr-registry/v1 recording given',
      );
      expect(message.body).not.toContain('Registry:');
    });
  });

  describe('when the posture step fails', () => {
    it('catches it into PostureFailed: the fleet digest is sent and says the posture run failed', async () => {
      const { execution, digest: message, store } = await run({});
      expect(execution.status).toBe('SUCCEEDED');
      expect(message.body).toContain(
        'Runtime posture could not be checked: Clearance.Input: POSTURE_NOT_COLLECTED: nothing to judge',
      );
      expect(message.document).toMatchObject({
        runtimePosture: { status: 'failed', error: 'Clearance.Input' },
      });
      expect(await store.list('posture/')).toEqual([]);
    });
  });

  it('refuses a recording of another format, naming the file', async () => {
    const sources = recordedPostureSources({
      ecsInventory: join(RECORDINGS, 'ecr-registry.json'),
    });
    await expect(sources.ecs.collect()).rejects.toThrow(
      /ecr-registry\.json is not a clearance\/ecs-inventory\/v1 recording \(its "recording" is "clearance\/ecr-registry\/v1"\)/,
    );
  });
});
