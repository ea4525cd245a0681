import { definitionOf, FULL_CONFIG, synthesize } from './synth';

type State = Record<string, unknown>;
type Definition = { StartAt: string; States: Record<string, State> };

const { template } = synthesize(FULL_CONFIG);
const fleet = definitionOf(template, 'FleetScanStateMachine') as Definition;
const checkFleet = fleet.States.CheckFleet as State & { ItemProcessor: Definition };
const items = checkFleet.ItemProcessor.States;

describe('FleetScan', () => {
  it('enumerates the fleet under the execution name, checks it, then summarizes', () => {
    expect(fleet.StartAt).toBe('Enumerate');
    expect(fleet.States.Enumerate).toMatchObject({
      Parameters: { 'runId.$': '$$.Execution.Name' },
      Next: 'CheckFleet',
    });
    expect(fleet.States.Summarize).toMatchObject({
      Parameters: {
        'runId.$': '$.runId',
        'manifestKey.$': '$.results.ResultWriterDetails.Key',
      },
      End: true,
    });
  });

  it('reads the items file as JSON Lines and writes the results under the run, in a Distributed Map', () => {
    expect(checkFleet).toMatchObject({
      Type: 'Map',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ItemReader: {
        Resource: expect.stringMatching(/:states:::s3:getObject$/),
        ReaderConfig: { InputType: 'JSONL' },
        Parameters: { Bucket: expect.stringMatching(/^<StorageArtifacts/), 'Key.$': '$.itemsKey' },
      },
      ResultWriter: {
        Resource: expect.stringMatching(/:states:::s3:putObject$/),
        Parameters: {
          Bucket: expect.stringMatching(/^<StorageArtifacts/),
          'Prefix.$': "States.Format('fleet/{}/results', $.runId)",
        },
      },
      ItemSelector: { 'runId.$': '$.runId', 'image.$': '$$.Map.Item.Value' },
      ResultPath: '$.results',
    });
  });

  it('takes MaxConcurrency and ToleratedFailurePercentage from the configuration', () => {
    expect(checkFleet).toMatchObject({ MaxConcurrency: 20, ToleratedFailurePercentage: 10 });
    const defaults = definitionOf(synthesize().template, 'FleetScanStateMachine') as Definition;
    expect(defaults.States.CheckFleet).toMatchObject({
      MaxConcurrency: 50,
      ToleratedFailurePercentage: 5,
    });
  });

  it('re-checks each image, and runs ScanImage and waits for it when the image needs a scan', () => {
    expect(checkFleet.ItemProcessor.StartAt).toBe('CheckImage');
    expect(items.CheckImage).toMatchObject({ Type: 'Task', Next: 'NeedsScan' });
    expect(items.NeedsScan).toMatchObject({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.needsScan', IsPresent: true },
            { Variable: '$.needsScan', BooleanEquals: true },
          ],
          Next: 'ScanNewImage',
        },
      ],
    });
    expect(items.ScanNewImage).toMatchObject({
      Resource: expect.stringMatching(/:states:::states:startExecution\.sync:2$/),
      Parameters: {
        StateMachineArn: expect.stringMatching(/^<ScanImageStateMachine/),
        'Input.$': '$.scanInput',
        'Name.$': '$.executionName',
      },
      ResultPath: '$.scan',
    });
  });

  it('lets its role decrypt and encrypt with the bucket key (items file, results)', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const id = Object.keys(policies).find((key) => key.startsWith('FleetScanStateMachineRole'));
    expect(JSON.stringify(policies[id!])).toMatch(/"kms:Decrypt","kms:GenerateDataKey"/);
  });
});

describe('SyncVulnerabilityData', () => {
  const sync = definitionOf(template, 'SyncVulnerabilityDataStateMachine') as Definition;

  it('is one Sync task, retried on Lambda errors and transient ones', () => {
    expect(sync.StartAt).toBe('Sync');
    expect(Object.keys(sync.States)).toEqual(['Sync']);
    expect(sync.States.Sync?.Retry).toEqual([
      expect.objectContaining({
        ErrorEquals: expect.arrayContaining(['Lambda.TooManyRequestsException']),
      }),
      expect.objectContaining({ ErrorEquals: ['Clearance.Transient'] }),
    ]);
  });
});

describe('every state machine', () => {
  it('is Standard, logs ALL and traces', () => {
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(3);
    for (const machine of machines)
      expect((machine as { Properties: unknown }).Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        LoggingConfiguration: { Level: 'ALL' },
        TracingConfiguration: { Enabled: true },
      });
  });
});
