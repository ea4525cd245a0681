import {
  MAX_CAUSE_LENGTH,
  cleanError,
  failureOf,
  recordFailure,
  redactCredentials,
} from '../../shared/pipeline/record-failure';
import { MemoryAuditLog, fixedClock } from '../support/pipeline-ports';
import { TRIGGER, failureInput, imageTarget } from '../support/pipeline-scans';

function setUp() {
  return { audit: new MemoryAuditLog(), clock: fixedClock() };
}

describe('recordFailure', () => {
  it('records scan.failed with the error and returns what NotifyOperations needs', async () => {
    const deps = setUp();
    const failure = await recordFailure(failureInput(), deps);
    expect(failure).toEqual({
      id: 'scan-1',
      image: imageTarget(),
      trigger: TRIGGER,
      scanId: 'scan-1',
      error: { Error: 'Clearance.Transient', Cause: 'ThrottlingException: Rate exceeded' },
    });
    expect(deps.audit.events).toEqual([
      {
        id: 'scan-1:scan.failed',
        type: 'scan.failed',
        time: '2026-11-29T10:00:00.000Z',
        actor: TRIGGER.actor,
        image: { repository: 'payments/api', digest: imageTarget().digest, tag: '1.4.2' },
        details: {
          scanId: 'scan-1',
          registry: imageTarget().registry,
          trigger: { type: 'push', id: TRIGGER.id },
          error: failure.error,
        },
        versions: {},
      },
    ]);
  });

  it('records a failure once when retried', async () => {
    const deps = setUp();
    await recordFailure(failureInput(), deps);
    deps.clock.advance(5);
    await recordFailure(failureInput(), deps);
    expect(deps.audit.events).toHaveLength(1);
  });

  describe('when the failure came before Resolve made a scan id', () => {
    it('names it by what is known, the same way each time', async () => {
      const deps = setUp();
      const input = failureInput({ scanId: undefined });
      const first = await recordFailure(input, deps);
      const again = await recordFailure(input, deps);
      expect(first.id).toMatch(/^failed-[0-9a-f]{16}$/);
      expect(again.id).toBe(first.id);
      expect(first).not.toHaveProperty('scanId');
      expect(deps.audit.events).toHaveLength(1);
    });
  });

  describe('when the input is partial or malformed', () => {
    it.each([
      ['no image', { trigger: TRIGGER, error: { Error: 'Clearance.Input', Cause: 'bad' } }],
      ['a malformed image', { image: { repository: 3 }, error: { Error: 'X' } }],
      ['no error', { image: imageTarget() }],
      ['nothing', null],
      ['a string', 'oops'],
    ])('records what it can of %s', async (_, input) => {
      const deps = setUp();
      const failure = await recordFailure(input, deps);
      expect(failure.id).toMatch(/^failed-/);
      expect(deps.audit.events).toEqual([
        expect.objectContaining({ type: 'scan.failed', id: `${failure.id}:scan.failed` }),
      ]);
    });
  });
});

describe('failureOf', () => {
  it('keeps each well-formed part and drops the rest', () => {
    expect(
      failureOf({ image: imageTarget(), trigger: { type: 'nope' }, scanId: 'bad id!', error: {} }),
    ).toEqual({
      id: expect.stringMatching(/^failed-/),
      image: imageTarget(),
      error: { Error: 'Unknown', Cause: 'the failure carried no {Error, Cause} to record' },
    });
  });
});

describe('cleanError', () => {
  it("keeps a Lambda error's message and drops its stack trace", () => {
    const cause = JSON.stringify({
      errorType: 'Clearance.Bug',
      errorMessage: 'MISSING_OBJECT: expected a scan report',
      trace: ['at x (/var/task/index.js:1:2)'],
    });
    expect(cleanError({ Error: 'Clearance.Bug', Cause: cause })).toEqual({
      Error: 'Clearance.Bug',
      Cause: 'MISSING_OBJECT: expected a scan report',
    });
  });

  it('keeps a cause that is not JSON as it is', () => {
    expect(cleanError({ Error: 'States.Timeout' })).toEqual({ Error: 'States.Timeout', Cause: '' });
  });

  it(`truncates a cause to ${MAX_CAUSE_LENGTH} characters`, () => {
    const { Cause } = cleanError({ Error: 'X', Cause: 'y'.repeat(5000) });
    expect(Cause).toHaveLength(MAX_CAUSE_LENGTH);
    expect(Cause!.endsWith('…')).toBe(true);
  });

  it('redacts before it truncates, so no half of a credential is left', () => {
    const { Cause } = cleanError({
      Error: 'X',
      Cause: `${'y'.repeat(MAX_CAUSE_LENGTH - 20)} password=hunter2hunter2hunter2`,
    });
    expect(Cause).not.toMatch(/hunter/);
  });
});

describe('redactCredentials', () => {
  it.each([
    [
      'a pre-signed URL',
      'GET https://bucket.s3.amazonaws.com/layer?X-Amz-Credential=AKIAABCDEFGHIJKLMNOP%2F&X-Amz-Signature=deadbeef failed',
      'GET https://bucket.s3.amazonaws.com/layer?*** failed',
    ],
    [
      'a user and password in a URL',
      'cannot reach https://robot:s3cr3t@127.0.0.1:5000/v2/',
      'cannot reach https://***@127.0.0.1:5000/v2/',
    ],
    ['a bearer token', 'Authorization: Bearer eyJhbGc.eyJzdWIi.sig', 'Authorization: *** ***'],
    ['an access key id', 'key AKIAABCDEFGHIJKLMNOP denied', 'key AKIA*** denied'],
    ['a JSON secret', '{"password":"p4ss","user":"u"}', '{"password":"***","user":"u"}'],
    ['a token assignment', 'token=abc.def; next', 'token=***; next'],
  ])('hides %s', (_, text, redacted) => {
    expect(redactCredentials(text)).toBe(redacted);
  });

  it('leaves a message without credentials alone', () => {
    const text =
      'IMAGE_NOT_FOUND: payments/api@sha256:7f5b is not in 123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    expect(redactCredentials(text)).toBe(text);
  });
});
