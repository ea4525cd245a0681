import { createHash } from 'node:crypto';
import { parseDigest } from '../image';
import type { PlatformImage } from '../image';
import type { ScanReport } from '../scan';
import { PipelineError } from './errors';
import type { ObjectStore } from '../objects';
import type { PlatformKeys, Trigger } from './states';

/*
 * Where a scan keeps its objects (brief, "Object keys"): per platform manifest
 * `scans/<scanId>/<manifest-hex>/image.json|report.json|report.html|sbom.cdx.json|sbom.spdx.json`,
 * and `scans/<scanId>/summary.json`. Layer reports are keyed apart (`layerReportKey`), to be shared
 * by every scan of every image that has the layer.
 */

/** Hex digits of the image digest and of the trigger id in a scan id. */
const SCAN_ID_DIGEST_HEX = 16;
const SCAN_ID_TRIGGER_HEX = 12;

/**
 * The id of a scan: the image digest's first hex digits and a hash of the trigger's id, so a
 * retried or re-delivered step writes the very same keys.
 */
export function scanIdOf(digest: string, trigger: Pick<Trigger, 'id'>): string {
  const hex = parseDigest(digest).hex.slice(0, SCAN_ID_DIGEST_HEX);
  const of = createHash('sha256').update(trigger.id).digest('hex').slice(0, SCAN_ID_TRIGGER_HEX);
  return `${hex}-${of}`;
}

/** The objects of one platform of a scan. */
export interface ScanPlatformKeys extends PlatformKeys {
  /** The platform image (manifest, config, layers) Resolve read: {@link StoredImage}. */
  readonly image: string;
}

/** The keys of one platform's objects in scan `scanId`. */
export function scanPlatformKeys(scanId: string, manifestDigest: string): ScanPlatformKeys {
  const base = `scans/${scanId}/${parseDigest(manifestDigest).hex}`;
  return {
    image: `${base}/image.json`,
    report: `${base}/report.json`,
    cyclonedx: `${base}/sbom.cdx.json`,
    spdx: `${base}/sbom.spdx.json`,
  };
}

/** Where Record leaves the summary of every platform of a scan. */
export function scanSummaryKey(scanId: string): string {
  return `scans/${scanId}/summary.json`;
}

/** The SBOM keys beside a report key (what the fleet re-match hands on with its report). */
export function siblingKeys(reportKey: string): PlatformKeys {
  const base = reportKey.replace(/\/[^/]*$/, '');
  return { report: reportKey, cyclonedx: `${base}/sbom.cdx.json`, spdx: `${base}/sbom.spdx.json` };
}

/** The HTML page Evaluate writes beside a platform's final `report.json`: `report.html`. */
export function reportHtmlKey(reportKey: string): string {
  return `${reportKey.replace(/\/[^/]*$/, '')}/report.html`;
}

export const STORED_IMAGE_SCHEMA_VERSION = 1;

/** What Resolve writes for each platform: the image and the reference it was read by. */
export interface StoredImage {
  readonly schemaVersion: typeof STORED_IMAGE_SCHEMA_VERSION;
  /** The reference the image was opened by, as reports name it. */
  readonly reference: string;
  /** The digest the reference resolved to (the index of a multi-platform image). */
  readonly digest: string;
  readonly image: PlatformImage;
}

/** The JSON object at `key`; a missing or unreadable one is a bug of the steps before. */
export async function readJson<T>(store: ObjectStore, key: string, what: string): Promise<T> {
  const bytes = await store.get(key);
  if (bytes === undefined)
    throw new PipelineError('MISSING_OBJECT', `expected ${what} at ${key}, found nothing`);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (cause) {
    throw new PipelineError('MISSING_OBJECT', `expected ${what} at ${key}, got no JSON`, 'bug', {
      cause,
    });
  }
}

/** Writes `value` as JSON at `key`. */
export function writeJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  return store.put(key, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
}

/** The stored image of a platform, checked to be one. */
export async function readStoredImage(store: ObjectStore, key: string): Promise<StoredImage> {
  const stored = await readJson<Partial<StoredImage>>(store, key, 'a platform image');
  if (stored.schemaVersion !== STORED_IMAGE_SCHEMA_VERSION || stored.image === undefined)
    throw new PipelineError('MISSING_OBJECT', `${key} is not a stored platform image`);
  return stored as StoredImage;
}

/** The scan report at `key`, checked to be one. */
export async function readReport(store: ObjectStore, key: string): Promise<ScanReport> {
  const report = await readJson<Partial<ScanReport>>(store, key, 'a scan report');
  if (report.image === undefined || !Array.isArray(report.packages))
    throw new PipelineError('MISSING_OBJECT', `${key} is not a scan report`);
  return report as ScanReport;
}
