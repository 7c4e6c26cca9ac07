// docs/import.md lists the operators the importer translates: its generated tables must match the op table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { withOperatorTables } from '../../src/import/docs.js';
import { allMappings } from '../../src/import/registry.js';

const doc = readFileSync(new URL('../../docs/import.md', import.meta.url), 'utf8');

test('docs/import.md operator tables match the code (regenerate with npm run docs:import)', () => {
  assert.equal(doc, withOperatorTables(doc));
  for (const m of allMappings()) assert.ok(doc.includes(`| \`${m.op}\` |`), `${m.op} is listed`);
});

test('every mapping has a note and a sane opset range', () => {
  for (const m of allMappings()) {
    assert.ok(m.note.length > 0, m.op);
    assert.ok(m.until === undefined || m.until >= m.since, m.op);
  }
});

test('the importer core and the ONNX module are platform-neutral (file access only in src/import/node.ts)', () => {
  const root = new URL('../../src/', import.meta.url);
  const files = [...readdirSync(new URL('onnx/', root)).map((f) => `onnx/${f}`), ...readdirSync(new URL('import/', root), { recursive: true }).map((f) => `import/${f}`)]
    .filter((f) => f.endsWith('.ts') && f !== 'import/node.ts');
  assert.ok(files.length > 10);
  for (const f of files) {
    const text = readFileSync(new URL(f, root), 'utf8');
    assert.ok(!/from 'node:|require\(|\bBuffer\b|\bprocess\./.test(text), `${f} uses Node-only APIs`);
  }
});
