// Comparisons, logical connectives, logicalNot, isNaN and isInfinite: uint8 0/1 results of broadcast shapes, NaN
// unordered, any nonzero uint8 true; every data type and rank opSupportLimits() advertises (the uint8 result cast
// back to the input type inside the graph, so the harness reads it as the input type).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DTYPES } from '../../src/graph/dtypes.js';
import { MLGraphBuilder, MLOperand, MLContext, type MLOperandDataType } from '../../src/index.js';
import { typeError, context, run, freshInput } from '../support/index.js';
import { checkAdvertised, map1, zip2, type Case } from '../support/limits.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

const L = { label: 'L1' };

describe('validation', () => {
  for (const op of ['equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser', 'lesserOrEqual'] as const) {
    test(`${op}: same data type, broadcastable shapes, uint8 output`, () => {
      const b = new MLGraphBuilder(ctx);
      assert.throws(() => b[op](freshInput(b, 'float32', [2]), freshInput(b, 'int32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: a \\(float32\\) and b \\(int32\\) must have the same data type`)));
      assert.throws(() => b[op](freshInput(b, 'int8', [2, 3]), freshInput(b, 'int8', [4]), L), typeError(new RegExp(`^${op} \\[L1\\]: shapes \\[2, 3\\] and \\[4\\] are not broadcastable`)));
      assert.throws(() => b[op](freshInput(b, 'int8', [2]), undefined as unknown as MLOperand, L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'b' is required`)));
      const y = b[op](freshInput(b, 'uint64', [2, 1, 3]), freshInput(b, 'uint64', [4, 1]));
      assert.deepEqual([y.dataType, y.shape], ['uint8', [2, 4, 3]]);
      const s = b[op](freshInput(b, 'float16', []), freshInput(b, 'float16', []));
      assert.deepEqual([s.dataType, s.shape], ['uint8', []]);
    });
  }

  for (const op of ['logicalAnd', 'logicalOr', 'logicalXor'] as const) {
    test(`${op}: uint8 operands only, broadcastable shapes`, () => {
      const b = new MLGraphBuilder(ctx);
      assert.throws(() => b[op](freshInput(b, 'float32', [2]), freshInput(b, 'float32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'a' has data type float32, which is not one of the supported types \\(uint8\\)`)));
      assert.throws(() => b[op](freshInput(b, 'uint8', [2]), freshInput(b, 'int8', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'b' has data type int8`)));
      assert.throws(() => b[op](freshInput(b, 'uint8', [3]), freshInput(b, 'uint8', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: shapes \\[3\\] and \\[2\\] are not broadcastable`)));
      assert.deepEqual(b[op](freshInput(b, 'uint8', [3, 1]), freshInput(b, 'uint8', [2])).shape, [3, 2]);
    });
  }

  test('logicalNot takes uint8; isNaN and isInfinite take floats; all give uint8 of the input shape', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.logicalNot(freshInput(b, 'int32', [2]), L), typeError(/^logicalNot \[L1\]: 'a' has data type int32, which is not one of the supported types \(uint8\)/));
    for (const op of ['isNaN', 'isInfinite'] as const) {
      assert.throws(() => b[op](freshInput(b, 'int32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'a' has data type int32, which is not one of the supported types \\(float32, float16\\)`)));
      const y = b[op](freshInput(b, 'float16', [2, 5]));
      assert.deepEqual([y.dataType, y.shape], ['uint8', [2, 5]]);
    }
    assert.deepEqual(b.logicalNot(freshInput(b, 'uint8', [])).shape, []);
  });
});

describe('values', () => {
  test('comparisons give 0/1 uint8 with NaN unordered, and broadcast', async () => {
    const a = { dataType: 'float32' as const, shape: [4], values: [NaN, NaN, 1, 2] };
    const c = { dataType: 'float32' as const, shape: [4], values: [NaN, 1, 1, 1] };
    const expect = { equal: [0, 0, 1, 0], notEqual: [1, 1, 0, 1], greater: [0, 0, 0, 1], greaterOrEqual: [0, 0, 1, 1], lesser: [0, 0, 0, 0], lesserOrEqual: [0, 0, 1, 0] };
    for (const [op, want] of Object.entries(expect) as [keyof typeof expect, number[]][]) {
      const r = await run([a, c], (b, x, y) => {
        const out = b[op](x!, y!);
        assert.equal(out.dataType, 'uint8', op);
        return out;
      });
      assert.deepEqual(r.data, want, op);
    }
    const row = { dataType: 'int64' as const, shape: [1, 3], values: [-(2n ** 63n), 0n, 2n ** 63n - 1n] };
    const col = { dataType: 'int64' as const, shape: [2, 1], values: [0n, 2n ** 63n - 1n] };
    const g = await run([row, col], (b, x, y) => b.greaterOrEqual(x!, y!));
    assert.deepEqual([g.shape, g.data], [[2, 3], [0, 1, 1, 0, 0, 1]]);
    const s = await run([{ dataType: 'uint32', shape: [], values: [4294967295] }, { dataType: 'uint32', shape: [3], values: [0, 4294967295, 7] }], (b, x, y) => b.lesser(y!, x!));
    assert.deepEqual([s.shape, s.data], [[3], [1, 0, 1]]);
  });

  test('logical ops treat any nonzero uint8 as true and give 0/1', async () => {
    const a = { dataType: 'uint8' as const, shape: [4], values: [0, 0, 2, 255] };
    const c = { dataType: 'uint8' as const, shape: [4], values: [0, 7, 0, 128] };
    assert.deepEqual((await run([a, c], (b, x, y) => b.logicalAnd(x!, y!))).data, [0, 0, 0, 1]);
    assert.deepEqual((await run([a, c], (b, x, y) => b.logicalOr(x!, y!))).data, [0, 1, 1, 1]);
    assert.deepEqual((await run([a, c], (b, x, y) => b.logicalXor(x!, y!))).data, [0, 1, 1, 0]);
    assert.deepEqual((await run([a], (b, x) => b.logicalNot(x!))).data, [1, 1, 0, 0]);
    const scalar = await run([{ dataType: 'uint8', shape: [], values: [3] }, c], (b, x, y) => b.logicalAnd(x!, y!));
    assert.deepEqual(scalar.data, [0, 1, 0, 1]);
  });

  test('isNaN and isInfinite on float32 and float16', async () => {
    for (const t of ['float32', 'float16'] as const) {
      const x = { dataType: t, shape: [5], values: [NaN, Infinity, -Infinity, 65504, -0] };
      assert.deepEqual((await run([x], (b, v) => b.isNaN(v!))).data, [1, 0, 0, 0, 0], `isNaN ${t}`);
      assert.deepEqual((await run([x], (b, v) => b.isInfinite(v!))).data, [0, 1, 1, 0, 0], `isInfinite ${t}`);
    }
  });
});

const bit = (v: boolean) => (v ? 1 : 0);

/** Small values for two operands that sometimes coincide (element 0 is 0 in both). */
const pairs = (i: number, arg: number, t: MLOperandDataType) => {
  const v = (i * (arg + 1)) % 5;
  return DTYPES[t].signed ? v - 2 : v;
};
const flag = (i: number, arg: number) => ((i + arg) % 3) * (arg + 1); // 0, or a nonzero "true" of varying value

type Build = (b: MLGraphBuilder, xs: MLOperand[], t: MLOperandDataType) => MLOperand;

/** A predicate: its uint8 result cast back to the input type. */
const predicate = (inputs: number, call: Build, ref: (xs: number[][]) => number[], values: Case['values']): Case => ({
  inputs, values, ref, param: 'a', call: (b, xs, t) => b.cast(call(b, xs, t), t),
});
const compare = (name: 'equal' | 'notEqual' | 'greater' | 'greaterOrEqual' | 'lesser' | 'lesserOrEqual', f: (a: number, b: number) => boolean) =>
  predicate(2, (b, [x, y]) => b[name](x!, y!), zip2((a, c) => bit(f(a, c))), pairs);
const connective = (name: 'logicalAnd' | 'logicalOr' | 'logicalXor', f: (a: boolean, b: boolean) => boolean): Case => ({
  inputs: 2, values: flag, param: 'a', call: (b, [x, y]) => b[name](x!, y!), ref: zip2((a, c) => bit(f(a !== 0, c !== 0))),
});

const specials = [NaN, Infinity, -Infinity, 1.5, 0, -2];

const advertised: Record<string, Case> = {
  equal: compare('equal', (a, b) => a === b),
  notEqual: compare('notEqual', (a, b) => a !== b),
  greater: compare('greater', (a, b) => a > b),
  greaterOrEqual: compare('greaterOrEqual', (a, b) => a >= b),
  lesser: compare('lesser', (a, b) => a < b),
  lesserOrEqual: compare('lesserOrEqual', (a, b) => a <= b),
  logicalAnd: connective('logicalAnd', (a, b) => a && b),
  logicalOr: connective('logicalOr', (a, b) => a || b),
  logicalXor: connective('logicalXor', (a, b) => a !== b),
  logicalNot: { inputs: 1, values: flag, param: 'a', call: (b, [x]) => b.logicalNot(x!), ref: map1((a) => bit(a === 0)) },
  isNaN: predicate(1, (b, [x]) => b.isNaN(x!), map1((a) => bit(Number.isNaN(a))), (i) => specials[i % 6]!),
  isInfinite: predicate(1, (b, [x]) => b.isInfinite(x!), map1((a) => bit(Math.abs(a) === Infinity)), (i) => specials[i % 6]!),
};

test('every data type and rank opSupportLimits() advertises for the logical operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});
