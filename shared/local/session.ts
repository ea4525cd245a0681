import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { analyzeLayerHandler } from '../../functions/analyze-layer/handler';
import { assembleHandler } from '../../functions/assemble/handler';
import { evaluateHandler } from '../../functions/evaluate/handler';
import { matchHandler } from '../../functions/match/handler';
import { notifyHandler } from '../../functions/notify/handler';
import { promoteHandler } from '../../functions/promote/handler';
import type { PromoteDeps } from '../pipeline/promote';
import { quarantineHandler } from '../../functions/quarantine/handler';
import { recordFailureHandler } from '../../functions/record-failure/handler';
import { recordHandler } from '../../functions/record/handler';
import { resolveHandler } from '../../functions/resolve/handler';
import { signVerdictHandler } from '../../functions/sign-verdict/handler';
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
  DynamoDbAuditLog,
} from '../aws/dynamodb/audit-log';
import {
  DynamoDbVerdictStore,
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
} from '../aws/dynamodb/verdict-store';
import type { Policy } from '../policy/policy';
import type { SourceOptions } from '../sources/open';
import type { VulnerabilityStore } from '../vulndb/store';
import { DirectoryObjectStore } from '../pipeline/object-store';
import type { Clock } from '../core/clock';
import type { RegistryWriter } from '../pipeline/ports';
import { promotionTagPattern, quarantineMode, windowSeconds } from '../pipeline/settings';
import { functionEnvironment, type CfnTemplate } from './definition';
import { startLocalDynamoDb, type LocalDynamoDb } from './dynamodb';
import { coverageSettings, type CoverageSettings } from '../pipeline/coverage-settings';
import { LocalImageOpener } from './image-opener';
import { LocalNotifier } from './notifier';
import { LocalRegistryWriter } from './registry-writer';
import type { LocalHandler } from './run';
import { localArtifactPusher, localSigningKey } from './signing';

/** What `clearance pipeline run` keeps between runs, under its state directory. */
export const LOCAL_LAYOUT = {
  objects: 'objects',
  dynamodb: 'dynamodb',
  outbox: 'outbox.jsonl',
  /** Anchors of the audit chain's head (the cloud's Object Lock bucket). */
  anchors: 'anchors',
} as const;

export const LOCAL_TABLES = { images: 'images', audit: 'audit' } as const;

export interface LocalPipelineOptions {
  /** Where objects, tables and the outbox are kept (`.clearance/pipeline`). */
  readonly stateDir: string;
  readonly vulnerabilities: VulnerabilityStore;
  readonly policy: Policy;
  /** Notifications print a line here. */
  readonly out: Writable;
  readonly clock: Clock;
  /** How to reach a registry image (credentials, plain HTTP). */
  readonly sourceOptions?: SourceOptions;
  /** The synthesized template: the functions' settings (promotion, quarantine) come from it. */
  readonly template: CfnTemplate;
  /**
   * Where Promote and a `tag` quarantine copy images.
   * @default - a LocalRegistryWriter: the image's registry, or for a local image an OCI layout
   * per repository under the state directory's `registry/` (see `attachToLayout`)
   */
  readonly registry?: RegistryWriter;
  /**
   * Attach the signed verdict of an `oci:` image into its own layout, and tag it there when
   * quarantined.
   * @default false - into the state directory's `attestations/` and `registry/` layouts: the
   * input is not changed
   */
  readonly attachToLayout?: boolean;
  /**
   * What counts as checked, over the settings the template gives Evaluate (`pipeline run
   * --allow-incomplete`, `--allow-gap`, `--max-data-age`).
   * @default - the template's
   */
  readonly coverage?: Pick<CoverageSettings, 'accept' | 'maxDataAgeHours'>;
}

/** The ScanImage handlers wired to local stand-ins, and what to close afterwards. */
export interface LocalPipeline {
  readonly handlers: Readonly<Record<string, LocalHandler>>;
  readonly dynamodb: LocalDynamoDb;
  readonly notifier: LocalNotifier;
  readonly audit: DynamoDbAuditLog;
  readonly verdicts: DynamoDbVerdictStore;
  /** Opens the images of the run (the user's reference, by digest). */
  readonly opener: LocalImageOpener;
  readonly objectsDir: string;
  close(): Promise<void>;
}

/**
 * The cloud's parts, locally: a directory for S3, dynalite for DynamoDB, the outbox for SNS,
 * the user's reference for ECR. Every handler is the very factory its Lambda entry uses.
 */
export async function openLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const dynamodb = await startLocalDynamoDb(
    join(options.stateDir, LOCAL_LAYOUT.dynamodb),
    LOCAL_TABLE_SPECS,
  );
  const objectsDir = join(options.stateDir, LOCAL_LAYOUT.objects);
  const store = new DirectoryObjectStore(objectsDir);
  const opener = new LocalImageOpener(options.sourceOptions);
  const verdicts = new DynamoDbVerdictStore({
    client: dynamodb.client,
    tableName: LOCAL_TABLES.images,
    now: options.clock,
  });
  const audit = new DynamoDbAuditLog({ client: dynamodb.client, tableName: LOCAL_TABLES.audit });
  const notifier = new LocalNotifier(options.out, join(options.stateDir, LOCAL_LAYOUT.outbox));
  const clock = options.clock;
  const recorded = { verdicts, audit, clock };
  const handlers: Record<string, LocalHandler> = {
    resolve: resolveHandler({ store, opener, clock, audit, verdicts }),
    'analyze-layer': analyzeLayerHandler({ store, opener }),
    assemble: assembleHandler({ store, clock }),
    match: matchHandler({ store, vulnerabilities: options.vulnerabilities, clock }),
    evaluate: evaluateHandler({
      store,
      policy: options.policy,
      clock,
      coverage: {
        ...coverageSettings(functionEnvironment(options.template, 'evaluate')),
        ...options.coverage,
      },
    }),
    record: recordHandler({ objects: store, ...recorded }),
    'sign-verdict': localSignVerdict(options, { opener, verdicts, clock }),
    ...registryHandlers(options, recorded),
    notify: notifyHandler({ notifier, link: (key) => join(objectsDir, key) }),
    'record-failure': recordFailureHandler({ audit, clock }),
  };
  return {
    handlers,
    dynamodb,
    notifier,
    audit,
    verdicts,
    opener,
    objectsDir,
    close: () => dynamodb.close(),
  };
}

/** The tables of a local run, as the CDK app declares them. */
const LOCAL_TABLE_SPECS = [
  {
    name: LOCAL_TABLES.images,
    keySchema: IMAGES_TABLE_KEY_SCHEMA,
    attributes: IMAGES_TABLE_ATTRIBUTES,
  },
  {
    name: LOCAL_TABLES.audit,
    keySchema: AUDIT_TABLE_KEY_SCHEMA,
    attributes: AUDIT_TABLE_ATTRIBUTES,
    indexes: AUDIT_TABLE_INDEXES,
  },
];

/** SignVerdict with the local key, publishing to the state directory, attaching as set. */
function localSignVerdict(
  options: LocalPipelineOptions,
  deps: { opener: LocalImageOpener; verdicts: DynamoDbVerdictStore; clock: Clock },
): LocalHandler {
  const environment = functionEnvironment(options.template, 'sign-verdict');
  return signVerdictHandler({
    ...deps,
    signingKey: localSigningKey(options.stateDir, deps.clock),
    // verdict-keys/<keyId>.pem lands in <state>/verdict-keys/, what verify-verdict --keys reads.
    objects: new DirectoryObjectStore(options.stateDir),
    pusherFor: localArtifactPusher(options.stateDir, options.sourceOptions, options.attachToLayout),
    windowSeconds: windowSeconds(environment.CLEARANCE_TRIGGER_WINDOW_SECONDS ?? '3600'),
  });
}

/**
 * Promote and Quarantine with the settings the template gives their functions, as their Lambda
 * entries read them from the environment.
 */
function registryHandlers(
  options: LocalPipelineOptions,
  recorded: Omit<PromoteDeps, 'registry' | 'target'>,
): Record<string, LocalHandler> {
  const registry =
    options.registry ??
    new LocalRegistryWriter({
      stateDir: options.stateDir,
      ...(options.sourceOptions !== undefined && { sourceOptions: options.sourceOptions }),
      ...(options.attachToLayout !== undefined && { attachToLayout: options.attachToLayout }),
    });
  const promote = functionEnvironment(options.template, 'promote');
  const quarantine = functionEnvironment(options.template, 'quarantine');
  const handlers: Record<string, LocalHandler> = {
    quarantine: quarantineHandler({
      registry,
      ...recorded,
      mode: quarantineMode(quarantine.CLEARANCE_QUARANTINE ?? 'record'),
      windowSeconds: windowSeconds(quarantine.CLEARANCE_TRIGGER_WINDOW_SECONDS ?? '3600'),
    }),
  };
  const repository = promote.CLEARANCE_PROMOTION_REPOSITORY;
  if (repository !== undefined)
    handlers.promote = promoteHandler({
      registry,
      ...recorded,
      target: {
        repository,
        tagPattern: promotionTagPattern(promote.CLEARANCE_PROMOTION_TAG ?? '{tag}'),
        windowSeconds: windowSeconds(promote.CLEARANCE_TRIGGER_WINDOW_SECONDS ?? '3600'),
      },
    });
  return handlers;
}
