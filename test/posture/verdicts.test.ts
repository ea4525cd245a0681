import type { ImageFactsSource } from '../../shared/posture';
import { postureOf, statuses } from './support';

const POD = (image: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: prod }
spec:
  containers:
    - name: app
      image: ${image}${extra}
`;
const DIGEST = `sha256:${'b'.repeat(64)}`;

function source(
  facts: Awaited<ReturnType<ImageFactsSource['lookup']>>,
): ImageFactsSource & { asked: unknown[] } {
  const asked: unknown[] = [];
  return { name: 'test', asked, lookup: (image) => (asked.push(image), Promise.resolve(facts)) };
}

describe('posture with the images’ verdicts', () => {
  it('lets the image decide run-as-non-root when the container sets no user', async () => {
    const nonRoot = await postureOf(POD(`registry.example/team/app@${DIGEST}`), {
      verdicts: source({ verdict: 'pass', source: 'test', runsAsRoot: false }),
    });
    expect(statuses(nonRoot)['run-as-non-root/app']).toBe('pass');
    const root = await postureOf(POD(`registry.example/team/app@${DIGEST}`), {
      verdicts: source({ verdict: 'pass', source: 'test', runsAsRoot: true }),
    });
    expect(statuses(root)['run-as-non-root/app']).toBe('fail');
    const unknown = await postureOf(POD(`registry.example/team/app@${DIGEST}`));
    expect(unknown.workloads[0]!.checks.find((c) => c.id === 'run-as-non-root')!.reason).toMatch(
      /--verdicts/,
    );
  });

  it('fails image-verdict for a failed or unknown verdict, and looks the image up by digest', async () => {
    const failing = source({ verdict: 'fail', source: 'test', digest: DIGEST });
    const report = await postureOf(POD(`registry.example/team/app@${DIGEST}`), {
      verdicts: failing,
    });
    expect(failing.asked).toEqual([
      { registry: 'registry.example', repository: 'team/app', tag: undefined, digests: [DIGEST] },
    ]);
    expect(report.workloads[0]!.checks.find((c) => c.id === 'image-verdict')).toMatchObject({
      status: 'fail',
      reason: 'the image’s latest verdict is fail',
    });
    expect(report.workloads[0]!.containers[0]!.verdict).toMatchObject({ verdict: 'fail' });
    expect(report.workloads[0]!.verdict.rules.find((r) => r.id === 'image-verdict')!.outcome).toBe(
      'fail',
    );
    const unknown = await postureOf(POD('registry.example/team/app:1.0'), {
      verdicts: source({ verdict: 'unknown', source: 'test' }),
    });
    expect(statuses(unknown)['image-verdict/app']).toBe('fail');
    expect(statuses(await postureOf(POD('a:1')))['image-verdict/app']).toBe('not-applicable');
  });

  it('judges registries against the trusted list only when one is given', async () => {
    const report = (trusted: string[]) =>
      postureOf(POD('111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app:1'), {
        trustedRegistries: trusted,
      });
    expect(statuses(await report([]))['image-trusted-registry/app']).toBe('not-applicable');
    expect(
      statuses(await report(['111122223333.dkr.ecr.*.amazonaws.com']))[
        'image-trusted-registry/app'
      ],
    ).toBe('pass');
    expect(statuses(await report(['docker.io']))['image-trusted-registry/app']).toBe('fail');
  });

  it('reports an image reference it cannot read (an unrendered template) as an error, never a pass', async () => {
    const report = await postureOf(POD('"{{ .Values.image }}"'));
    expect(statuses(report)['image-pinned/app']).toBe('error');
    expect(report.workloads[0]!.verdict.decision).toBe('fail');
  });
});
