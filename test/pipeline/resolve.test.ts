import { join } from 'node:path';
import { ANALYZERS } from '../../shared/analyzers';
import { IMAGE_CHECKS } from '../../shared/checks';
import { PipelineError } from '../../shared/pipeline/errors';
import { DirectoryObjectStore } from '../../shared/objects/object-store';
import { LocalImageOpener, localImageTarget } from '../../shared/local/image-opener';
import { readStoredImage, scanIdOf } from '../../shared/pipeline/scan-keys';
import { pipelineScan, scanSetVersion, type ScanSetParts } from '../../shared/pipeline/scan-set';
import { ResolvedScan, SkippedScan, type ImageTarget } from '../../shared/pipeline/states';
import { buildArtifact, writeArtifactLayout } from '../support/artifacts';
import { ALLOW_RULES } from '../../shared/secrets/allow';
import { SECRET_RULES } from '../../shared/secrets/rules';
import { SENSITIVE_FILE_RULES } from '../../shared/secrets/sensitive-files';
import { buildImage, writeDockerArchive, writeOciLayout } from '../support/image-builder';
import { resolveScan } from '../../shared/pipeline/resolve';
import { MemoryAuditLog, MemoryVerdictStore } from '../support/pipeline-ports';
import { DEMO_IMAGE, TODAY, TRIGGER, resolveImageScan } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

const MISSING = `sha256:${'0'.repeat(64)}`;

describe('resolveScan', () => {
  const dir = useTempDir();
  let audit: MemoryAuditLog;
  beforeEach(() => {
    audit = new MemoryAuditLog();
  });
  const deps = () => ({
    store: new DirectoryObjectStore(join(dir(), 'objects')),
    opener: new LocalImageOpener(),
    clock: () => TODAY,
    audit,
    verdicts: new MemoryVerdictStore(),
  });

  describe('when the digest names a multi-platform index', () => {
    it('gives each platform image, attestation manifests left out, with its layers', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const resolved = await resolveImageScan({ image, trigger: TRIGGER }, deps());

      expect(ResolvedScan.parse(resolved)).toEqual(resolved);
      expect(resolved.platforms.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
      expect(resolved).toMatchObject({
        scanId: scanIdOf(image.digest, TRIGGER),
        startedAt: TODAY.toISOString(),
        analyzerSet: pipelineScan().analyzerSet,
      });
      expect(resolved.platforms[0]!.layers[0]).toEqual({
        digest: expect.stringMatching(/^sha256:/),
        mediaType: expect.stringContaining('layer'),
        size: expect.any(Number),
        diffId: expect.stringMatching(/^sha256:/),
      });
    });

    it('writes each platform image, with the reference and digest it was read by', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const { store } = deps();
      const resolved = await resolveImageScan({ image, trigger: TRIGGER }, { ...deps(), store });
      const [platform] = resolved.platforms;

      expect(platform!.imageKey).toBe(
        `scans/${resolved.scanId}/${platform!.manifestDigest.slice(7)}/image.json`,
      );
      const stored = await readStoredImage(store, platform!.imageKey);
      expect(stored).toMatchObject({
        reference: `oci:${DEMO_IMAGE}:latest@${image.digest}`,
        digest: image.digest,
        image: { digest: platform!.manifestDigest, platform: 'linux/amd64' },
      });
      expect(stored.image.layers.map((l) => l.descriptor.digest)).toEqual(
        platform!.layers.map((l) => l.digest),
      );
    });
  });

  describe('when a scan starts', () => {
    it('appends scan.started with the image, the trigger and the analyser set', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const resolved = await resolveImageScan({ image, trigger: TRIGGER }, deps());

      expect(audit.events).toEqual([
        {
          id: `${resolved.scanId}:scan.started`,
          type: 'scan.started',
          time: TODAY.toISOString(),
          actor: TRIGGER.actor,
          image: { repository: image.repository, digest: image.digest, tag: 'latest' },
          details: {
            scanId: resolved.scanId,
            name: `${image.repository}:latest`,
            registry: image.registry,
            trigger: { type: TRIGGER.type, id: TRIGGER.id, time: TRIGGER.time },
          },
          versions: { analyzerSet: resolved.analyzerSet },
        },
      ]);
    });

    it('appends it once when Resolve is retried', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      await resolveImageScan({ image, trigger: TRIGGER }, deps());
      await resolveImageScan({ image, trigger: TRIGGER }, deps());
      expect(audit.types()).toEqual(['scan.started']);
    });

    it('appends it before the image is read: a scan of a missing digest started, then failed', async () => {
      const image: ImageTarget = {
        registry: `oci:${DEMO_IMAGE}`,
        repository: 'demo-image',
        digest: MISSING,
      };
      await expect(resolveScan({ image, trigger: TRIGGER }, deps())).rejects.toThrow();
      expect(audit.events).toEqual([
        expect.objectContaining({
          type: 'scan.started',
          image: { repository: 'demo-image', digest: MISSING },
        }),
      ]);
    });

    it('fails, reading no image, when the audit trail cannot be written', async () => {
      audit.failNext();
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const store = new DirectoryObjectStore(join(dir(), 'objects'));
      await expect(resolveScan({ image, trigger: TRIGGER }, { ...deps(), store })).rejects.toThrow(
        'Rate exceeded',
      );
      expect(await store.list('scans/')).toEqual([]);
    });
  });

  describe('when the digest names an artifact', () => {
    it('scans nothing, ends as skipped and records artifact.skipped with what it is', async () => {
      const subject = await buildImage({ layers: [{ files: { a: 'a' } }] });
      const layout = join(dir(), 'artifacts');
      await writeArtifactLayout(layout, {
        sig: await buildArtifact('cosign-signature-oci11', subject.descriptor),
      });
      const image = await localImageTarget(`oci:${layout}:sig`);
      const store = new DirectoryObjectStore(join(dir(), 'objects'));
      const result = await resolveScan({ image, trigger: TRIGGER }, { ...deps(), store });

      expect(SkippedScan.parse(result)).toEqual({
        image,
        trigger: TRIGGER,
        skipped: {
          reason: 'artifact',
          kind: 'cosign-signature',
          detail: expect.stringMatching(
            /@sha256:[0-9a-f]{64} is not a container image: it is a cosign signature \(/,
          ),
        },
      });
      expect(audit.types()).toEqual(['scan.started', 'artifact.skipped']);
      expect(audit.events[1]!.details).toMatchObject({
        kind: 'cosign-signature',
        subject: subject.descriptor.digest,
      });
      expect(await store.list('scans/')).toEqual([]);
    });
  });

  describe('when the scan was deferred (an untagged manifest)', () => {
    it('skips a platform manifest whose index was pushed with it, recording scan.skipped', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const verdicts = new MemoryVerdictStore();
      const index = `sha256:${'c'.repeat(64)}`;
      await verdicts.markIndexed(image.repository, image.digest, index, new Date('2027-01-01'));
      const result = await resolveScan(
        { image, trigger: TRIGGER, defer: { seconds: 60 } },
        { ...deps(), verdicts },
      );
      expect(result).toMatchObject({ skipped: { reason: 'indexed', index } });
      expect(audit.types()).toEqual(['scan.skipped']);
    });

    it('scans it when no index claimed it', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const result = await resolveImageScan(
        { image, trigger: TRIGGER, defer: { seconds: 60 } },
        deps(),
      );
      expect(result.platforms).toHaveLength(2);
    });
  });

  describe('when the same image is resolved again', () => {
    it('gives the same scan id for the same trigger, another for another trigger', () => {
      const digest = `sha256:${'ab'.repeat(32)}`;
      expect(scanIdOf(digest, TRIGGER)).toBe(scanIdOf(digest, { id: TRIGGER.id }));
      expect(scanIdOf(digest, TRIGGER)).toMatch(/^abababababababab-[0-9a-f]{12}$/);
      expect(scanIdOf(digest, { id: 'another' })).not.toBe(scanIdOf(digest, TRIGGER));
    });
  });

  it('fails when the digest is not in the layout, naming the repository and the digest', async () => {
    const image: ImageTarget = {
      registry: `oci:${DEMO_IMAGE}`,
      repository: 'demo-image',
      digest: MISSING,
    };
    const failure = resolveScan({ image, trigger: TRIGGER }, deps());

    await expect(failure).rejects.toThrow(PipelineError);
    await expect(failure).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND', kind: 'input' });
    await expect(failure).rejects.toThrow(`${MISSING} is not in repository demo-image`);
  });

  it('fails when a docker archive holds another image than the digest', async () => {
    const archive = join(dir(), 'image.tar');
    await writeDockerArchive(archive, await buildImage({ layers: [{ files: { a: 'a' } }] }));
    const image = { ...(await localImageTarget(`docker-archive:${archive}`)), digest: MISSING };

    await expect(resolveScan({ image, trigger: TRIGGER }, deps())).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      kind: 'input',
      message: expect.stringContaining(`${MISSING} is not in repository image`),
    });
  });

  describe('when the image is a docker archive', () => {
    it('resolves it by the digest it holds', async () => {
      const archive = join(dir(), 'app.tar');
      await writeDockerArchive(archive, await buildImage({ layers: [{ files: { a: 'a' } }] }));
      const image = await localImageTarget(`docker-archive:${archive}`);

      const resolved = await resolveImageScan({ image, trigger: TRIGGER }, deps());
      expect(image.repository).toBe('app');
      expect(resolved.platforms).toHaveLength(1);
    });
  });

  describe('when a single-platform OCI layout is resolved', () => {
    it('gives its one platform', async () => {
      await writeOciLayout(join(dir(), 'one'), {
        v1: await buildImage({ layers: [{ files: { a: 'a' } }, { files: { b: 'b' } }] }),
      });
      const image = await localImageTarget(`oci:${join(dir(), 'one')}:v1`);

      const resolved = await resolveImageScan({ image, trigger: TRIGGER }, deps());
      expect(image).toMatchObject({ repository: 'one', tag: 'v1' });
      expect(resolved.platforms[0]!.layers).toHaveLength(2);
      expect(resolved.platforms[0]!.manifestDigest).toBe(image.digest);
    });
  });
});

describe('scanSetVersion', () => {
  const parts: ScanSetParts = {
    analyzers: pipelineScan().analyzers,
    secretRules: SECRET_RULES,
    allowRules: ALLOW_RULES,
    sensitiveFileRules: SENSITIVE_FILE_RULES,
    checks: IMAGE_CHECKS,
  };
  const version = scanSetVersion(parts);

  it('is the same for the same rules', () => {
    expect(scanSetVersion({ ...parts, secretRules: [...SECRET_RULES] })).toBe(version);
  });

  it.each([
    [
      'an analyser version',
      { analyzers: [{ ...ANALYZERS[0]!, version: 99 }, ...ANALYZERS.slice(1)] },
    ],
    ['the analysers', { analyzers: ANALYZERS }],
    [
      'a secret rule pattern',
      {
        secretRules: [
          { ...SECRET_RULES[0]!, pattern: new RegExp(`${SECRET_RULES[0]!.pattern.source}x`) },
          ...SECRET_RULES.slice(1),
        ],
      },
    ],
    ['the secret rules', { secretRules: SECRET_RULES.slice(1) }],
    ['an allow rule', { allowRules: ALLOW_RULES.slice(1) }],
    ['a sensitive-file rule', { sensitiveFileRules: SENSITIVE_FILE_RULES.slice(1) }],
    [
      'a check version',
      { checks: [{ ...IMAGE_CHECKS[0]!, version: 99 }, ...IMAGE_CHECKS.slice(1)] },
    ],
    ['the checks', { checks: IMAGE_CHECKS.slice(1) }],
  ])('changes with %s', (_what, change: Partial<ScanSetParts>) => {
    expect(scanSetVersion({ ...parts, ...change })).not.toBe(version);
  });

  it('is the pipeline scan set version', () => {
    expect(pipelineScan().analyzerSet).toBe(version);
    expect(pipelineScan().analyzers.map((a) => a.name)).toEqual(
      expect.arrayContaining(['secrets', 'sensitive-files', ...ANALYZERS.map((a) => a.name)]),
    );
  });
});
