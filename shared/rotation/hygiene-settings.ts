import { z } from 'zod';
import { RotationError } from './errors';
import { DEFAULT_SECRET_MAX_AGE_DAYS, type HygieneSettings } from './hygiene';

/** The hygiene check's settings as the CDK stack writes them (one variable, JSON). */
const SettingsSchema = z.object({
  filter: z
    .object({
      tagKey: z.string().min(1).optional(),
      tagValue: z.string().min(1).optional(),
      namePrefix: z.string().min(1).optional(),
    })
    .strict()
    .default({}),
  maxAgeDays: z.number().int().positive().default(DEFAULT_SECRET_MAX_AGE_DAYS),
});

/**
 * The hygiene settings of `json` (`{"filter": {"tagKey"?, "tagValue"?, "namePrefix"?},
 * "maxAgeDays"?}`), read at cold start from the variable `source`: a malformed value fails
 * fast, naming the variable and the field.
 */
export function parseHygieneSettings(json: string, source: string): HygieneSettings {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new RotationError('MISCONFIGURED', `${source}: expected JSON`, 'input', {
      cause: error,
    });
  }
  const parsed = SettingsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RotationError(
      'MISCONFIGURED',
      `${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
