import { nugetScheme } from '../../shared/versions/nuget';
import { SeededRandom } from '../support/version-oracles-os';
import {
  itAccepts,
  itFailsToCompare,
  itOrdersConsistently,
  itOrdersPairs,
  itRefuses,
  itTreatsAsEqual,
} from '../support/version-scheme';

/*
 * There is no .NET, hence no NuGet.Versioning, on the test machines: no differential oracle.
 * The cases below are the vectors of NuGet.Client's own tests
 * (test/NuGet.Core.Tests/NuGet.Versioning.Test: NuGetVersionTest, VersionComparerTests,
 * SemVer201SpecTests, SemanticVersionTests, VersionParsingTests), named after the test each
 * comes from; the few marked otherwise follow NuGet's source where no test pins the behaviour.
 */

const order = (a: string, b: string) => Math.sign(nugetScheme.compare(a, b));

describe('nugetScheme', () => {
  describe('when versions differ', () => {
    itOrdersPairs(nugetScheme, [
      // VersionComparerTests.VersionComparisonDefaultLess
      ['0.0.0', '1.0.0'],
      ['1.0.0', '1.1.0'],
      ['1.0.0', '1.0.1'],
      ['1.999.9999', '2.1.1'],
      ['1.0.0-BETA', '1.0.0-beta2'],
      ['1.0.0-beta+AA', '1.0.0+aa'],
      ['1.0.0-BETA', '1.0.0-beta.1+AA'],
      ['1.0.0-BETA.X.y.5.77.0+AA', '1.0.0-beta.x.y.5.79.0+aa'],
      ['1.0.0-BETA.X.y.5.79.0+AA', '1.0.0-beta.x.y.5.790.0+abc'],
      // VersionComparerTests.VersionComparisonDefaultNotEqualWithNuGetVersion, in order
      ['1.0', '1.0.0.1'],
      ['1.0+test', '1.0.0.1'],
      ['1.0.0.1-1.2.A', '1.0.0.1-1.2.a.A+A'],
      ['1.0.01', '1.0.1.2'],
      // NuGetVersionTest.SemVerLessThanAndGreaterThanOperatorsWorks
      ['1.0', '1.0.1'],
      ['1.23', '1.231'],
      ['1.4.5.6', '1.45.6'],
      ['1.4.5.6', '1.4.5.60'],
      ['1.01', '1.10'],
      ['1.01-alpha', '1.10-beta'],
      ['1.01.0-RC-1', '1.10.0-rc-2'],
      ['1.01-RC-1', '1.01'],
      ['1.01', '1.2-preview'],
      // SemVer201SpecTests: SemVerSort…
      ['1.2.3', '1.2.4'],
      ['1.2.3', '2.0.0'],
      ['9.9.9', '10.1.1'],
      ['1.2.3-alpha', '1.2.3'],
      ['1.2.3-2', '1.2.3-3'],
      ['1.2.3-1.9', '1.2.3-1.50'],
      ['1.2.3-2A', '1.2.3-3A'],
      ['1.2.3-1.50A', '1.2.3-1.9A'],
      ['1.2.3-999999', '1.2.3-Z'],
      ['1.2.3-A.999999', '1.2.3-A.56-2'],
      ['1.2.3-a', '1.2.3-a.2'],
      ['1.2.3-a.2.3.4', '1.2.3-a.2.3.4.5'],
    ]);
  });

  describe('when versions are written differently but equal', () => {
    itTreatsAsEqual(nugetScheme, [
      // VersionComparerTests.VersionComparisonDefaultEqual(WithNuGetVersion)
      ['1.0.0', '1.0.0'],
      ['1.0.0-BETA', '1.0.0-beta'],
      ['1.0.0-BETA+AA', '1.0.0-beta+aa'],
      ['1.0.0-BETA.X.y.5.77.0+AA', '1.0.0-beta.x.y.5.77.0+aa'],
      ['1.0.0', '1.0.0+beta'],
      ['1.0', '1.0.0.0'],
      ['1.0+test', '1.0.0.0'],
      ['1.0.0.1-1.2.A', '1.0.0.1-1.2.a+A'],
      ['1.0.01', '1.0.1.0'],
      // NuGetVersionTest.SemVerEqualsOperatorWorks
      ['1.23.01', '1.23.1'],
      ['1.45.6', '1.45.6.0'],
      ['1.45.6-Alpha', '1.45.6-Alpha'],
      ['1.6.2-BeTa', '1.6.02-beta'],
      ['22.3.07     ', '22.3.07'],
      ['1.0', '1.0.0.0+beta'],
      ['1.0.0.0+beta.2', '1.0.0.0+beta.1'],
      // VersionParsingTests.VersionLength
      ['2', '2.0.0'],
      ['2.0.0.0', '2.0.0'],
      // NuGetVersionTest: ParseIgnoresLeadingAndTrailingWhitespace, ParseReadsLegacyStyle…
      ['  1.022-Beta', '1.22.0.0-Beta'],
      ['23.2.3-Alpha  ', '23.2.3.0-Alpha'],
      ['    1.3.42.10133-PreRelease  ', '1.3.42.10133-PreRelease'],
      ['1.022', '1.22.0.0'],
      // SemVer201SpecTests.SemVerSortIgnoreReleaseCasing, SemanticVersionTests.…StrictEquality…
      ['1.2.3-a', '1.2.3-A'],
      ['1.2.3-A-b2-C', '1.2.3-a-B2-c'],
      ['1.2.3', '1.2.3+XYZ'],
      ['1.2.3-alpha', '1.2.3-alpha+beta'],
    ]);
  });

  describe('when numbers carry white space', () => {
    // NuGetVersionTest.TryParseHandlesValidVersionPatterns
    itTreatsAsEqual(
      nugetScheme,
      [
        ['   19', '19.0.0.0'],
        ['   19.   19', '19.19.0.0'],
        ['   19.   19.   19.   19', '19.19.19.19'],
        ['19   .19   .19   ', '19.19.19.0'],
        ['   19   .   19   .   19   .   19   ', '19.19.19.19'],
        ['01.1.1.1', '1.1.1.1'],
        ['1.1.1.01', '1.1.1.1'],
        ['2147483647.1.1.1', '2147483647.1.1.1'],
        ['1.1.1.2147483647', '1.1.1.2147483647'],
      ],
      'reads %j as %j',
    );
  });

  describe('when a version is valid', () => {
    itAccepts(nugetScheme, [
      // NuGetVersionTest.NuGetVersionParseStrict, VersionParsingTests.FullVersionParsing
      ...['1.2.3-X.y.3+Meta-2', '1.2.3-X.yZ.3.234.243.3242342+METADATA', '1.2.3-X.y3+0'],
      ...['1.2.3-X+0', '1.2.3+0', '1.2.3-0', '1.0.0-RC.X.35.A.3455+Meta-A-B-C'],
      ...['3.4.0.3-RC-3', '1.3.42.200930-RC-2', '1.3.2-CTP-2-Refresh-Alpha', '01.42.0-alpha.1'],
      // SemVer201SpecTests: valid labels and metadata
      ...['0.1.2-Alpha-2-5Bdd', '0.1.2--', '0.1.2--B-C-', '0.1.2--B2.-.C.-A0-', '0.1.2-02A'],
      ...['0.1.2-2.A.02-', '0.1.2-A02.A', '0.1.2+02A', '0.1.2+203-49244.23-3.34-4.0-.-.-'],
      ...['0.1.2+-', '0.1.2+----.-.-.-', '0.1.2----+----', '0.1.2+02.02-02', '0.1.2+000000'],
    ]);
  });

  describe('when a version is not a NuGet version', () => {
    itRefuses(nugetScheme, [
      // NuGetVersionTest.ParseThrowsIfStringIsNullOrEmpty, ParseThrowsIfStringIsNotAValidSemVer
      ...['', '         ', '1beta', '$version$', '1.2Av^c', '1.2..', '1.2.3.4.5', '1.2.3.Beta'],
      ...['1.2.3.4This version is full of awesomeness!!', 'So.is.this', '1.34.2Alpha'],
      ...['1.34.2Release Candidate', '1.4.7-', '1.4.7-*', '1.4.7+*', '1.4.7-AA.01^'],
      ...['1.4.7-AA.0A^', '1.4.7-A^A', '1.4.7+AA.01^', '1.2147483648', '1.1.1.2147483648'],
      ...['1.1.1.1.2147483648', '10000000000000000000', '1.1.10000000000000000000', '1..2'],
      ...['....', '..1', '-1.1.1.1', '1.-1.1.1', '1.1.1.-1', '1.', '1.1.1.1.', '1.1.1.1.1.'],
      ...['1     1.1.1.1', '1.1.1.1     1', ' .1.1.1', '1. .1.1', '1.1.1. ', '1 .', '1.1.1.1 .'],
      ...['2147483648.2.3.4', '1.2.3.2147483648', '..1.2', '   1 9', '   19.   19.   1 9'],
      ...['19   .19   .19   .1 9   ', '   19   .   19   .   19   .   1 9   '],
      // SemVer201SpecTests: empty, non-ASCII and leading-zero identifiers
      ...['0.1.2-Alpha..2', '0.1.2-Alpha.', '0.1.2-.AA', '0.1.2-', '0.1.2-alp=ha', '0.1.2-alp┐jj'],
      ...['0.1.2-a&444', '0.1.2-a.&.444', '0.1.2-02', '0.1.2-2.02', '0.1.2-2.A.02', '0.1.2-02.A'],
      ...['0.1.2+ÄÄ', '0.1.2+22.2ÄÄ', '0.1.2+2+A', '0.1.2+02A.', '0.1.2+02..A', '0.1.2+'],
      // SemanticVersionTests.TryParseStrictReturnsFalseIfVersionIsNotStrictSemVer (also loose)
      ...['1.2.3-A..B', '.2.03', '1.2.', '1.2.3-a$b', 'a.b.c', '1.2.3-00', '1.2.3-A.00.B'],
      // NuGetVersionTest.TryParseReturnsFalseWhenUnableToParseString: no leading `v`
      ...['NotAVersion', 'v1.0.0', 'V1.0'],
    ]);
    itFailsToCompare(
      nugetScheme,
      ['1.4.7-', '1.4.7'],
      ['1.0', 'v1.0', '"v1.0" is not a valid nuget version'],
    );
  });

  // Not pinned by a NuGet test: what VersionComparer's int.TryParse makes of release labels.
  describe('when a release label is a number only to int.TryParse', () => {
    itOrdersPairs(nugetScheme, [
      ['1.0.0--1', '1.0.0-0'],
      ['1.0.0-2147483647', '1.0.0-2147483648'],
      ['1.0.0-9', '1.0.0-10000000000'],
      ['1.0.0-10000000000', '1.0.0-9999999999'],
      ['1.0.0-99999999999', '1.0.0-a'],
    ]);

    it('treats "-0" as the number 0', () => {
      expect(order('1.0.0--0', '1.0.0-0')).toBe(0);
    });
  });

  describe('when many versions are sorted', () => {
    const random = new SeededRandom(0x9e7);
    const numbers = ['0', '1', '2', '10', '01', '2147483647'];
    const labels = ['alpha', 'ALPHA', 'beta', 'rc', 'rc-1', '1', '2', '10', '-1', 'a-b', 'Z'];
    const versions = Array.from({ length: 300 }, () => {
      const core = Array.from({ length: 1 + random.int(4) }, () => random.pick(numbers));
      const pre = Array.from({ length: random.int(3) }, () => random.pick(labels));
      return core.join('.') + (pre.length > 0 ? `-${pre.join('.')}` : '') + '+meta';
    });
    itOrdersConsistently(nugetScheme, versions);
  });
});
