import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_CONFIG_URI } from '../../shared/output/sarif';
import { clearance } from '../support/cli';
import { golden } from '../support/golden';
import { buildImage, writeOciLayout } from '../support/image-builder';
import { sarifSchemaErrors } from '../support/schemas';
import { BASE64, fake } from '../secrets/examples';
import { useTempDir } from '../support/temp';

const ROOT = join(__dirname, '..', '..');
const DEMO = `oci:${join(ROOT, 'examples', 'demo-image')}:latest`;
const EPOCH = { SOURCE_DATE_EPOCH: '1795392000' }; // 2026-11-23
const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'sarif');
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

interface Location {
  physicalLocation: {
    artifactLocation: { uri: string };
    region?: { startLine: number; snippet?: { text: string } };
  };
  logicalLocations?: { fullyQualifiedName: string; kind: string }[];
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Location[];
  partialFingerprints: Record<string, string>;
  properties?: Record<string, unknown>;
}
interface Rule {
  id: string;
  help: { text: string };
  properties: { 'security-severity': string; tags: string[] };
}
interface Notification {
  level: string;
  descriptor: { id: string };
  message: { text: string };
}
interface Log {
  runs: {
    tool: { driver: { rules: Rule[] } };
    invocations: { toolExecutionNotifications: Notification[] }[];
    results: Result[];
  }[];
}

/** Secrets built at run time (test/secrets/examples.ts), so that none is committed. */
const GITHUB_TOKEN = `ghp_${fake(36)}`;
const AWS_KEY_ID = `AKIA${fake(16, B32)}`;
const AWS_SECRET = fake(40, BASE64);
const STRIPE_KEY = `sk_live_${fake(24)}`;

/**
 * An image with 4 secrets (two in a credentials file, one in a `.env` a later layer deletes,
 * one in the config's Env) and 7 failed checks: root, no HEALTHCHECK, `apt-get update` alone,
 * `ADD` of a URL, a secret in ENV, `latest`, a set-user-ID file.
 */
async function leakyImage(dir: string): Promise<string> {
  const image = await buildImage({
    layers: [
      {
        files: {
          'root/.aws/credentials': `[default]\naws_access_key_id = ${AWS_KEY_ID}\naws_secret_access_key = ${AWS_SECRET}\n`,
          'app/.env': `APP=1\nGITHUB_TOKEN=${GITHUB_TOKEN}\n`,
          'usr/local/bin/helper': { type: 'file', content: '#!/bin/sh\n', mode: 0o4755 },
        },
      },
      { files: { 'app/.wh..env': '' } },
    ],
    config: { Env: ['PATH=/usr/bin:/bin', `STRIPE_KEY=${STRIPE_KEY}`] },
    history: [
      { created_by: '/bin/sh -c apt-get update' },
      { created_by: '/bin/sh -c #(nop) ADD https://example.com/tool.tgz /opt/' },
    ],
  });
  await writeOciLayout(dir, { latest: image });
  return `oci:${dir}:latest`;
}

/** `scan --format sarif` with the example advisories (examples/osv) imported into `db`. */
async function scan(db: string, image: string): Promise<Log> {
  await clearance(['db', 'import', '--db', db, join(ROOT, 'examples', 'osv')]);
  return (await clearance(['scan', '--db', db, '--format', 'sarif', image], EPOCH)).json<Log>();
}

describe('sarifJson', () => {
  const dir = useTempDir();

  describe('when the image has secrets and failed checks', () => {
    let log: Log;
    let results: Result[];
    const of = (ruleId: string) => results.filter((r) => r.ruleId === ruleId);
    let shared = '';
    beforeAll(async () => {
      shared = mkdtempSync(join(tmpdir(), 'clearance-test-'));
      log = await scan(join(shared, 'db'), await leakyImage(join(shared, 'leaky')));
      results = log.runs[0]!.results;
    });
    afterAll(() => rmSync(shared, { recursive: true, force: true }));

    it('is valid SARIF 2.1.0', () => {
      expect(sarifSchemaErrors(log)).toEqual([]);
    });

    it('gives a result for each of the 4 secrets and the 7 failed checks', () => {
      const secrets = results.filter((r) => r.ruleId.startsWith('secret/'));
      const checks = results.filter((r) => r.ruleId.startsWith('check/'));
      expect(secrets).toHaveLength(4);
      expect(checks.map((r) => r.ruleId).sort()).toEqual([
        'check/add-remote-url',
        'check/healthcheck-missing',
        'check/latest-tag',
        'check/secrets-in-env',
        'check/setuid-files',
        'check/update-alone',
        'check/user-root',
      ]);
      expect(results.length).toBeGreaterThanOrEqual(11);
    });

    it('never writes a secret, only its redacted match', () => {
      const text = JSON.stringify(log);
      for (const secret of [GITHUB_TOKEN, AWS_KEY_ID, AWS_SECRET, STRIPE_KEY])
        expect(text).not.toContain(secret);
    });

    it('locates a secret in a file at its path and line, the layer in the message', () => {
      const [pat] = of('secret/github-pat');
      const location = pat!.locations[0]!.physicalLocation;
      expect(location.artifactLocation.uri).toBe('app/.env');
      expect(location.region!.startLine).toBe(2);
      expect(location.region!.snippet!.text).toBe('GITHUB_TOKEN=ghp_****************');
      expect(pat!.message.text).toMatch(/Layer [0-9a-f]{12}, deleted by layer [0-9a-f]{12}/);
      expect(pat!.properties).toMatchObject({ layer: expect.stringMatching(/^sha256:/) });
    });

    it('locates a secret in the config at the config, the field as a logical location', () => {
      const [stripe] = results.filter((r) => r.ruleId.startsWith('secret/stripe'));
      expect(stripe!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(IMAGE_CONFIG_URI);
      expect(stripe!.locations[0]!.logicalLocations).toEqual([
        { fullyQualifiedName: 'config.Env[1]', kind: 'member' },
      ]);
    });

    it('locates a failed check at its history entry, its config field or its file', () => {
      const logical = (id: string) =>
        of(`check/${id}`)[0]!.locations[0]!.logicalLocations?.map((l) => l.fullyQualifiedName);
      expect(logical('update-alone')).toEqual(['config.history[0]']);
      expect(logical('add-remote-url')).toEqual(['config.history[1]']);
      expect(logical('user-root')).toEqual(['config.User']);
      expect(logical('secrets-in-env')).toContain('config.Env[1]');
      expect(of('check/setuid-files')[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(
        'usr/local/bin/helper',
      );
    });

    it('gives every rule help text and a security-severity, and every result its rule', () => {
      const rules = log.runs[0]!.tool.driver.rules;
      for (const rule of rules) {
        expect(rule.help.text.length).toBeGreaterThan(20);
        expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
        expect(rule.properties.tags.length).toBeLessThanOrEqual(10);
      }
      for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    });

    it('writes the most severe first', () => {
      expect(results[0]!.level).toBe('error');
      expect(results.at(-1)!.level).not.toBe('error');
    });

    it('keeps fingerprints stable when the image is rebuilt with other layers', async () => {
      const again = (await scan(join(dir(), 'db'), await leakyImage(join(dir(), 'again')))).runs[0]!
        .results;
      expect(again.map((r) => r.partialFingerprints)).toEqual(
        results.map((r) => r.partialFingerprints),
      );
    });

    it('says in a notification what could not be checked: here, the data is old', () => {
      expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
        expect.objectContaining({
          level: 'error',
          descriptor: { id: 'clearance/coverage/stale-data' },
        }),
      ]);
    });
  });

  describe('on the demo image (two platforms), with the example advisories', () => {
    it('gives a finding of both platforms one result, naming both', async () => {
      const results = (await scan(join(dir(), 'db'), DEMO)).runs[0]!.results;
      expect(results.map((r) => r.ruleId)).toEqual([
        'DEMO-2026-0001',
        'check/latest-tag',
        'DEMO-2026-0002',
        'DEMO-2026-0003',
      ]);
      for (const r of results)
        expect(r.properties).toMatchObject({ platforms: ['linux/amd64', 'linux/arm64/v8'] });
    });

    it('is valid SARIF 2.1.0, and as the golden file', async () => {
      const text = JSON.stringify(await scan(join(dir(), 'db'), DEMO)).replaceAll(
        DEMO,
        'oci:examples/demo-image:latest',
      );
      const log = JSON.parse(text) as Log;
      expect(sarifSchemaErrors(log)).toEqual([]);
      expect(log).toEqual(golden(join(GOLDEN, 'demo-image.sarif.json'), log));
      const kinds = new Set(log.runs[0]!.results.map((r) => r.ruleId.split('/')[0]));
      expect(kinds).toEqual(
        new Set(['DEMO-2026-0001', 'DEMO-2026-0002', 'DEMO-2026-0003', 'check']),
      );
    });
  });
});
