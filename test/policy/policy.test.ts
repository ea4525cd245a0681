import { DEFAULT_POLICY, PolicyError, parsePolicy } from '../../shared/policy';

const rule = (fields: string) => `rules:\n  - ${fields.split('\n').join('\n    ')}\n`;

describe('parsePolicy', () => {
  it('reads rules, exceptions and the digest of the text', () => {
    const text = `name: payments
rules:
  - id: no-root
    action: deny
    match: { repositories: ["payments/*"], tags: ["release-*"] }
    expression: checks.exists(c, c.id == 'user-root' && c.status == 'pass')
    message: runs as root
exceptions:
  - id: legacy
    rules: [no-root]
    scope: { repository: payments/legacy }
    reason: replaced in Q1
    owner: team-payments
    expires: 2027-03-31
`;
    const policy = parsePolicy(text, 'p.yaml');
    expect(policy).toMatchObject({
      name: 'payments',
      onError: 'fail',
      rules: [
        {
          id: 'no-root',
          action: 'deny',
          match: { repositories: ['payments/*'], tags: ['release-*'] },
        },
      ],
      exceptions: [
        {
          id: 'legacy',
          rules: ['no-root'],
          scope: { repository: 'payments/legacy' },
          expires: '2027-03-31',
        },
      ],
    });
    expect(policy.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parsePolicy(`${text}\n`, 'p.yaml').digest).not.toBe(policy.digest);
  });

  it('reads the bundled default policy', () => {
    expect(parsePolicy(DEFAULT_POLICY, 'default').rules.map((r) => r.id)).toEqual([
      'no-fixable-critical-high',
      'no-secrets',
      'no-root',
      'supported-os',
      'signed',
      'no-sensitive-files',
      'healthcheck',
      'minimal-image',
    ]);
  });

  it('reads an exception that accepts coverage gaps of a kind, or of a kind and subject', () => {
    const policy = parsePolicy(
      `${rule('id: a\nexpression: "true"')}exceptions:\n  - { id: al2023, scope: { coverage: "no-advisory-source:amzn 2023", repository: "lambda/*" }, reason: ALAS pending, owner: platform, expires: 2027-01-31 }\n`,
      'p.yaml',
    );
    expect(policy.exceptions[0]!.scope).toEqual({
      coverage: 'no-advisory-source:amzn 2023',
      repository: 'lambda/*',
    });
  });

  it('keeps a rule whose expression does not compile, with the reason', () => {
    const policy = parsePolicy(rule('id: a\nexpression: "1 +"'), 'p.yaml');
    expect(policy.rules[0]!.compileError).toMatch(/^the expression does not compile: /);
  });

  it.each([
    ['not YAML', 'rules: [', /not YAML/],
    ['no rules', 'name: x\n', /non-empty "rules:"/],
    ['a rule without an id', rule('expression: "true"'), /rules\[0\]: no "id"/],
    ['a rule without an expression', rule('id: a'), /a: no "expression"/],
    ['an unknown action', rule('id: a\naction: block\nexpression: "true"'), /deny or warn/],
    [
      'a rule id used twice',
      `${rule('id: a\nexpression: "true"')}  - id: a\n    expression: "true"\n`,
      /used twice/,
    ],
    [
      'an exception without an owner',
      `${rule('id: a\nexpression: "true"')}exceptions:\n  - id: e\n    scope: { digest: "sha256:00" }\n    reason: r\n`,
      /e: no "owner"/,
    ],
    [
      'an exception without a scope',
      `${rule('id: a\nexpression: "true"')}exceptions:\n  - id: e\n    reason: r\n    owner: o\n`,
      /e: no "scope"/,
    ],
    [
      'an exception for a rule that does not exist',
      `${rule('id: a\nexpression: "true"')}exceptions:\n  - { id: e, rules: [b], scope: { digest: "sha256:00" }, reason: r, owner: o }\n`,
      /no rule "b"/,
    ],
    [
      'an exception scoped to a coverage gap of no kind there is',
      `${rule('id: a\nexpression: "true"')}exceptions:\n  - { id: e, scope: { coverage: layers }, reason: r, owner: o }\n`,
      /e: scope.coverage: "layers" names no kind of coverage gap/,
    ],
  ])('fails on %s', (_, text, message) => {
    expect(() => parsePolicy(text, 'p.yaml')).toThrow(PolicyError);
    expect(() => parsePolicy(text, 'p.yaml')).toThrow(message);
  });

  it.each([
    ['a document that is a list', '- a', 'expected a mapping with "rules:"'],
    ['a rule that is not a mapping', 'rules: [a]', 'rules[0]: not a mapping'],
    [
      'an unknown onError',
      `onError: stop\n${rule('id: a\nexpression: "true"')}`,
      '"onError" is fail or warn',
    ],
    [
      'an exception whose scope names nothing',
      `${rule('id: a\nexpression: "true"')}exceptions:\n  - { id: e, scope: { team: x }, reason: r, owner: o }\n`,
      'exceptions[0]: e: "scope" names a repository, a digest, a vulnerability, a workload or a coverage gap',
    ],
    [
      'an exception whose expiry is not a day',
      `${rule('id: a\nexpression: "true"')}exceptions:\n  - { id: e, scope: { digest: x }, reason: r, owner: o, expires: soon }\n`,
      'exceptions[0]: e: "expires" is not a YYYY-MM-DD date',
    ],
  ])('fails on %s, naming the place', (_, text, message) => {
    expect(() => parsePolicy(text, 'p.yaml')).toThrow(`p.yaml: ${message}`);
  });

  it('reads defaults and leaves out what is not of its type', () => {
    const policy = parsePolicy(
      `onError: null\nname: "  "\nrules:\n  - { id: " a ", expression: "true", action: null, description: 3, match: { repositories: [x, 1], tags: t } }\nexceptions: none\n`,
      'p.yaml',
    );
    expect(policy).toMatchObject({
      name: 'p.yaml',
      onError: 'fail',
      rules: [
        {
          id: 'a',
          action: 'deny',
          match: { repositories: ['x'] },
          expression: 'true',
          message: 'a does not hold',
        },
      ],
      exceptions: [],
    });
    expect(policy.rules[0]).not.toHaveProperty('description');
  });
});
