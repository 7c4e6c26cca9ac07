// Dimension helpers: derived names are canonical polynomials with their bounds; broadcasting, reduction,
// gather and expand of shapes with dynamic dimensions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDims, broadcastDims, canonicalName, evaluateDim, expandDims, gatherDims, mulDims, productDims, reduceDims, sameDim, sumDims } from '../../src/graph/dims.js';

test('dims helpers: derived names are canonical polynomials with their bounds', () => {
  const s = { name: 'seq', maxSize: 8 };
  const p = { name: 'past', maxSize: 64 };
  assert.deepEqual(addDims(p, s), { name: 'past + seq', maxSize: 72 });
  assert.ok(sameDim(addDims(s, p), addDims(p, s)));
  assert.deepEqual(addDims(p, 1), { name: 'past + 1', maxSize: 65 });
  assert.deepEqual(sumDims([s, p, s, 2]), { name: 'past + 2*seq + 2', maxSize: 82 });
  assert.deepEqual(mulDims(addDims(p, s), 3), { name: '3*past + 3*seq', maxSize: 216 });
  assert.deepEqual(productDims([2, s, s]), { name: '2*seq*seq', maxSize: 128 });
  assert.equal(productDims([2, 3]), 6);
  assert.equal(canonicalName('seq + past'), 'past + seq');
  assert.equal(canonicalName('2*3'), 6);
  assert.throws(() => canonicalName('seq - past'), TypeError);
  assert.equal(evaluateDim({ name: 'past + 2*seq + 2', maxSize: 82 }, new Map([['past', 5], ['seq', 3]])), 13);
  assert.equal(evaluateDim({ name: '2*seq*seq', maxSize: 128 }, new Map([['seq', 0]])), 0);
  assert.deepEqual(broadcastDims([s, 1], [1, 4]), [s, 4]);
  assert.deepEqual(broadcastDims([s], [s]), [s]);
  assert.equal(broadcastDims([s], [p]), undefined);
  assert.equal(broadcastDims([s], [4]), undefined);
  assert.deepEqual(reduceDims([1, s, 4], [1], true), [1, 1, 4]);
  assert.deepEqual(reduceDims([1, s, 4], [2], false), [1, s]);
  assert.deepEqual(gatherDims([p, 4], [1, s], 0), [1, s, 4]);
  assert.deepEqual(expandDims([1, 4], [s, 4]), [s, 4]);
  assert.deepEqual(expandDims([s, 1], [2, s, 4]), [2, s, 4]);
  assert.equal(expandDims([s, 4], [p, 4]), undefined);
});
