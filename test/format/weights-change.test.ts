// A weights file that changes under a loaded or loading graph: onnxruntime maps a private copy, so truncating or
// rewriting the user's file in place neither kills the process (SIGBUS) nor changes a loaded graph's results, and a
// file that shrinks before compiling is a clear error.
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readdirSync, rmSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadGraph, ml, MLGraphBuilder, saveGraph, type MLContext } from '../../src/index.js';
import { openWeights, readGraphFile } from '../../src/format/io.js';
import { buildGraphFile } from '../../src/format/graph-file.js';

const COUNT = 1 << 19; // 2 MiB of float32: large enough to stay in the weights file (mapped, not read)
const desc = { dataType: 'float32', shape: [COUNT] } as const;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsnn-weights-change-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Saves y = x + w (w all 2) as `name`.webnn with its weights; returns the weights path. */
async function saveAdd(ctx: MLContext, name: string): Promise<string> {
  const b = new MLGraphBuilder(ctx);
  const graph = await b.build({ y: b.add(b.input('x', desc), b.constant(desc, new Float32Array(COUNT).fill(2))) });
  saveGraph(graph, join(dir, `${name}.webnn`));
  graph.destroy();
  return join(dir, `${name}.weights`);
}

const ones = () => new Float32Array(COUNT).fill(1);
const first = (y: { data: unknown }) => [(y.data as Float32Array)[0], (y.data as Float32Array)[COUNT - 1]];

for (const execution of ['worker', 'inline'] as const) {
  describe(`a weights file that changes (execution: ${execution})`, () => {
    let ctx: MLContext;
    before(async () => {
      ctx = await ml.createContext({ execution });
    });
    after(() => ctx.destroy());

    test('truncated after loading: the loaded graph computes as before (no SIGBUS)', async () => {
      const weights = await saveAdd(ctx, `t-${execution}`);
      const graph = await loadGraph(ctx, join(dir, `t-${execution}.webnn`));
      truncateSync(weights, 100);
      assert.deepEqual(first((await ctx.compute(graph, { x: ones() })).y!), [3, 3]);
      graph.destroy();
    });

    test('rewritten in place after loading: the loaded graph keeps the weights it was loaded with', async () => {
      const weights = await saveAdd(ctx, `w-${execution}`);
      const graph = await loadGraph(ctx, join(dir, `w-${execution}.webnn`));
      const fd = openSync(weights, 'r+');
      writeSync(fd, new Uint8Array(new Float32Array(COUNT).fill(7).buffer), 0, COUNT * 4, 4096);
      closeSync(fd);
      assert.deepEqual(first((await ctx.compute(graph, { x: ones() })).y!), [3, 3]);
      graph.destroy();
      // A new load reads the new bytes (the manifest still matches: same layout).
      const again = await loadGraph(ctx, join(dir, `w-${execution}.webnn`), { weights, manifest: join(dir, `w-${execution}.manifest.json`) });
      assert.deepEqual(first((await ctx.compute(again, { x: ones() })).y!), [8, 8]);
      again.destroy();
    });

    test('truncated between opening and compiling: build fails with a clear error, and no copy is left behind', async () => {
      await saveAdd(ctx, `c-${execution}`);
      const path = join(dir, `c-${execution}.webnn`);
      const g = readGraphFile(path);
      const weights = openWeights(path, g)!;
      try {
        truncateSync(join(dir, `c-${execution}.weights`), 4096);
        await assert.rejects(buildGraphFile(ctx, g, weights), (e: unknown) =>
          e instanceof DOMException && e.name === 'OperationError' && /has 4096 bytes, but the graph's constants need \d+: it changed since the graph was loaded/.test(e.message));
      } finally {
        weights.close();
      }
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    });
  });
}
