import { createHash, randomUUID } from 'node:crypto';
import type { ScanReport } from '../scan';

/** When and under which serial an SBOM is written: the two fields that differ between runs. */
export interface SbomStamp {
  readonly timestamp: Date;
  /** A UUID: random, or derived from the image in deterministic mode. */
  readonly uuid: string;
}

/**
 * The stamp of a new SBOM. Deterministic mode (`--deterministic` or `SOURCE_DATE_EPOCH`) derives
 * the UUID from the image and takes the given time, so the same image gives the same bytes.
 */
export function sbomStamp(report: ScanReport, now: Date, deterministic: boolean): SbomStamp {
  if (!deterministic) return { timestamp: now, uuid: randomUUID() };
  const hex = createHash('sha256')
    .update(`${report.image.manifestDigest}\0${report.image.platform}`)
    .digest('hex');
  // RFC 9562 layout with version 8 (custom) and the RFC variant bits.
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { timestamp: now, uuid };
}

/**
 * The coverage gaps an SBOM records, one text each (`kind subject: reason; accepted by who`):
 * an SBOM of an incomplete scan is written only when its gaps were accepted, and then says
 * what it may lack.
 */
export function gapNotes(report: ScanReport): string[] {
  return (report.coverage?.gaps ?? []).map(
    (g) => `${g.kind} ${g.subject}: ${g.reason}; accepted by ${g.acceptedBy ?? 'nobody'}`,
  );
}
