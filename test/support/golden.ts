import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** Set `UPDATE_GOLDEN=1` to rewrite golden files from what the code produces. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** The JSON in the golden file at `path`, rewritten from `actual` first when UPDATE_GOLDEN=1. */
export function golden<T>(path: string, actual: T): T {
  if (UPDATE_GOLDEN) writeFileSync(path, formatted(path, JSON.stringify(actual)));
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * `json` as `npm run format` would write it at `path`, so the format check passes on regenerated
 * files. The CLI, because Prettier's API needs ES modules, which Jest runs only behind a flag.
 */
export function formatted(path: string, json: string): string {
  const prettier = require.resolve('prettier/bin/prettier.cjs');
  return execFileSync(process.execPath, [prettier, '--stdin-filepath', path], {
    input: json,
    encoding: 'utf8',
  });
}
