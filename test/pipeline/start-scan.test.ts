import { parseEcrPushEvent } from '../../shared/pipeline/ecr-event';
import { repositoryFilter } from '../../shared/fleet/repositories';
import {
  MAX_EXECUTION_NAME_LENGTH,
  executionName,
  startScan,
} from '../../shared/pipeline/start-scan';
import { ImageNotFoundError } from '../../shared/image/errors';
import { ClearanceError, type ErrorKind } from '../../shared/core/errors';
import { ScanImageInput } from '../../shared/pipeline/states';
import { readArtifactFixture } from '../support/artifacts';
import { ecrPushEvent } from '../support/ecr-events';
import {
  MemoryAuditLog,
  MemoryExecutionStarter,
  MemoryVerdictStore,
} from '../support/pipeline-ports';
import { ManifestOpener } from '../support/manifest-opener';
import { DIGEST, OTHER_DIGEST, imageTarget } from '../support/pipeline-scans';

const WINDOW_SECONDS = 300;

/** What a registry's 503 becomes. */
class RegistryTransientError extends ClearanceError {
  readonly code = 'REGISTRY_UNAVAILABLE';
  readonly kind: ErrorKind = 'transient';
  constructor() {
    super('the registry answered 503');
  }
}

function setUp(globs = ['*']) {
  return {
    starter: new MemoryExecutionStarter(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    watches: repositoryFilter(globs),
    windowSeconds: WINDOW_SECONDS,
    opener: new ManifestOpener(),
    indexWaitSeconds: 60,
  };
}

const push = (detail: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) =>
  parseEcrPushEvent(ecrPushEvent(detail, overrides));

describe('startScan', () => {
  describe('when a watched repository is pushed to', () => {
    it('starts ScanImage with the image and a push trigger', async () => {
      const deps = setUp();
      const result = await startScan(push(), deps);
      const window = Math.floor(Date.parse('2026-11-29T09:55:12Z') / 1000 / WINDOW_SECONDS);
      expect(result).toEqual({
        action: 'started',
        execution: expect.stringMatching(/^payments-api-/),
      });
      expect([...deps.starter.started]).toEqual([
        [
          result.action === 'started' && result.execution,
          {
            image: imageTarget(),
            trigger: {
              type: 'push',
              id: result.action === 'started' && result.execution,
              actor: 'aws.ecr:123456789012',
              time: new Date(window * WINDOW_SECONDS * 1000).toISOString(),
            },
          },
        ],
      ]);
      expect(ScanImageInput.safeParse([...deps.starter.started.values()][0]).success).toBe(true);
    });

    it('records image.pushed with the event id', async () => {
      const deps = setUp();
      const result = await startScan(push(), deps);
      expect(deps.audit.events).toEqual([
        expect.objectContaining({
          type: 'image.pushed',
          id: `${result.action === 'started' && result.execution}:image.pushed`,
          time: '2026-11-29T09:55:12.000Z',
          details: expect.objectContaining({
            eventId: '13cde686-328b-6117-af20-0e5566167482',
            promotion: false,
          }),
        }),
      ]);
    });
  });

  describe('when the event comes twice', () => {
    it.each([
      ['with the same id', {}],
      ['with another id', { id: 'a-second-delivery' }],
      ['a little later in the window', { id: 'later', time: '2026-11-29T09:59:59Z' }],
    ])('starts one execution, %s', async (_, overrides) => {
      const deps = setUp();
      expect((await startScan(push(), deps)).action).toBe('started');
      expect(await startScan(push({}, overrides), deps)).toMatchObject({ action: 'duplicate' });
      expect(deps.starter.started.size).toBe(1);
      expect(deps.audit.types()).toEqual(['image.pushed']);
    });

    it('starts another in the next trigger window', async () => {
      const deps = setUp();
      await startScan(push(), deps);
      await startScan(push({}, { time: '2026-11-29T10:00:00Z' }), deps);
      expect(deps.starter.started.size).toBe(2);
    });
  });

  describe('when another digest is pushed to the same repository', () => {
    it('starts a scan of it too', async () => {
      const deps = setUp();
      await startScan(push(), deps);
      await startScan(push({ 'image-digest': OTHER_DIGEST }), deps);
      expect(deps.starter.started.size).toBe(2);
    });
  });

  describe('when the push is the pipeline’s own promotion', () => {
    it('starts nothing and records the push as a promotion', async () => {
      const deps = setUp();
      await deps.verdicts.markPromotion('release/api', DIGEST, new Date('2026-11-29T10:05:00Z'));
      const result = await startScan(push({ 'repository-name': 'release/api' }), deps);
      expect(result).toMatchObject({ action: 'promotion' });
      expect(deps.starter.started.size).toBe(0);
      expect(deps.audit.events).toEqual([
        expect.objectContaining({
          type: 'image.pushed',
          image: { repository: 'release/api', digest: DIGEST, tag: '1.4.2' },
          details: expect.objectContaining({ promotion: true }),
        }),
      ]);
    });

    it('scans a push of the digest once the marker has expired', async () => {
      const deps = setUp();
      await deps.verdicts.markPromotion('release/api', DIGEST, new Date('2026-11-29T09:50:00Z'));
      const result = await startScan(push({ 'repository-name': 'release/api' }), deps);
      expect(result.action).toBe('started');
    });
  });

  describe('when the push is not an image', () => {
    it.each([
      ['cosign-signature-tag', 'cosign-signature'],
      ['cosign-attestation', 'cosign-attestation'],
      ['clearance-verdict', 'clearance-verdict'],
      ['helm-chart', 'helm-chart'],
      ['sbom-spdx-harbor', 'sbom'],
      ['notation-jws', 'notation-signature'],
      ['wasm-cncf', 'wasm'],
      ['singularity-sif', 'oci-artifact'],
    ])(
      'starts nothing for a %s and records artifact.skipped with what it is',
      async (fixture, kind) => {
        const deps = setUp();
        deps.opener.set(DIGEST, readArtifactFixture(fixture));
        const result = await startScan(push(), deps);
        expect(result).toMatchObject({ action: 'skipped' });
        expect(deps.starter.started.size).toBe(0);
        expect(deps.audit.events).toEqual([
          expect.objectContaining({
            type: 'artifact.skipped',
            id: `${result.action === 'skipped' && result.execution}:artifact.skipped`,
            details: expect.objectContaining({
              kind,
              mediaType: expect.any(String),
              layerMediaTypes: expect.any(Array),
              eventId: '13cde686-328b-6117-af20-0e5566167482',
            }),
          }),
        ]);
      },
    );

    it("names a signature's subject, from its tag", async () => {
      const deps = setUp();
      const subject = `sha256:${'5'.repeat(64)}`;
      deps.opener.set(DIGEST, readArtifactFixture('cosign-signature-tag'));
      await startScan(push({ 'image-tag': `sha256-${'5'.repeat(64)}.sig` }), deps);
      expect(deps.audit.events[0]!.details).toMatchObject({ subject });
    });

    it('reads the manifest once, and not for a push the pipeline made itself', async () => {
      const deps = setUp();
      await deps.verdicts.markPromotion('payments/api', DIGEST, new Date('2026-11-29T10:05:00Z'));
      await startScan(push(), deps);
      expect(deps.opener.opened).toBe(0);
    });
  });

  describe('when a multi-platform image is pushed (one event per manifest, any order)', () => {
    const AMD64 = `sha256:${'a'.repeat(64)}`;
    const ARM64 = `sha256:${'b'.repeat(64)}`;
    const INDEX = `sha256:${'c'.repeat(64)}`;
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: AMD64,
            size: 1,
            platform: { os: 'linux', architecture: 'amd64' },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: ARM64,
            size: 1,
            platform: { os: 'linux', architecture: 'arm64' },
          },
        ],
      }),
    );
    const child = (digest: string) => push({ 'image-digest': digest, 'image-tag': undefined });
    const ofIndex = push({ 'image-digest': INDEX });
    const deps = () => {
      const d = setUp();
      d.opener.set(INDEX, index);
      return d;
    };

    it('starts one scan, of the index, when the index comes first', async () => {
      const d = deps();
      const results = [
        await startScan(ofIndex, d),
        await startScan(child(AMD64), d),
        await startScan(child(ARM64), d),
      ];
      expect(results.map((r) => r.action)).toEqual(['started', 'indexed', 'indexed']);
      expect(
        [...d.starter.started.values()].map(
          (input) => (input as { image: { digest: string } }).image.digest,
        ),
      ).toEqual([INDEX]);
      expect(d.audit.events.slice(1).map((e) => e.details)).toEqual([
        expect.objectContaining({ index: INDEX }),
        expect.objectContaining({ index: INDEX }),
      ]);
    });

    it('defers the untagged children that come first: their scans wait for the index, which then covers them', async () => {
      const d = deps();
      const first = await startScan(child(AMD64), d);
      await startScan(ofIndex, d);
      expect(first.action).toBe('started');
      const input = ScanImageInput.parse(
        d.starter.started.get(first.action === 'started' ? first.execution : ''),
      );
      expect(input.defer).toEqual({ seconds: 60 });
      expect(
        await d.verdicts.indexOf('payments/api', AMD64, new Date('2026-11-29T09:56:12Z')),
      ).toBe(INDEX);
    });

    it('does not wait for a tagged image', async () => {
      const d = deps();
      await startScan(push(), d);
      expect(ScanImageInput.parse([...d.starter.started.values()][0]).defer).toBeUndefined();
    });

    it('still scans a platform manifest pushed on its own, once the marks have expired', async () => {
      const d = deps();
      await startScan(ofIndex, d);
      const later = await startScan(child(AMD64), d);
      expect(later.action).toBe('indexed');
      const nextHour = push(
        { 'image-digest': AMD64, 'image-tag': undefined },
        { time: '2026-11-29T11:30:00Z' },
      );
      expect((await startScan(nextHour, d)).action).toBe('started');
    });
  });

  describe('when the manifest cannot be read', () => {
    it('retries a transient failure (the event is redelivered), recording nothing', async () => {
      const deps = setUp();
      deps.opener.set(DIGEST, new RegistryTransientError());
      await expect(startScan(push(), deps)).rejects.toMatchObject({ kind: 'transient' });
      expect(deps.audit.events).toEqual([]);
      expect(deps.starter.started.size).toBe(0);
    });

    it('starts the scan anyway on another failure: Resolve then fails with the reason, rather than the push go unscanned', async () => {
      const deps = setUp();
      deps.opener.set(DIGEST, new ImageNotFoundError('manifest unknown'));
      expect((await startScan(push(), deps)).action).toBe('started');
      expect(deps.audit.events[0]!.details).toMatchObject({ kind: 'unknown' });
    });
  });

  describe('when the repository is not watched', () => {
    it('ignores the push and records nothing', async () => {
      const deps = setUp(['team/*', 'base']);
      expect(await startScan(push(), deps)).toEqual({
        action: 'ignored',
        reason: 'payments/api is not a watched repository',
      });
      expect(deps.starter.started.size).toBe(0);
      expect(deps.audit.events).toEqual([]);
    });
  });

  describe('when the start fails', () => {
    it('records nothing, so that the redelivered event starts it', async () => {
      const deps = setUp();
      deps.starter.failNext();
      await expect(startScan(push(), deps)).rejects.toThrow('Rate exceeded');
      expect(deps.audit.events).toEqual([]);
      expect((await startScan(push(), deps)).action).toBe('started');
    });
  });
});

describe('executionName', () => {
  it('is the repository slug, a repository hash, the digest prefix and the window', () => {
    expect(executionName(imageTarget(), 5_873_412)).toMatch(
      /^payments-api-[0-9a-f]{8}-7f5b2640fe6f0000-5873412$/,
    );
  });

  it('tells apart repositories whose slugs are alike', () => {
    const names = ['a/b', 'a-b', 'a.b', 'a_b'].map((repository) =>
      executionName(imageTarget({ repository }), 1),
    );
    expect(new Set(names).size).toBe(4);
  });

  it('tells apart the same repository in two registries', () => {
    const other = imageTarget({ registry: '210987654321.dkr.ecr.eu-west-1.amazonaws.com' });
    expect(executionName(other, 1)).not.toBe(executionName(imageTarget(), 1));
  });

  it('stays within what Step Functions accepts for a very long repository', () => {
    const name = executionName(
      imageTarget({ repository: `${'team-'.repeat(50)}/api` }),
      99_999_999_999,
    );
    expect(name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(name).not.toMatch(/--/);
  });
});
