import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../shared/policy';
import {
  DEFAULT_POSTURE_POLICY,
  parseDeploymentFile,
  postureReport,
  type ImageFactsSource,
  type PostureOptions,
  type PostureReport,
} from '../../shared/posture';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'posture');
export const NOW = new Date('2026-12-07T12:00:00Z');

/** The posture report of documents given as text (YAML or JSON), under the default posture policy. */
export function postureOf(
  text: string,
  options: Partial<PostureOptions> & { verdicts?: ImageFactsSource } = {},
): Promise<PostureReport> {
  return postureReport(parseDeploymentFile(text, 'deploy.yaml'), {
    now: NOW,
    policy: parsePolicy(DEFAULT_POSTURE_POLICY, 'default-posture'),
    ...options,
  });
}

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/** `check/container` → status, of every workload of the report (`check` alone for workload-wide ones). */
export function statuses(report: PostureReport): Record<string, string> {
  return Object.fromEntries(
    report.workloads.flatMap((w) =>
      w.checks.map((c) => [`${c.id}${c.container === null ? '' : `/${c.container}`}`, c.status]),
    ),
  );
}
