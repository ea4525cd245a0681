import { SummarizeInput } from '../../shared/fleet/schemas';
import { summarizeFleet, type SummarizeDeps } from '../../shared/fleet/summarize';
import { stepHandler } from '../../shared/pipeline/step-handler';

/** The Summarize state: the map run's results → `fleet/<runId>/summary.json` and one digest. */
export function fleetSummarizeHandler(deps: SummarizeDeps) {
  return stepHandler('Summarize', SummarizeInput, (input) => summarizeFleet(input, deps));
}
