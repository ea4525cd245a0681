import { NOTIFY_STEP } from '../notify';
import { ANALYZE_LAYER_STEP } from '../pipeline';
import { ASSEMBLE_STEP } from '../pipeline';
import { EVALUATE_STEP } from '../pipeline';
import { MATCH_STEP } from '../pipeline';
import { PROMOTE_STEP } from '../pipeline';
import { PUBLISH_FINDINGS_STEP } from '../pipeline';
import { QUARANTINE_STEP } from '../pipeline';
import { RECORD_STEP } from '../pipeline';
import { RECORD_FAILURE_STEP } from '../pipeline';
import { RESOLVE_STEP } from '../pipeline';
import { SIGN_VERDICT_STEP } from '../pipeline';
import { START_SCAN_STEP } from '../pipeline';

/**
 * The push trigger's and ScanImage's functions, by their folder under `functions/`: the state
 * each runs as, its input's schema and its step (a `StepBinding`, declared beside the step).
 * `clearance pipeline run` binds these rows to local stand-ins (`bindStep`), as each Lambda
 * entry binds its own row to AWS. An entry imports its row, not this table, so that its bundle
 * holds its own step only. FleetScan's rows are beside its steps in shared/fleet/, Sync's in
 * shared/pipeline/sync-binding.ts, AuditAnchor's in anchor-binding.ts.
 */
export const PIPELINE_STEPS = {
  'start-scan': START_SCAN_STEP,
  resolve: RESOLVE_STEP,
  'analyze-layer': ANALYZE_LAYER_STEP,
  assemble: ASSEMBLE_STEP,
  match: MATCH_STEP,
  evaluate: EVALUATE_STEP,
  record: RECORD_STEP,
  'publish-findings': PUBLISH_FINDINGS_STEP,
  'sign-verdict': SIGN_VERDICT_STEP,
  promote: PROMOTE_STEP,
  quarantine: QUARANTINE_STEP,
  notify: NOTIFY_STEP,
  'record-failure': RECORD_FAILURE_STEP,
};
