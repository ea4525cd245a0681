import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectReport } from '../../shared/cli/inspect-report';
import {
  buildImage,
  buildIndex,
  writeDockerArchive,
  writeOciLayout,
  type BuiltImage,
} from '../support/image-builder';
import { MAX_LAYER_PROBLEMS } from '../../shared/layers';
import { clearance } from '../support/cli';
import { repeatedEntryTar, STACK_BREAKING_COUNT } from '../support/problem-layers';
import { pushImage } from '../support/push';
import { startRegistry, type RunningServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

describe('clearance inspect', () => {
  const dir = useTempDir();
  const single = () =>
    buildImage({
      layers: [
        { files: { 'etc/os-release': 'ID=debian\n' } },
        { files: { 'etc/.wh.os-release': '' }, compression: 'zstd' },
      ],
      config: {
        User: 'app',
        Cmd: ['serve'],
        ExposedPorts: { '8080/tcp': {} },
        Healthcheck: { Test: ['CMD', 'true'] },
        Labels: { team: 'core' },
      },
    });

  describe('when the image is a single manifest', () => {
    it('prints the manifest, its config and its layers, with the manifest digest on top', async () => {
      const built = await single();
      await writeOciLayout(dir(), { v1: built });
      const result = await clearance(['inspect', `oci:${dir()}:v1`]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const report = result.json<InspectReport>();
      expect(report).toMatchObject({
        reference: `oci:${dir()}:v1`,
        digest: built.descriptor.digest,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
      });
      expect(report.manifests).toHaveLength(1);
      expect(report.manifests[0]).toMatchObject({
        platform: 'linux/amd64',
        digest: built.descriptor.digest,
        config: {
          digest: built.configDescriptor.digest,
          user: 'app',
          cmd: ['serve'],
          entrypoint: [],
          exposedPorts: ['8080/tcp'],
          healthcheck: { Test: ['CMD', 'true'] },
          labels: { team: 'core' },
        },
      });
      expect(report.manifests[0]!.layers).toEqual(
        built.layers.map((l) => ({
          digest: l.descriptor.digest,
          diffId: l.diffId,
          size: l.descriptor.size,
          mediaType: l.descriptor.mediaType,
        })),
      );
    });
  });

  describe('when the image is a multi-platform index', () => {
    async function index(): Promise<string> {
      const amd64 = await single();
      const arm64 = await buildImage({
        layers: [{ files: { a: 'b' }, compression: 'zstd' }],
        platform: { os: 'linux', architecture: 'arm64' },
      });
      await writeOciLayout(dir(), {
        multi: await buildIndex([amd64, arm64], { attestation: true }),
      });
      return `oci:${dir()}:multi`;
    }

    it('prints every platform manifest and no attestation', async () => {
      const report = (await clearance(['inspect', await index()])).json<InspectReport>();
      expect(report.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(report.manifests.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    });

    it('prints one platform with --platform', async () => {
      const report = (
        await clearance(['inspect', '--platform', 'linux/arm64', await index()])
      ).json<InspectReport>();
      expect(report.manifests.map((m) => m.platform)).toEqual(['linux/arm64']);
    });
  });

  describe('when the image is a docker archive', () => {
    it('prints it like any other image', async () => {
      const built = await single();
      await writeDockerArchive(join(dir(), 'image.tar'), built);
      const report = (
        await clearance(['inspect', `docker-archive:${dir()}/image.tar`])
      ).json<InspectReport>();
      expect(report.manifests[0]!.config.digest).toBe(built.configDescriptor.digest);
      expect(report.manifests[0]!.layers.map((l) => l.diffId)).toEqual(
        built.layers.map((l) => l.diffId),
      );
    });
  });

  describe('when the image is in a registry with basic auth', () => {
    let registry: RunningServer;
    const credentials = { username: 'ci', password: 'hunter2' };

    beforeAll(async () => {
      registry = await startRegistry({ auth: credentials });
      const amd64 = await single();
      const arm64 = await buildImage({
        layers: [{ files: { a: 'b' }, compression: 'zstd' }],
        platform: { os: 'linux', architecture: 'arm64' },
      });
      const index = await buildIndex([amd64, arm64], { attestation: true });
      await pushImage(registry.host, 'team/app', '1.0', index, credentials);
    });
    afterAll(() => registry.stop());

    it('reads the multi-platform index and verifies its gzip and zstd layers', async () => {
      const result = await clearance([
        'inspect',
        '--verify',
        `docker://${registry.host}/team/app:1.0`,
        '--username',
        'ci',
        '--password',
        'hunter2',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = result.json<InspectReport>();
      expect(report.reference).toBe(`${registry.host}/team/app:1.0`);
      expect(report.manifests.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64']);
      const layers = report.manifests.flatMap((m) => m.layers);
      expect(layers.map((l) => l.verification?.ok && l.verification.compression)).toEqual([
        'gzip',
        'zstd',
        'zstd',
      ]);
    });

    it('takes the credentials from the environment', async () => {
      const env = { CLEARANCE_REGISTRY_USERNAME: 'ci', CLEARANCE_REGISTRY_PASSWORD: 'hunter2' };
      const result = await clearance(['inspect', `${registry.host}/team/app:1.0`], env);
      expect(result.code).toBe(0);
    });

    it('exits 2 naming the repository, and never echoing the password, when they are wrong', async () => {
      const result = await clearance([
        'inspect',
        `${registry.host}/team/app:1.0`,
        '--username',
        'ci',
        '--password',
        'wrong-password',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('team/app');
      expect(result.stderr).toContain('401');
      expect(result.stderr).not.toContain('wrong-password');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('exits 2 when the tag does not exist', async () => {
      const result = await clearance(['inspect', `${registry.host}/team/app:2.0`], {
        CLEARANCE_REGISTRY_USERNAME: 'ci',
        CLEARANCE_REGISTRY_PASSWORD: 'hunter2',
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/manifest 2\.0 not found in repository team\/app/);
    });
  });

  describe('with --verify', () => {
    it('streams every layer and reports what it found', async () => {
      await writeOciLayout(dir(), { v1: await single() });
      const result = await clearance(['inspect', '--verify', `oci:${dir()}:v1`]);
      expect(result.code).toBe(0);
      expect(result.json<InspectReport>().manifests[0]!.layers.map((l) => l.verification)).toEqual([
        {
          ok: true,
          compression: 'gzip',
          uncompressedSize: expect.any(Number),
          entries: 1,
          whiteouts: 0,
          problems: [],
          problemCount: 0,
        },
        {
          ok: true,
          compression: 'zstd',
          uncompressedSize: expect.any(Number),
          entries: 0,
          whiteouts: 1,
          problems: [],
          problemCount: 0,
        },
      ]);
    });

    it('lists the first problems of a layer and counts them all, and fails the verification in one line', async () => {
      const tar = repeatedEntryTar({ name: '../../etc/passwd' }, STACK_BREAKING_COUNT);
      await writeOciLayout(dir(), { v1: await buildImage({ layers: [{ tar }] }) });
      const result = await clearance(['inspect', '--verify', `oci:${dir()}:v1`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^clearance: layer sha256:[0-9a-f]{64}: ${STACK_BREAKING_COUNT} entries not read; first: \\.\\./\\.\\./etc/passwd: .*\\n$`,
        ),
      );
      expect(result.stdout.length).toBeLessThan(64 * 1024);
      const [layer] = result.json<InspectReport>().manifests[0]!.layers;
      expect(layer!.verification).toMatchObject({ ok: true, problemCount: STACK_BREAKING_COUNT });
      expect(layer!.verification).toHaveProperty('problems.length', MAX_LAYER_PROBLEMS);
    });

    it('fails with exit code 2 when a layer was tampered with, and still reports the others', async () => {
      const built = await single();
      await writeOciLayout(dir(), { v1: built });
      const path = join(dir(), 'blobs', 'sha256', built.layers[0]!.descriptor.digest.slice(7));
      const bytes = readFileSync(path);
      bytes[bytes.length - 9]! ^= 0x01;
      writeFileSync(path, bytes);
      const result = await clearance(['inspect', '--verify', `oci:${dir()}:v1`]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(built.layers[0]!.descriptor.digest);
      const layers = result.json<InspectReport>().manifests[0]!.layers;
      expect(layers.map((l) => l.verification?.ok)).toEqual([false, true]);
    });
  });

  describe('failures', () => {
    it.each([
      ['a bad reference', ['inspect', 'Bad//Ref'], /invalid image reference "Bad\/\/Ref"/],
      ['a missing layout', ['inspect', 'oci:/nonexistent/layout:v1'], /not an OCI image layout/],
      [
        'a bad --platform',
        ['inspect', '--platform', 'linux', 'oci:/x'],
        /--platform "linux" is not os\/arch/,
      ],
      ['an unknown flag', ['inspect', '--frobnicate', 'oci:/x'], /unknown option/],
      ['no image', ['inspect'], /missing required argument/],
    ])('exits 2 with a one-line message for %s', async (_name, args, message) => {
      const result = await clearance(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    describe("when the image's files are not regular files", () => {
      it.each<[string, (layout: string, built: BuiltImage) => string]>([
        [
          'index.json is a symlink to /dev/zero',
          (layout) => {
            rmSync(join(layout, 'index.json'));
            symlinkSync('/dev/zero', join(layout, 'index.json'));
            return `oci:${layout}:v1`;
          },
        ],
        [
          'a layer blob is a FIFO',
          (layout, built) => {
            const blob = join(
              layout,
              'blobs',
              'sha256',
              built.layers[0]!.descriptor.digest.slice(7),
            );
            rmSync(blob);
            execFileSync('mkfifo', [blob]);
            return `oci:${layout}:v1`;
          },
        ],
        ['the docker archive is /dev/zero', () => 'docker-archive:/dev/zero'],
      ])('exits 2 with one line when %s', async (_, make) => {
        const built = await single();
        await writeOciLayout(dir(), { v1: built });
        const result = await clearance(['inspect', '--verify', make(dir(), built)]);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(
          /^clearance: .*not a regular file but a (character device|FIFO)/,
        );
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      });
    });

    it('prints the stack trace with --debug', async () => {
      const result = await clearance(['--debug', 'inspect', 'oci:/nonexistent/layout:v1']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/\n\s+at /);
    });
  });

  describe('--help', () => {
    it('exits 0 and names the reference kinds', async () => {
      const result = await clearance(['inspect', '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('docker-archive:FILE');
    });
  });
});
