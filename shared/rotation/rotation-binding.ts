import { z } from 'zod';
import { RotationError } from './errors';
import { rotateSecret, type RotationOutcome } from './protocol';
import { ROTATION_STEPS, type RotationDeps } from './request';

/** The event Secrets Manager invokes a rotation function with. */
export const RotationEvent = z.object({
  SecretId: z.string().min(1),
  ClientRequestToken: z.string().min(1),
  Step: z.enum(ROTATION_STEPS),
  RotationToken: z.string().min(1).optional(),
});

/**
 * The `rotate-secret` function's handler, one rotation step: the event parsed at the edge, then
 * the protocol with the rotator the secret's `clearance:rotator` tag names. Failures are thrown
 * as they are (not as step errors: no state machine calls it): Secrets Manager marks the
 * rotation failed and retries it; AWSCURRENT stays where it was.
 */
export function bindRotation(deps: RotationDeps): (event: unknown) => Promise<RotationOutcome> {
  return async (event: unknown): Promise<RotationOutcome> => {
    const parsed = RotationEvent.safeParse(event);
    if (!parsed.success)
      throw new RotationError(
        'MALFORMED_EVENT',
        `expected a Secrets Manager rotation event: ${parsed.error.issues
          .slice(0, 4)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
      );
    const { SecretId, ClientRequestToken, Step, RotationToken } = parsed.data;
    return rotateSecret(
      { secretId: SecretId, token: ClientRequestToken, step: Step, rotationToken: RotationToken },
      deps,
    );
  };
}
