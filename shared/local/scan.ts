import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { anchorHead, DirectoryAnchorStore } from '../audit';
import type { Policy } from '../policy';
import type { SourceOptions } from '../sources';
import type { VulnerabilityStore } from '../vulndb';
import type { Clock } from '../core';
import type { RegistryWriter } from '../pipeline';
import type { Decision, ScanImageInput, SkippedScan } from '../pipeline';
import { localImageTarget } from './image-opener';
import { executeScanImage, type LocalExecution, type LocalHandler } from './run';
import {
  LOCAL_LAYOUT,
  openLocalPipeline,
  type LocalPipeline,
  type LocalPipelineOptions,
} from './session';

export interface LocalScanOptions {
  readonly reference: string;
  readonly stateDir: string;
  readonly vulnerabilities: VulnerabilityStore;
  readonly policy: Policy;
  /** The synthesized CloudFormation template holding ScanImage. */
  readonly template: Record<string, unknown>;
  readonly out: Writable | { write(chunk: string): unknown };
  readonly clock: Clock;
  readonly actor: string;
  readonly sourceOptions?: SourceOptions;
  /**
   * Wraps handlers by folder name (tests: a throttled or failing function).
   * @default - the handlers as they are
   */
  readonly wrap?: (name: string, handler: LocalHandler) => LocalHandler;
  /** @default - the definition's retry intervals */
  readonly retryIntervalMs?: number;
  /** @default - none (LocalPipelineOptions.registry) */
  readonly registry?: RegistryWriter;
  /** @default false (LocalPipelineOptions.attachToLayout) */
  readonly attachToLayout?: boolean;
  /** @default - the template's (LocalPipelineOptions.coverage) */
  readonly coverage?: LocalPipelineOptions['coverage'];
}

export interface LocalScanResult {
  readonly execution: LocalExecution;
  readonly input: ScanImageInput;
  /** The image's verdict, when the execution recorded one. */
  readonly decision?: Decision;
  /** Why Resolve scanned nothing (an artifact, a platform its index's scan covers). */
  readonly skipped?: SkippedScan['skipped'];
  readonly scanId?: string;
}

/**
 * One manual scan of `reference` through the ScanImage state machine, locally: the image's
 * digest resolved, the execution run, the audit trail exported next to the outbox and its head
 * anchored in `anchors/`.
 */
export async function runLocalScan(options: LocalScanOptions): Promise<LocalScanResult> {
  const pipeline = await openLocalPipeline({ ...options, out: options.out as Writable });
  try {
    const input: ScanImageInput = {
      image: await localImageTarget(options.reference, options.sourceOptions),
      trigger: {
        type: 'manual',
        id: `local-${options.clock().getTime()}`,
        actor: options.actor,
        time: options.clock().toISOString(),
      },
    };
    const print = (line: string): unknown => options.out.write(`${line}\n`);
    print(`ScanImage ${input.image.repository}@${input.image.digest}`);
    const execution = await executeScanImage({
      template: options.template,
      handlers: wrapped(pipeline, options.wrap),
      input,
      print,
      ...(options.retryIntervalMs !== undefined && { retryIntervalMs: options.retryIntervalMs }),
    });
    await exportAudit(pipeline, options.stateDir);
    // As the hourly anchor does in the cloud, so that `clearance audit verify` has one to check.
    // Stamped by the wall clock: an anchor says when it was written, not the run's given time.
    const anchors = new DirectoryAnchorStore(join(options.stateDir, LOCAL_LAYOUT.anchors));
    await anchorHead(pipeline.audit, anchors, () => new Date());
    return { execution, input, ...outcomeOf(execution) };
  } finally {
    await pipeline.close();
  }
}

function wrapped(
  pipeline: LocalPipeline,
  wrap: LocalScanOptions['wrap'],
): Record<string, LocalHandler> {
  if (wrap === undefined) return { ...pipeline.handlers };
  return Object.fromEntries(
    Object.entries(pipeline.handlers).map(([name, handler]) => [name, wrap(name, handler)]),
  );
}

function outcomeOf(
  execution: LocalExecution,
): Pick<LocalScanResult, 'decision' | 'scanId' | 'skipped'> {
  const output = (execution.output ?? {}) as {
    scanId?: string;
    record?: { decision?: Decision };
    skipped?: SkippedScan['skipped'];
  };
  return {
    ...(output.scanId !== undefined && { scanId: output.scanId }),
    ...(output.record?.decision !== undefined && { decision: output.record.decision }),
    ...(output.skipped !== undefined && { skipped: output.skipped }),
  };
}

/** The whole audit trail as JSON lines, oldest first: the table stays the record. */
async function exportAudit(pipeline: LocalPipeline, stateDir: string): Promise<void> {
  const events = await pipeline.audit.events();
  await writeFile(
    join(stateDir, 'audit.jsonl'),
    events.map((event) => `${JSON.stringify(event)}\n`).join(''),
  );
}
