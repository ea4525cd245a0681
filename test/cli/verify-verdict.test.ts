/**
 * `clearance pipeline run` signs the verdict and attaches it to the image; `clearance
 * verify-verdict` finds and checks it offline, as a deploy job would: in an OCI layout (the
 * demo image) and in a registry on 127.0.0.1.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { synthesizeTemplate } from '../../lib/synthesize';
import { generateSigningKey, serializeSigningKey } from '../../shared/attest';
import { sha256Digest } from '../../shared/image/digest';
import { clearance } from '../support/cli';
import { pushBlob, pushManifest } from '../support/push';
import { startRegistry, type RunningServer } from '../support/registry-server';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;
type Descriptor = { mediaType: string; digest: string; size: number; artifactType?: string };

let work: string;
let template: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'clearance-verify-'));
  template = join(work, 'Clearance.template.json');
  writeFileSync(template, JSON.stringify(synthesizeTemplate()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the demo layout scanned by `pipeline run`: the layout, its reference, the state. */
async function scannedDemo(dir: string) {
  const layout = join(dir, 'demo-image');
  cpSync(DEMO_IMAGE, layout, { recursive: true });
  const state = join(dir, 'state');
  const image = `oci:${layout}:latest`;
  const run = await pipelineRun(image, state);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    /✓ SignVerdict {2}attestation [0-9a-f]{12} signed by key [0-9a-f]{12}/,
  );
  return { layout, image, state, keys: join(state, 'verdict-keys') };
}

function pipelineRun(image: string, state: string, attach: string[] = ['--attach-to-layout']) {
  return clearance([
    'pipeline',
    'run',
    '--state-dir',
    state,
    '--osv',
    DEMO_OSV,
    '--template',
    template,
    ...attach,
    image,
  ]);
}

describe('clearance verify-verdict', () => {
  const dir = useTempDir();

  describe('after a pipeline run on the demo OCI layout', () => {
    it('verifies the attached verdict with the published keys and prints it (exit 0)', async () => {
      const { image, keys } = await scannedDemo(dir());
      const result = await clearance(['verify-verdict', image, '--keys', keys]);

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^verified: fail verdict of oci:.*demo-image:latest \(sha256:51eec332a1e5/,
      );
      expect(result.stdout).toContain('"decision": "fail"');
      // Two platforms with the same high finding: summed, and each platform's own.
      expect(result.stdout).toMatch(/"counts": \{\n {4}"critical": 0,\n {4}"high": 2,/);
      expect(result.stdout).toMatch(/"platform": "linux\/amd64",[\s\S]*?"high": 1,/);
    });

    it('prints the verified statement as JSON with --json', async () => {
      const { image, keys } = await scannedDemo(dir());
      const result = await clearance(['verify-verdict', image, '--keys', keys, '--json']);
      const report = result.json<{ digest: string; keyId: string; statement: Json }>();
      expect(report.digest).toBe(
        'sha256:51eec332a1e5014c6f1eba47c219681dd3404414d13d328224bd1e693a646194',
      );
      expect(report.statement).toMatchObject({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'demo-image', digest: { sha256: report.digest.slice(7) } }],
        predicateType: 'https://clearance.dev/verdict/v1',
        predicate: { decision: 'fail', policy: { name: 'default' } },
      });
      expect(readdirSync(keys)).toEqual([`${report.keyId}.pem`]);
    });

    it('reads the keys from a key index URL', async () => {
      const { image, keys } = await scannedDemo(dir());
      const [pem] = readdirSync(keys);
      const index = join(dir(), 'index.json');
      writeFileSync(
        index,
        JSON.stringify({
          keys: [
            {
              keyId: pem!.replace('.pem', ''),
              publicKeyPem: readFileSync(join(keys, pem!), 'utf8'),
              createdAt: '2026-11-29T10:00:00Z',
              status: 'current',
            },
          ],
        }),
      );
      const result = await clearance([
        'verify-verdict',
        image,
        '--keys',
        pathToFileURL(index).href,
      ]);
      expect(result.code).toBe(0);
    });

    it('fails, exit 1, when --require pass meets the fail verdict', async () => {
      const { image, keys } = await scannedDemo(dir());
      const result = await clearance([
        'verify-verdict',
        image,
        '--keys',
        keys,
        '--require',
        'pass',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^clearance: DECISION_NOT_ALLOWED: .* is fail; --require pass accepts pass\n$/,
      );
    });

    it('fails, exit 1, when the predicate was changed in the layout', async () => {
      const { layout, image, keys } = await scannedDemo(dir());
      tamperVerdict(layout, (predicate) => (predicate.decision = 'pass'));
      const result = await clearance([
        'verify-verdict',
        image,
        '--keys',
        keys,
        '--require',
        'pass',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^clearance: TAMPERED: .*signature does not verify/);
    });

    it('fails, exit 1, when the keys are not the ones that signed', async () => {
      const { image } = await scannedDemo(dir());
      const strangers = keysDir(join(dir(), 'strangers'), generateSigningKey().publicKeyPem);
      const result = await clearance(['verify-verdict', image, '--keys', strangers]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^clearance: UNKNOWN_KEY: /);
    });

    it('still verifies with the previous key after the signing key rotated', async () => {
      const { image, state, keys } = await scannedDemo(dir());
      const [signedWith] = readdirSync(keys);
      // The rotation: a new current key, published beside the previous one.
      const next = generateSigningKey();
      writeFileSync(join(state, 'signing-key.json'), serializeSigningKey(next));
      writeFileSync(join(keys, `${next.keyId}.pem`), next.publicKeyPem);

      const result = await clearance(['verify-verdict', image, '--keys', keys, '--json']);
      expect(result.code).toBe(0);
      expect(`${result.json<{ keyId: string }>().keyId}.pem`).toBe(signedWith);
    });
  });

  describe('after a pipeline run that leaves the layout as it was (the default)', () => {
    it('finds the attestation in the state directory with --attestations', async () => {
      const layout = join(dir(), 'demo-image');
      cpSync(DEMO_IMAGE, layout, { recursive: true });
      const before = readFileSync(join(layout, 'index.json'), 'utf8');
      const state = join(dir(), 'state');
      const image = `oci:${layout}:latest`;
      const run = await pipelineRun(image, state, []);

      expect(readFileSync(join(layout, 'index.json'), 'utf8')).toBe(before);
      expect(run.stdout).toContain(`--attestations ${join(state, 'attestations')}`);
      const keys = join(state, 'verdict-keys');
      expect((await clearance(['verify-verdict', image, '--keys', keys])).code).toBe(1);
      const found = await clearance([
        'verify-verdict',
        image,
        '--keys',
        keys,
        '--attestations',
        join(state, 'attestations'),
      ]);
      expect(found.stdout).toMatch(/fail/);
      expect(found.stderr).toBe('');
    });
  });

  it('fails, exit 1, when a local image carries no attestation and no --attestations is given, saying where pipeline run left them', async () => {
    const layout = join(dir(), 'demo-image');
    cpSync(DEMO_IMAGE, layout, { recursive: true });
    const keys = keysDir(join(dir(), 'keys'), generateSigningKey().publicKeyPem);
    const result = await clearance(['verify-verdict', `oci:${layout}:latest`, '--keys', keys]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^clearance: NO_ATTESTATION: no verdict attestation found for sha256:51eec[0-9a-f]+: a local image holds no attached attestation unless `pipeline run --attach-to-layout` put it there; give the layout `pipeline run` left them in with --attestations DIR \(by default \.clearance\/pipeline\/attestations\)\n$/,
    );
  });

  it('fails, exit 2, when --keys names nothing usable', async () => {
    const result = await clearance([
      'verify-verdict',
      `oci:${DEMO_IMAGE}:latest`,
      '--keys',
      join(dir(), 'none'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--keys .*none: no such directory or URL/);
  });

  describe('with a registry on 127.0.0.1', () => {
    let registry: RunningServer;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(() => registry.stop());

    it('verifies the verdict the pipeline attached there (the .att tag and the referrers tag schema)', async () => {
      const image = `${registry.host}/demo/app:latest`;
      await pushLayout(DEMO_IMAGE, registry.host, 'demo/app', 'latest');
      const state = join(dir(), 'state');
      expect((await pipelineRun(image, state)).code).toBe(1);

      const result = await clearance([
        'verify-verdict',
        image,
        '--keys',
        join(state, 'verdict-keys'),
        '--json',
      ]);
      expect(result.code).toBe(0);
      expect(result.json<{ statement: { predicate: Json } }>().statement.predicate.decision).toBe(
        'fail',
      );
      const tag = await fetch(
        `http://${registry.host}/v2/demo/app/manifests/sha256-51eec332a1e5014c6f1eba47c219681dd3404414d13d328224bd1e693a646194.att`,
        {
          headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
        },
      );
      expect(tag.status).toBe(200);
    });
  });
});

/** A directory holding one public key, `key.pem`. */
function keysDir(path: string, pem: string): string {
  mkdirSync(path);
  writeFileSync(join(path, 'key.pem'), pem);
  return path;
}

/** Rewrites the layout's attestation with `edit` applied to its predicate, keeping the signature. */
function tamperVerdict(layout: string, edit: (predicate: Json) => void): void {
  const blob = (digest: string) => join(layout, 'blobs', 'sha256', digest.slice(7));
  const write = (bytes: Buffer): string => {
    const digest = sha256Digest(bytes);
    writeFileSync(blob(digest), bytes);
    return digest;
  };
  const indexPath = join(layout, 'index.json');
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { manifests: Descriptor[] };
  const entry = index.manifests.find((d) => d.artifactType !== undefined)!;
  const manifest = JSON.parse(readFileSync(blob(entry.digest), 'utf8')) as { layers: Descriptor[] };
  const envelope = JSON.parse(readFileSync(blob(manifest.layers[0]!.digest), 'utf8')) as {
    payload: string;
  };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as {
    predicate: Json;
  };
  edit(statement.predicate);
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  const envelopeBytes = Buffer.from(JSON.stringify(envelope));
  manifest.layers[0] = {
    ...manifest.layers[0]!,
    digest: write(envelopeBytes),
    size: envelopeBytes.length,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  Object.assign(entry, { digest: write(manifestBytes), size: manifestBytes.length });
  writeFileSync(indexPath, JSON.stringify(index));
}

/** Pushes an OCI layout's image to a registry: every blob, the index's manifests, the index. */
async function pushLayout(
  layout: string,
  host: string,
  repository: string,
  tag: string,
): Promise<void> {
  const blobs = join(layout, 'blobs', 'sha256');
  for (const name of readdirSync(blobs))
    await pushBlob(host, repository, readFileSync(join(blobs, name)));
  const root = (
    JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] }
  ).manifests[0]!;
  const rootBytes = readFileSync(join(blobs, root.digest.slice(7)));
  for (const child of (JSON.parse(rootBytes.toString()) as { manifests: Descriptor[] }).manifests)
    await pushManifest(
      host,
      repository,
      child.digest,
      readFileSync(join(blobs, child.digest.slice(7))),
      child.mediaType,
    );
  await pushManifest(host, repository, tag, rootBytes, root.mediaType);
}
