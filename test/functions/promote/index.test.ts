import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('promote entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('promote', FUNCTION_ENV).handler).toBe('function');
  });

  it.each([
    'CLEARANCE_IMAGES_TABLE',
    'CLEARANCE_AUDIT_TABLE',
    'CLEARANCE_PROMOTION_REPOSITORY',
    'CLEARANCE_TRIGGER_WINDOW_SECONDS',
  ])('fails at cold start without %s, naming it', (name) => {
    expect(() => coldStart('promote', without(FUNCTION_ENV, name))).toThrow(name);
  });
});

describe('promote entry settings', () => {
  it('fails at cold start on a tag pattern that makes no tag', () => {
    expect(() =>
      coldStart('promote', { ...FUNCTION_ENV, CLEARANCE_PROMOTION_TAG: 'release/{tag}' }),
    ).toThrow('CLEARANCE_PROMOTION_TAG');
  });

  it('promotes under the same tag when no pattern is set', () => {
    expect(
      typeof coldStart('promote', without(FUNCTION_ENV, 'CLEARANCE_PROMOTION_TAG')).handler,
    ).toBe('function');
  });
});
