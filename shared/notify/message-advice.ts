import type { NotifiedScan } from './notified-scan';
import { STEP_ERROR } from '../pipeline';

/** What the people told of a verdict should do about it, most pressing first. */
export function adviceOnVerdict(scan: NotifiedScan): string[] {
  const { platforms } = scan;
  const findings = platforms.flatMap((p) => p.topFindings);
  if (scan.record.decision === 'pass') return ['Nothing: the image passes the policy now.'];
  const advice = [];
  if (platforms.some((p) => p.coverage === 'incomplete'))
    advice.push(
      'Part of the image could not be checked (see "Not checked"): push it again if a layer was corrupt; if the gap is known and accepted (an OS without advisory data, say), add a policy exception scoped to it (scope: { coverage: KIND }) with an owner and an expiry.',
    );
  if (findings.some((f) => f.fixedVersion !== null))
    advice.push(
      'Upgrade the packages listed above to their fixed versions (or move to a base image that has them) and push the rebuilt image: it is scanned on push.',
    );
  if (findings.some((f) => f.fixedVersion === null))
    advice.push(
      'For findings with no fix yet: use another base image or package, or add an exception with an owner and an expiry to the policy.',
    );
  if (platforms.some((p) => p.secrets > 0))
    advice.push(
      'Remove the secrets from the image and rotate them (deleting a file in a later layer leaves it in the image); pass secrets at run time instead.',
    );
  if (platforms.some((p) => p.failedChecks.length > 0))
    advice.push("Fix the failed image checks: the report gives each check's remediation.");
  if (platforms.some((p) => p.failedRules.length > 0))
    advice.push('Read the failed policy rules in the report: each says what it requires.');
  if (platforms.some((p) => p.signature === 'invalid'))
    advice.push(
      "The image's signature does not verify: find out who pushed it before running it, then sign it again.",
    );
  advice.push(
    scan.record.decision === 'fail'
      ? 'Do not deploy this digest: it is recorded as blocked until a fixed image passes.'
      : 'Nothing is blocked by a warning, but fix these before the policy makes them failures.',
  );
  return advice;
}

/** What operations should do about a failed scan, by the error's name. */
export function adviceOnFailure(errorName: string): string[] {
  const common =
    "The failure is in the audit trail as scan.failed; the execution's history in Step Functions has each state's input and output.";
  if (errorName === STEP_ERROR.input)
    return [
      'The image or the event is not something the pipeline can scan (see the cause); it was not retried. Fix the image or the event, then push again.',
      common,
    ];
  if (
    errorName === STEP_ERROR.transient ||
    /^(Lambda\.|States\.Timeout|States\.HeartbeatTimeout)/.test(errorName)
  )
    return [
      'A service kept failing through the retries. Once it has recovered, redrive the execution or push the image again.',
      common,
    ];
  return [
    "An invariant of Clearance broke. Keep the execution's history and the function's logs, and report it with the cause above.",
    common,
  ];
}
