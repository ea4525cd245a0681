import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { DirectoryObjectStore } from '../../shared/objects';
import { fleetExecutionName } from '../../shared/fleet/scan-item';
import type { NeedsScanItem, ScanItemInput } from '../../shared/fleet/schemas';
import { summarizeFleet } from '../../shared/fleet/summarize';
import { FakeNotifier } from '../support/fleet-ports';
import { writeMapRun } from '../support/map-run';
import {
  evaluatedPlatform,
  failingPlatform,
  imageTarget,
  recordedScan,
  recordInput,
} from '../support/pipeline-scans';
import { useTempDir } from '../support/temp';
import { definitionOf, FULL_CONFIG, synthesize } from './synth';

type State = Record<string, unknown>;
type Definition = { StartAt: string; States: Record<string, State> };
type LocalTask = (input: unknown) => Promise<unknown>;

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

  it("reads the items file as JSON Lines and writes the results under Enumerate's prefix, in a Distributed Map", () => {
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
          'Prefix.$': '$.resultsPrefix',
        },
      },
      ItemSelector: {
        'runId.$': '$.runId',
        'startedAt.$': '$.startedAt',
        'image.$': '$$.Map.Item.Value',
      },
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
      ResultSelector: {
        'status.$': '$.Status',
        'executionArn.$': '$.ExecutionArn',
        'record.$': '$.Output.record',
        'counts.$': '$.Output.platforms[*].counts',
      },
      ResultPath: '$.scan',
    });
  });

  it('records a ScanImage execution of the same name as already scanned, not as a failed item', () => {
    expect(items.ScanNewImage!.Catch).toEqual([
      {
        ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'],
        ResultPath: '$.scan',
        Next: 'AlreadyScanned',
      },
    ]);
    expect(items.AlreadyScanned).toEqual({
      Type: 'Pass',
      Parameters: { status: 'ALREADY_SCANNED', 'error.$': '$.scan' },
      ResultPath: '$.scan',
      End: true,
    });
  });

  it('lets its role decrypt and encrypt with the bucket key (items file, results)', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const id = Object.keys(policies).find((key) => key.startsWith('FleetScanStateMachineRole'));
    expect(JSON.stringify(policies[id!])).toMatch(/"kms:Decrypt","kms:GenerateDataKey"/);
  });
});

describe('an item of the FleetScan map, run on its synthesized definition', () => {
  const dir = useTempDir();
  const RUN = 'nightly-1';
  const item: ScanItemInput = {
    runId: RUN,
    startedAt: '2026-11-29T03:00:00.000Z',
    image: imageTarget(),
  };
  const needsScan: NeedsScanItem = {
    image: item.image,
    needsScan: true,
    reason: 'never scanned',
    executionName: fleetExecutionName(RUN, item.image),
    scanInput: {
      image: item.image,
      trigger: { type: 'fleet', id: RUN, actor: 'schedule', time: item.startedAt! },
    },
  };

  /** CheckImage → NeedsScan → ScanNewImage as aws-local-stepfunctions runs them (ResultSelector, Catch). */
  function runItem(scanNewImage: LocalTask): Promise<unknown> {
    const { StartAt, States } = checkFleet.ItemProcessor;
    const machine = new StateMachine({ StartAt, States } as unknown as StateMachineDefinition, {
      validationOptions: { checkPaths: true, checkArn: false },
    });
    const handlers: Record<string, LocalTask> = {
      CheckImage: () => Promise.resolve(needsScan),
      ScanNewImage: scanNewImage,
    };
    return machine.run(item, { overrides: { taskResourceLocalHandlers: handlers as never } })
      .result;
  }

  /** What Summarize makes of the item's output, written as the ResultWriter writes it. */
  async function summarize(output: unknown) {
    const store = new DirectoryObjectStore(dir());
    const manifestKey = await writeMapRun(store, `fleet/${RUN}/results`, [
      { status: 'SUCCEEDED', input: item, output },
    ]);
    const clock = () => new Date('2026-11-29T04:00:00Z');
    const notifier = new FakeNotifier();
    return summarizeFleet({ runId: RUN, manifestKey }, { store, notifier, clock });
  }

  describe('when ScanImage ran', () => {
    it("keeps the verdict and counts Summarize reads of ScanImage's final state", async () => {
      // ScanImage's final state: a failing amd64 (2 critical, 1 high) and a clean arm64.
      const final = recordedScan(
        recordInput([failingPlatform(), evaluatedPlatform({ platform: 'linux/arm64' })]),
        { newSevereFindings: ['CVE-2026-0001'] },
      );
      const started: unknown[] = [];
      const output = await runItem((input) => {
        started.push(input);
        // `.sync:2`: the execution's description, its Output parsed JSON.
        return Promise.resolve({
          ExecutionArn: 'arn:aws:states:eu-west-1:123456789012:execution:ScanImage:x',
          Status: 'SUCCEEDED',
          Output: final,
        });
      });
      expect(started).toEqual([
        expect.objectContaining({
          Input: needsScan.scanInput,
          Name: needsScan.executionName,
        }),
      ]);
      expect((output as { scan: unknown }).scan).toEqual({
        status: 'SUCCEEDED',
        executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:ScanImage:x',
        record: final.record,
        counts: final.platforms.map((p) => p.counts),
      });
      expect(await summarize(output)).toMatchObject({
        images: 1,
        fail: 1,
        scannedWithoutVerdict: 0,
        failed: 0,
        newSevereFindings: 1,
      });
    });
  });

  describe('when an execution of that name already ran (a re-driven item)', () => {
    it('records it as already scanned, neither failed nor judged', async () => {
      const output = await runItem(() =>
        Promise.reject(
          Object.assign(new Error("Execution Already Exists: 'arn:…:ScanImage:x'"), {
            name: 'StepFunctions.ExecutionAlreadyExistsException',
          }),
        ),
      );
      expect((output as { scan: unknown }).scan).toEqual({
        status: 'ALREADY_SCANNED',
        error: {
          Error: 'StepFunctions.ExecutionAlreadyExistsException',
          Cause: "Execution Already Exists: 'arn:…:ScanImage:x'",
        },
      });
      expect(await summarize(output)).toMatchObject({
        images: 1,
        scannedWithoutVerdict: 1,
        failed: 0,
      });
    });
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
  // The tasks inside retry what they may: a Map retrying too would multiply their attempts.
  it('has no Map that retries, Distributed or inline, however nested', () => {
    for (const prefix of [
      'ScanImageStateMachine',
      'FleetScanStateMachine',
      'SyncVulnerabilityData',
    ])
      for (const [name, state] of mapsOf(definitionOf(template, prefix) as Definition))
        expect([prefix, name, state.Retry]).toEqual([prefix, name, undefined]);
  });

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

/** Every Map state of `definition`, nested ones included, by name. */
function mapsOf(definition: Definition): [string, State][] {
  return Object.entries(definition.States).flatMap(([name, state]) => {
    const processor = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
    const nested = processor === undefined ? [] : mapsOf(processor);
    return state.Type === 'Map' ? [[name, state] as [string, State], ...nested] : nested;
  });
}
