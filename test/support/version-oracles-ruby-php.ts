import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Order, Pair } from './version-oracles-os';

/**
 * RubyGems' `Gem::Version` (Debian's ruby) and Composer's semver library (Debian's
 * php-composer-semver), each run once over a whole batch, for differential tests of the
 * rubygems and composer schemes. scripts/install-test-tools.sh (npm's `pretest`) installs the
 * Debian packages; a missing one fails the test, naming the package.
 */

/** Each version accepted or not, and each pair's order (null when either side is refused). */
export interface OracleAnswers {
  readonly valid: boolean[];
  readonly orders: (Order | null)[];
}

/** What Composer makes of each version: its normal form, or null when normalize() throws. */
export interface ComposerAnswers extends OracleAnswers {
  readonly normalized: (string | null)[];
}

/** Debian's interpreter, not a version manager's shim earlier on PATH. */
const RUBY = '/usr/bin/ruby';
const PHP = '/usr/bin/php';
const COMPOSER_AUTOLOAD = '/usr/share/php/Composer/Semver/autoload.php';
const MAX_OUTPUT = 256 * 1024 * 1024;

const GEM_VERSION_SCRIPT = `
require "json"
request = JSON.parse($stdin.read)
versions = request["versions"].map do |text|
  Gem::Version.correct?(text) ? Gem::Version.new(text) : nil
end
orders = request["pairs"].map do |i, j|
  a, b = versions[i], versions[j]
  a.nil? || b.nil? ? nil : (a <=> b)
end
$stdout.write(JSON.generate({ "valid" => versions.map { |v| !v.nil? }, "orders" => orders }))
`;

/** `Gem::Version.correct?` of each version and `Gem::Version.new(a) <=> Gem::Version.new(b)` of each pair. */
export function gemVersionAnswers(
  versions: readonly string[],
  pairs: readonly Pair[],
): OracleAnswers {
  if (!existsSync(RUBY)) throw missing(`RubyGems' Gem::Version (${RUBY})`, 'ruby');
  return run('Gem::Version', RUBY, ['-e', GEM_VERSION_SCRIPT], request(versions, pairs));
}

/**
 * normalize() as Composer reads a package's version; a branch (`dev-…`) counts as refused here,
 * as the composer scheme refuses it. Pairs are ordered by Comparator on the normal forms.
 */
const COMPOSER_SCRIPT = `<?php
require ${JSON.stringify(COMPOSER_AUTOLOAD)};
use Composer\\Semver\\Comparator;
use Composer\\Semver\\VersionParser;
$request = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$parser = new VersionParser();
$normalized = array_map(function ($text) use ($parser) {
    try {
        return $parser->normalize($text);
    } catch (UnexpectedValueException $e) {
        return null;
    }
}, $request['versions']);
$valid = array_map(fn ($n) => $n !== null && strpos($n, 'dev-') !== 0, $normalized);
$orders = array_map(function ($pair) use ($normalized, $valid) {
    [$i, $j] = $pair;
    if (!$valid[$i] || !$valid[$j]) return null;
    [$a, $b] = [$normalized[$i], $normalized[$j]];
    $answers = [Comparator::lessThan($a, $b), Comparator::equalTo($a, $b), Comparator::greaterThan($a, $b)];
    if (array_sum($answers) !== 1) throw new LogicException("no single order for $a and $b");
    return array_search(true, $answers, true) - 1;
}, $request['pairs']);
echo json_encode(
    ['normalized' => $normalized, 'valid' => $valid, 'orders' => $orders],
    JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE,
);
`;

/** Composer's VersionParser::normalize of each version and Comparator's order of each pair. */
export function composerAnswers(
  versions: readonly string[],
  pairs: readonly Pair[],
): ComposerAnswers {
  if (!existsSync(PHP)) throw missing(`PHP (${PHP})`, 'php-cli php-composer-semver');
  if (!existsSync(COMPOSER_AUTOLOAD))
    throw missing(`Composer's semver library (${COMPOSER_AUTOLOAD})`, 'php-composer-semver');
  // php reads a script from stdin when given none, so the script goes in a -r argument.
  const script = COMPOSER_SCRIPT.replace(/^<\?php\n/, '');
  return run('Composer semver', PHP, ['-r', script], request(versions, pairs)) as ComposerAnswers;
}

function request(versions: readonly string[], pairs: readonly Pair[]): string {
  const index = new Map(versions.map((v, i) => [v, i]));
  const indexed = pairs.map(([a, b]) => [index.get(a), index.get(b)]);
  if (indexed.flat().includes(undefined)) throw new Error('a pair holds an unlisted version');
  return JSON.stringify({ versions, pairs: indexed });
}

function run(name: string, command: string, args: readonly string[], input: string): OracleAnswers {
  const result = spawnSync(command, args, {
    input,
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
  if (result.status !== 0)
    throw new Error(`${name} failed (status ${result.status}): ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout) as OracleAnswers;
}

function missing(what: string, packages: string): Error {
  return new Error(
    `${what} is not installed, and the differential tests compare against it: install the ` +
      `Debian package(s) ${packages} (bash scripts/install-test-tools.sh, which \`npm test\` ` +
      'runs first) and run again',
  );
}
