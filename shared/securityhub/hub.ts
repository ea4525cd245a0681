import type { AsffFinding } from './asff';

/** What one publication covers: the product the findings belong to and the images they are of. */
export interface PublishScope {
  readonly productArn: string;
  /**
   * The image resources (`imageResourceId`) the findings describe in full: an active Clearance
   * finding of one of them that is not among the findings is gone (fixed, suppressed) and is
   * archived.
   */
  readonly resourceIds: readonly string[];
}

/** A finding Security Hub refused, as BatchImportFindings (or BatchUpdateFindings) told it. */
export interface FindingFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** What a publication did. */
export interface PublishResult {
  /** Findings imported (new or updated), of those given. */
  readonly imported: number;
  /** Findings refused, each with Security Hub's reason. */
  readonly failed: readonly FindingFailure[];
  /** Findings of earlier scans no longer found, archived (RecordState ARCHIVED, Workflow RESOLVED). */
  readonly archived: number;
  /** Those the archiving could not import or resolve. */
  readonly archiveFailed: readonly FindingFailure[];
}

/** The findings port: Security Hub in the cloud (shared/aws/securityhub), a file locally. */
export interface FindingsHub {
  /** Imports `findings` and archives what `scope` had and no longer has. Throws when Security Hub cannot be reached. */
  publish(findings: readonly AsffFinding[], scope: PublishScope): Promise<PublishResult>;
}
