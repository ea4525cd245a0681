import type { PromotionResult } from '../pipeline';
import type { QuarantineResult } from '../pipeline';
import type { RecordedScan } from '../pipeline';

/** The state Notify reads: the recorded scan, and what Promote or Quarantine did to it. */
export type NotifiedScan = RecordedScan & {
  readonly promotion?: PromotionResult;
  readonly quarantine?: QuarantineResult;
};

/** Where people open an object of the store: `s3://bucket/key` in the cloud, a path locally. */
export type ObjectLink = (key: string) => string;
