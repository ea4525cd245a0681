import { normalizePythonName } from '../analyzers';

/**
 * A package name as its ecosystem compares names, so that an advisory and an installed package
 * meet however either spells it: PyPI by PEP 503 (`Foo_Bar` = `foo-bar`); NuGet, Packagist and
 * crates.io case-insensitively (crates.io also treats `-` and `_` alike); npm, Maven, Go,
 * RubyGems and the distributions exactly, as their registries do.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  switch (ecosystem) {
    case 'PyPI':
      return normalizePythonName(name);
    case 'NuGet':
    case 'Packagist':
      return name.toLowerCase();
    case 'crates.io':
      return name.toLowerCase().replace(/_/g, '-');
    default:
      return name;
  }
}
