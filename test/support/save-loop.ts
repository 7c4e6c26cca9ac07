// Child process of test/format/crash-safety.test.ts: saves two graphs with the same constant layout, A and B, in
// turn over `<dir>/model.webnn` (with model.weights and model.manifest.json) until it is stopped or killed.
// Usage: node --import tsx test/support/save-loop.ts DIR
import { join } from 'node:path';
import { ml, saveGraph } from '../../src/index.js';
import { buildSavePair } from './save-pair.js';

const dir = process.argv[2]!;
const ctx = await ml.createContext();
const { a, b } = await buildSavePair(ctx);
const path = join(dir, 'model.webnn');
saveGraph(a, path);
process.stdout.write('ready\n');
for (let i = 0; ; i++) saveGraph(i % 2 ? a : b, path);
