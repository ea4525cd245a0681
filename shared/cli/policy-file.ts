import { readFile } from 'node:fs/promises';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../policy';

/** `--policy`'s file, or the bundled policy for `default`. */
export async function loadPolicy(file: string): Promise<Policy> {
  if (file === 'default') return parsePolicy(DEFAULT_POLICY, 'default');
  return parsePolicy(await readFile(file, 'utf8'), file);
}
