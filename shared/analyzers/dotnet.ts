import type { Analyzer, FoundPackage } from './analyzer';
import { isObject, objectField, objectKeys, stringField, type JsonObject } from '../core';
import { readJsonFile } from './json-file';

const WANTED = /(?:^|\/)[^/]+\.deps\.json$/;
/** Library keys are `Name/Version`; NuGet names have no `/`. */
const LIBRARY_KEY = /^([^/]+)\/([^/]+)$/;
/** `project` is the application or one of its own projects, `reference` a plain assembly. */
const PACKAGE_TYPE = 'package';

/**
 * NuGet packages a .NET application was built with, from its `<app>.deps.json`
 * (https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md):
 * `libraries` of type `package`, their dependencies from the runtime target's entry.
 */
export const dotnetAnalyzer: Analyzer = {
  name: 'dotnet',
  version: 1,
  wants(path) {
    return WANTED.test(path);
  },
  analyze(file) {
    const { value, problems } = readJsonFile(file);
    if (value === undefined) return { packages: [], problems };
    const document = value;
    const libraries = isObject(document) ? objectField(document, 'libraries') : undefined;
    if (!isObject(document) || libraries === undefined)
      return { packages: [], problems: [...problems, { reason: 'no "libraries" object' }] };
    const target = targetOf(document);
    const packages: FoundPackage[] = [];
    for (const [key, library] of Object.entries(libraries)) {
      if (!isObject(library) || stringField(library, 'type') !== PACKAGE_TYPE) continue;
      const found = nugetPackage(key, target);
      if (found) packages.push(found);
      else problems.push({ reason: `library "${key}": expected "Name/Version"` });
    }
    return { packages, problems };
  },
};

/** The runtime target `runtimeTarget.name` names, else the first target. */
function targetOf(document: JsonObject): JsonObject {
  const targets = objectField(document, 'targets') ?? {};
  const runtime = objectField(document, 'runtimeTarget');
  const name = (runtime && stringField(runtime, 'name')) ?? Object.keys(targets)[0];
  return (name !== undefined && objectField(targets, name)) || {};
}

function nugetPackage(key: string, target: JsonObject): FoundPackage | undefined {
  const match = LIBRARY_KEY.exec(key);
  if (match === null) return undefined;
  const entry = objectField(target, key);
  const dependencies = entry ? objectKeys(entry, 'dependencies') : [];
  return {
    type: 'nuget',
    name: match[1]!,
    version: match[2]!,
    ...(dependencies.length > 0 && { dependencies }),
  };
}
