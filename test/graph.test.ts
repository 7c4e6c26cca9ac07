// The IR (JSON round trip, pruning), float16 conversion and the spec's scalar cast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder } from '../src/index.js';
import { graphInternals } from '../src/api/graph.js';
import { fromJSON, toJSON } from '../src/graph/ir.js';
import { fromFloat16Bits, toFloat16Bits } from '../src/graph/float16.js';
import { castNumber } from '../src/graph/cast.js';

test('IR: build records a pruned graph that survives a JSON round trip', async () => {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  const unused = b.input('unused', { dataType: 'int32', shape: [1] });
  b.neg(unused); // not reachable from the outputs
  const w = b.constant({ dataType: 'float32', shape: [3, 2] }, new Float32Array([1, 2, 3, 4, 5, 6]));
  const y = b.softmax(b.matmul(x, w, { label: 'mm' }), 1);
  const graph = await b.build({ y });
  const ir = graphInternals(graph)!.ir;
  assert.deepEqual(ir.inputs.map((i) => i.name), ['x']);
  assert.deepEqual(ir.nodes.map((n) => n.op), ['matmul', 'softmax']);
  assert.equal(ir.nodes[0]!.label, 'mm');
  assert.deepEqual(ir.nodes[1]!.attrs, { axis: 1 });
  const text = JSON.stringify(toJSON(ir));
  const back = fromJSON(JSON.parse(text));
  assert.deepEqual(back.operands, ir.operands);
  assert.deepEqual(back.nodes, ir.nodes);
  assert.deepEqual([...back.constants.entries()], [...ir.constants.entries()]);
  assert.deepEqual(new Float32Array(back.constants.values().next().value!.buffer), new Float32Array([1, 2, 3, 4, 5, 6]));
  assert.throws(() => fromJSON({ format: 'other' }), /not a tsnn-ir/);
});

test('IR: bigint and non-finite attribute values survive JSON', () => {
  const ir = { operands: [], nodes: [{ id: 0, op: 'clamp', inputs: [], outputs: [], label: '', attrs: { minValue: -(2n ** 63n), maxValue: Infinity } }], constants: new Map(), inputs: [], outputs: [] };
  const back = fromJSON(JSON.parse(JSON.stringify(toJSON(ir))));
  assert.deepEqual(back.nodes[0]!.attrs, { minValue: -(2n ** 63n), maxValue: Infinity });
});

test('float16: conversion rounds to nearest even and handles the specials', () => {
  assert.equal(toFloat16Bits(1), 0x3c00);
  assert.equal(toFloat16Bits(-2), 0xc000);
  assert.equal(toFloat16Bits(65504), 0x7bff);
  assert.equal(toFloat16Bits(65520), 0x7c00); // rounds up to Infinity
  assert.equal(toFloat16Bits(65519), 0x7bff);
  assert.equal(toFloat16Bits(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(toFloat16Bits(2 ** -25), 0x0000); // tie → even (zero)
  assert.equal(toFloat16Bits(3 * 2 ** -25), 0x0002); // tie → even
  assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00); // tie between 1 and 1+2^-10 → even
  assert.equal(toFloat16Bits(1 + 3 * 2 ** -11), 0x3c02);
  assert.equal(toFloat16Bits(-0), 0x8000);
  assert.equal(toFloat16Bits(NaN) & 0x7c00, 0x7c00);
  assert.equal(toFloat16Bits(-Infinity), 0xfc00);
  for (const bits of [0x0001, 0x03ff, 0x0400, 0x3555, 0x7bff, 0xbc00, 0x8001]) assert.equal(toFloat16Bits(fromFloat16Bits(bits)), bits);
  assert.ok(Number.isNaN(fromFloat16Bits(0x7e00)));
});

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
