import { Option, type Command } from 'commander';
import { parsePlatform } from '../image';
import type { Platform } from '../image';
import type { CredentialProvider } from '../registry';
import type { SourceOptions } from '../sources';
import { UsageError } from './errors';
import type { CliIO } from './io';

/** Flags every command that reads an image accepts. */
export interface ImageFlags {
  readonly platform?: string;
  readonly username?: string;
  readonly password?: string;
  readonly plainHttp?: boolean;
}

/** What `--platform` does when it is not given: the command's own behaviour, said in its help. */
export type PlatformDefault = 'all' | 'required';

const PLATFORM_HELP: Readonly<Record<PlatformDefault, string>> = {
  all: 'only this platform of a multi-platform image (default: all)',
  required: 'the platform to describe: required for a multi-platform image (an index)',
};

/**
 * Adds the flags of a command that reads an image.
 * @param platformDefault what the command does without `--platform` on a multi-platform image
 */
export function addImageFlags(command: Command, platformDefault: PlatformDefault = 'all'): Command {
  return command
    .option('--platform <os/arch[/variant]>', PLATFORM_HELP[platformDefault])
    .option(
      '--username <name>',
      'registry user (or CLEARANCE_REGISTRY_USERNAME, or docker config.json)',
    )
    .addOption(
      new Option(
        '--password <secret>',
        'registry password or token (or CLEARANCE_REGISTRY_PASSWORD)',
      ),
    )
    .option(
      '--plain-http',
      'talk HTTP, not HTTPS, to the registry (automatic for localhost and 127.0.0.1)',
    );
}

export function sourceOptionsOf(flags: ImageFlags, io: CliIO): SourceOptions {
  return {
    ...(flags.username !== undefined && { username: flags.username }),
    ...(flags.password !== undefined && { password: flags.password }),
    ...(flags.plainHttp === true && { plainHttp: true }),
    env: io.env,
    credentialProviders: [ecrCredentials()],
  };
}

export function platformOf(flags: ImageFlags): Platform | undefined {
  if (flags.platform === undefined) return undefined;
  const platform = parsePlatform(flags.platform);
  if (platform === undefined)
    throw new UsageError(
      `--platform "${flags.platform}" is not os/arch[/variant], e.g. linux/arm64`,
    );
  return platform;
}

/**
 * ECR's credentials (GetAuthorizationToken), with the AWS SDK loaded on the first registry asked
 * about, so that a command on a local image never loads it.
 */
function ecrCredentials(): CredentialProvider {
  let provider: Promise<CredentialProvider> | undefined;
  return async (registry) => {
    provider ??= import('../aws/ecr').then((ecr) => ecr.ecrCredentialProvider());
    return (await provider)(registry);
  };
}
