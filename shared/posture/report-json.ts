import type { PostureReport } from './report';

/**
 * `JSON.stringify(report, null, 2)`, a workload at a time: a fleet's report is hundreds of
 * megabytes as one string, and the text of one workload is a few kilobytes.
 */
export function* postureReportJson(report: PostureReport): Generator<string> {
  const { workloads, ...rest } = report;
  // The top-level key alone is indented by two spaces (a document's own `workloads` is deeper).
  const [head, tail] = JSON.stringify({ ...rest, workloads: [] }, null, 2).split(
    '\n  "workloads": []',
  );
  if (workloads.length === 0 || tail === undefined) {
    yield `${JSON.stringify(report, null, 2)}\n`;
    return;
  }
  yield `${head}\n  "workloads": [\n`;
  for (const [i, workload] of workloads.entries())
    yield `${JSON.stringify(workload, null, 2).replace(/^/gm, '    ')}${i + 1 < workloads.length ? ',' : ''}\n`;
  yield `  ]${tail}\n`;
}
