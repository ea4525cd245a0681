import { checkFleetImage, type ScanItemDeps } from '../../shared/fleet/scan-item';
import { ScanItemInput } from '../../shared/fleet/schemas';
import { stepHandler } from '../../shared/pipeline/step-handler';

/**
 * The CheckImage state (the Distributed Map's processor): a known digest re-matched and
 * re-judged from its stored reports, without opening the image; an unknown one → needsScan.
 */
export function fleetScanItemHandler(deps: ScanItemDeps) {
  return stepHandler('CheckImage', ScanItemInput, (input) => checkFleetImage(input, deps));
}
