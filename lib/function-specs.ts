import type { FunctionName } from '../shared/handlers';

/*
 * The functions as data: each one's default size and what it needs. A need is a grant
 * (lib/function-grants.ts), so a function gets exactly the permissions of its needs and nothing
 * else; its environment variables are the contract's (shared/handlers/environment.ts).
 */

/** The folders under `functions/`. */
export { FUNCTION_NAMES, type FunctionName } from '../shared/handlers';

/** Object-key prefixes of the artifacts bucket a function reads or writes. */
export interface ObjectAccess {
  readonly read?: readonly string[];
  readonly write?: readonly string[];
}

/** What a function needs beyond its code; each need makes its grant. */
export interface FunctionNeeds {
  readonly objects?: ObjectAccess;
  readonly images?: 'read' | 'write';
  /** Append to the audit trail (GetItem, Query, PutItem: never update or delete). */
  readonly audit?: true;
  /** Read the audit trail. */
  readonly auditRead?: true;
  /** Write audit anchors to the Object Lock bucket. */
  readonly anchors?: true;
  readonly vulnerabilities?: 'read' | 'write';
  readonly idempotency?: true;
  readonly alerts?: true;
  readonly operations?: true;
  /** Pull from the watched repositories (manifests and blobs). */
  readonly pull?: true;
  /** List the watched repositories and their images. */
  readonly enumerate?: true;
  readonly startScan?: true;
  readonly policy?: true;
  /** Pull signatures from the watched repositories and read the keys' public halves. */
  readonly signatureKeys?: true;
  /** Copy passing images to the promotion repository. */
  readonly promotion?: true;
  /** Tag failing images, in quarantine mode `tag`. */
  readonly quarantine?: true;
  /** Read the manifests of the watched repositories through the registry API (no blob). */
  readonly manifests?: true;
  /** List the account's secrets (metadata only) for the secret hygiene check. */
  readonly secretHygiene?: true;
  /** Read the verdict signing key's secret. */
  readonly signingKey?: true;
  /** Push artifacts (verdict attestations) into the watched repositories. */
  readonly attach?: true;
  /** Read the account's ECS clusters, services, task definitions and running tasks (lib/posture-grants.ts). */
  readonly ecsInventory?: true;
  /** Read the registry's settings and the watched repositories' settings and policies (lib/posture-grants.ts). */
  readonly registryPosture?: true;
  /** Ask whether an image is still in a watched repository (BatchGetImage by digest). */
  readonly imageExists?: true;
  /** Import findings into the account's default Security Hub product (lib/security-hub-grants.ts), when `securityHub` is on. */
  readonly securityHub?: true;
  /**
   * Put events on the account's default bus, each once (idempotency claims), when the stack's
   * `publishEvents` is on (lib/function-grants.ts).
   */
  readonly events?: true;
}

export interface FunctionSpec {
  readonly memoryMiB: number;
  readonly timeoutSeconds: number;
  readonly ephemeralStorageMiB?: number;
  readonly needs: FunctionNeeds;
}

const LAYERS = 'layer-reports/*';
const SCANS = 'scans/*';
const FLEET = 'fleet/*';
const VERDICT_KEYS = 'verdict-keys/*';
const POSTURE = 'posture/*';

/*
 * Sizes are first estimates, to be revisited with the per-function cold-start and duration
 * measurements. Lambda gives a function a full vCPU at 1,769 MB; the steps that decompress or
 * parse much (AnalyzeLayer, Assemble, Match) get at least 1 GB.
 */
export const FUNCTION_SPECS: Readonly<Record<FunctionName, FunctionSpec>> = {
  'start-scan': {
    memoryMiB: 256,
    timeoutSeconds: 30,
    needs: {
      startScan: true,
      // Marks the platforms of a pushed index, reads them for its platforms' own pushes.
      images: 'write',
      audit: true,
      // Reads the pushed manifest: an artifact, an index or an image.
      manifests: true,
      // `Clearance Artifact Skipped` (with its claims in the idempotency table).
      events: true,
    },
  },
  resolve: {
    memoryMiB: 512,
    timeoutSeconds: 120,
    // The audit trail: `scan.started`.
    needs: { pull: true, objects: { write: [SCANS] }, audit: true, images: 'read' },
  },
  // Gunzip/zstd and the tar walk run at the speed of one core: 2,048 MB buys a little more than
  // one vCPU (bench/layer-throughput.ts measures ~1 core per layer stream). 15 minutes, Lambda's
  // most, bounds the largest layer one invocation can read (see the README for larger images).
  // `/tmp` stays at its 512 MB minimum: the layer is streamed and never written to disk, and
  // the analysers see files in memory (bounded by shared/layers/limits.ts).
  'analyze-layer': {
    memoryMiB: 2048,
    timeoutSeconds: 900,
    needs: { pull: true, objects: { read: [LAYERS], write: [LAYERS] } },
  },
  assemble: {
    memoryMiB: 1024,
    timeoutSeconds: 300,
    needs: { objects: { read: [LAYERS, SCANS], write: [SCANS] } },
  },
  match: {
    memoryMiB: 1024,
    timeoutSeconds: 300,
    needs: { objects: { read: [SCANS], write: [SCANS] }, vulnerabilities: 'read' },
  },
  evaluate: {
    memoryMiB: 1024,
    timeoutSeconds: 120,
    needs: {
      objects: { read: [SCANS], write: [SCANS] },
      policy: true,
      signatureKeys: true,
    },
  },
  record: {
    memoryMiB: 512,
    timeoutSeconds: 60,
    needs: { objects: { read: [SCANS], write: [SCANS] }, images: 'write', audit: true },
  },
  // With `securityHub` on: reads each platform's final report, imports its findings (100 a
  // call), archives what the image no longer has; on an ECR DELETE, archives the deleted
  // image's findings (its verdict's platforms read from the images table).
  'publish-findings': {
    memoryMiB: 512,
    timeoutSeconds: 300,
    needs: { objects: { read: [SCANS] }, images: 'read', securityHub: true, imageExists: true },
  },
  promote: {
    memoryMiB: 256,
    timeoutSeconds: 60,
    needs: { promotion: true, images: 'write', audit: true },
  },
  quarantine: {
    memoryMiB: 256,
    timeoutSeconds: 60,
    needs: { quarantine: true, images: 'write', audit: true },
  },
  notify: {
    memoryMiB: 256,
    timeoutSeconds: 30,
    needs: {
      objects: { read: [SCANS] },
      alerts: true,
      operations: true,
      idempotency: true,
      events: true,
    },
  },
  'record-failure': {
    memoryMiB: 256,
    timeoutSeconds: 30,
    needs: { audit: true },
  },
  'fleet-enumerate': {
    memoryMiB: 512,
    timeoutSeconds: 900,
    needs: { enumerate: true, objects: { write: [FLEET] } },
  },
  // Re-checks a known digest from the report its scan stored (read only: the re-judged report
  // is not written back, the verdict goes to the images table), or hands it to ScanImage.
  'fleet-scan-item': {
    memoryMiB: 1024,
    timeoutSeconds: 300,
    needs: {
      objects: { read: [SCANS] },
      images: 'write',
      audit: true,
      vulnerabilities: 'read',
      policy: true,
      securityHub: true,
      // A changed verdict's `Clearance Scan Verdict` (with its claims in the idempotency table).
      events: true,
    },
  },
  'fleet-summarize': {
    memoryMiB: 1024,
    timeoutSeconds: 600,
    needs: {
      objects: { read: [FLEET], write: [FLEET] },
      alerts: true,
      idempotency: true,
      secretHygiene: true,
      audit: true,
    },
  },
  // The nightly posture run: the ECS inventory and the registry's posture as recorded, judged,
  // under posture/<runId>/; the running digests' verdicts from the images table.
  'posture-scan': {
    // 2,000 services (4,000 containers) judged and written: 420 MiB peak (bench/posture.ts).
    memoryMiB: 1024,
    timeoutSeconds: 900,
    needs: {
      objects: { write: [POSTURE] },
      images: 'read',
      ecsInventory: true,
      registryPosture: true,
    },
  },
  // OSV exports are zip files, read through their central directory, so each is downloaded to
  // `/tmp` first: the largest (Maven, npm, PyPI) are a few hundred MB each.
  'sync-vulnerability-data': {
    memoryMiB: 2048,
    timeoutSeconds: 900,
    ephemeralStorageMiB: 4096,
    needs: { vulnerabilities: 'write', audit: true },
  },
  // Secrets Manager's rotation steps; the verdict signing key's rotator publishes each new
  // public key (and the key index it rewrites) under verdict-keys/. Its secret grants are the
  // rotation schedule's (lib/verdict-signing.ts).
  'rotate-secret': {
    memoryMiB: 256,
    timeoutSeconds: 60,
    needs: { objects: { read: [VERDICT_KEYS], write: [VERDICT_KEYS] }, audit: true },
  },
  // Signs the recorded verdict and attaches it to the image: reads the image's root manifest
  // (pull), pushes the attestation into the image's repository (attach), publishes the key's
  // public half under verdict-keys/ unless the rotation did (read to check, write if absent).
  'sign-verdict': {
    memoryMiB: 256,
    timeoutSeconds: 60,
    // The images table: the attestation's own push event is marked as the pipeline's (as a
    // promotion is), so that StartScan does not scan it.
    needs: {
      signingKey: true,
      pull: true,
      attach: true,
      objects: { read: [VERDICT_KEYS], write: [VERDICT_KEYS] },
      images: 'write',
    },
  },
  // Hourly: reads the head of the audit chain and writes it to the anchors bucket.
  'audit-anchor': {
    memoryMiB: 256,
    timeoutSeconds: 60,
    needs: { auditRead: true, anchors: true },
  },
  // Per ECS task start: the images' verdicts (read), `image.deployed` and the gate's events
  // (audit), an alert once per container and digest (alerts, idempotency). Its ecs:StopTask, only
  // under runtimeEnforcement stop, is the DeploymentWatch construct's (lib/deployment-watch.ts).
  'deployment-watch': {
    memoryMiB: 256,
    timeoutSeconds: 30,
    needs: { images: 'read', audit: true, alerts: true, idempotency: true, events: true },
  },
};
