// The spec's cast of an MLNumber to each data type (options and scalar constants go through it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { castNumber } from '../../src/graph/cast.js';

test('cast of MLNumber: clamp to the range, truncate fractions toward zero, NaN → 0 (as the WPT cases and the cast operator)', () => {
  assert.equal(castNumber(2.5, 'int32'), 2);
  assert.equal(castNumber(3.9, 'int32'), 3);
  assert.equal(castNumber(-2.9, 'int8'), -2);
  assert.equal(castNumber(3.9, 'int64'), 3n);
  assert.equal(castNumber(4294967295.7, 'uint32'), 4294967295);
  assert.equal(castNumber(300, 'int8'), 127);
  assert.equal(castNumber(-1, 'uint8'), 0);
  assert.equal(castNumber(NaN, 'uint32'), 0);
  assert.equal(castNumber(2n ** 70n, 'int64'), 2n ** 63n - 1n);
  assert.equal(castNumber(-5, 'uint64'), 0n);
  assert.equal(castNumber(1e40, 'float32'), Infinity);
  assert.equal(castNumber(0.1, 'float32'), Math.fround(0.1));
  assert.equal(castNumber(65520, 'float16'), Infinity);
});
