import { join } from 'node:path';
import type { Writable } from 'node:stream';
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
  DynamoDbAuditLog,
} from '../aws/dynamodb';
import {
  DynamoDbVerdictStore,
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
} from '../aws/dynamodb';
import type { Policy } from '../policy';
import type { SourceOptions } from '../sources';
import type { VulnerabilityStore } from '../vulndb';
import { DirectoryObjectStore } from '../objects';
import type { Clock } from '../core';
import { PIPELINE_STEPS } from '../handlers';
import { ENVIRONMENT_VARIABLES } from '../handlers';
import { templateSettings, type FunctionName, type FunctionSettings } from '../handlers';
import type { RegistryWriter } from '../pipeline';
import type { PromoteDeps } from '../pipeline';
import { bindStep } from '../pipeline';
import { functionEnvironment, type CfnTemplate } from './definition';
import { startLocalDynamoDb, type LocalDynamoDb } from './dynamodb';
import { coverageSettings, type CoverageSettings } from '../pipeline';
import { LocalImageOpener } from './image-opener';
import { LocalNotifier } from './notifier';
import { LocalEventPublisher } from './event-outbox';
import { LocalRegistryWriter } from './registry-writer';
import { LocalFindingsHub, LOCAL_SECURITY_HUB_PRODUCT } from './securityhub';
import type { LocalHandler } from './run';
import { localArtifactPusher, localSigningKey } from './signing';

/** What `clearance pipeline run` keeps between runs, under its state directory. */
export const LOCAL_LAYOUT = {
  objects: 'objects',
  dynamodb: 'dynamodb',
  outbox: 'outbox.jsonl',
  /** The EventBridge events, when the template has `publishEvents` (README, "Events"). */
  events: 'events.jsonl',
  /** Anchors of the audit chain's head (the cloud's Object Lock bucket). */
  anchors: 'anchors',
  /** Security Hub's findings, by id, when the template has PublishFindings (`securityHub`). */
  securityHub: 'securityhub.json',
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
 * the user's reference for ECR. Every handler is the row of `PIPELINE_STEPS` its Lambda entry
 * binds, and its settings are the template's, read as its Lambda entry reads them.
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
  const steps = PIPELINE_STEPS;
  const handlers: Record<string, LocalHandler> = {
    resolve: bindStep(steps.resolve, { store, opener, clock, audit, verdicts }),
    'analyze-layer': bindStep(steps['analyze-layer'], { store, opener }),
    assemble: bindStep(steps.assemble, { store, clock }),
    match: bindStep(steps.match, { store, vulnerabilities: options.vulnerabilities, clock }),
    evaluate: bindStep(steps.evaluate, {
      store,
      policy: options.policy,
      clock,
      coverage: { ...coverageSettings(settingsOf(options, 'evaluate')), ...options.coverage },
    }),
    record: bindStep(steps.record, { objects: store, ...recorded }),
    'publish-findings': bindStep(steps['publish-findings'], {
      objects: store,
      hub: new LocalFindingsHub(join(options.stateDir, LOCAL_LAYOUT.securityHub)),
      productArn: LOCAL_SECURITY_HUB_PRODUCT,
      clock,
    }),
    'sign-verdict': localSignVerdict(options, { opener, verdicts, clock }),
    ...registryHandlers(options, recorded),
    notify: bindStep(steps.notify, {
      notifier,
      link: (key) => join(objectsDir, key),
      events: localEvents(options),
    }),
    'record-failure': bindStep(steps['record-failure'], { audit, clock }),
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
export const LOCAL_TABLE_SPECS = [
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
  return bindStep(PIPELINE_STEPS['sign-verdict'], {
    ...deps,
    signingKey: localSigningKey(options.stateDir, deps.clock),
    // verdict-keys/<keyId>.pem lands in <state>/verdict-keys/, what verify-verdict --keys reads.
    objects: new DirectoryObjectStore(options.stateDir),
    pusherFor: localArtifactPusher(options.stateDir, options.sourceOptions, options.attachToLayout),
    windowSeconds: settingsOf(options, 'sign-verdict').triggerWindowSeconds,
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
  const quarantine = settingsOf(options, 'quarantine');
  const handlers: Record<string, LocalHandler> = {
    quarantine: bindStep(PIPELINE_STEPS.quarantine, {
      registry,
      ...recorded,
      mode: quarantine.quarantine,
      windowSeconds: quarantine.triggerWindowSeconds,
    }),
  };
  // The template has a promote function only when promotion is configured.
  const environment = functionEnvironment(options.template, 'promote');
  if (environment[ENVIRONMENT_VARIABLES.promotionRepository.name] === undefined) return handlers;
  const promote = templateSettings('promote', environment);
  handlers.promote = bindStep(PIPELINE_STEPS.promote, {
    registry,
    ...recorded,
    target: {
      repository: promote.promotionRepository,
      tagPattern: promote.promotionTag,
      windowSeconds: promote.triggerWindowSeconds,
    },
  });
  return handlers;
}

/** The settings the template gives the function of `name`, as its Lambda entry reads them. */
/** The events outbox when the template's Notify has a bus (`publishEvents`), else none. */
function localEvents(options: LocalPipelineOptions): LocalEventPublisher | undefined {
  const bus = functionEnvironment(options.template, 'notify')[ENVIRONMENT_VARIABLES.eventBus.name];
  if (bus === undefined || bus === '') return undefined;
  return new LocalEventPublisher(join(options.stateDir, LOCAL_LAYOUT.events), options.clock);
}

function settingsOf<N extends FunctionName>(
  options: LocalPipelineOptions,
  name: N,
): FunctionSettings<N> {
  return templateSettings(name, functionEnvironment(options.template, name));
}
