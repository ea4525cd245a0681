import { Command } from 'commander';
import { danglingLinks } from '../../coverage';
import { NotAnImageError } from '../../image';
import { mergeLayers } from '../../layers';
import { resolveImageOrArtifact } from '../../image';
import { readLayers, type LayerProgress, type LayerResult } from '../../layers';
import { openImageSource } from '../../sources';
import { artifactReport, inspectReport } from '../inspect-report';
import { ExitCode, type CliIO } from '../io';
import { addQuietFlag, progressOf } from '../progress';
import { addImageFlags, platformOf, sourceOptionsOf, type ImageFlags } from '../registry-flags';
import { summaryOf } from './summaries';

interface InspectFlags extends ImageFlags {
  readonly verify?: boolean;
  readonly quiet?: boolean;
}

/**
 * What fails `--verify`, in one line: a layer that could not be read or verified, else one with
 * entries that were not read (paths out of the root, hard links out of it or to a file no layer
 * of the image holds); and how many more.
 */
function verificationProblem(images: readonly (readonly LayerResult[])[]): string | undefined {
  const problems = images.flatMap((results) => {
    const dangling = danglingLinks(mergeLayers(results.flatMap((r) => (r.ok ? [r.listing] : []))));
    return results.flatMap((r): string[] => {
      if (!r.ok) return [r.error.message];
      const found = dangling.get(r.listing.digest);
      const listed = [...r.listing.problems, ...(found?.problems ?? [])];
      const count = r.listing.problemCount + (found?.count ?? 0);
      const first = listed[0];
      if (first === undefined) return [];
      const where = first.path === undefined ? '' : `${first.path}: `;
      return [
        `layer ${r.listing.digest}: ${count} entries not read; first: ${where}${first.reason}`,
      ];
    });
  });
  const [first] = problems;
  if (first === undefined) return undefined;
  return problems.length === 1 ? first : `${first}; and ${problems.length - 1} more layers`;
}

/**
 * `clearance inspect IMAGE`: manifests, configs and layers as JSON; `--verify` streams every
 * layer. What is not an image (a signature, an SBOM, a chart) is described; `--verify` refuses it.
 */
export function inspectCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  const command = new Command('inspect')
    .description(summaryOf('inspect'))
    .argument(
      '<image>',
      'oci:DIR[:TAG|@DIGEST], docker-archive:FILE, docker://HOST/REPO[:TAG|@DIGEST] or a bare reference',
    )
    .option(
      '--verify',
      'stream every layer: check digests and diff_ids, count entries, report problems',
    );
  return addQuietFlag(addImageFlags(command)).action(
    async (reference: string, flags: InspectFlags) => {
      const source = openImageSource(reference, sourceOptionsOf(flags, io));
      const progress = progressOf(io, flags);
      try {
        const root = await resolveImageOrArtifact(source, { platform: platformOf(flags) });
        if (root.kind === 'artifact') {
          if (flags.verify) throw new NotAnImageError(root.artifact, source.reference);
          io.stdout.write(`${JSON.stringify(artifactReport(root), null, 2)}\n`);
          return;
        }
        const image = root.image;
        const results = new Map<string, LayerResult[]>();
        if (flags.verify) {
          for (const manifest of image.manifests) {
            const { platform } = manifest;
            const onProgress = (layer: LayerProgress) =>
              progress.scan({ phase: 'layers', platform, ...layer });
            results.set(manifest.digest, await readLayers(source, manifest, { onProgress }));
          }
          progress.end();
        }
        io.stdout.write(
          `${JSON.stringify(inspectReport(image, flags.verify ? results : undefined), null, 2)}\n`,
        );
        const problem = verificationProblem([...results.values()]);
        if (problem === undefined) return;
        io.stderr.write(`clearance: ${problem}\n`);
        setExit(ExitCode.inputError);
      } finally {
        progress.end();
        await source.close();
      }
    },
  );
}
