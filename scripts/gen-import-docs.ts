// Regenerates the operator tables of docs/import.md from the importer's op table (npm run docs:import).
import { readFileSync, writeFileSync } from 'node:fs';
import { withOperatorTables } from '../src/import/docs.js';

const path = new URL('../docs/import.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withOperatorTables(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'docs/import.md is up to date' : 'docs/import.md: operator tables regenerated');
