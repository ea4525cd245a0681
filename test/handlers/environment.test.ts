import {
  readEnvironment,
  templateSettings,
  type Declaration,
} from '../../shared/handlers/environment';
import { PipelineError } from '../../shared/pipeline/errors';

const lookupIn =
  (env: Record<string, string>) =>
  (name: string): string | undefined =>
    env[name];

describe('readEnvironment', () => {
  const declaration = {
    bucket: 'required',
    triggerWindowSeconds: 'required',
    promotionTag: { default: '{tag}' },
    alasBaseUrl: 'optional',
  } as const satisfies Declaration;
  const env = { CLEARANCE_BUCKET: 'artifacts', CLEARANCE_TRIGGER_WINDOW_SECONDS: '300' };

  it('reads each declared variable, parsed, under its key', () => {
    expect(readEnvironment(declaration, lookupIn(env))).toEqual({
      bucket: 'artifacts',
      triggerWindowSeconds: 300,
      promotionTag: '{tag}',
      alasBaseUrl: undefined,
    });
  });

  it('reads a set variable over its default', () => {
    const read = readEnvironment(
      declaration,
      lookupIn({ ...env, CLEARANCE_PROMOTION_TAG: 'release-{digest12}' }),
    );
    expect(read.promotionTag).toBe('release-{digest12}');
  });

  it.each([
    ['unset', {}],
    ['empty', { CLEARANCE_BUCKET: '' }],
  ])('fails as MISCONFIGURED, by name, when a required variable is %s', (_case, unset) => {
    const read = () =>
      readEnvironment(declaration, lookupIn({ CLEARANCE_TRIGGER_WINDOW_SECONDS: '300', ...unset }));
    expect(read).toThrow(
      new PipelineError('MISCONFIGURED', 'environment variable CLEARANCE_BUCKET is not set'),
    );
  });

  it('fails when a value is wrong, naming the variable', () => {
    const wrong = { ...env, CLEARANCE_TRIGGER_WINDOW_SECONDS: '5m' };
    expect(() => readEnvironment(declaration, lookupIn(wrong))).toThrow(
      'CLEARANCE_TRIGGER_WINDOW_SECONDS is "5m"',
    );
  });
});

describe('templateSettings', () => {
  it("reads a function's settings, not its resources (the local runner's stand-ins)", () => {
    expect(
      templateSettings('quarantine', {
        CLEARANCE_QUARANTINE: 'tag',
        CLEARANCE_TRIGGER_WINDOW_SECONDS: '3600',
      }),
    ).toEqual({ quarantine: 'tag', triggerWindowSeconds: 3600 });
  });

  it('reads them as the function does: trimmed, with its defaults', () => {
    expect(
      templateSettings('promote', {
        CLEARANCE_PROMOTION_REPOSITORY: ' release/api ',
        CLEARANCE_TRIGGER_WINDOW_SECONDS: '300',
      }),
    ).toEqual({
      promotionRepository: 'release/api',
      promotionTag: '{tag}',
      triggerWindowSeconds: 300,
    });
  });

  it('fails when the template lacks a required setting', () => {
    expect(() => templateSettings('sign-verdict', {})).toThrow(
      'environment variable CLEARANCE_TRIGGER_WINDOW_SECONDS is not set',
    );
  });
});
