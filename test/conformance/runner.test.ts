// The conformance runner (conformance/runner.ts) on synthetic WPT-style cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml } from '../../src/index.js';
import { runCase } from '../../conformance/runner.js';
import type { ConformanceCase } from '../../conformance/cases.js';

test('the conformance runner runs WPT-style cases whose descriptors have dynamic dimensions', async () => {
  const context = await ml.createContext();
  const batch = { name: 'batch', maxSize: 5 };
  const c: ConformanceCase = {
    file: 'synthetic',
    name: 'add with a dynamic batch (concrete shapes [2, 3])',
    graph: {
      inputs: {
        a: { data: [1, 2, 3, 4, 5, 6], shape: [2, 3], descriptor: { dataType: 'float32', shape: [batch, 3] } },
        b: { data: [10, 20, 30], descriptor: { dataType: 'float32', shape: [1, 3] }, constant: true },
      },
      operators: [{ name: 'add', arguments: [{ a: 'a' }, { b: 'b' }], outputs: 'y' }],
      expectedOutputs: { y: { data: [11, 22, 33, 14, 25, 36], shape: [2, 3], descriptor: { dataType: 'float32', shape: [batch, 3] } } },
    },
    tolerance: { metricType: 'ULP', value: 0 },
  };
  assert.equal((await runCase(context, c)).status, 'pass');
  c.graph.expectedOutputs.y!.shape = [3, 3];
  const wrong = await runCase(context, c);
  assert.equal(wrong.status, 'fail');
  assert.match(wrong.message!, /concrete shape \[2,3\], expected \[3,3\]/);
});
