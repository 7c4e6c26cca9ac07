// npm test runs test/*/*.test.ts (node 20 has no recursive globs and npm runs scripts with sh): a test file
// anywhere else would silently never run, so it fails here instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from '../support/cli.js';

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* files(join(dir, e.name));
    else yield relative(root, join(dir, e.name));
  }
}

test('every test file is test/<subject>/<name>.test.ts, where npm test finds it', () => {
  const all = [...files(join(root, 'test'))];
  assert.ok(all.filter((f) => f.endsWith('.test.ts')).length > 40);
  const misplaced = all.filter((f) => /\.test\.[cm]?[jt]s$/.test(f) && !/^test\/(?!support\/)[^/]+\/[^/]+\.test\.ts$/.test(f));
  assert.deepEqual(misplaced, []);
});
