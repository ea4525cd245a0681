import { z } from 'zod';
import {
  ROTATION_STEPS,
  RotationError,
  rotateSecret,
  type RotationDeps,
  type RotationOutcome,
} from '../../shared/rotation';

/** The event Secrets Manager invokes a rotation function with. */
const RotationEvent = z.object({
  SecretId: z.string().min(1),
  ClientRequestToken: z.string().min(1),
  Step: z.enum(ROTATION_STEPS),
  RotationToken: z.string().min(1).optional(),
});

/**
 * One rotation step: the event parsed at the edge, then the protocol (shared/rotation) with the
 * rotator the secret's `clearance:rotator` tag names. Failures are thrown as they are: Secrets
 * Manager marks the rotation failed and retries it; AWSCURRENT stays where it was.
 */
export function rotateSecretHandler(deps: RotationDeps) {
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
