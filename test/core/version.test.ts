import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../shared/core';

describe('VERSION', () => {
  it("is package.json's version, and the CHANGELOG's newest entry", () => {
    const root = join(__dirname, '..', '..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    expect(changelog.match(/^## \[?(\d+\.\d+\.\d+)/m)?.[1]).toBe(VERSION);
  });
});
