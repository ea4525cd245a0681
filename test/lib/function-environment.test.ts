import type { Template } from 'aws-cdk-lib/assertions';
import { benchEnvironment } from '../../bench/function-env';
import { FUNCTION_NAMES } from '../../lib/function-specs';
import {
  FUNCTION_ENVIRONMENT,
  readEnvironment,
  type FunctionName,
  type Requirement,
} from '../../shared/handlers/environment';
import {
  ENVIRONMENT_VARIABLES,
  type VariableKey,
} from '../../shared/handlers/environment-variables';
import { FULL_CONFIG, synthesize } from './synth';

const defaults = synthesize();
const full = synthesize(FULL_CONFIG);

/** The names of the variables function `name` declares, in the contract's order. */
function declared(name: FunctionName, which?: Requirement): string[] {
  return Object.entries(FUNCTION_ENVIRONMENT[name])
    .filter(([, requirement]) => which === undefined || requirement === which)
    .map(([key]) => ENVIRONMENT_VARIABLES[key as VariableKey].name);
}

/** The CLEARANCE_ variables the template gives function `name`, in the template's order. */
function templateVariables(template: Template, name: FunctionName): string[] {
  const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
    (resource) =>
      (resource as { Metadata?: Record<string, unknown> }).Metadata?.['clearance:handler'] === name,
  ) as { Properties: { Environment: { Variables: Record<string, unknown> } } } | undefined;
  if (fn === undefined) throw new Error(`no function ${name}`);
  return Object.keys(fn.Properties.Environment.Variables).filter((v) => v.startsWith('CLEARANCE_'));
}

describe('the environment contract', () => {
  it('names each variable once', () => {
    const names = Object.values(ENVIRONMENT_VARIABLES).map((variable) => variable.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('declares the variables of every function and of no other', () => {
    expect(Object.keys(FUNCTION_ENVIRONMENT).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  describe('when every optional part is configured', () => {
    describe.each(FUNCTION_NAMES)('%s', (name) => {
      it('is given every variable it declares, in the contract’s order', () => {
        expect(templateVariables(full.template, name)).toEqual(declared(name));
      });

      it('is given no variable it does not declare', () => {
        const undeclared = templateVariables(full.template, name).filter(
          (variable) => !declared(name).includes(variable),
        );
        expect(undeclared).toEqual([]);
      });
    });
  });

  describe('with the defaults', () => {
    describe.each(
      FUNCTION_NAMES.filter((name) => name !== 'promote' && name !== 'publish-findings'),
    )('%s', (name) => {
      it('is given every variable it requires', () => {
        expect(templateVariables(defaults.template, name)).toEqual(
          expect.arrayContaining(declared(name, 'required')),
        );
      });

      it('is given no variable it does not declare', () => {
        const undeclared = templateVariables(defaults.template, name).filter(
          (variable) => !declared(name).includes(variable),
        );
        expect(undeclared).toEqual([]);
      });
    });
  });
});

describe("bench/functions' environment", () => {
  it.each(FUNCTION_NAMES)('fakes every variable %s declares, with a value it reads', (name) => {
    const env = benchEnvironment(name);
    expect(Object.keys(env)).toEqual(expect.arrayContaining(declared(name)));
    expect(() =>
      readEnvironment(FUNCTION_ENVIRONMENT[name], (variable) => env[variable]),
    ).not.toThrow();
  });
});
