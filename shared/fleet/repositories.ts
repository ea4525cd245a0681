/**
 * Which repositories the pipeline watches, from `CLEARANCE_REPOSITORIES`: comma-separated
 * globs where `*` matches any run of characters, `/` included, and `?` one character, as the
 * wildcard filter of the EventBridge rule that starts push scans does, so that the nightly fleet
 * and the push trigger watch the same repositories. `*` alone watches all of them. An empty
 * list watches none.
 */
export function repositoryFilter(globs: readonly string[]): (repository: string) => boolean {
  const patterns = globs.map(globPattern);
  return (repository) => patterns.some((pattern) => pattern.test(repository));
}

/** The globs of a comma-separated list, blanks dropped: `"team/*, base"` → `["team/*", "base"]`. */
export function parseRepositoryGlobs(list: string): string[] {
  return list
    .split(',')
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '');
}

function globPattern(glob: string): RegExp {
  const source = [...glob]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
