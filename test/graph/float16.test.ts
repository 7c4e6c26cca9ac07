// float16: conversion to and from bit patterns (ties to even, the specials), and float16 operands end to end.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext, toFloat16Bits, fromFloat16Bits } from '../../src/index.js';
import { context } from '../support/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
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

describe('float16', () => {
  test('toFloat16Bits / fromFloat16Bits round trip', () => {
    assert.equal(toFloat16Bits(1), 0x3c00);
    assert.equal(toFloat16Bits(-2), 0xc000);
    assert.equal(toFloat16Bits(65504), 0x7bff);
    assert.equal(toFloat16Bits(Infinity), 0x7c00);
    assert.equal(toFloat16Bits(2 ** -24), 0x0001);
    for (const v of [0, 0.5, 1.25, -2, 1024, 1025, 65504, 2 ** -14, 2 ** -24]) assert.equal(fromFloat16Bits(toFloat16Bits(v)), v);
    assert.equal(fromFloat16Bits(toFloat16Bits(2049)), 2048); // ties to even
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN))));
  });

  test('a float16 graph computes add with Uint16Array bit patterns', async () => {
    const b = new MLGraphBuilder(ctx);
    const desc = { dataType: 'float16', shape: [5] } as const;
    const x = b.input('x', desc);
    const c = b.constant(desc, Uint16Array.from([0.25, 0.75, 3, 1, 1], toFloat16Bits));
    const sum = b.add(x, c);
    assert.equal(sum.dataType, 'float16');
    const graph = await b.build({ sum });
    const xt = await ctx.createTensor({ ...desc, writable: true });
    const st = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(xt, Uint16Array.from([0.5, 1.25, -2, 1024, 2048], toFloat16Bits));
    ctx.dispatch(graph, { x: xt }, { sum: st });
    const bits = new Uint16Array(await ctx.readTensor(st));
    // 2048 + 1 is not a float16; it rounds (to even) back to 2048.
    assert.deepEqual([...bits].map(fromFloat16Bits), [0.75, 2, 1, 1025, 2048]);
  });

  test('float16 through compute() and cast to float32', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float16', shape: [3] });
    const graph = await b.build({ h: b.add(x, x), f: b.cast(x, 'float32') });
    const r = await ctx.compute(graph, { x: Uint16Array.from([0.1, -3, 60000], toFloat16Bits) });
    assert.ok(r.h!.data instanceof Uint16Array);
    assert.equal(r.h!.dataType, 'float16');
    const tenth = fromFloat16Bits(toFloat16Bits(0.1));
    assert.deepEqual([...r.h!.data as Uint16Array].map(fromFloat16Bits), [2 * tenth, -6, Infinity]);
    assert.deepEqual([...r.f!.data], [tenth, -3, 60000]);
  });
});
