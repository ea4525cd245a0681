import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostureReport } from '../../shared/posture';
import { clearance } from '../support/cli';
import { sarifSchemaErrors } from '../support/schemas';
import { FIXTURES } from '../posture/support';

const fixture = (path: string) => join(FIXTURES, path);
const ENV = { SOURCE_DATE_EPOCH: '1796990400' };

describe('clearance posture', () => {
  it('exits 0 on hardened definitions, with the benchmark version and the check contract in the JSON', async () => {
    const run = await clearance(
      [
        'posture',
        '--format',
        'json',
        fixture('kubernetes/deployment-restricted.yaml'),
        fixture('compose/compose-hardened.yaml'),
      ],
      ENV,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = run.json<PostureReport>();
    expect(report).toMatchObject({
      schemaVersion: 1,
      benchmark: 'CIS Docker Benchmark v1.6.0',
      decision: 'pass',
    });
    const check = report.workloads[0]!.checks.find((c) => c.id === 'privileged')!;
    expect(Object.keys(check).sort()).toEqual([
      'cis',
      'container',
      'evidence',
      'id',
      'reason',
      'remediation',
      'severity',
      'status',
      'title',
    ]);
    expect(check).toMatchObject({ cis: '5.5', status: 'pass' });
  });

  it('exits 1 with one line naming the denied workloads and rules', async () => {
    const run = await clearance(
      ['posture', '--format', 'json', fixture('ecs/register-ec2-insecure.json')],
      ENV,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^clearance: posture gate failed: 1 of 1 workloads denied by policy default-posture \(first: ecs:legacy-agent: no-privileged, no-host-namespaces, .*\)$/,
      ),
    ]);
  });

  it('fails on a document it could not read unless the gap is accepted by name', async () => {
    const run = await clearance(
      [
        'posture',
        '--format',
        'json',
        fixture('kubernetes/deployment-restricted.yaml'),
        fixture('kubernetes/mixed.yaml'),
      ],
      ENV,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('document not read (first: ');
    const accepted = await clearance(
      [
        'posture',
        '--format',
        'json',
        '--allow-gap',
        `document-unread:${fixture('kubernetes/mixed.yaml')}#2`,
        fixture('kubernetes/mixed.yaml'),
      ],
      ENV,
    );
    const report = accepted.json<PostureReport>();
    expect(report.coverage.gaps[0]).toMatchObject({ acceptedBy: '--allow-gap document-unread' });
  });

  it('turns a file that is not YAML or JSON into a gap, and a missing file into exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'posture-'));
    writeFileSync(join(dir, 'broken.yaml'), 'services:\n  web: [unclosed\n');
    const broken = await clearance(['posture', '--format', 'json', join(dir, 'broken.yaml')], ENV);
    expect(broken.code).toBe(1);
    expect(broken.json<PostureReport>().documents[0]).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/^not YAML: /),
    });
    writeFileSync(join(dir, 'empty.yaml'), '# kubectl printed nothing\n---\n');
    const empty = await clearance(['posture', '--format', 'json', join(dir, 'empty.yaml')], ENV);
    expect(empty.code).toBe(1);
    expect(empty.json<PostureReport>().documents).toEqual([
      expect.objectContaining({ status: 'invalid', reason: 'no documents: the file is empty' }),
    ]);
    const missing = await clearance(['posture', join(dir, 'nope.yaml')], ENV);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 2,
      stderr: `clearance: ${join(dir, 'nope.yaml')}: no such file\n`,
    });
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema, one result per failed check', async () => {
    const run = await clearance(
      [
        'posture',
        '--format',
        'sarif',
        fixture('kubernetes/daemonset-insecure.yaml'),
        fixture('kubernetes/mixed.yaml'),
      ],
      ENV,
    );
    const sarif = run.json<{
      runs: {
        results: { ruleId: string; locations: unknown[] }[];
        invocations: { toolExecutionNotifications: unknown[] }[];
      }[];
    }>();
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('posture/docker-socket');
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications).toHaveLength(1);
  });

  it('prints a table on a terminal', async () => {
    const run = await clearance(['posture', fixture('compose/compose-insecure.yaml')], ENV, {
      isTTY: true,
    });
    expect(run.stdout).toContain('FAIL CRITICAL docker-socket [CIS 5.32] web:');
    expect(run.stdout).toMatch(/CIS Docker Benchmark v1\.6\.0 numbering; decision fail\n$/);
  });

  it('applies a team policy (images only from our registries) and `policy test` re-judges the saved report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'posture-'));
    const policy = join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      `name: our-registries
rules:
  - id: our-registries
    expression: containers.all(c, c.image.registry != null && c.image.registry.endsWith('.dkr.ecr.eu-west-1.amazonaws.com'))
    message: an image comes from outside our registries
exceptions:
  - id: windows-base
    scope: { workload: "ecs:windows-*" }
    reason: Microsoft's base image, mirrored in Q1
    owner: team-platform
    expires: 2027-03-31
`,
    );
    const run = await clearance(
      [
        'posture',
        '--format',
        'json',
        '--policy',
        policy,
        '--output',
        join(dir, 'posture.json'),
        fixture('ecs/describe-fargate-hardened.json'),
        fixture('ecs/register-ec2-insecure.json'),
        fixture('ecs/windows-fargate.json'),
      ],
      ENV,
    );
    expect(run.code).toBe(1);
    const test = await clearance(
      ['policy', 'test', policy, '--input', join(dir, 'posture.json')],
      ENV,
    );
    const verdicts = JSON.parse(test.stdout) as {
      decision: string;
      rules: { outcome: string }[];
    }[];
    expect(verdicts.map((v) => [v.decision, v.rules[0]!.outcome])).toEqual([
      ['pass', 'pass'],
      ['fail', 'fail'],
      ['pass', 'excepted'],
    ]);
    expect(test.code).toBe(1);
  });

  it('maps the runtime evidence onto CIS §5 and the other frameworks with --compliance', async () => {
    const run = await clearance(
      [
        'posture',
        '--format',
        'json',
        '--compliance',
        'cis',
        fixture('compose/compose-insecure.yaml'),
      ],
      ENV,
    );
    const { compliance } = run.json<{
      compliance: { title: string; controls: { id: string; status: string }[] };
    }>();
    expect(compliance.title).toBe('CIS Docker Benchmark v1.6.0, section 5 (container runtime)');
    expect(compliance.controls.find((c) => c.id === '5.32')).toMatchObject({ status: 'fail' });
    const pci = await clearance(
      [
        'posture',
        '--format',
        'json',
        '--compliance',
        'hipaa',
        fixture('compose/compose-hardened.yaml'),
      ],
      ENV,
    );
    const hipaa = pci.json<{ compliance: { controls: { id: string; status: string }[] } }>()
      .compliance;
    expect(hipaa.controls.find((c) => c.id === '164.312(b)')).toMatchObject({ status: 'pass' });
  });

  it('takes the images’ verdicts from saved scan reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'posture-'));
    const digest = `sha256:${'2f7a3c4b5d6e7f80'.repeat(4)}`;
    writeFileSync(
      join(dir, 'scan.json'),
      JSON.stringify({
        schemaVersion: 1,
        image: { reference: 'x', digest, manifestDigest: digest },
        packages: [],
        checks: [{ id: 'user-root', status: 'pass' }],
        verdict: { decision: 'fail' },
      }),
    );
    const run = await clearance(
      [
        'posture',
        '--format',
        'json',
        '--image-report',
        join(dir, 'scan.json'),
        fixture('ecs/describe-fargate-hardened.json'),
      ],
      ENV,
    );
    const report = run.json<PostureReport>();
    expect(report.workloads[0]!.checks.find((c) => c.id === 'image-verdict')).toMatchObject({
      status: 'fail',
    });
    expect(run.code).toBe(1);
  });

  it('checks ECR registry posture from the AWS CLI outputs, and a malformed output is a gap', async () => {
    const registry = (name: string) => fixture(`registry/${name}`);
    const files = [
      'describe-repositories.json',
      'policy-app-api.json',
      'policy-app-web.json',
      'lifecycle-policy-app-api.json',
      'describe-registry.json',
    ].map(registry);
    const run = await clearance(
      ['posture', '--format', 'json', '--trusted-account', '999988887777', ...files],
      ENV,
    );
    const report = run.json<PostureReport>();
    const web = report.registry!.repositories.find((r) => r.name === 'app/web')!;
    expect(web.checks.find((c) => c.id === 'ecr-policy-public')).toMatchObject({
      status: 'fail',
      severity: 'CRITICAL',
    });
    expect(web.checks.find((c) => c.id === 'ecr-tag-immutability')).toMatchObject({
      status: 'fail',
    });
    expect(
      report.registry!.registry!.checks.find((c) => c.id === 'ecr-replication-trusted'),
    ).toMatchObject({ status: 'pass' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/registry checks? failed/);
    const corrupt = await clearance(
      ['posture', '--format', 'json', ...files, registry('corrupt/policy-not-json.json')],
      ENV,
    );
    const gaps = corrupt.json<PostureReport>().coverage.gaps;
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps)
      expect(gap).toMatchObject({
        kind: 'document-unread',
        subject: registry('corrupt/policy-not-json.json'),
        acceptedBy: null,
      });
    expect(corrupt.code).toBe(1);
  });

  it('streams the JSON a workload at a time, byte for byte what one JSON.stringify gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'posture-'));
    const files = [
      fixture('kubernetes/mixed.yaml'),
      fixture('ecs/register-ec2-insecure.json'),
      fixture('registry/describe-repositories.json'),
    ];
    const printed = await clearance(['posture', '--format', 'json', ...files], ENV);
    expect(printed.stdout).toBe(`${JSON.stringify(printed.json(), null, 2)}\n`);
    await clearance(
      ['posture', '--format', 'json', '--output', join(dir, 'out.json'), ...files],
      ENV,
    );
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(printed.stdout);
    const nowhere = await clearance(
      ['posture', '--output', join(dir, 'no', 'such', 'dir.json'), ...files],
      ENV,
    );
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^clearance: --output .*: ENOENT/);
  });

  it('prints the failed checks as Security Hub findings with --format asff, in the account and region given', async () => {
    const run = await clearance(
      ['posture', '--format', 'asff', fixture('compose/compose-insecure.yaml')],
      {
        ...ENV,
        AWS_ACCOUNT_ID: '111122223333',
        AWS_REGION: 'eu-west-1',
      },
    );
    const { Findings } = run.json<{ Findings: { ProductArn: string; GeneratorId: string }[] }>();
    expect(Findings.length).toBeGreaterThan(10);
    expect(Findings[0]!.ProductArn).toBe(
      'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
    );
    expect(Findings.map((f) => f.GeneratorId)).toContain('clearance/posture/docker-socket');
    expect(run.code).toBe(1);
  });
});
