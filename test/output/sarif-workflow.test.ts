import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { clearance } from '../support/cli';
import { sarifSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, 'examples', 'github-actions', 'clearance-scan.yml');
const EPOCH = { SOURCE_DATE_EPOCH: '1795392000' }; // 2026-11-23

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
interface Workflow {
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: { scan: { steps: Step[] } };
}

const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const steps = workflow.jobs.scan.steps;
const step = (name: RegExp) => steps.find((s) => name.test(s.name))!;

describe('examples/github-actions/clearance-scan.yml', () => {
  const dir = useTempDir();

  it('checks out, sets up Node 22, installs the CLI, updates the data, scans, uploads, gates: in that order', () => {
    expect(steps.map((s) => s.uses ?? s.run!.trim().split('\n')[0])).toEqual([
      'actions/checkout@v4',
      'actions/checkout@v4',
      'actions/setup-node@v4',
      '(cd .clearance && npm ci && npm pack --pack-destination "$RUNNER_TEMP")',
      'actions/cache@v4',
      'clearance db update',
      'docker build --tag "app:${GITHUB_SHA}" .',
      'code=0',
      'github/codeql-action/upload-sarif@v3',
      'if [ "$EXIT_CODE" = 0 ]; then echo "clearance: the image passes the default policy"; exit 0; fi',
    ]);
    expect(step(/Node 22/).with!['node-version']).toBe(22);
  });

  it('may write code scanning alerts', () => {
    expect(workflow.permissions['security-events']).toBe('write');
  });

  it('uploads the file the scan writes, under a category, even when the scan failed the image', () => {
    const scan = step(/Scan the image/);
    const upload = step(/Upload/);
    expect(scan.run).toContain('--format sarif --output clearance.sarif || code=$?');
    expect(upload.with).toEqual({ sarif_file: 'clearance.sarif', category: 'clearance-image' });
    expect(upload.if).toContain('!cancelled()');
  });

  it('gates on the exit code the scan step saved', () => {
    const gate = step(/Gate/);
    expect(gate.env).toEqual({ EXIT_CODE: '${{ steps.scan.outputs.exit-code }}' });
    expect(step(/Scan the image/).id).toBe('scan');
    expect(step(/Scan the image/).run).toContain('echo "exit-code=$code" >> "$GITHUB_OUTPUT"');
  });

  it.each(steps.filter((s) => s.run !== undefined).map((s) => [s.name, s.run!]))(
    'has a step "%s" that bash can parse',
    (_, script) => {
      expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
    },
  );

  it('scans with a command the CLI accepts, writing valid SARIF and the exit code of the gate', async () => {
    const line = step(/Scan the image/)
      .run!.split('\n')
      .find((l) => l.startsWith('clearance scan'))!;
    const args = line
      .replace(/ \|\| code=\$\?$/, '')
      .split(' ')
      .slice(1)
      .map((a) => (a === '"$IMAGE"' ? `oci:${join(ROOT, 'examples', 'demo-image')}:latest` : a))
      .map((a) => (a === 'clearance.sarif' ? join(dir(), a) : a));
    await clearance(['db', 'import', '--db', join(dir(), 'db'), join(ROOT, 'examples', 'osv')]);
    const result = await clearance([...args, '--db', join(dir(), 'db')], EPOCH);
    // The example data is weeks old by SOURCE_DATE_EPOCH: the stale-data gap fails the policy.
    expect(result.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(dir(), 'clearance.sarif'), 'utf8')) as unknown;
    expect(sarifSchemaErrors(sarif)).toEqual([]);
  });
});
