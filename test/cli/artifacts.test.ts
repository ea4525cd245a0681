import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Digest } from '../../shared/image/digest';
import type { ArtifactInspectReport, InspectReport } from '../../shared/cli/inspect-report';
import {
  ARTIFACT_FIXTURES,
  buildArtifact,
  cosignTag,
  writeArtifactLayout,
  type LayoutEntry,
} from '../support/artifacts';
import { clearance } from '../support/cli';
import { buildImage, buildIndex } from '../support/image-builder';
import { useTempDir } from '../support/temp';

const EPOCH = { SOURCE_DATE_EPOCH: '1795392000' };

/**
 * A repository as a registry holds it: an image, and beside it each kind of artifact that is
 * not one (signatures, attestations, SBOMs, VEX, charts, Wasm, our own verdict), each tagged.
 */
describe('the CLI, on what a registry holds beside images', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clearance-artifacts-'));
  const layout = join(dir, 'repository');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const image = await buildImage({ layers: [{ files: { 'app/x': 'x' } }] });
    const entries: Record<string, LayoutEntry> = { app: image };
    for (const name of ARTIFACT_FIXTURES)
      entries[name] = await buildArtifact(name, image.descriptor);
    entries[cosignTag(image.descriptor.digest, 'sig')] = await buildArtifact(
      'cosign-signature-tag',
      image.descriptor,
    );
    await writeArtifactLayout(layout, entries);
  });

  describe.each(ARTIFACT_FIXTURES)('%s', (name) => {
    it.each([['scan'], ['sbom'], ['inspect', '--verify']])(
      '%s %s exits 2: it is not a container image, and says what it is',
      async (...command) => {
        const result = await clearance([...command, `oci:${layout}:${name}`], EPOCH);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(
          new RegExp(
            `^clearance: oci:.*:${name} is not a container image: it is an? [^\\n]+ \\([^)]+\\)\\n$`,
          ),
        );
      },
    );

    it('inspect describes it: kind, media types, and what it is about', async () => {
      const result = await clearance(['inspect', `oci:${layout}:${name}`], EPOCH);
      expect(result.code).toBe(0);
      const report = result.json<ArtifactInspectReport>();
      expect(report.artifact.kind).not.toBe('image');
      expect(report.artifact.label).toEqual(expect.any(String));
      expect(report.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    });
  });

  it('names each kind as people know it', async () => {
    const kind = async (name: string) =>
      (await clearance(['inspect', `oci:${layout}:${name}`], EPOCH)).json<ArtifactInspectReport>()
        .artifact;
    expect(await kind('cosign-signature-tag')).toMatchObject({ kind: 'cosign-signature' });
    expect(await kind('helm-chart')).toMatchObject({
      kind: 'helm-chart',
      configMediaType: 'application/vnd.cncf.helm.config.v1+json',
    });
    expect(await kind('clearance-verdict')).toMatchObject({ kind: 'clearance-verdict' });
    expect(await kind('wasm-cncf')).toMatchObject({ kind: 'wasm' });
    expect(await kind('sbom-cyclonedx-oras')).toMatchObject({ kind: 'sbom' });
  });

  it("finds a tag-based signature's subject in its tag", async () => {
    const image = (await clearance(['inspect', `oci:${layout}:app`], EPOCH)).json<InspectReport>();
    const signature = await clearance(
      ['inspect', `oci:${layout}:${cosignTag(image.digest, 'sig')}`],
      EPOCH,
    );
    expect(signature.json<ArtifactInspectReport>().artifact.subject).toBe(image.digest);
  });

  it('scans the image itself as before', async () => {
    const result = await clearance(['scan', '--format', 'json', `oci:${layout}:app`], EPOCH);
    expect(result.json<{ image: { reference: string } }>().image.reference).toMatch(/:app$/);
  });
});

describe('the CLI, on an index that lists artifacts beside its platforms', () => {
  const dir = useTempDir();

  it('scans the platforms, and inspect lists the attestations it skipped', async () => {
    const amd64 = await buildImage({ layers: [{ files: { a: 'a' } }] });
    const index = await buildIndex([amd64], { attestation: true });
    const layout = join(dir(), 'index');
    await writeArtifactLayout(layout, { multi: index });
    const inspect = (
      await clearance(['inspect', `oci:${layout}:multi`], EPOCH)
    ).json<InspectReport>();
    expect(inspect.manifests.map((m) => m.platform)).toEqual(['linux/amd64']);
    expect(inspect.skipped).toEqual([
      {
        digest: expect.any(String),
        artifact: expect.objectContaining({
          kind: 'buildkit-attestation',
          subject: amd64.descriptor.digest,
        }),
      },
    ]);
  });

  it('refuses an index of attestations only', async () => {
    const amd64 = await buildImage({ layers: [{ files: { a: 'a' } }] });
    const built = await buildIndex([amd64], { attestation: true });
    const onlyAttestations = JSON.parse(built.index.toString('utf8')) as { manifests: unknown[] };
    onlyAttestations.manifests = onlyAttestations.manifests.slice(1);
    const bytes = Buffer.from(JSON.stringify(onlyAttestations));
    const layout = join(dir(), 'attestations');
    await writeArtifactLayout(layout, {
      only: {
        ...built,
        index: bytes,
        descriptor: { ...built.descriptor, digest: sha256Digest(bytes), size: bytes.length },
      },
    });
    const result = await clearance(['scan', `oci:${layout}:only`], EPOCH);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /is not a container image: it is an index of BuildKit attestation/,
    );
  });
});
