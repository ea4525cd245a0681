/**
 * The shape of a hostile-corpus case: what it is, how it is written, which commands it is fed
 * to and what they must do with it. docs/hostile-corpus.md explains the classes.
 */

/**
 * - `invalid-digest`: a digest, diff_id or size does not verify. No command may exit 0 without
 *   `--allow-incomplete`.
 * - `invalid`: the image (or a layer, or a file an analyser must read) cannot be read as it
 *   should: `inspect --verify` and `scan` exit 1 or 2, `sbom` exits 2, `pipeline run` 1 or 2.
 * - `valid-unusual`: legal, if odd, input: every command reads it and exits 0.
 * - `data`: vulnerability data or a policy: `db import` exits 0 counting the bad records as
 *   skipped, or 2; a policy or report that cannot be judged never passes (1 or 2).
 */
export type Expectation = 'invalid-digest' | 'invalid' | 'valid-unusual' | 'data';

/** Commands fed an image reference. */
export type ImageCommand = 'inspect' | 'scan' | 'sbom' | 'pipeline';

/**
 * Commands fed a data file: `db-import` (`db import PATH`), `scan-policy` (`scan --policy PATH`
 * of the corpus's baseline image), `policy-test` (`policy test PATH --input <baseline report>`),
 * `policy-input` (`policy test default --input PATH`).
 */
export type DataCommand = 'db-import' | 'scan-policy' | 'policy-test' | 'policy-input';

export type CommandName = ImageCommand | DataCommand;

export const IMAGE_COMMANDS: readonly ImageCommand[] = ['inspect', 'scan', 'sbom', 'pipeline'];

/** The commands that take `--allow-incomplete` ("accept coverage gaps on purpose"). */
export const ALLOW_INCOMPLETE_COMMANDS: readonly ImageCommand[] = ['scan', 'sbom', 'pipeline'];

export interface HostileCase {
  /** Stable, kebab-case; also the case's directory under the corpus root. */
  readonly id: string;
  /** One line: what is wrong with the input. */
  readonly description: string;
  readonly expectation: Expectation;
  /**
   * For `invalid` cases whose layers all verify and whose bad part is a file only an analyser
   * reads (a package database, a jar, an executable): `inspect --verify` does not open file
   * contents, so its exit code is not held; the other commands are.
   */
  readonly contentOnly?: boolean;
  /**
   * What the commands are given, relative to the corpus root: `oci:DIR`,
   * `docker-archive:FILE`, or a plain path for data cases.
   */
  readonly reference: string;
  readonly commands: readonly CommandName[];
  /** `--platform` for every command (multi-platform cases). */
  readonly platform?: string;
  /** `db-import`: when it exits 0, at least this many records must be reported as skipped. */
  readonly malformedAtLeast?: number;
  /** Writes the case into `dir` (`<corpus root>/<id>`, created beforehand). */
  write(dir: string): Promise<void>;
}

/** An image case kept in an OCI layout at `<root>/<id>/`, fed to every image command. */
export function ociCase(
  spec: Omit<HostileCase, 'reference' | 'commands'> & { commands?: readonly CommandName[] },
): HostileCase {
  return { commands: IMAGE_COMMANDS, ...spec, reference: `oci:${spec.id}` };
}

/** An image case kept as a docker archive at `<root>/<id>/image.tar`. */
export function archiveCase(
  spec: Omit<HostileCase, 'reference' | 'commands'> & { commands?: readonly CommandName[] },
): HostileCase {
  return { commands: IMAGE_COMMANDS, ...spec, reference: `docker-archive:${spec.id}/image.tar` };
}

/** A data case: the file (or directory) `<root>/<id>/<name>`. */
export function dataCase(
  spec: Omit<HostileCase, 'reference' | 'expectation'> & { file: string },
): HostileCase {
  const { file, ...rest } = spec;
  return { ...rest, expectation: 'data', reference: `${spec.id}/${file}` };
}
