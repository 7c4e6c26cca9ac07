// Graph files that cannot be half-saved: whatever point a save over an existing graph is killed at, loading gives the
// old graph, the new graph, or a clear error — never a mix of the two saves' files computing with each other's
// weights. Temporary files left by killed saves are removed by the next save to that path.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { loadGraph, ml, saveGraph, type MLContext } from '../../src/index.js';
import { GraphFileError } from '../../src/format/model.js';
import { buildSavePair, N, RESULT_A, RESULT_B } from '../support/save-pair.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILES = ['model.webnn', 'model.weights', 'model.manifest.json'];

let ctx: MLContext;
let dir: string;
before(async () => {
  ctx = await ml.createContext();
  dir = mkdtempSync(join(tmpdir(), 'tsnn-crash-'));
});
after(() => {
  ctx.destroy();
  rmSync(dir, { recursive: true, force: true });
});

type Outcome = 'A' | 'B' | 'refused';

/** Loads `folder/model.webnn` and says which graph it computes, or that loading refused the files. */
async function outcome(folder: string): Promise<Outcome> {
  let graph;
  try {
    graph = await loadGraph(ctx, join(folder, 'model.webnn'));
  } catch (err) {
    assert.ok(err instanceof GraphFileError, `loading failed with something other than a GraphFileError: ${String(err)}`);
    assert.match(err.message, /written by different saves/);
    return 'refused';
  }
  const y = (await ctx.compute(graph, { x: new Float32Array(N).fill(1) })).y!.data as Float32Array;
  graph.destroy();
  assert.ok(y.every((v) => v === y[0]), 'every element computed alike');
  assert.ok(y[0] === RESULT_A || y[0] === RESULT_B, `the loaded graph computes ${y[0]}: neither A (${RESULT_A}) nor B (${RESULT_B}), a mix of two saves`);
  return y[0] === RESULT_A ? 'A' : 'B';
}

const tempsIn = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

describe('graph files and interrupted saves', () => {
  test('every mix of two saves\' graph, manifest and weights files is refused; each save alone loads', async () => {
    const { a, b } = await buildSavePair(ctx);
    const saves = { A: join(dir, 'save-a'), B: join(dir, 'save-b') };
    for (const [name, graph] of [['A', a], ['B', b]] as const) {
      mkdirSync(saves[name]);
      saveGraph(graph, join(saves[name], 'model.webnn'));
    }
    for (const g of ['A', 'B'] as const) {
      for (const m of ['A', 'B'] as const) {
        for (const w of ['A', 'B'] as const) {
          const mix = join(dir, `mix-${g}${m}${w}`);
          mkdirSync(mix);
          copyFileSync(join(saves[g], 'model.webnn'), join(mix, 'model.webnn'));
          copyFileSync(join(saves[m], 'model.manifest.json'), join(mix, 'model.manifest.json'));
          copyFileSync(join(saves[w], 'model.weights'), join(mix, 'model.weights'));
          const expected: Outcome = g === m && m === w ? g : 'refused';
          assert.equal(await outcome(mix), expected, `graph ${g}, manifest ${m}, weights ${w}`);
        }
      }
    }
    a.destroy();
    b.destroy();
  });

  test('a save stopped or killed at random points leaves the old graph, the new one, or a refusal; the next save cleans up', async (t) => {
    const work = join(dir, 'live');
    mkdirSync(work);
    const seen: Record<Outcome, number> = { A: 0, B: 0, refused: 0 };
    let rand = 12345;
    const random = () => ((rand = (Math.imul(rand, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const start = (): Promise<ChildProcess> => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/support/save-loop.ts'), work], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      child.once('error', reject);
      child.stdout!.once('data', () => resolve(child));
    });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Crash points: each child is frozen (SIGSTOP) at random moments, the files as they are on disk are copied —
    // exactly what a kill at that moment leaves — and it goes on (SIGCONT); at last it is killed (SIGKILL).
    const CHILDREN = 4;
    const STOPS_PER_CHILD = 5;
    let snapshot = 0;
    for (let c = 0; c < CHILDREN; c++) {
      const child = await start();
      const exited = new Promise((r) => child.once('exit', r));
      try {
        for (let s = 0; s < STOPS_PER_CHILD; s++) {
          await sleep(1 + random() * 40);
          child.kill('SIGSTOP');
          const copy = join(dir, `stop-${snapshot++}`);
          mkdirSync(copy);
          for (const f of readdirSync(work)) copyFileSync(join(work, f), join(copy, f));
          child.kill('SIGCONT');
          seen[await outcome(copy)]++;
        }
        await sleep(1 + random() * 40);
      } finally {
        child.kill('SIGKILL'); // also when an assertion failed: no child outlives the test
        await exited;
      }
      seen[await outcome(work)]++;
    }
    assert.equal(seen.A + seen.B + seen.refused, CHILDREN * (STOPS_PER_CHILD + 1));
    t.diagnostic(`crash points: ${seen.A} gave A, ${seen.B} gave B, ${seen.refused} refused (files of different saves); ${tempsIn(work).length} temporary files left by the killed saves`);
    // The next save over the graph removes what killed saves left behind (their processes are gone).
    const { a, b } = await buildSavePair(ctx);
    writeFileSync(join(work, '.model.weights.999999999-0123abcd.tmp'), 'left by a process that no longer runs');
    saveGraph(b, join(work, 'model.webnn'));
    assert.deepEqual(tempsIn(work), []);
    assert.deepEqual(readdirSync(work).sort(), [...FILES].sort());
    assert.equal(await outcome(work), 'B');
    a.destroy();
    b.destroy();
  });
});
