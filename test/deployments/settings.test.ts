import { DeploymentError } from '../../shared/deployments/errors';
import { enforcementMode, parseRuntimeExceptions } from '../../shared/deployments/settings';

const NAME = 'CLEARANCE_RUNTIME_EXCEPTIONS';
const VALID = {
  id: 'legacy-batch',
  clusters: ['batch-*'],
  owner: 'batch@example.com',
  reason: 'replaced in Q1',
  expires: '2027-03-31',
};

describe('enforcementMode', () => {
  it.each(['alert', 'stop'])('reads %s', (mode) => {
    expect(enforcementMode(mode, 'CLEARANCE_RUNTIME_ENFORCEMENT')).toBe(mode);
  });

  it('fails on anything else, naming the variable and what it takes', () => {
    expect(() => enforcementMode('block', 'CLEARANCE_RUNTIME_ENFORCEMENT')).toThrow(
      'CLEARANCE_RUNTIME_ENFORCEMENT is "block"; expected alert or stop',
    );
  });
});

describe('parseRuntimeExceptions', () => {
  it('reads exceptions by repository, by cluster, or both', () => {
    const both = { ...VALID, id: 'both', repositories: ['legacy/*'] };
    expect(parseRuntimeExceptions(JSON.stringify([VALID, both]), NAME)).toEqual([VALID, both]);
  });

  it('reads an empty list', () => {
    expect(parseRuntimeExceptions('[]', NAME)).toEqual([]);
  });

  it.each([
    ['not JSON', '[{', `${NAME}: expected JSON`],
    ['not a list', '{}', `${NAME}: (root): Expected array`],
    ['without an owner', JSON.stringify([{ ...VALID, owner: undefined }]), '0.owner'],
    ['without an expiry', JSON.stringify([{ ...VALID, expires: undefined }]), '0.expires'],
    [
      'with an expiry that is no day',
      JSON.stringify([{ ...VALID, expires: '31/03/2027' }]),
      '0.expires',
    ],
    [
      'naming neither repositories nor clusters',
      JSON.stringify([{ ...VALID, clusters: undefined }]),
      'names no repositories and no clusters',
    ],
    ['with an unknown field', JSON.stringify([{ ...VALID, team: 'x' }]), 'team'],
    [
      'repeating an id',
      JSON.stringify([VALID, VALID]),
      'exception id "legacy-batch" is used twice',
    ],
  ])('fails %s, saying where', (_case, json, message) => {
    let thrown: unknown;
    try {
      parseRuntimeExceptions(json, NAME);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DeploymentError);
    expect(thrown).toMatchObject({ code: 'MISCONFIGURED', kind: 'input' });
    expect((thrown as Error).message).toContain(message);
  });
});
