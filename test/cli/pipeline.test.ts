import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { synthesizeTemplate } from '../../lib/synthesize';
import { clearance } from '../support/cli';
import { runCli } from '../../shared/cli/main';
import { sha256Digest } from '../../shared/image/digest';
import { MediaType } from '../../shared/image/media-types';
import { buildImage, descriptorOf, tarOf, writeOciLayout } from '../support/image-builder';
import { pushImage } from '../support/push';
import { startRegistry } from '../support/registry-server';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(60_000);

/** The manifest of the demo image's linux/amd64 platform. */
const DEMO_AMD64 = 'sha256:990cd86534e4a42b9ce9de3e8393566c5bf775ad02faf9797d0a66f6853bf1be';

let synthesized: Record<string, unknown> | undefined;
const template = (): Record<string, unknown> => (synthesized ??= synthesizeTemplate());

describe('clearance pipeline run', () => {
  const dir = useTempDir();
  const state = () => join(dir(), 'state');
  /** The default template, synthesized once, in a file for --template. */
  const templateFile = (): string => {
    const file = join(dir(), 'Clearance.template.json');
    if (!existsSync(file)) writeFileSync(file, JSON.stringify(template()));
    return file;
  };
  // A copy: SignVerdict attaches the signed verdict into the layout it scans.
  let DEMO = '';
  beforeEach(() => {
    cpSync(DEMO_IMAGE, join(dir(), 'demo-image'), { recursive: true });
    DEMO = `oci:${join(dir(), 'demo-image')}:latest`;
  });

  describe('when the image fails the default policy', () => {
    it('prints each state, the verdict and where the results are, and exits 1', async () => {
      const result = await clearance([
        'pipeline',
        'run',
        '--state-dir',
        state(),
        '--osv',
        DEMO_OSV,
        DEMO,
      ]);

      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✓ Resolve {2}linux\/amd64, linux\/arm64\/v8 \(6 layers\)/);
      expect(result.stdout).toMatch(/✓ Match {2}linux\/amd64: 1 high, 2 low/);
      expect(result.stdout).toMatch(/✓ Quarantine/);
      expect(result.stdout).toMatch(/notification to alerts: \[FAIL\] demo-image:latest/);
      expect(result.stdout).toContain('\nverdict: fail\n');
      const reports = /report and SBOMs: (.*)\n/.exec(result.stdout)![1]!;
      expect(existsSync(join(reports, 'summary.json'))).toBe(true);
      expect(readFileSync(join(state(), 'audit.jsonl'), 'utf8')).toMatch(/"scan.completed"/);
    });
  });

  describe('when given a synthesized template', () => {
    it('runs that definition instead of synthesizing one', async () => {
      const template = join(dir(), 'Clearance.template.json');
      writeFileSync(template, JSON.stringify(synthesizeTemplate()));
      const result = await clearance([
        'pipeline',
        'run',
        '--state-dir',
        state(),
        '--osv',
        DEMO_OSV,
        '--template',
        template,
        DEMO,
      ]);
      expect(result.stdout).toContain('verdict: fail');
    });
  });

  describe('when the CLI is given no synthesizer (an entry without the CDK app)', () => {
    it('fails without --template, saying to give one, and runs with it', async () => {
      let stderr = '';
      const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } };
      const args = ['pipeline', 'run', '--state-dir', state(), '--osv', DEMO_OSV];
      expect(await runCli([...args, DEMO], { ...io, env: {} })).toBe(2);
      expect(stderr).toContain('give --template');
      expect(await runCli([...args, '--template', templateFile(), DEMO], { ...io, env: {} })).toBe(
        1,
      );
    });
  });

  describe('when the image is a docker archive', () => {
    // The demo image's linux/amd64 platform, saved by `docker save` in either format.
    it.each([
      ['classic (manifest.json and uncompressed layer tars)', classicArchive],
      ['Docker 25+ (an OCI layout inside the tar)', ociArchive],
    ])(
      'gives the verdict and exit code of the same image as an OCI layout: %s',
      async (_kind, write) => {
        const archive = join(dir(), 'demo.tar');
        writeFileSync(archive, await write());
        const template = templateFile();
        const run = (reference: string, stateDir: string) =>
          clearance([
            'pipeline',
            'run',
            '--state-dir',
            stateDir,
            '--osv',
            DEMO_OSV,
            '--template',
            template,
            reference,
          ]);
        const layout = await run(
          `${DEMO.replace(/:latest$/, '')}@${DEMO_AMD64}`,
          join(dir(), 'oci'),
        );
        const result = await run(`docker-archive:${archive}`, state());

        expect(layout.code).toBe(1);
        expect(result.stdout).not.toMatch(/LAYER_UNREADABLE|✗/);
        expect(result.stdout).toMatch(/✓ AnalyzeLayer .* read/);
        expect(result.stdout).toMatch(/✓ Match {2}linux\/amd64: 1 high, 2 low/);
        expect(result.stdout).toContain('\nverdict: fail\n');
        expect(result.code).toBe(layout.code);
      },
    );
  });

  describe('when promotion and a tag quarantine are configured', () => {
    const CONTEXT = 'clearance={"promotion":{"repository":"releases"},"quarantine":"tag"}';
    /** A day after the demo advisories' newest `modified`: the data is fresh. */
    const FRESH = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-02T00:00:00Z') / 1000) };
    const run = (reference: string, ...flags: string[]) =>
      clearance(
        [
          'pipeline',
          'run',
          '-c',
          CONTEXT,
          '--state-dir',
          state(),
          '--osv',
          DEMO_OSV,
          ...flags,
          reference,
        ],
        FRESH,
      );
    const printed = (stdout: string, label: string) =>
      new RegExp(`\\n${label}: (.*)\\n`).exec(stdout)?.[1];
    const digestOf = async (reference: string) =>
      (await clearance(['inspect', reference])).json<{ digest: string }>().digest;

    describe('when the image passes', () => {
      it("promotes it: a copy tagged in the state directory's layout of the repository, exit 0", async () => {
        const image = await passingImage(join(dir(), 'app'));

        const result = await run(`oci:${join(dir(), 'app')}:1.0`);

        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/✓ Promote {2}releases:1\.0 /);
        const promoted = printed(result.stdout, 'promoted');
        expect(promoted).toBe(`oci:${join(state(), 'registry', 'releases')}:1.0`);
        expect(await digestOf(promoted!)).toBe(image.descriptor.digest);
      });
    });

    describe('when the image fails', () => {
      it('quarantines it: a copy tagged quarantine-<digest12>, its layout left as it was, exit 1', async () => {
        const index = readFileSync(join(dir(), 'demo-image', 'index.json'));

        const result = await run(DEMO);

        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(/✓ Quarantine {2}blocked, tagged quarantine-51eec332a1e5 /);
        const quarantined = printed(result.stdout, 'quarantined');
        expect(quarantined).toBe(
          `oci:${join(state(), 'registry', 'demo-image')}:quarantine-51eec332a1e5`,
        );
        expect(await digestOf(quarantined!)).toBe(await digestOf(DEMO));
        expect(readFileSync(join(dir(), 'demo-image', 'index.json'))).toEqual(index);
      });

      it('tags it in its own layout with --attach-to-layout', async () => {
        const result = await run(DEMO, '--attach-to-layout');

        expect(result.code).toBe(1);
        const layout = join(dir(), 'demo-image');
        expect(printed(result.stdout, 'quarantined')).toBe(`oci:${layout}:quarantine-51eec332a1e5`);
        expect(await digestOf(`oci:${layout}:quarantine-51eec332a1e5`)).toBe(await digestOf(DEMO));
      });
    });

    describe('when the image is in a registry on 127.0.0.1', () => {
      it('tags it there: promoted to the repository, or quarantined in its own', async () => {
        const registry = await startRegistry();
        try {
          const passing = await passingImage(join(dir(), 'app'));
          await pushImage(registry.host, 'team/app', '1.0', passing);
          const failing = await buildImage({ layers: [{ files: { 'app/run.sh': 'run' } }] });
          await pushImage(registry.host, 'team/tool', '1.0', failing);

          const promotion = await run(`${registry.host}/team/app:1.0`);
          const quarantine = await run(`${registry.host}/team/tool:1.0`);

          expect([promotion.code, quarantine.code]).toEqual([0, 1]);
          const promoted = `${registry.host}/releases:1.0`;
          expect(printed(promotion.stdout, 'promoted')).toBe(promoted);
          expect(await digestOf(promoted)).toBe(passing.descriptor.digest);
          const tag = `quarantine-${failing.descriptor.digest.slice(7, 19)}`;
          const quarantined = `${registry.host}/team/tool:${tag}`;
          expect(printed(quarantine.stdout, 'quarantined')).toBe(quarantined);
          expect(await digestOf(quarantined)).toBe(failing.descriptor.digest);
        } finally {
          await registry.stop();
        }
      });
    });
  });

  describe('when a state of the execution fails', () => {
    it('prints what failed, its error code and message, in one line, and exits 2', async () => {
      // A config without rootfs: Resolve cannot make an image of it.
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux' }));
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          config: descriptorOf(config, MediaType.ociConfig),
          layers: [],
        }),
      );
      const layout = join(dir(), 'broken');
      mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
      for (const blob of [config, manifest])
        writeFileSync(join(layout, 'blobs', 'sha256', sha256Digest(blob).slice(7)), blob);
      writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      writeFileSync(
        join(layout, 'index.json'),
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: [
            {
              ...descriptorOf(manifest, MediaType.ociManifest),
              annotations: { 'org.opencontainers.image.ref.name': '1.0' },
            },
          ],
        }),
      );

      const result = await clearance([
        'pipeline',
        'run',
        '--state-dir',
        state(),
        '--osv',
        DEMO_OSV,
        '--template',
        templateFile(),
        `oci:${layout}:1.0`,
      ]);

      expect(result.code).toBe(2);
      const failed = /\nscan failed: (.*)\n/.exec(result.stdout)?.[1];
      expect(failed).toMatch(
        /^INVALID_MANIFEST in Resolve \(Clearance.Input\): invalid config sha256:[0-9a-f]{64} of oci:.*: rootfs.diff_ids is missing$/,
      );
      expect(result.stderr).toBe(`clearance: scan failed: ${failed}\n`);
      expect(result.stdout).not.toContain('{"name":');
      expect(result.stdout).toMatch(/✗ Resolve: Clearance.Input — INVALID_MANIFEST: /);
    });
  });

  it('fails, exit 2, when --context is given with a synthesized --template', async () => {
    const result = await clearance([
      'pipeline',
      'run',
      '-c',
      'clearance={}',
      '--template',
      templateFile(),
      '--state-dir',
      state(),
      '--osv',
      DEMO_OSV,
      DEMO,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--context applies to the synthesis');
  });

  it('fails, exit 2, when there is no vulnerability data, saying how to get some', async () => {
    const result = await clearance(['pipeline', 'run', '--state-dir', state(), DEMO], {
      CLEARANCE_DB_DIR: join(dir(), 'no-db'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no vulnerability data in .*no-db: run "clearance db update"/);
  });

  it('fails, exit 2, when the image cannot be read', async () => {
    const result = await clearance([
      'pipeline',
      'run',
      '--state-dir',
      state(),
      '--osv',
      DEMO_OSV,
      `oci:${join(dir(), 'missing')}:latest`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^clearance: /);
  });
});

/** An image the default policy passes (non-root, a healthcheck, no shell), as a layout at `dir`. */
async function passingImage(dir: string) {
  const image = await buildImage({
    layers: [{ files: { 'app/server.js': 'run()' } }],
    config: { User: '1000', Healthcheck: { Test: ['CMD', '/app/health'] } },
  });
  await writeOciLayout(dir, { '1.0': image });
  return image;
}

interface DemoPlatform {
  readonly manifest: Buffer;
  readonly config: { readonly digest: string; readonly bytes: Buffer };
  readonly layers: readonly { readonly digest: string; readonly blob: Buffer }[];
}

/** The demo image's linux/amd64 manifest, config and (gzip) layers, as stored in its layout. */
function demoPlatform(): DemoPlatform {
  const blob = (digest: string) =>
    readFileSync(join(DEMO_IMAGE, 'blobs', 'sha256', digest.slice(7)));
  const manifest = blob(DEMO_AMD64);
  const parsed = JSON.parse(manifest.toString('utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  return {
    manifest,
    config: { digest: parsed.config.digest, bytes: blob(parsed.config.digest) },
    layers: parsed.layers.map((l) => ({ digest: l.digest, blob: blob(l.digest) })),
  };
}

/**
 * A classic `docker save` archive: `<hex>.json` config, one uncompressed `<id>/layer.tar` per
 * layer (its digest is the config's diff_id), and manifest.json naming them.
 */
async function classicArchive(): Promise<Buffer> {
  const { config, layers } = demoPlatform();
  const configName = `${config.digest.slice(7)}.json`;
  const files: Record<string, Buffer> = { [configName]: config.bytes };
  const layerNames = layers.map((layer, i) => {
    const name = `layer${i}/layer.tar`;
    files[name] = gunzipSync(layer.blob);
    return name;
  });
  files['manifest.json'] = Buffer.from(
    JSON.stringify([{ Config: configName, RepoTags: ['demo-image:latest'], Layers: layerNames }]),
  );
  return tarOf(files);
}

/** A Docker 25+ archive: an OCI layout (oci-layout, index.json, blobs/) with manifest.json beside. */
async function ociArchive(): Promise<Buffer> {
  const { manifest, config, layers } = demoPlatform();
  const path = (digest: string) => `blobs/sha256/${digest.slice(7)}`;
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: DEMO_AMD64,
        size: manifest.length,
        annotations: { 'io.containerd.image.name': 'docker.io/library/demo-image:latest' },
      },
    ],
  };
  return tarOf({
    'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
    'index.json': JSON.stringify(index),
    [path(DEMO_AMD64)]: manifest,
    [path(config.digest)]: config.bytes,
    ...Object.fromEntries(layers.map((l) => [path(l.digest), l.blob])),
    'manifest.json': JSON.stringify([
      {
        Config: path(config.digest),
        RepoTags: ['demo-image:latest'],
        Layers: layers.map((l) => path(l.digest)),
      },
    ]),
  });
}
