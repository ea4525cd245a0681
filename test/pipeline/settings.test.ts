import { promotionTagPattern, quarantineMode, windowSeconds } from '../../shared/pipeline/settings';

describe('windowSeconds', () => {
  it('reads whole seconds', () => {
    expect(windowSeconds('300')).toBe(300);
  });

  it.each(['', '0', '-5', '1.5', 'five', '86401'])('fails when it is %j', (value) => {
    expect(() => windowSeconds(value)).toThrow(/CLEARANCE_TRIGGER_WINDOW_SECONDS is/);
  });
});

describe('quarantineMode', () => {
  it.each(['record', 'tag'])('reads %s', (mode) => {
    expect(quarantineMode(mode)).toBe(mode);
  });

  it('fails when it is neither, naming both', () => {
    expect(() => quarantineMode('delete')).toThrow(
      'CLEARANCE_QUARANTINE is "delete"; expected record or tag',
    );
  });
});

describe('promotionTagPattern', () => {
  it.each(['{tag}', 'release-{digest12}', '{tag}-{digest12}', 'stable'])(
    'accepts %s',
    (pattern) => {
      expect(promotionTagPattern(pattern)).toBe(pattern);
    },
  );

  it.each(['', 'release/{tag}', '-{tag}', '{tag}:x'])('fails when it is %j', (pattern) => {
    expect(() => promotionTagPattern(pattern)).toThrow(/CLEARANCE_PROMOTION_TAG is/);
  });
});
