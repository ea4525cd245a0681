/**
 * Runtime posture: how long `clearance posture` takes, and how much memory, on definitions the
 * size of real fleets. Generates, into .bench/posture on first use:
 *
 * - a multi-document Kubernetes file of 5,000 workloads (Deployments, StatefulSets, CronJobs,
 *   a tenth of them hardened, the rest as found in the wild: no securityContext, latest tags);
 * - an ECS inventory recording of 40 clusters × 50 services (2,000 services, 4,000 containers,
 *   each with three running tasks), the shape the nightly posture run writes;
 * - the ECR outputs of 500 repositories, each with a policy and a lifecycle policy.
 *
 * Each is judged by the bundled CLI in a child process (wall time, peak RSS), three runs each;
 * then `clearance posture` of one task definition (the start-up a CI job pays).
 *
 *   npm run bench:posture
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BENCH_DIR = join('.bench', 'posture');
/** The CLI as `npm run build` bundles it (package.json's `bin`). */
const CLI = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: { clearance: string } }).bin
  .clearance;
const RUNS = 3;

function kubernetes(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const hardened = i % 10 === 0;
    const kind = ['Deployment', 'StatefulSet', 'CronJob'][i % 3]!;
    const container = hardened
      ? `        - name: app
          image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app-${i}@sha256:${'a'.repeat(64)}
          resources: { limits: { cpu: 500m, memory: 256Mi } }
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
            seccompProfile: { type: RuntimeDefault }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }`
      : `        - name: app
          image: docker.io/team/app-${i}:latest
          env:
            - { name: DB_PASSWORD, value: "s3cr3t-${i}-value" }
            - { name: MODE, value: production }
          ports: [{ containerPort: 8080 }]
        - name: sidecar
          image: envoyproxy/envoy:v1.30.1`;
    const pod = `      containers:\n${container}`;
    const spec =
      kind === 'CronJob'
        ? `  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${pod.replace(/^/gm, '      ')}`
        : `  template:\n    spec:\n${pod.replace(/^ {6}/gm, '      ')}`;
    docs.push(
      `apiVersion: ${kind === 'CronJob' ? 'batch/v1' : 'apps/v1'}\nkind: ${kind}\nmetadata:\n  name: app-${i}\n  namespace: ns-${i % 50}\nspec:\n${spec}\n`,
    );
  }
  return docs.join('---\n');
}

function ecsInventory(clusters: number, services: number): string {
  const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;
  return JSON.stringify({
    recording: 'clearance/ecs-inventory/v1',
    region: 'eu-west-1',
    accountId: '111122223333',
    capturedAt: '2026-12-07T03:00:00Z',
    clusters: Array.from({ length: clusters }, (_, c) => ({
      clusterArn: `arn:aws:ecs:eu-west-1:111122223333:cluster/c${c}`,
      clusterName: `c${c}`,
      services: Array.from({ length: services }, (_, s) => ({
        service: { serviceName: `svc-${s}`, launchType: s % 2 === 0 ? 'FARGATE' : 'EC2' },
        taskDefinition: {
          family: `svc-${s}`,
          revision: 3,
          networkMode: 'awsvpc',
          cpu: '512',
          memory: '1024',
          containerDefinitions: [
            {
              name: 'app',
              image: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/svc-${s}:1.${s}`,
              essential: true,
              logConfiguration: { logDriver: 'awslogs' },
              environment: [{ name: 'API_KEY', value: 'AKIAIOSFODNN7EXAMPLE' }],
            },
            {
              name: 'proxy',
              image: 'public.ecr.aws/nginx/nginx:1.27',
              readonlyRootFilesystem: true,
              user: '101',
            },
          ],
        },
        tasks: Array.from({ length: 3 }, (_, t) => ({
          taskArn: `arn:aws:ecs:eu-west-1:111122223333:task/c${c}/${s}${t}`,
          group: `service:svc-${s}`,
          containers: [
            { name: 'app', imageDigest: digest(s) },
            { name: 'proxy', imageDigest: digest(100000 + s) },
          ],
        })),
      })),
    })),
  });
}

function ecr(n: number): { describe: string; policies: string[] } {
  const repositories = Array.from({ length: n }, (_, i) => ({
    repositoryArn: `arn:aws:ecr:eu-west-1:111122223333:repository/team/r${i}`,
    registryId: '111122223333',
    repositoryName: `team/r${i}`,
    repositoryUri: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/r${i}`,
    createdAt: '2026-01-01T00:00:00+00:00',
    imageTagMutability: i % 2 === 0 ? 'IMMUTABLE' : 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  }));
  const policies = repositories.flatMap((r) => [
    JSON.stringify({
      registryId: r.registryId,
      repositoryName: r.repositoryName,
      policyText: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'pull',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::444455556666:root' },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          },
        ],
      }),
    }),
    JSON.stringify({
      registryId: r.registryId,
      repositoryName: r.repositoryName,
      lifecyclePolicyText: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: 14,
            },
            action: { type: 'expire' },
          },
        ],
      }),
    }),
  ]);
  return { describe: JSON.stringify({ repositories }), policies };
}

function ensureInputs(): Record<string, string[]> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const k8s = join(BENCH_DIR, 'cluster-5000.yaml');
  const inventory = join(BENCH_DIR, 'ecs-inventory-2000.json');
  const ecrDir = join(BENCH_DIR, 'ecr');
  if (!existsSync(k8s)) writeFileSync(k8s, kubernetes(5000));
  if (!existsSync(inventory)) writeFileSync(inventory, ecsInventory(40, 50));
  const { describe, policies } = ecr(500);
  mkdirSync(ecrDir, { recursive: true });
  writeFileSync(join(ecrDir, 'describe-repositories.json'), describe);
  const policyFiles = policies.map((text, i) => {
    const file = join(ecrDir, `p${i}.json`);
    if (!existsSync(file)) writeFileSync(file, text);
    return file;
  });
  return {
    'Kubernetes: 5,000 workloads, one multi-document file': [k8s],
    'ECS inventory: 2,000 services, 4,000 containers': [inventory],
    'ECR: 500 repositories, 1,001 files': [
      join(ecrDir, 'describe-repositories.json'),
      ...policyFiles,
    ],
    'one task definition (start-up)': ['test/fixtures/posture/ecs/register-ec2-insecure.json'],
  };
}

function main(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  for (const [name, files] of Object.entries(ensureInputs())) {
    const times: number[] = [];
    const rss: number[] = [];
    let checks = '';
    for (let run = 0; run < RUNS; run++) {
      const start = process.hrtime.bigint();
      const child = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%M',
          process.execPath,
          CLI,
          'posture',
          '--format',
          'json',
          '--allow-incomplete',
          ...files,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 30 },
      );
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
      rss.push(Number(child.stderr.trim().split('\n').pop()) / 1024);
      const report = JSON.parse(child.stdout) as {
        summary: { workloads: number; checks: Record<string, number> };
      };
      checks = `${report.summary.workloads} workloads, ${Object.values(report.summary.checks).reduce((a, b) => a + b, 0)} check results`;
    }
    const range = (xs: number[], digits: number) =>
      `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
    console.log(`${name}: ${range(times, 2)} s, peak RSS ${range(rss, 0)} MiB (${checks})`);
  }
}

main();
