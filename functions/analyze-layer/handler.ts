import { analyzeLayerStep, type AnalyzeLayerDeps } from '../../shared/pipeline/analyze-layer-step';
import { stepHandler } from '../../shared/pipeline/step';
import { AnalyzeLayerStepInput } from '../../shared/pipeline/steps';

/** The AnalyzeLayer state: one layer → its report's key (stored, or found in the store). */
export function analyzeLayerHandler(deps: AnalyzeLayerDeps) {
  return stepHandler('AnalyzeLayer', AnalyzeLayerStepInput, (input) =>
    analyzeLayerStep(input, deps),
  );
}
