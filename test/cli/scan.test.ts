import { join } from 'node:path';
import type { MultiPlatformScanReport, ScanReport } from '../../shared/scan/report';
import { clearance } from '../support/cli';
import { buildImage, writeOciLayout } from '../support/image-builder';
import { useTempDir } from '../support/temp';
import { readFileSync } from 'node:fs';

/** The README's first command scans this image. */
const DEMO = `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`;
const EPOCH = { SOURCE_DATE_EPOCH: '1795392000' }; // 2026-11-23

describe('clearance scan', () => {
  const dir = useTempDir();

  describe('when the image is a local path given without its transport', () => {
    it.each([
      ['scan'],
      ['sbom'],
      ['inspect'],
      ['verify-verdict', '--keys', join(__dirname, '..', 'fixtures')],
      ['pipeline', 'run'],
    ])('fails with exit 2 before any network access, suggesting oci: (%s)', async (...command) => {
      const result = await clearance([...command, 'examples/demo-image']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'clearance: examples/demo-image is a local OCI layout directory, not a registry reference: name it oci:examples/demo-image (for a registry image of that name, write docker://examples/demo-image)\n',
      );
    });
  });

  describe('when there is no vulnerability data', () => {
    it('says so once on stderr, and once per platform in the table', async () => {
      const result = await clearance(['scan', '--format', 'table', DEMO], EPOCH);
      expect(result.code).toBe(0);
      expect(result.stderr.match(/no vulnerability data/g)).toHaveLength(1);
      expect(result.stdout.match(/no vulnerability data/g)).toHaveLength(2);
      expect(result.stdout).toContain('  vulnerabilities not checked (see coverage)\n');
    });
  });

  describe('when the registry cannot be reached', () => {
    it('fails with exit 2 naming the registry, the cause and the next step', async () => {
      const result = await clearance(['scan', 'localhost:1/foo']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'clearance: cannot read manifest latest of localhost:1/foo: fetch never connects to port 1 of localhost (a "bad port": https://fetch.spec.whatwg.org/#bad-port): serve the registry on another port\n',
      );
    });
  });

  describe('when a gate needs vulnerability data that is missing', () => {
    it('fails on the image first when the image cannot be read', async () => {
      const result = await clearance([
        'scan',
        '--fail-on',
        'high',
        '--db',
        join(dir(), 'no-db'),
        `oci:${join(dir(), 'missing')}`,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `clearance: ${join(dir(), 'missing')} is not an OCI image layout: cannot read oci-layout\n`,
      );
    });
  });

  describe('when the image has several platforms', () => {
    it('reports every platform under `platforms`, and says in one line that no vulnerability was looked for', async () => {
      const result = await clearance(['scan', DEMO], EPOCH);
      expect(result.stderr).toBe(
        'clearance: scan incomplete: the scan had no vulnerability data (clearance db update, or db import) [no-vulnerability-data]; accept a gap on purpose with --allow-gap KIND[:SUBJECT] (or every gap with --allow-incomplete)\n',
      );
      expect(result.code).toBe(0);
      const report = result.json<MultiPlatformScanReport>();
      expect(report.platforms.map((p) => p.image.platform)).toEqual([
        'linux/amd64',
        'linux/arm64/v8',
      ]);
      expect(report.platforms.every((p) => p.image.digest === report.image.digest)).toBe(true);
    });
  });

  describe('with --platform', () => {
    it('reports that platform: its OS, and its packages with provenance and ownership', async () => {
      const report = (
        await clearance(['scan', '--platform', 'linux/amd64', DEMO], EPOCH)
      ).json<ScanReport>();
      expect(report.schemaVersion).toBe(1);
      expect(report.os).toEqual({
        id: 'debian',
        versionId: '12',
        versionCodename: 'bookworm',
        prettyName: 'Debian GNU/Linux 12 (bookworm)',
        eol: false,
        eolDate: '2028-06-30',
      });
      expect(report.packages.map((p) => `${p.type}:${p.name}@${p.version}`)).toEqual([
        'deb:base-files@12.4+deb12u7',
        'deb:libc6@2.36-9+deb12u8',
        'deb:libssl3@3.0.15-1~deb12u1',
        'deb:python3-six@1.16.0-4',
        'npm:left-pad@1.3.0',
        'pypi:six@1.16.0',
      ]);
      expect(report.packages.find((p) => p.name === 'six')?.ownedBy).toBe(
        'pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12',
      );
      expect(report.problems).toEqual([]);
    });
  });

  describe('with --output', () => {
    it('writes the report to the file and nothing to stdout', async () => {
      const file = join(dir(), 'report.json');
      const result = await clearance(
        ['scan', '--platform', 'linux/arm64', '--output', file, DEMO],
        EPOCH,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect((JSON.parse(readFileSync(file, 'utf8')) as ScanReport).image.platform).toBe(
        'linux/arm64/v8',
      );
    });
  });

  describe('secrets', () => {
    it('are searched for by default: the demo image has none', async () => {
      const report = (
        await clearance(['scan', '--platform', 'linux/amd64', DEMO], EPOCH)
      ).json<ScanReport>();
      expect(report.secrets).toEqual([]);
    });

    it('are left out with --no-secrets', async () => {
      const report = (
        await clearance(['scan', '--no-secrets', '--platform', 'linux/amd64', DEMO], EPOCH)
      ).json<ScanReport>();
      expect(report).not.toHaveProperty('secrets');
    });

    it('are listed in the table, redacted, with the layer that deleted a file', async () => {
      const token = `ghp_${'aB3dE5gH7j'.repeat(3)}K9mN0p`;
      const image = await buildImage({
        layers: [
          { files: { 'app/.env': `APP=1\nGITHUB_TOKEN=${token}\n` } },
          { files: { 'app/.wh..env': '' } },
        ],
      });
      await writeOciLayout(dir(), { t: image });
      const result = await clearance(['scan', '--format', 'table', `oci:${dir()}:t`], EPOCH);
      expect(result.stdout).toContain('SECRETS (1)');
      expect(result.stdout).toMatch(/CRITICAL +github-pat/);
      expect(result.stdout).toContain('app/.env:2 (deleted later, still in a layer)');
      expect(result.stdout).toContain('GITHUB_TOKEN=ghp_');
      expect(result.stdout).not.toContain(token);
    });
  });

  describe('image checks', () => {
    it('run by default, each with its status, evidence and CIS mapping', async () => {
      const report = (
        await clearance(['scan', '--platform', 'linux/amd64', DEMO], EPOCH)
      ).json<ScanReport>();
      const byId = new Map(report.checks!.map((c) => [c.id, c]));
      expect(byId.get('latest-tag')).toMatchObject({ status: 'fail', evidence: ['tag latest'] });
      expect(byId.get('user-root')).toMatchObject({ cis: '4.1', dockle: 'CIS-DI-0001' });
      expect(byId.get('image-size')!.status).toBe('info');
      expect(report.checks!.every((c) => c.status !== 'error')).toBe(true);
    });

    it('are left out with --no-checks', async () => {
      const report = (
        await clearance(['scan', '--no-checks', '--platform', 'linux/amd64', DEMO], EPOCH)
      ).json<ScanReport>();
      expect(report).not.toHaveProperty('checks');
    });
  });

  describe('with --compliance', () => {
    it('adds the framework’s controls, each with its status and evidence', async () => {
      const report = (
        await clearance(['scan', '--compliance', 'cis', '--platform', 'linux/amd64', DEMO], EPOCH)
      ).json<ScanReport>();
      expect(report.compliance!.framework).toBe('cis');
      const byId = new Map(report.compliance!.controls.map((c) => [c.id, c]));
      expect(byId.get('4.2')!.status).toBe('fail'); // the demo image is scanned by `latest`
      expect(byId.get('4.4')!.status).toBe('not-assessed'); // no vulnerability data here
      expect(byId.get('4.10')!.status).toBe('pass');
    });

    it('exits 2 for a framework it does not know', async () => {
      const result = await clearance(['scan', '--compliance', 'iso-27001', DEMO], EPOCH);
      expect(result.code).toBe(2);
    });
  });

  describe('failures', () => {
    it('exits 2 for an unknown format', async () => {
      const result = await clearance(['scan', '--format', 'xml', DEMO]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Allowed choices are table, json, sarif/);
    });
  });
});
