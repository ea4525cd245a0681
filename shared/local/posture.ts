import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../objects';
import { bindStep, PipelineError, type VerdictStore } from '../pipeline';
import {
  ECR_REGISTRY_RECORDING,
  ECS_INVENTORY_RECORDING,
  POSTURE_STEP,
  postureJudge,
  type EcrRegistryRecording,
  type EcsInventoryRecording,
  type EcsInventorySource,
  type PostureJudge,
  type RegistryPostureSource,
} from '../posture-run';
import type { Clock } from '../core';
import type { LocalHandler } from './run';

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
