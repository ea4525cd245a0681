import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { scanImage, scanOutput } from '../../scan/scan';
import { openImageSource } from '../../sources/open';
import { nowOf, type CliIO } from '../io';
import { addImageFlags, platformOf, sourceOptionsOf, type ImageFlags } from '../registry-flags';

interface ScanFlags extends ImageFlags {
  readonly format: 'json';
  readonly output?: string;
}

/** `clearance scan IMAGE`: the image's OS and packages (later: vulnerabilities, secrets, checks, verdict). */
export function scanCommand(io: CliIO): Command {
  const command = new Command('scan')
    .description('scan an image: operating system and installed packages, with layer provenance')
    .argument('<image>', 'oci:DIR[:TAG|@DIGEST], docker-archive:FILE, or a registry reference')
    .addOption(new Option('--format <format>', 'output format').choices(['json']).default('json'))
    .option('--output <file>', 'write the report to FILE instead of stdout');
  return addImageFlags(command).action(async (reference: string, flags: ScanFlags) => {
    const source = openImageSource(reference, sourceOptionsOf(flags, io));
    try {
      const reports = await scanImage(source, { platform: platformOf(flags), today: nowOf(io) });
      const text = `${JSON.stringify(scanOutput(reports), null, 2)}\n`;
      if (flags.output !== undefined) await writeFile(flags.output, text);
      else io.stdout.write(text);
    } finally {
      await source.close();
    }
  });
}
