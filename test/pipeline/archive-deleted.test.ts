import { archiveDeletedImage, isEcrImageDeleted } from '../../shared/pipeline/archive-deleted';
import type { StoredVerdict } from '../../shared/pipeline/ports';
import type {
  AsffFinding,
  FindingsHub,
  PublishResult,
  PublishScope,
} from '../../shared/securityhub';

const PRODUCT = 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default';
const INDEX = `sha256:${'a'.repeat(64)}`;
const AMD64 = `sha256:${'b'.repeat(64)}`;
const ARM64 = `sha256:${'c'.repeat(64)}`;

/** ECR's documented `ECR Image Action` DELETE sample, with this test's digest. */
function deleteEvent(detail: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: '9f8c6f5a-6d5b-4c3e-a1b2-3c4d5e6f7a8b',
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time: '2019-11-16T02:01:05Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': 'team/app',
      'image-digest': INDEX,
      'action-type': 'DELETE',
      'image-tag': 'latest',
      ...detail,
    },
  };
}

class RecordingHub implements FindingsHub {
  readonly published: { findings: readonly AsffFinding[]; scope: PublishScope }[] = [];
  constructor(private readonly answer: Partial<PublishResult> = {}) {}
  publish(findings: readonly AsffFinding[], scope: PublishScope): Promise<PublishResult> {
    this.published.push({ findings, scope });
    return Promise.resolve({
      imported: 0,
      failed: [],
      archived: 3,
      archiveFailed: [],
      ...this.answer,
    });
  }
}

/** ECR's answer: the image is gone (as after the deletion of its last tag, or by digest). */
const gone = () => Promise.resolve(false);

function verdicts(known: Record<string, StoredVerdict>) {
  return { verdictOf: (digest: string) => Promise.resolve(known[digest]) };
}

const verdict: StoredVerdict = {
  digest: INDEX,
  decision: 'pass',
  scanId: 'scan-1',
  recordedAt: '2026-11-29T10:00:00.000Z',
  severeFindings: [],
  policyDigest: 'p',
  dataVersion: 'd',
  analyzerSet: 'a',
  platforms: [
    { platform: 'linux/amd64', manifestDigest: AMD64, reportKey: 'scans/amd64.json' },
    { platform: 'linux/arm64', manifestDigest: ARM64, reportKey: 'scans/arm64.json' },
  ],
};

const resource = (digest: string) =>
  `arn:aws:ecr:eu-west-1:123456789012:repository/team/app/${digest}`;

describe('archiveDeletedImage', () => {
  it('archives the findings of the deleted digest and of every platform its verdict names', async () => {
    const hub = new RecordingHub();
    const result = await archiveDeletedImage(deleteEvent(), {
      hub,
      productArn: PRODUCT,
      verdicts: verdicts({ [INDEX]: verdict }),
      stillStored: gone,
    });
    expect(hub.published).toEqual([
      {
        findings: [],
        scope: {
          productArn: PRODUCT,
          resourceIds: [resource(INDEX), resource(AMD64), resource(ARM64)],
        },
      },
    ]);
    expect(result).toMatchObject({
      status: 'archived',
      repository: 'team/app',
      digest: INDEX,
      archived: 3,
      failed: 0,
    });
  });

  it('archives an untagged digest without a verdict by its own resource', async () => {
    const hub = new RecordingHub({ archived: 1 });
    const { 'image-tag': _tag, ...untagged } = deleteEvent().detail;
    const result = await archiveDeletedImage(
      { ...deleteEvent(), detail: { ...untagged, 'image-digest': AMD64 } },
      { hub, productArn: PRODUCT, verdicts: verdicts({}), stillStored: gone },
    );
    expect(hub.published[0]!.scope.resourceIds).toEqual([resource(AMD64)]);
    expect(result.archived).toBe(1);
  });

  it('reports what Security Hub refused to archive', async () => {
    const failure = { id: 'clearance/x', code: 'InvalidInput', message: 'no' };
    const hub = new RecordingHub({ archived: 0, archiveFailed: [failure] });
    const result = await archiveDeletedImage(deleteEvent(), {
      hub,
      productArn: PRODUCT,
      verdicts: verdicts({}),
      stillStored: gone,
    });
    expect(result).toMatchObject({ status: 'partial', failed: 1, failures: [failure] });
  });

  it('keeps the findings when only a tag was removed and the image is still there', async () => {
    const hub = new RecordingHub();
    const asked: string[] = [];
    const result = await archiveDeletedImage(deleteEvent(), {
      hub,
      productArn: PRODUCT,
      verdicts: verdicts({ [INDEX]: verdict }),
      stillStored: (repository, digest) => {
        asked.push(`${repository}@${digest}`);
        return Promise.resolve(true);
      },
    });
    expect(asked).toEqual([`team/app@${INDEX}`]);
    expect(hub.published).toEqual([]);
    expect(result).toMatchObject({ status: 'kept', archived: 0, resourceIds: [] });
  });

  it('does not ask ECR when the event names no tag (a deletion by digest removes the image)', async () => {
    const hub = new RecordingHub();
    const { 'image-tag': _tag, ...byDigest } = deleteEvent().detail;
    await archiveDeletedImage(
      { ...deleteEvent(), detail: byDigest },
      {
        hub,
        productArn: PRODUCT,
        verdicts: verdicts({}),
        stillStored: () => Promise.reject(new Error('must not be asked')),
      },
    );
    expect(hub.published).toHaveLength(1);
  });

  it('lets Security Hub being unreachable throw, for the rule to retry', async () => {
    const hub: FindingsHub = { publish: () => Promise.reject(new Error('throttled')) };
    await expect(
      archiveDeletedImage(deleteEvent(), {
        hub,
        productArn: PRODUCT,
        verdicts: verdicts({}),
        stillStored: gone,
      }),
    ).rejects.toThrow('throttled');
  });

  it.each([
    ['a push', { 'action-type': 'PUSH' }],
    ['a failed deletion', { result: 'FAILURE' }],
  ])('refuses %s, archiving nothing', async (_what, detail) => {
    const hub = new RecordingHub();
    await expect(
      archiveDeletedImage(deleteEvent(detail), {
        hub,
        productArn: PRODUCT,
        verdicts: verdicts({}),
        stillStored: gone,
      }),
    ).rejects.toThrow(/not an ECR image deletion/);
    expect(hub.published).toEqual([]);
  });
});

describe('isEcrImageDeleted', () => {
  it('tells a successful deletion from a push, a failed deletion and a step input', () => {
    expect(isEcrImageDeleted(deleteEvent())).toBe(true);
    expect(isEcrImageDeleted(deleteEvent({ 'action-type': 'PUSH' }))).toBe(false);
    expect(isEcrImageDeleted(deleteEvent({ result: 'FAILURE' }))).toBe(false);
    expect(isEcrImageDeleted({ image: { digest: INDEX }, platforms: [] })).toBe(false);
  });
});
