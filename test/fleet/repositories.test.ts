import { parseRepositoryGlobs, repositoryFilter } from '../../shared/fleet/repositories';

describe('repositoryFilter', () => {
  it.each([
    [['*'], 'team/web/api', true],
    [['*'], 'base', true],
    [['team/*'], 'team/web', true],
    [['team/*'], 'team/web/api', true],
    [['team/*'], 'teams/web', false],
    [['team/*'], 'team', false],
    [['app-?'], 'app-1', true],
    [['app-?'], 'app-12', false],
    [['a.b'], 'aXb', false],
    [['base', 'team/*'], 'base', true],
    [[], 'base', false],
  ])('with %j says %s is watched: %s', (globs, repository, watched) => {
    expect(repositoryFilter(globs)(repository)).toBe(watched);
  });
});

describe('parseRepositoryGlobs', () => {
  it('splits on commas and drops blanks', () => {
    expect(parseRepositoryGlobs(' team/* ,base,, ')).toEqual(['team/*', 'base']);
  });
});
