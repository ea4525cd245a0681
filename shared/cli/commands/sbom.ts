import { Command, Option } from 'commander';
import { cycloneDxJson } from '../../sbom';
import { sbomStamp } from '../../sbom';
import { spdxJson } from '../../sbom';
import { resolveImage } from '../../image';
import { scanPlatform } from '../../scan';
import { openImageSource } from '../../sources';
import {
  acceptanceOf,
  addCoverageFlags,
  openGapsText,
  type CoverageFlags,
} from '../coverage-flags';
import { IncompleteScanError, UsageError } from '../errors';
import { nowOf, type CliIO } from '../io';
import { addQuietFlag, progressOf } from '../progress';
import { addImageFlags, platformOf, sourceOptionsOf, type ImageFlags } from '../registry-flags';
import { writeReport } from '../report-format';
import { summaryOf } from './summaries';

interface SbomFlags extends ImageFlags, CoverageFlags {
  readonly format: 'cyclonedx' | 'spdx';
  readonly output?: string;
  readonly deterministic?: boolean;
  readonly quiet?: boolean;
}

const WRITERS = { cyclonedx: cycloneDxJson, spdx: spdxJson } as const;

/**
 * `clearance sbom IMAGE --format cyclonedx|spdx`: an SBOM of one platform image. An SBOM that
 * would silently lack packages (a layer not read or verified, a package database not parsed)
 * is refused; with the gaps accepted (`--allow-incomplete`, `--allow-gap`) it is written, the
 * gaps recorded in it.
 */
export function sbomCommand(io: CliIO): Command {
  const command = new Command('sbom')
    .description(summaryOf('sbom'))
    .argument('<image>', 'oci:DIR[:TAG|@DIGEST], docker-archive:FILE, or a registry reference')
    .addOption(
      new Option('--format <format>', 'SBOM format')
        .choices(['cyclonedx', 'spdx'])
        .default('cyclonedx'),
    )
    .option('--output <file>', 'write the SBOM to FILE instead of stdout')
    .option(
      '--deterministic',
      'derive the serial from the image, and the time from SOURCE_DATE_EPOCH (or now): same image, same bytes',
    );
  return addQuietFlag(addImageFlags(addCoverageFlags(command), 'required')).action(
    async (reference: string, flags: SbomFlags) => {
      const accept = acceptanceOf(flags);
      const source = openImageSource(reference, sourceOptionsOf(flags, io));
      const progress = progressOf(io, flags);
      try {
        const resolved = await resolveImage(source, { platform: platformOf(flags) });
        if (resolved.manifests.length > 1) {
          const platforms = resolved.manifests.map((m) => m.platform).join(', ');
          throw new UsageError(
            `${reference} has ${resolved.manifests.length} platforms (${platforms}) and an SBOM describes one: choose it with --platform, e.g. --platform ${resolved.manifests[0]!.platform}`,
          );
        }
        const report = await scanPlatform(source, resolved, resolved.manifests[0]!, {
          today: nowOf(io),
          coverage: { vulnerabilities: false, accept },
          onProgress: progress.scan,
        });
        progress.end();
        const gaps = openGapsText([report]);
        if (gaps !== undefined)
          throw new IncompleteScanError(
            `${reference}: not writing an SBOM that would lack what was not read: ${gaps}`,
          );
        const deterministic =
          flags.deterministic === true || io.env.SOURCE_DATE_EPOCH !== undefined;
        const text = WRITERS[flags.format](report, sbomStamp(report, nowOf(io), deterministic));
        await writeReport(io, flags.output, [text]);
      } finally {
        progress.end();
        await source.close();
      }
    },
  );
}
