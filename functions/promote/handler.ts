import { promoteScan, type PromoteDeps } from '../../shared/pipeline/promote';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { RecordedScan } from '../../shared/pipeline/states';

/** The Promote state: a passing image copied to the promotion repository (exact manifest bytes). */
export function promoteHandler(deps: PromoteDeps) {
  return stepHandler('Promote', RecordedScan, (input) => promoteScan(input, deps));
}
