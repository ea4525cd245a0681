import { awsErrorKind, awsRequestError } from '../../shared/aws/errors';

const sdkError = (name: string, status?: number, more: object = {}) =>
  Object.assign(new Error(`${name} happened\nsecond line with request details`), {
    name,
    ...(status !== undefined && { $metadata: { httpStatusCode: status } }),
    ...more,
  });

describe('awsErrorKind', () => {
  it.each([
    ['ThrottlingException', 400, 'transient'],
    ['ThrottledException', 400, 'transient'],
    ['KMSThrottlingException', 400, 'transient'],
    ['ProvisionedThroughputExceededException', 400, 'transient'],
    ['TooManyRequestsException', 429, 'transient'],
    ['SlowDown', 503, 'transient'],
    ['ServerException', 500, 'transient'],
    ['InternalServerError', 500, 'transient'],
    ['ExecutionLimitExceeded', 400, 'transient'],
    ['ValidationException', 400, 'bug'],
    ['InvalidParameterException', 400, 'bug'],
    ['InvalidName', 400, 'bug'],
    ['AccessDeniedException', 400, 'input'],
    ['AccessDenied', 403, 'input'],
    ['ResourceNotFoundException', 400, 'input'],
    ['RepositoryNotFoundException', 400, 'input'],
  ])('classes %s (HTTP %d) as %s', (name, status, kind) => {
    expect(awsErrorKind(sdkError(name, status))).toBe(kind);
  });

  it('classes an error the SDK marked retryable as transient', () => {
    expect(awsErrorKind(sdkError('Whatever', 400, { $retryable: {} }))).toBe('transient');
  });

  it('classes a call that got no answer (refused, reset) as transient', () => {
    expect(
      awsErrorKind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe('transient');
  });
});

describe('awsRequestError', () => {
  it('keeps the call, the target, the error name, the status and the first message line only', () => {
    const error = awsRequestError('S3 PutObject', 's3://bucket/key', sdkError('SlowDown', 503));
    expect(error).toMatchObject({
      code: 'AWS_REQUEST_FAILED',
      kind: 'transient',
      message: 'S3 PutObject on s3://bucket/key failed: SlowDown (HTTP 503): SlowDown happened',
    });
    expect(error.cause).toBeInstanceOf(Error);
  });
});
