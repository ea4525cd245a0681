import type { Analyzer } from './analyzer';
import { apkAnalyzer } from './apk';
import { cargoAnalyzer } from './cargo';
import { composerAnalyzer } from './composer';
import { dotnetAnalyzer } from './dotnet';
import { dpkgAnalyzer } from './dpkg';
import { gemAnalyzer } from './gem';
import { goAnalyzer } from './go';
import { javaAnalyzer } from './java';
import { npmAnalyzer } from './npm';
import { osReleaseAnalyzer } from './os-release';
import { pythonAnalyzer } from './python';
import { rpmAnalyzer } from './rpm';

export type * from './analyzer';
export * from './run';

/**
 * Every analyser, in one list (STYLE.md §2). Adding an ecosystem: a file, a line here, a fixture
 * directory, a test.
 */
export const ANALYZERS: readonly Analyzer[] = [
  osReleaseAnalyzer,
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  npmAnalyzer,
  pythonAnalyzer,
  gemAnalyzer,
  composerAnalyzer,
  dotnetAnalyzer,
  javaAnalyzer,
  goAnalyzer,
  cargoAnalyzer,
];
export * from './eol';
export * from './go-binary';
export * from './go-functions';
export * from './package-dirs';
export { pickOsRelease } from './os-release';
export { normalizePythonName } from './python';
