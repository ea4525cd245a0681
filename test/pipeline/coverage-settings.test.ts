import { PipelineError } from '../../shared/pipeline/errors';
import { coverageSettings as settingsOf } from '../../shared/pipeline/coverage-settings';
import { templateSettings } from '../../shared/handlers/environment';

/** The coverage settings of a function's environment, read as Evaluate reads them. */
const coverageSettings = (env: Record<string, string>) =>
  settingsOf(templateSettings('evaluate', env));

describe('coverageSettings', () => {
  it('is the engine defaults when nothing is set', () => {
    expect(coverageSettings({})).toEqual({
      accept: { all: false, patterns: [] },
      signatures: false,
    });
  });

  it('reads the maximum data age, the accepted gaps and whether keys are configured', () => {
    const settings = coverageSettings({
      CLEARANCE_MAX_DATA_AGE_HOURS: '48',
      CLEARANCE_ACCEPT_GAPS: '["no-advisory-source:amzn *","stale-data"]',
      CLEARANCE_SIGNATURE_KEYS: 'awskms://arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    expect(settings.maxDataAgeHours).toBe(48);
    expect(settings.signatures).toBe(true);
    expect(settings.accept!.origin).toBe('settings');
    expect(settings.accept!.patterns.map((p) => p.text)).toEqual([
      'no-advisory-source:amzn *',
      'stale-data',
    ]);
  });

  it('accepts every gap with "*"', () => {
    expect(coverageSettings({ CLEARANCE_ACCEPT_GAPS: '["*"]' }).accept).toEqual({
      all: true,
      patterns: [],
      origin: 'settings',
    });
  });

  it.each([
    [{ CLEARANCE_MAX_DATA_AGE_HOURS: 'soon' }, /CLEARANCE_MAX_DATA_AGE_HOURS is "soon"/],
    [{ CLEARANCE_MAX_DATA_AGE_HOURS: '0' }, /expected a positive number of hours/],
    [{ CLEARANCE_ACCEPT_GAPS: 'stale-data' }, /expected a JSON list of gap patterns/],
    [{ CLEARANCE_ACCEPT_GAPS: '[1]' }, /expected a JSON list of gap patterns/],
    [{ CLEARANCE_ACCEPT_GAPS: '["layers"]' }, /"layers" names no kind of coverage gap/],
  ])('fails at cold start on %j (MISCONFIGURED)', (env, message) => {
    expect(() => coverageSettings(env)).toThrow(PipelineError);
    expect(() => coverageSettings(env)).toThrow(message);
  });
});
