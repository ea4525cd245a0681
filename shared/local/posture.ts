import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDbVerdictStore } from '../aws/dynamodb';
import { runtimePostureLines } from '../fleet';
import { DirectoryObjectStore, type ObjectStore } from '../objects';
import { bindStep, PipelineError, type VerdictStore } from '../pipeline';
import {
  ECR_REGISTRY_RECORDING,
  ECS_INVENTORY_RECORDING,
  POSTURE_STEP,
  PostureRunOutcome,
  postureJudge,
  type EcrRegistryRecording,
  type EcsInventoryRecording,
  type EcsInventorySource,
  type PostureJudge,
  type RegistryPostureSource,
} from '../posture-run';
import type { Clock } from '../core';
import type { CfnTemplate } from './definition';
import { startLocalDynamoDb } from './dynamodb';
import { executeLocally, type LocalExecution, type LocalHandler } from './run';
import { LOCAL_LAYOUT, LOCAL_TABLES, LOCAL_TABLE_SPECS } from './session';

/*
 * The nightly posture run without AWS: its Posture step (functions/posture-scan's binding) with
 * recordings read from files instead of the ECS and ECR APIs, the object store and images table
 * of the local state, for executeLocally on FleetScan from its Posture state.
 */

/** Recording files in place of the APIs: as the nightly run writes them, or recorded elsewhere. */
export interface PostureRecordings {
  /** A `clearance/ecs-inventory/v1` recording. @default - none: the ECS side is not collected */
  readonly ecsInventory?: string;
  /** A `clearance/ecr-registry/v1` recording. @default - none: the registry is not collected */
  readonly ecrRegistry?: string;
}

/** The file names the run writes its recordings under (`posture/<runId>/…`). */
const RECORDING_FILES = { ecsInventory: 'ecs-inventory.json', ecrRegistry: 'ecr-registry.json' };

/** The recordings a directory holds (a run's `posture/<runId>/`, a fixture directory). */
export function recordingsIn(dir: string): PostureRecordings {
  const present = (file: string) => (existsSync(join(dir, file)) ? join(dir, file) : undefined);
  const ecsInventory = present(RECORDING_FILES.ecsInventory);
  const ecrRegistry = present(RECORDING_FILES.ecrRegistry);
  return { ...(ecsInventory && { ecsInventory }), ...(ecrRegistry && { ecrRegistry }) };
}

/**
 * Sources that replay recordings. A recording not given fails its collection (the run reports
 * it not collected and judges the other); one that is not of its format fails it by name.
 */
export function recordedPostureSources(recordings: PostureRecordings): {
  readonly ecs: EcsInventorySource;
  readonly registry: RegistryPostureSource;
} {
  return {
    ecs: {
      collect: () =>
        replay<EcsInventoryRecording>(recordings.ecsInventory, ECS_INVENTORY_RECORDING),
    },
    registry: {
      collect: () => replay<EcrRegistryRecording>(recordings.ecrRegistry, ECR_REGISTRY_RECORDING),
    },
  };
}

export interface LocalPostureOptions {
  readonly recordings: PostureRecordings;
  readonly store: ObjectStore;
  readonly verdicts: Pick<VerdictStore, 'verdictOf'>;
  readonly clock: Clock;
  /** @default - postureJudge under the default posture policy */
  readonly judge?: PostureJudge;
}

/** The `posture-scan` handler bound to recordings and local stand-ins. */
export function localPostureHandler(options: LocalPostureOptions): LocalHandler {
  return bindStep(POSTURE_STEP, {
    ...recordedPostureSources(options.recordings),
    judge: options.judge ?? postureJudge({ clock: options.clock }),
    store: options.store,
    verdicts: options.verdicts,
  });
}

async function replay<T>(file: string | undefined, format: string): Promise<T> {
  if (file === undefined) throw new PipelineError('MISCONFIGURED', `no ${format} recording given`);
  const value = JSON.parse(await readFile(file, 'utf8')) as { recording?: unknown };
  if (value.recording !== format)
    throw new PipelineError(
      'MISCONFIGURED',
      `${file} is not a ${format} recording (its "recording" is ${JSON.stringify(value.recording)})`,
    );
  return value as T;
}

export interface LocalPostureRunOptions {
  /** The synthesized template holding FleetScan. */
  readonly template: CfnTemplate;
  /** The state directory of `clearance pipeline run`: its objects and its images table. */
  readonly stateDir: string;
  readonly recordings: PostureRecordings;
  readonly clock: Clock;
  /** @default - `local-<time>` */
  readonly runId?: string;
  readonly print: (line: string) => void;
}

export interface LocalPostureRun {
  readonly runId: string;
  readonly execution: LocalExecution;
  /** The Posture state's summary, or its failure as PostureFailed records it. */
  readonly outcome: PostureRunOutcome | undefined;
  /** The digest's section for it, with the objects as paths in the state directory. */
  readonly lines: readonly string[];
}

/**
 * FleetScan's Posture state, and PostureFailed when it fails, as the template defines them, on
 * recording files: the recordings and report go to the state's objects directory, the running
 * images' verdicts come from its images table (what `pipeline run` recorded).
 */
export async function runLocalPosture(options: LocalPostureRunOptions): Promise<LocalPostureRun> {
  const runId = options.runId ?? `local-${options.clock().toISOString().replace(/[:.]/g, '-')}`;
  const objectsDir = join(options.stateDir, LOCAL_LAYOUT.objects);
  const dynamodb = await startLocalDynamoDb(
    join(options.stateDir, LOCAL_LAYOUT.dynamodb),
    LOCAL_TABLE_SPECS,
  );
  try {
    const verdicts = new DynamoDbVerdictStore({
      client: dynamodb.client,
      tableName: LOCAL_TABLES.images,
    });
    const handler = localPostureHandler({
      recordings: options.recordings,
      store: new DirectoryObjectStore(objectsDir),
      verdicts,
      clock: options.clock,
    });
    const execution = await executeLocally({
      template: options.template,
      machine: 'FleetScan',
      from: 'Posture',
      until: 'Summarize',
      handlers: { 'posture-scan': handler },
      input: { runId },
      print: options.print,
    });
    const parsed = PostureRunOutcome.safeParse(
      (execution.output as { posture?: unknown })?.posture,
    );
    const outcome = parsed.success ? parsed.data : undefined;
    return {
      runId,
      execution,
      outcome,
      lines: runtimePostureLines(outcome, (key) => join(objectsDir, key)),
    };
  } finally {
    await dynamodb.close();
  }
}
