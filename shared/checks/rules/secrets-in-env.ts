import { failIfAny, type ImageCheck } from '../check';

/** Variable names that say they hold a secret. */
const SECRET_NAME =
  /(?:PASSW(?:OR)?D|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)(?:$|_)/i;
/** Values that name where a secret is rather than hold it. */
const REFERENCE = /^(?:\/|\$\{?|file:|arn:aws:|vault:|projects\/[^/]+\/secrets\/)/;

export const secretsInEnv: ImageCheck = {
  id: 'secrets-in-env',
  version: 1,
  title: 'Secret in an ENV or ARG',
  severity: 'HIGH',
  rationale:
    'ENV values are stored in the image config and ARG values in its history: anyone who can pull the image can read them.',
  remediation:
    'Pass secrets at run time (a mounted file, the orchestrator’s secret store) and at build time with `RUN --mount=type=secret`.',
  cis: '4.10',
  dockle: 'CIS-DI-0010',
  evaluate({ config, instructions, secrets }) {
    const named = (config.config?.Env ?? []).flatMap((env, i) => {
      const eq = env.indexOf('=');
      const [name, value] = [env.slice(0, eq), env.slice(eq + 1)];
      return eq > 0 && secretValue(name, value) ? [`config.Env[${i}]: ${name} is set`] : [];
    });
    const args = instructions.flatMap((i) =>
      Object.entries(i.args)
        .filter(([name, value]) => secretValue(name, value))
        .map(([name]) => `history[${i.index}]: ARG ${name} is set`),
    );
    const found = (secrets ?? [])
      .filter((s) => s.layer === null)
      .map((s) => `${s.path}: ${s.rule} (${s.match})`);
    return failIfAny([...named, ...args, ...found]);
  },
};

/** Whether `name=value` sets a secret: a name that says so, and a literal value rather than a reference. */
export function secretValue(name: string, value: string): boolean {
  return SECRET_NAME.test(name) && value !== '' && !REFERENCE.test(value);
}
