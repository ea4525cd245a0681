import { recordScan, type RecordDeps } from '../../shared/pipeline/record';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { RecordInput } from '../../shared/pipeline/states';

/** The Record state: every platform's verdict → the image's, recorded, and whether it changed. */
export function recordHandler(deps: RecordDeps) {
  return stepHandler('Record', RecordInput, (input) => recordScan(input, deps));
}
