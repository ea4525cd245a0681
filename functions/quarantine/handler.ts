import { quarantineScan, type QuarantineDeps } from '../../shared/pipeline/quarantine';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { RecordedScan } from '../../shared/pipeline/states';

/** The Quarantine state: a failing image recorded as blocked, and tagged in mode `tag`. */
export function quarantineHandler(deps: QuarantineDeps) {
  return stepHandler('Quarantine', RecordedScan, (input) => quarantineScan(input, deps));
}
