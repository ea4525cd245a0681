import { analyzeLayerStep, type AnalyzeLayerDeps } from '../../shared/pipeline/analyze-layer';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { AnalyzeLayerStepInput } from '../../shared/pipeline/states';

/** The AnalyzeLayer state: one layer → its report's key (stored, or found in the store). */
export function analyzeLayerHandler(deps: AnalyzeLayerDeps) {
  return stepHandler('AnalyzeLayer', AnalyzeLayerStepInput, (input) =>
    analyzeLayerStep(input, deps),
  );
}
