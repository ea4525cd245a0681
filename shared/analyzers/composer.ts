import type { Analyzer, FoundPackage } from './analyzer';
import { isObject, objectKeys, stringField, type JsonObject } from '../core';
import { readJsonFile } from './json-file';

const WANTED = /(?:^|\/)vendor\/composer\/installed\.json$/;
/** `vendor/package` (https://getcomposer.org/doc/04-schema.md#name). */
const PACKAGE_NAME = /^([^/]+)\/([^/]+)$/;

/**
 * PHP packages Composer installed, from `vendor/composer/installed.json`: a list of packages
 * (Composer 1) or `{ packages: [...] }` (Composer 2). Versions are kept as written (`v5.4.0`), as
 * the purl spec asks; `version_normalized` is Composer's own and not what advisories quote.
 */
export const composerAnalyzer: Analyzer = {
  name: 'composer',
  version: 1,
  wants(path) {
    return WANTED.test(path);
  },
  analyze(file) {
    const { value, problems } = readJsonFile(file);
    if (value === undefined) return { packages: [], problems };
    const list = packageList(value);
    if (list === undefined)
      return {
        packages: [],
        problems: [...problems, { reason: 'expected a list of packages or { "packages": [...] }' }],
      };
    const packages: FoundPackage[] = [];
    for (const [index, entry] of list.entries()) {
      const found = isObject(entry) ? composerPackage(entry) : undefined;
      if (found) packages.push(found);
      else problems.push({ reason: `package ${index}: no "vendor/name" name or no version` });
    }
    return { packages, problems };
  },
};

function packageList(document: unknown): unknown[] | undefined {
  const list = isObject(document) ? document['packages'] : document;
  return Array.isArray(list) ? (list as unknown[]) : undefined;
}

function composerPackage(entry: JsonObject): FoundPackage | undefined {
  const name = PACKAGE_NAME.exec(stringField(entry, 'name') ?? '');
  const version = stringField(entry, 'version');
  if (name === null || version === undefined) return undefined;
  const licenses = Array.isArray(entry['license'])
    ? entry['license'].filter((l): l is string => typeof l === 'string')
    : [stringField(entry, 'license')].filter((l) => l !== undefined);
  // Platform requirements (`php`, `ext-*`, `lib-*`, `composer-runtime-api`) have no vendor.
  const dependencies = objectKeys(entry, 'require').filter((key) => PACKAGE_NAME.test(key));
  const supplier = firstAuthor(entry['authors']);
  return {
    type: 'composer',
    namespace: name[1]!,
    name: name[2]!,
    version,
    ...(licenses.length > 0 && { licenses }),
    ...(dependencies.length > 0 && { dependencies }),
    ...(supplier !== undefined && { supplier }),
  };
}

function firstAuthor(authors: unknown): string | undefined {
  const author: unknown = Array.isArray(authors) ? authors[0] : undefined;
  return isObject(author) ? stringField(author, 'name') : undefined;
}
