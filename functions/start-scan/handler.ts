import { z } from 'zod';
import { parseEcrPushEvent } from '../../shared/pipeline/ecr-event';
import { startScan, type StartScanDeps } from '../../shared/pipeline/start-scan';
import { stepHandler } from '../../shared/pipeline/step-handler';

/**
 * The target of the `ECR Image Action` rule: a push → at most one ScanImage execution per
 * repository, digest and trigger window. A malformed event is a `Clearance.Input` error.
 */
export function startScanHandler(deps: StartScanDeps) {
  return stepHandler('StartScan', z.unknown(), (event) =>
    startScan(parseEcrPushEvent(event), deps),
  );
}
