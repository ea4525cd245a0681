import { scanImage } from '../../shared/scan';
import { openImageSource } from '../../shared/sources';
import { buildImage, writeOciLayout, type ImageSpec } from '../support/image-builder';
import { useTempDir } from '../support/temp';
import { BASE64, fake } from './examples';

const TODAY = new Date('2026-11-29T00:00:00Z');
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const KEY_ID = `AKIA${fake(16, B32)}`;
const SECRET_KEY = fake(40, BASE64);
const TOKEN = `ghp_${fake(36)}`;
const CREDENTIALS = `[default]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET_KEY}\n`;

describe('scanImage with secrets', () => {
  const dir = useTempDir();

  async function scan(spec: ImageSpec, secrets = true) {
    const image = await buildImage(spec);
    await writeOciLayout(dir(), { t: image });
    const [report] = await scanImage(openImageSource(`oci:${dir()}:t`), { today: TODAY, secrets });
    return { report: report!, layers: image.layers.map((l) => l.descriptor.digest) };
  }
  const summary = (secrets: readonly { rule: string; path: string; line: number }[] = []) =>
    secrets.map((s) => [s.rule, s.path, s.line]);

  describe('when a layer holds a credentials file', () => {
    it('reports each secret with its rule, layer, path and line', async () => {
      const { report, layers } = await scan({
        layers: [{ files: { 'root/.aws/credentials': CREDENTIALS, 'etc/hostname': 'web\n' } }],
      });
      expect(summary(report.secrets)).toEqual([
        ['aws-access-key-id', 'root/.aws/credentials', 2],
        ['aws-secret-access-key', 'root/.aws/credentials', 3],
      ]);
      expect(report.secrets![0]).toMatchObject({
        severity: 'CRITICAL',
        layer: layers[0],
        removedInLayer: null,
      });
    });

    it('never writes a secret into the report', async () => {
      const { report } = await scan({
        layers: [{ files: { 'root/.aws/credentials': CREDENTIALS } }],
        config: { Env: ['PATH=/bin', `GITHUB_TOKEN=${TOKEN}`] },
      });
      const json = JSON.stringify(report);
      for (const secret of [KEY_ID, SECRET_KEY, TOKEN]) expect(json).not.toContain(secret);
    });
  });

  describe('when a later layer deletes or replaces the file', () => {
    it.each([
      ['a whiteout', { 'root/.aws/.wh.credentials': '' }],
      ['an opaque directory', { 'root/.aws/.wh..wh..opq': '', 'root/.aws/config': '[x]\n' }],
      ['a new version of the file', { 'root/.aws/credentials': '[default]\nregion = x\n' }],
    ])('still reports the secret after %s, marked with the removing layer', async (_, files) => {
      const { report, layers } = await scan({
        layers: [
          { files: { 'root/.aws/credentials': CREDENTIALS } },
          { files: { 'etc/x': 'x' } },
          { files },
        ],
      });
      expect(summary(report.secrets)).toEqual([
        ['aws-access-key-id', 'root/.aws/credentials', 2],
        ['aws-secret-access-key', 'root/.aws/credentials', 3],
      ]);
      expect(report.secrets!.map((s) => [s.layer, s.removedInLayer])).toEqual([
        [layers[0], layers[2]],
        [layers[0], layers[2]],
      ]);
    });
  });

  describe('when the image config carries secrets', () => {
    it('reports those in the environment, the history and the labels', async () => {
      const { report } = await scan({
        layers: [{ files: { 'etc/hostname': 'web\n' } }],
        config: {
          Env: ['PATH=/bin', `GITHUB_TOKEN=${TOKEN}`],
          Labels: { 'ci.token': `glpat-${fake(20)}` },
        },
        history: [
          { created_by: `/bin/sh -c echo "//r/:_authToken=${fake(36)}" > ~/.npmrc # buildkit` },
        ],
      });
      expect(summary(report.secrets)).toEqual([
        ['github-pat', 'config.Env[1]', 1],
        ['npmrc-auth-token', 'config.history[0].created_by', 1],
        ['gitlab-pat', 'config.Labels["ci.token"]', 1],
      ]);
      expect(report.secrets!.every((s) => s.layer === null && s.removedInLayer === null)).toBe(
        true,
      );
    });
  });

  describe('when files are noise or cannot hold a readable secret', () => {
    it('passes over documentation, binaries and files over 1 MiB', async () => {
      const big = `${CREDENTIALS}${'#'.repeat(1024 * 1024)}`;
      const binary = Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]),
        Buffer.from(CREDENTIALS),
      ]);
      const { report } = await scan({
        layers: [
          {
            files: {
              'usr/share/doc/awscli/examples/credentials': CREDENTIALS,
              'usr/bin/tool': binary,
              'srv/dump.sql': big,
            },
          },
        ],
      });
      expect(report.secrets).toEqual([]);
    });
  });

  describe('when the image ships files that should not be there', () => {
    it('lists them, with the layer that deleted one', async () => {
      const { report, layers } = await scan({
        layers: [
          { files: { 'root/.aws/credentials': CREDENTIALS, 'root/.bash_history': 'ls\n' } },
          { files: { 'root/.wh..bash_history': '' } },
        ],
      });
      expect(
        report.sensitiveFiles!.map((f) => [f.rule, f.path, f.layer, f.removedInLayer]),
      ).toEqual([
        ['aws-credentials-file', 'root/.aws/credentials', layers[0], null],
        ['shell-history', 'root/.bash_history', layers[0], layers[1]],
      ]);
    });
  });

  describe('when secrets are not asked for', () => {
    it('leaves them out of the report', async () => {
      const { report } = await scan(
        { layers: [{ files: { 'root/.aws/credentials': CREDENTIALS } }] },
        false,
      );
      expect(report).not.toHaveProperty('secrets');
      expect(report).not.toHaveProperty('sensitiveFiles');
    });
  });
});
