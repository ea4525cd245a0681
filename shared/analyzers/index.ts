import type { Analyzer } from './analyzer';
import { dpkgAnalyzer } from './dpkg';

export type * from './analyzer';
export * from './run';

/** Every analyser, in one list (STYLE.md §2). Adding an ecosystem: a file, a line here, fixtures, a test. */
export const ANALYZERS: readonly Analyzer[] = [dpkgAnalyzer];
