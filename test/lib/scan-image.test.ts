import { definitionOf, FULL_CONFIG, synthesize } from './synth';

type State = Record<string, unknown>;
type Definition = { StartAt: string; States: Record<string, State> };

const withPromotion = synthesize(FULL_CONFIG);
const withoutPromotion = synthesize();
const definition = definitionOf(withPromotion.template, 'ScanImageStateMachine') as Definition;
const states = definition.States;
const platforms = (states.ScanPlatforms as { ItemProcessor: Definition }).ItemProcessor;
const layers = (platforms.States.AnalyzeLayers as { ItemProcessor: Definition }).ItemProcessor;

/** Every state, the Maps' processors included, by name. */
const all: Record<string, State> = { ...states, ...platforms.States, ...layers.States };

const LAMBDA_RETRY = {
  ErrorEquals: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 6,
  JitterStrategy: 'FULL',
};
const TRANSIENT_RETRY = {
  ErrorEquals: ['Clearance.Transient'],
  IntervalSeconds: 5,
  BackoffRate: 2,
  MaxAttempts: 4,
  JitterStrategy: 'FULL',
};
const CATCH = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }];

describe('ScanImage', () => {
  it('is a Standard state machine logging ALL to an encrypted log group, traced', () => {
    withPromotion.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('has the states the local runner maps, by their fixed names', () => {
    expect(definition.StartAt).toBe('Deferred');
    expect(Object.keys(states).sort()).toEqual(
      [
        'Deferred',
        'WaitForIndex',
        'Resolve',
        'IsSkipped',
        'Skipped',
        'ScanPlatforms',
        'Record',
        'SignVerdict',
        'PublishFindings',
        'Decide',
        'Promote',
        'Quarantine',
        'ShouldNotify',
        'Notify',
        'Done',
        'RecordFailure',
        'NotifyOperations',
        'ScanFailed',
      ].sort(),
    );
    expect(Object.keys(platforms.States).sort()).toEqual(
      ['AnalyzeLayers', 'Assemble', 'Match', 'Evaluate'].sort(),
    );
    expect(Object.keys(layers.States)).toEqual(['AnalyzeLayer']);
  });

  it('invokes each function by ARN, so that a task is its handler called with the state', () => {
    for (const name of [
      'Resolve',
      'AnalyzeLayer',
      'Assemble',
      'Match',
      'Evaluate',
      'Record',
      'SignVerdict',
    ])
      expect(all[name]).toMatchObject({
        Type: 'Task',
        Resource: expect.stringMatching(/^<Functions\w+Function\w+\.Arn>$/),
      });
  });

  it('maps platforms, then layers with bounded concurrency', () => {
    expect(states.ScanPlatforms).toMatchObject({
      ItemsPath: '$.platforms',
      ItemSelector: {
        'scanId.$': '$.scanId',
        'image.$': '$.image',
        'analyzerSet.$': '$.analyzerSet',
        'platform.$': '$$.Map.Item.Value',
      },
      MaxConcurrency: 4,
      ResultPath: '$.platforms',
    });
    expect(platforms.States.AnalyzeLayers).toMatchObject({
      ItemsPath: '$.platform.layers',
      ItemSelector: {
        'image.$': '$.image',
        'analyzerSet.$': '$.analyzerSet',
        'layer.$': '$$.Map.Item.Value',
      },
      MaxConcurrency: 8,
      ResultPath: '$.layers',
    });
  });

  it('passes each platform step only what it reads, and ends an iteration with the verdict', () => {
    expect(all.Assemble).toMatchObject({
      Parameters: {
        'scanId.$': '$.scanId',
        'image.$': '$.image',
        'platform.$': '$.platform',
        'layers.$': '$.layers',
      },
      ResultPath: '$.assembled',
    });
    expect(all.Match).toMatchObject({
      Parameters: { 'scanId.$': '$.scanId', 'assembled.$': '$.assembled' },
      ResultPath: '$.matched',
    });
    expect(all.Evaluate).toMatchObject({
      Parameters: { 'scanId.$': '$.scanId', 'image.$': '$.image', 'matched.$': '$.matched' },
      End: true,
    });
    // The result replaces the state by default; an explicit `$` is read as a key by the local runner.
    expect(all.Evaluate).not.toHaveProperty('ResultPath');
  });

  it('retries throttling and Lambda service errors with jitter, and transient errors, on every task', () => {
    for (const [name, state] of Object.entries(all).filter(([, s]) => s.Type === 'Task'))
      expect([name, state.Retry]).toEqual([name, [LAMBDA_RETRY, TRANSIENT_RETRY]]);
  });

  // A Map's Retry re-runs every iteration, each task with its own retries again: up to 7 × 7
  // invocations of a throttled layer, and every platform scanned anew.
  it('retries nothing again around its tasks: its Maps have no Retry', () => {
    expect(states.ScanPlatforms?.Retry).toBeUndefined();
    expect(platforms.States.AnalyzeLayers?.Retry).toBeUndefined();
  });

  it('catches every failure of the top-level tasks and the platforms Map into RecordFailure', () => {
    for (const name of ['Resolve', 'ScanPlatforms', 'Record', 'Promote', 'Quarantine', 'Notify'])
      expect([name, all[name]?.Catch]).toEqual([name, CATCH]);
  });

  it('records the failure, tells operations and fails the execution', () => {
    expect(states.RecordFailure).toMatchObject({
      ResultPath: '$.failure',
      Next: 'NotifyOperations',
    });
    expect(states.RecordFailure?.Catch).toBeUndefined();
    expect(states.NotifyOperations).toMatchObject({
      Parameters: { kind: 'failure', 'failure.$': '$.failure' },
      Next: 'ScanFailed',
    });
    expect(states.ScanFailed).toMatchObject({ Type: 'Fail' });
  });

  it('lets an untagged manifest wait for its index first, the wait set by StartScan', () => {
    expect(states.Deferred).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.defer', IsPresent: true, Next: 'WaitForIndex' }],
      Default: 'Resolve',
    });
    expect(states.WaitForIndex).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.defer.seconds',
      Next: 'Resolve',
    });
  });

  it('ends a scan Resolve skipped (an artifact, a covered platform) as succeeded, with no message', () => {
    expect(states.Resolve).toMatchObject({ Next: 'IsSkipped' });
    expect(states.IsSkipped).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.skipped', IsPresent: true, Next: 'Skipped' }],
      Default: 'ScanPlatforms',
    });
    expect(states.Skipped).toEqual({ Type: 'Succeed' });
  });

  it('quarantines a failing image, promotes a passing one, then notifies (events: every verdict)', () => {
    expect(states.Record).toMatchObject({ ResultPath: '$.record', Next: 'PublishFindings' });
    expect(states.SignVerdict).toMatchObject({ ResultPath: '$.attestation', Next: 'Decide' });
    expect(states.Decide).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.record.decision', StringEquals: 'fail', Next: 'Quarantine' }],
      Default: 'Promote',
    });
    expect(states.Promote).toMatchObject({ ResultPath: '$.promotion', Next: 'ShouldNotify' });
    expect(states.Quarantine).toMatchObject({ ResultPath: '$.quarantine', Next: 'ShouldNotify' });
    expect(states.ShouldNotify).toMatchObject({
      Choices: [{ Variable: '$.record.changed', BooleanEquals: true, Next: 'Notify' }],
      // publishEvents (on by default): Notify puts every verdict's event, alerting on change only.
      Default: 'Notify',
    });
    expect(states.Notify).toMatchObject({
      Parameters: { kind: 'verdict', 'scan.$': '$' },
      Next: 'Done',
    });
  });

  describe('when no promotion target is configured', () => {
    const states = (definitionOf(withoutPromotion.template, 'ScanImageStateMachine') as Definition)
      .States;

    it('goes from Decide straight to ShouldNotify, without a Promote state', () => {
      expect(states.Promote).toBeUndefined();
      expect(states.Decide).toMatchObject({ Default: 'ShouldNotify' });
    });
  });
});
