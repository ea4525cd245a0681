import { promotionTagPattern, quarantineMode, windowSeconds } from '../../shared/pipeline/settings';

const WINDOW = 'CLEARANCE_TRIGGER_WINDOW_SECONDS';
const QUARANTINE = 'CLEARANCE_QUARANTINE';
const TAG = 'CLEARANCE_PROMOTION_TAG';

describe('windowSeconds', () => {
  it('reads whole seconds', () => {
    expect(windowSeconds('300', WINDOW)).toBe(300);
  });

  it.each(['', '0', '-5', '1.5', 'five', '86401'])('fails when it is %j', (value) => {
    expect(() => windowSeconds(value, WINDOW)).toThrow(/CLEARANCE_TRIGGER_WINDOW_SECONDS is/);
  });
});

describe('quarantineMode', () => {
  it.each(['record', 'tag'])('reads %s', (mode) => {
    expect(quarantineMode(mode, QUARANTINE)).toBe(mode);
  });

  it('fails when it is neither, naming both', () => {
    expect(() => quarantineMode('delete', QUARANTINE)).toThrow(
      'CLEARANCE_QUARANTINE is "delete"; expected record or tag',
    );
  });
});

describe('promotionTagPattern', () => {
  it.each(['{tag}', 'release-{digest12}', '{tag}-{digest12}', 'stable'])(
    'accepts %s',
    (pattern) => {
      expect(promotionTagPattern(pattern, TAG)).toBe(pattern);
    },
  );

  it.each(['', 'release/{tag}', '-{tag}', '{tag}:x'])('fails when it is %j', (pattern) => {
    expect(() => promotionTagPattern(pattern, TAG)).toThrow(/CLEARANCE_PROMOTION_TAG is/);
  });
});
