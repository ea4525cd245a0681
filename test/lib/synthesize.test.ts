import { configFromContext } from '../../lib/context';
import { synthesizeTemplate } from '../../lib/synthesize';
import { contextNode } from './synth';

type Resources = Record<string, { Type: string; Metadata?: Record<string, unknown> }>;

const handlersOf = (template: Record<string, unknown>): string[] =>
  Object.values(template.Resources as Resources)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => String(resource.Metadata?.['clearance:handler']))
    .sort();

describe('synthesizeTemplate', () => {
  describe('when given no options', () => {
    const started = Date.now();
    const template = synthesizeTemplate();
    const elapsed = Date.now() - started;

    it('returns the stack template with cdk.json configuration, without bundling, in seconds', () => {
      expect(template.Resources).toBeDefined();
      expect(handlersOf(template)).not.toContain('promote');
      expect(handlersOf(template)).toContain('analyze-layer');
      expect(elapsed).toBeLessThan(15_000);
    });
  });

  describe('when given a clearance context', () => {
    it('applies it over cdk.json (a promotion target adds Promote)', () => {
      const template = synthesizeTemplate({
        context: { clearance: { promotion: { repository: 'release' } } },
      });
      expect(handlersOf(template)).toContain('promote');
    });
  });
});

describe('configFromContext', () => {
  const configOf = (value: unknown) => configFromContext(contextNode({ clearance: value }));

  it('reads the clearance object', () => {
    expect(configOf({ repositories: ['team-a/*'], quarantine: 'tag' })).toEqual({
      repositories: ['team-a/*'],
      quarantine: 'tag',
    });
  });

  it('reads it as JSON text, as `-c clearance=…` passes it', () => {
    expect(configOf('{"fleetMaxConcurrency":10}')).toEqual({ fleetMaxConcurrency: 10 });
  });

  it('is empty without a clearance context', () => {
    expect(configFromContext(contextNode({}))).toEqual({});
  });

  it('fails when a field has the wrong type, naming it', () => {
    expect(() => configOf({ quarantine: 'delete' })).toThrow(/quarantine/);
  });

  it('fails when a field is unknown', () => {
    expect(() => configOf({ repositorys: ['*'] })).toThrow(/repositorys/);
  });

  it('fails when a function it sizes does not exist', () => {
    expect(() => configOf({ functions: { 'analyse-layer': { memoryMiB: 4096 } } })).toThrow(
      /functions/,
    );
  });

  it('reads the Amazon Linux mirror, and fails when it is not an http(s) URL', () => {
    expect(configOf({ alasBaseUrl: 'https://alas.example.com' })).toEqual({
      alasBaseUrl: 'https://alas.example.com',
    });
    expect(() => configOf({ alasBaseUrl: 'file:///etc' })).toThrow(/alasBaseUrl/);
    expect(() => configOf({ alasBaseUrl: 'mirror' })).toThrow(/alasBaseUrl/);
  });

  it('reads the KEV and EPSS mirrors, and fails when one is not an http(s) URL', () => {
    expect(
      configOf({ kevUrl: 'https://m.example.com/kev.json', epssUrl: 'http://m.example.com/e.csv' }),
    ).toEqual({ kevUrl: 'https://m.example.com/kev.json', epssUrl: 'http://m.example.com/e.csv' });
    expect(() => configOf({ kevUrl: 'file:///kev.json' })).toThrow(/kevUrl/);
    expect(() => configOf({ epssUrl: 'scores' })).toThrow(/epssUrl/);
  });

  it('fails when a signature key is not an awskms:// ARN', () => {
    expect(() => configOf({ signatureKeys: ['key.pem'] })).toThrow(/awskms/);
  });
});
