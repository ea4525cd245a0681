import type { ImageCheck } from '../check';

export const healthcheckMissing: ImageCheck = {
  id: 'healthcheck-missing',
  version: 1,
  title: 'No HEALTHCHECK',
  severity: 'LOW',
  rationale:
    'Without a health check the runtime cannot tell a hung container from a working one, and will not restart or replace it.',
  remediation:
    'Add a `HEALTHCHECK CMD …` that probes the service (or rely on the orchestrator’s probes and record that decision in policy).',
  cis: '4.6',
  dockle: 'CIS-DI-0006',
  evaluate({ config }) {
    const test = config.config?.Healthcheck?.Test ?? [];
    if (test.length === 0 || test[0] === 'NONE')
      return {
        status: 'fail',
        evidence: [test[0] === 'NONE' ? 'HEALTHCHECK NONE' : 'no HEALTHCHECK'],
      };
    return { status: 'pass', evidence: [`HEALTHCHECK ${test.join(' ')}`] };
  },
};
