import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PIPELINE_STEPS } from '../../shared/handlers/bindings';
import { bindStep } from '../../shared/pipeline/step-binding';
import { synthesizeTemplate } from '../../lib/synthesize';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/policy';
import { executeScanImage } from '../../shared/local/run';
import { openLocalPipeline, type LocalPipeline } from '../../shared/local/session';
import type { AuditEvent } from '../../shared/audit/events';
import type { ExecutionStarter } from '../../shared/pipeline/ports';
import type { ScanImageInput } from '../../shared/pipeline/states';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { ARTIFACT_FIXTURES, buildArtifact, pushArtifacts } from '../support/artifacts';
import { ecrPushEvent } from '../support/ecr-events';
import { buildImage, buildIndex, type BuiltIndex } from '../support/image-builder';
import { pushImage } from '../support/push';
import { startRegistry, type RunningServer } from '../support/registry-server';
import { DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(120_000);

/** The example advisories are dated 2026-11-01: fresh the next day. */
const NOW = new Date('2026-11-02T09:00:00Z');
const REPOSITORY = 'team/app';
const PASSING = { User: '1000', Healthcheck: { Test: ['CMD', '/app/health'] } };

/**
 * What ECR's events would make of a real push, end to end: images, a multi-platform index and
 * every kind of artifact pushed to docker-registry on 127.0.0.1, each push's event handed to
 * StartScan, and every execution it starts run through the synthesized ScanImage.
 */
describe('pushes to a registry, through StartScan and ScanImage', () => {
  const dir = useTempDir();
  let registry: RunningServer;
  let store: LocalStore;
  let pipeline: LocalPipeline;
  let template: Record<string, unknown>;

  beforeAll(async () => {
    registry = await startRegistry();
    template = synthesizeTemplate();
  });
  afterAll(() => registry.stop());
  beforeEach(async () => {
    store = LocalStore.open(join(dir(), 'db'), { create: true });
    await importOsv(store, [DEMO_OSV]);
    pipeline = await openLocalPipeline({
      stateDir: join(dir(), 'state'),
      vulnerabilities: store,
      policy: parsePolicy(DEFAULT_POLICY, 'default'),
      out: new Writable({ write: (_c, _e, done) => done() }),
      clock: () => NOW,
      template,
    });
  });
  afterEach(async () => {
    await pipeline.close();
    store.close();
  });

  /**
   * StartScan as deployed, its executions held until every event was handled: the deferral of
   * an untagged manifest is a wait, during which the other events of its push arrive.
   */
  function startScan() {
    const held: [string, ScanImageInput][] = [];
    const starter: ExecutionStarter = {
      start: (name, input) => {
        const fresh = !held.some(([n]) => n === name);
        if (fresh) held.push([name, input as ScanImageInput]);
        return Promise.resolve({ started: fresh });
      },
    };
    const handle = bindStep(PIPELINE_STEPS['start-scan'], {
      starter,
      verdicts: pipeline.verdicts,
      audit: pipeline.audit,
      // The events name an ECR registry; the images are in the one on 127.0.0.1.
      opener: { open: (image) => pipeline.opener.open({ ...image, registry: registry.host }) },
      watches: () => true,
      windowSeconds: 3600,
      indexWaitSeconds: 60,
    });
    const push = (digest: string, tag?: string) =>
      handle(
        ecrPushEvent(
          { 'repository-name': REPOSITORY, 'image-digest': digest, 'image-tag': tag },
          { time: NOW.toISOString() },
        ),
      ) as Promise<{ action: string }>;
    const runAll = async () => {
      const outcomes = [];
      for (const [, input] of held)
        outcomes.push(
          await executeScanImage({
            template,
            handlers: pipeline.handlers,
            // The event names an ECR registry; here the image is in the one on 127.0.0.1.
            input: { ...input, image: { ...input.image, registry: registry.host } },
            print: () => undefined,
            waitMs: 0,
          }),
        );
      return outcomes;
    };
    return { push, held, runAll };
  }

  const events = async (): Promise<AuditEvent[]> => pipeline.audit.events();

  describe('when a multi-platform image is pushed', () => {
    let index: BuiltIndex;
    beforeEach(async () => {
      const amd64 = await buildImage({ layers: [{ files: { 'app/a': 'a' } }], config: PASSING });
      const arm64 = await buildImage({
        layers: [{ files: { 'app/b': 'b' } }],
        config: PASSING,
        platform: { os: 'linux', architecture: 'arm64' },
      });
      index = await buildIndex([amd64, arm64], { attestation: true });
      await pushImage(registry.host, REPOSITORY, '1.0', index);
    });

    it.each([
      ['the platform manifests come first', true],
      ['the index comes first', false],
    ])('scans it once, as one verdict over its platforms, when %s', async (_, childrenFirst) => {
      const { push, held, runAll } = startScan();
      const children = JSON.parse(index.index.toString()) as { manifests: { digest: string }[] };
      const childPushes = () => Promise.all(children.manifests.map((m) => push(m.digest)));
      if (childrenFirst) await childPushes();
      await push(index.descriptor.digest, '1.0');
      if (!childrenFirst) await childPushes();

      const outcomes = await runAll();
      const verdicts = outcomes.filter((o) => (o.output as { record?: unknown })?.record);
      expect(verdicts).toHaveLength(1);
      expect(verdicts[0]!.output).toMatchObject({
        image: { digest: index.descriptor.digest },
        platforms: [{ platform: 'linux/amd64' }, { platform: 'linux/arm64' }],
      });
      expect(outcomes.every((o) => o.status === 'SUCCEEDED')).toBe(true);
      // Its platform (and attestation) manifests' own pushes start nothing, or, when they came
      // first, their deferred scans find the index has covered them.
      const others = outcomes.filter((o) => o !== verdicts[0]);
      for (const other of others)
        expect(other.output).toMatchObject({
          skipped: { reason: 'indexed', index: index.descriptor.digest },
        });
      expect(others.length > 0).toBe(childrenFirst);
      expect(
        held.every(([, input]) => input.defer !== undefined || input.image.tag === '1.0'),
      ).toBe(true);
      const types = (await events()).map((e) => e.type);
      expect(types.filter((t) => t === 'scan.completed')).toHaveLength(1);
      // One push recorded per digest (the two attestation manifests here are the same bytes).
      const digests = new Set([
        index.descriptor.digest,
        ...children.manifests.map((m) => m.digest),
      ]);
      expect(types.filter((t) => t === 'image.pushed')).toHaveLength(digests.size);
    });

    it('still scans a platform manifest pushed on its own', async () => {
      const { push, runAll } = startScan();
      const single = await buildImage({ layers: [{ files: { 'app/c': 'c' } }], config: PASSING });
      await pushImage(registry.host, REPOSITORY, single.descriptor.digest, single);
      expect((await push(single.descriptor.digest)).action).toBe('started');
      const [outcome] = await runAll();
      expect(outcome!.output).toMatchObject({ record: { decision: 'pass' } });
    });
  });

  describe('when artifacts are pushed beside an image', () => {
    it('starts no scan for any of them, records what each is, and tells no one', async () => {
      const image = await buildImage({ layers: [{ files: { 'app/x': 'x' } }], config: PASSING });
      const entries: Record<string, Parameters<typeof pushArtifacts>[2][string]> = {};
      // docker-registry refuses the withdrawn OCI artifact manifest (test/support/artifacts.ts).
      for (const name of ARTIFACT_FIXTURES.filter((n) => n !== 'oci-artifact-manifest'))
        entries[`a-${name}`] = await buildArtifact(name, image.descriptor);
      await pushImage(registry.host, REPOSITORY, '2.0', image);
      await pushArtifacts(registry.host, REPOSITORY, entries);

      const { push, held } = startScan();
      const pushed = [];
      for (const [tag, entry] of Object.entries(entries))
        pushed.push(await push(entry.descriptor.digest, tag));
      expect(pushed.map((r) => r.action)).toEqual(pushed.map(() => 'skipped'));
      expect(held).toEqual([]);
      const skipped = (await events()).filter((e) => e.type === 'artifact.skipped');
      expect(skipped).toHaveLength(pushed.length);
      expect(new Set(skipped.map((e) => e.details.kind))).toEqual(
        new Set([
          'cosign-signature',
          'cosign-attestation',
          'sigstore-bundle',
          'in-toto-attestation',
          'dsse-envelope',
          'sbom',
          'vex',
          'notation-signature',
          'helm-chart',
          'wasm',
          'buildkit-attestation',
          'clearance-verdict',
          'oci-artifact',
        ]),
      );
    });

    it('skips one that reaches ScanImage anyway (a start from before StartScan read manifests)', async () => {
      const image = await buildImage({ layers: [{ files: { 'app/x': 'x' } }], config: PASSING });
      const chart = await buildArtifact('helm-chart', image.descriptor);
      await pushArtifacts(registry.host, REPOSITORY, { chart });
      const outcome = await executeScanImage({
        template,
        handlers: pipeline.handlers,
        input: {
          image: {
            registry: registry.host,
            repository: REPOSITORY,
            digest: chart.descriptor.digest,
            tag: 'chart',
          },
          trigger: {
            type: 'push',
            id: 'old-start',
            actor: 'aws.ecr:123456789012',
            time: NOW.toISOString(),
          },
        },
        print: () => undefined,
      });
      expect(outcome).toMatchObject({
        status: 'SUCCEEDED',
        output: { skipped: { reason: 'artifact', kind: 'helm-chart' } },
      });
      const types = (await events()).map((e) => e.type);
      expect(types).not.toContain('scan.failed');
      expect(types).toContain('artifact.skipped');
    });
  });
});
