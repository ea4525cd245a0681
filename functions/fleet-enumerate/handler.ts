import { enumerateFleet, type EnumerateDeps } from '../../shared/fleet/enumerate';
import { EnumerateInput } from '../../shared/fleet/schemas';
import { stepHandler } from '../../shared/pipeline/step-handler';

/** The Enumerate state: the watched images → `fleet/<runId>/items.jsonl` for the Distributed Map. */
export function fleetEnumerateHandler(deps: EnumerateDeps) {
  return stepHandler('Enumerate', EnumerateInput, (input) => enumerateFleet(input, deps));
}
