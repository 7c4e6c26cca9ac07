// gru, gruCell, lstm, lstmCell: the spec's validation (TypeError naming the operator and its label), the outputs'
// number and shapes, opSupportLimits(), and values against a plain-JS reference of the spec's formulas over
// every option (both directions, layouts, peepholes, initial states, resetAfter, activations, float16).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, type MLContext, type MLOperandDataType } from '../../src/index.js';
import type { MLRecurrentNetworkActivation as Act } from '../../src/index.js';
import { assertClose, context, desc, f16, f32, i64, roundToFloat16, runGraphs, typeError, type Feed } from '../support/index.js';
import { MAX_ULONG, bad, validationTable, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

// ---- validation --------------------------------------------------------------------------------------------------

describe('gru validation', () => {
  // steps 2, batch 3, inputSize 4, hiddenSize 5, one direction.
  const make = () => {
    const b = new MLGraphBuilder(ctx);
    return { b, x: b.input('x', f32(2, 3, 4)), w: b.input('w', f32(1, 15, 4)), r: b.input('r', f32(1, 15, 5)) };
  };

  test('a valid call returns one operand, two with returnSequence', () => {
    const { b, x, w, r } = make();
    assert.deepEqual(b.gru(x, w, r, 2, 5).map((o) => o.shape), [[1, 3, 5]]);
    assert.deepEqual(b.gru(x, w, r, 2, 5, { returnSequence: true }).map((o) => o.shape), [[1, 3, 5], [2, 1, 3, 5]]);
  });

  test('wrong weight and recurrentWeight shapes', () => {
    const { b, x, r } = make();
    const w = b.input('w2', f32(1, 12, 4));
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'g1' }), typeError(/^gru \[g1\]: 'weight' has shape \[1, ?12, ?4\], expected \[1, ?15, ?4\]/));
    const { b: b2, x: x2, w: w2 } = make();
    const r2 = b2.input('r2', f32(1, 15, 4));
    assert.throws(() => b2.gru(x2, w2, r2, 2, 5, { label: 'g2' }), typeError(/^gru \[g2\]: 'recurrentWeight' has shape/));
  });

  test('bad steps', () => {
    const { b, x, w, r } = make();
    assert.throws(() => b.gru(x, w, r, 3, 5, { label: 'L' }), typeError(/^gru \[L\]: input's first dimension \(2.*must equal steps 3/));
    assert.throws(() => b.gru(x, w, r, 0, 5, { label: 'L' }), typeError(/^gru \[L\]: steps must be greater than 0/));
    assert.throws(() => b.gru(x, w, r, -1, 5, { label: 'L' }), typeError(/^gru \[L\]: steps -1 is out of the unsigned long range/));
  });

  test('mismatched hiddenSize', () => {
    const { b, x, w, r } = make();
    assert.throws(() => b.gru(x, w, r, 2, 4, { label: 'h' }), typeError(/^gru \[h\]: 'weight' has shape \[1, ?15, ?4\], expected \[1, ?12, ?4\]/));
  });

  test('wrong activation count and unknown activation', () => {
    const { b, x, w, r } = make();
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'a', activations: ['sigmoid', 'tanh', 'tanh'] }),
      typeError(/^gru \[a\]: activations must have 2 entries, got 3/));
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'a', activations: ['sigmoid', 'gelu' as Act] }),
      typeError(/^gru \[a\]: activations\[1\] 'gelu' is not one of relu, sigmoid, tanh/));
  });

  test('bad direction and layout', () => {
    const { b, x, w, r } = make();
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'd', direction: 'sideways' as 'both' }), typeError(/^gru \[d\]: direction 'sideways' is not one of forward, backward, both/));
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'l', layout: 'iofg' as 'zrn' }), typeError(/^gru \[l\]: layout 'iofg' is not one of zrn, rzn/));
    // direction 'both' needs two directions of weights.
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'd', direction: 'both' }), typeError(/^gru \[d\]: 'weight' has shape \[1, ?15, ?4\], expected \[2, ?15, ?4\]/));
  });

  test('wrong bias, recurrentBias and initialHiddenState', () => {
    const { b, x, w, r } = make();
    const bias = b.input('b', f32(1, 12));
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'b', bias }), typeError(/^gru \[b\]: 'bias' has shape \[1, ?12\], expected \[1, ?15\]/));
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'b', recurrentBias: bias }), typeError(/^gru \[b\]: 'recurrentBias' has shape/));
    const h0 = b.input('h0', f32(1, 2, 5));
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'b', initialHiddenState: h0 }), typeError(/^gru \[b\]: 'initialHiddenState' has shape \[1, ?2, ?5\], expected \[1, ?3, ?5\]/));
    const bias3 = b.input('b3', f32(1, 1, 15));
    assert.throws(() => b.gru(x, w, r, 2, 5, { label: 'b', bias: bias3 }), typeError(/^gru \[b\]: 'bias' has rank 3, outside the supported range 2 to 2/));
  });

  test('data types: int32 rejected, mixed float types rejected', () => {
    const b = new MLGraphBuilder(ctx);
    const xi = b.input('xi', { dataType: 'int32', shape: [2, 3, 4] });
    const w = b.input('w', f32(1, 15, 4));
    const r = b.input('r', f32(1, 15, 5));
    assert.throws(() => b.gru(xi, w, r, 2, 5), typeError(/^gru: 'input' has data type int32, which is not one of the supported types/));
    const x16 = b.input('x16', { dataType: 'float16', shape: [2, 3, 4] });
    assert.throws(() => b.gru(x16, w, r, 2, 5, { label: 't' }), typeError(/^gru \[t\]: 'weight' has data type float32, but input has float16/));
  });
});

describe('gruCell validation', () => {
  const make = () => {
    const b = new MLGraphBuilder(ctx);
    return { b, x: b.input('x', f32(3, 4)), w: b.input('w', f32(15, 4)), r: b.input('r', f32(15, 5)), h: b.input('h', f32(3, 5)) };
  };

  test('a valid call returns one operand', () => {
    const { b, x, w, r, h } = make();
    assert.deepEqual(b.gruCell(x, w, r, h, 5).shape, [3, 5]);
  });

  test('wrong weight shape, mismatched hiddenSize, wrong hiddenState', () => {
    const { b, x, r, h } = make();
    const w = b.input('w2', f32(15, 3));
    assert.throws(() => b.gruCell(x, w, r, h, 5, { label: 'c' }), typeError(/^gruCell \[c\]: 'weight' has shape \[15, ?3\], expected \[15, ?4\]/));
    const m = make();
    assert.throws(() => m.b.gruCell(m.x, m.w, m.r, m.h, 6, { label: 'c' }), typeError(/^gruCell \[c\]: 'weight' has shape \[15, ?4\], expected \[18, ?4\]/));
    const h2 = m.b.input('h2', f32(2, 5));
    assert.throws(() => m.b.gruCell(m.x, m.w, m.r, h2, 5, { label: 'c' }), typeError(/^gruCell \[c\]: 'hiddenState' has shape \[2, ?5\], expected \[3, ?5\]/));
    const x3 = m.b.input('x3', f32(1, 3, 4));
    assert.throws(() => m.b.gruCell(x3, m.w, m.r, m.h, 5, { label: 'c' }), typeError(/^gruCell \[c\]: 'input' has rank 3, outside the supported range 2 to 2/));
  });

  test('activations and layout', () => {
    const { b, x, w, r, h } = make();
    assert.throws(() => b.gruCell(x, w, r, h, 5, { label: 'c', activations: ['relu'] }), typeError(/^gruCell \[c\]: activations must have 2 entries, got 1/));
    assert.throws(() => b.gruCell(x, w, r, h, 5, { label: 'c', layout: 'zzz' as 'zrn' }), typeError(/^gruCell \[c\]: layout 'zzz' is not one of zrn, rzn/));
  });

  test('bias shape', () => {
    const { b, x, w, r, h } = make();
    const bias = b.input('b', f32(10));
    assert.throws(() => b.gruCell(x, w, r, h, 5, { label: 'c', recurrentBias: bias }), typeError(/^gruCell \[c\]: 'recurrentBias' has shape \[10\], expected \[15\]/));
  });
});

describe('lstm validation', () => {
  // steps 2, batch 3, inputSize 4, hiddenSize 5, two directions.
  const make = () => {
    const b = new MLGraphBuilder(ctx);
    return { b, x: b.input('x', f32(2, 3, 4)), w: b.input('w', f32(2, 20, 4)), r: b.input('r', f32(2, 20, 5)) };
  };
  const both = { direction: 'both' as const };

  test('a valid call returns two operands, three with returnSequence', () => {
    const { b, x, w, r } = make();
    assert.deepEqual(b.lstm(x, w, r, 2, 5, both).map((o) => o.shape), [[2, 3, 5], [2, 3, 5]]);
    assert.deepEqual(b.lstm(x, w, r, 2, 5, { ...both, returnSequence: true }).map((o) => o.shape), [[2, 3, 5], [2, 3, 5], [2, 2, 3, 5]]);
  });

  test('wrong weight shape and numDirections', () => {
    const { b, x, w, r } = make();
    assert.throws(() => b.lstm(x, w, r, 2, 5, { label: 'n' }), typeError(/^lstm \[n\]: 'weight' has shape \[2, ?20, ?4\], expected \[1, ?20, ?4\]/));
    const w2 = b.input('w2', f32(2, 15, 4));
    assert.throws(() => b.lstm(x, w2, r, 2, 5, { ...both, label: 'n' }), typeError(/^lstm \[n\]: 'weight' has shape \[2, ?15, ?4\], expected \[2, ?20, ?4\]/));
  });

  test('bad steps and mismatched hiddenSize', () => {
    const { b, x, w, r } = make();
    assert.throws(() => b.lstm(x, w, r, 0, 5, { ...both, label: 's' }), typeError(/^lstm \[s\]: steps must be greater than 0/));
    assert.throws(() => b.lstm(x, w, r, 1, 5, { ...both, label: 's' }), typeError(/^lstm \[s\]: input's first dimension \(2.*must equal steps 1/));
    assert.throws(() => b.lstm(x, w, r, 2, 4, { ...both, label: 's' }), typeError(/^lstm \[s\]: 'weight' has shape \[2, ?20, ?4\], expected \[2, ?16, ?4\]/));
  });

  test('wrong activation count, bad direction and layout', () => {
    const { b, x, w, r } = make();
    assert.throws(() => b.lstm(x, w, r, 2, 5, { ...both, label: 'a', activations: ['sigmoid', 'tanh'] }), typeError(/^lstm \[a\]: activations must have 3 entries, got 2/));
    assert.throws(() => b.lstm(x, w, r, 2, 5, { label: 'a', direction: 'up' as 'both' }), typeError(/^lstm \[a\]: direction 'up' is not one of forward, backward, both/));
    assert.throws(() => b.lstm(x, w, r, 2, 5, { ...both, label: 'a', layout: 'zrn' as 'iofg' }), typeError(/^lstm \[a\]: layout 'zrn' is not one of iofg, ifgo/));
  });

  test('wrong peepholeWeight, initialCellState and bias', () => {
    const { b, x, w, r } = make();
    const p = b.input('p', f32(2, 20));
    assert.throws(() => b.lstm(x, w, r, 2, 5, { ...both, label: 'p', peepholeWeight: p }), typeError(/^lstm \[p\]: 'peepholeWeight' has shape \[2, ?20\], expected \[2, ?15\]/));
    const c0 = b.input('c0', f32(1, 3, 5));
    assert.throws(() => b.lstm(x, w, r, 2, 5, { ...both, label: 'p', initialCellState: c0 }), typeError(/^lstm \[p\]: 'initialCellState' has shape \[1, ?3, ?5\], expected \[2, ?3, ?5\]/));
    const bias = b.input('b16', { dataType: 'float16', shape: [2, 20] });
    assert.throws(() => b.lstm(x, w, r, 2, 5, { ...both, label: 'p', bias }), typeError(/^lstm \[p\]: 'bias' has data type float16, but input has float32/));
  });
});

describe('lstmCell validation', () => {
  const make = () => {
    const b = new MLGraphBuilder(ctx);
    return {
      b, x: b.input('x', f32(3, 4)), w: b.input('w', f32(20, 4)), r: b.input('r', f32(20, 5)),
      h: b.input('h', f32(3, 5)), c: b.input('c', f32(3, 5)),
    };
  };

  test('a valid call returns two operands', () => {
    const { b, x, w, r, h, c } = make();
    assert.deepEqual(b.lstmCell(x, w, r, h, c, 5).map((o) => o.shape), [[3, 5], [3, 5]]);
  });

  test('wrong weight shape, mismatched hiddenSize, wrong cellState', () => {
    const { b, x, r, h, c } = make();
    const w = b.input('w2', f32(16, 4));
    assert.throws(() => b.lstmCell(x, w, r, h, c, 5, { label: 'k' }), typeError(/^lstmCell \[k\]: 'weight' has shape \[16, ?4\], expected \[20, ?4\]/));
    const m = make();
    assert.throws(() => m.b.lstmCell(m.x, m.w, m.r, m.h, m.c, 4, { label: 'k' }), typeError(/^lstmCell \[k\]: 'weight' has shape \[20, ?4\], expected \[16, ?4\]/));
    const c2 = m.b.input('c2', f32(3, 4));
    assert.throws(() => m.b.lstmCell(m.x, m.w, m.r, m.h, c2, 5, { label: 'k' }), typeError(/^lstmCell \[k\]: 'cellState' has shape \[3, ?4\], expected \[3, ?5\]/));
  });

  test('activations, layout, peepholeWeight', () => {
    const { b, x, w, r, h, c } = make();
    assert.throws(() => b.lstmCell(x, w, r, h, c, 5, { label: 'k', activations: ['relu', 'relu', 'relu', 'relu'] }), typeError(/^lstmCell \[k\]: activations must have 3 entries, got 4/));
    assert.throws(() => b.lstmCell(x, w, r, h, c, 5, { label: 'k', activations: 'relu' as unknown as Act[] }), typeError(/^lstmCell \[k\]: activations must be a sequence/));
    assert.throws(() => b.lstmCell(x, w, r, h, c, 5, { label: 'k', layout: 'rzn' as 'iofg' }), typeError(/^lstmCell \[k\]: layout 'rzn' is not one of iofg, ifgo/));
    const p = b.input('p', f32(20));
    assert.throws(() => b.lstmCell(x, w, r, h, c, 5, { label: 'k', peepholeWeight: p }), typeError(/^lstmCell \[k\]: 'peepholeWeight' has shape \[20\], expected \[15\]/));
  });
});

describe('opSupportLimits', () => {
  test('every parameter and output: float32 and float16 at its one rank', () => {
    const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, { dataTypes: string[]; rankRange: { min: number; max: number } }>>;
    const ranks: Record<string, Record<string, number>> = {
      gru: { input: 3, weight: 3, recurrentWeight: 3, bias: 2, recurrentBias: 2, initialHiddenState: 3, output0: 3, output1: 4 },
      gruCell: { input: 2, weight: 2, recurrentWeight: 2, hiddenState: 2, bias: 1, recurrentBias: 1, output: 2 },
      lstm: {
        input: 3, weight: 3, recurrentWeight: 3, bias: 2, recurrentBias: 2, peepholeWeight: 2, initialHiddenState: 3,
        initialCellState: 3, output0: 3, output1: 3, output2: 4,
      },
      lstmCell: {
        input: 2, weight: 2, recurrentWeight: 2, hiddenState: 2, cellState: 2, bias: 1, recurrentBias: 1, peepholeWeight: 1,
        output0: 2, output1: 2,
      },
    };
    for (const [op, params] of Object.entries(ranks)) {
      assert.deepEqual(Object.keys(limits[op]!).sort(), Object.keys(params).sort(), op);
      for (const [param, rank] of Object.entries(params)) {
        assert.deepEqual(limits[op]![param], { dataTypes: ['float32', 'float16'], rankRange: { min: rank, max: rank } }, `${op}.${param}`);
      }
    }
  });
});

// Recurrent networks: steps 2, batch 3, input 4, hidden 5.
const [S, B, I, H] = [2, 3, 4, 5];
const gruArgs = (t1: MLOperandDataType = 'float32', o: Record<string, unknown> = {}, w = [1, 3 * H, I], r = [1, 3 * H, H], x = [S, B, I], steps = S, hidden = H) =>
  [desc(t1, x), desc(t1, w), desc(t1, r), steps, hidden, o];
const cellArgs = (gates: number, t1: MLOperandDataType = 'float32', o: Record<string, unknown> = {}, shapes: Partial<Record<'x' | 'w' | 'r' | 'h' | 'c', number[]>> = {}, hidden = H) => [
  desc(t1, shapes.x ?? [B, I]), desc(t1, shapes.w ?? [gates * H, I]), desc(t1, shapes.r ?? [gates * H, H]), desc(t1, shapes.h ?? [B, H]),
  ...(gates === 4 ? [desc(t1, shapes.c ?? [B, H])] : []), hidden, o,
];
const table: WptCase[] = [
  { op: 'gru', args: gruArgs(), out: [['float32', [1, B, H]]] },
  {
    op: 'gru',
    args: gruArgs('float32', { bias: f32(2, 3 * H), recurrentBias: f32(2, 3 * H), initialHiddenState: f32(2, B, H), resetAfter: true, returnSequence: true, direction: 'both', layout: 'rzn', activations: ['sigmoid', 'relu'] }, [2, 3 * H, I], [2, 3 * H, H]),
    out: [['float32', [2, B, H]], ['float32', [S, 2, B, H]]],
  },
  bad('gru', gruArgs('float32', {}, [1, 4 * H, I], [1, 4 * H, H], [S, B, I], 0)),
  bad('gru', gruArgs('float32', {}, undefined, undefined, undefined, S, 0)),
  bad('gru', gruArgs('float32', {}, undefined, undefined, undefined, S, MAX_ULONG)),
  bad('gru', gruArgs('uint32')),
  bad('gru', gruArgs('float32', {}, undefined, undefined, [S, B])),
  bad('gru', gruArgs('float32', {}, undefined, undefined, [1000, B, I])),
  bad('gru', gruArgs('float32', {}, [1, 4 * H, I])),
  bad('gru', gruArgs('float32', {}, undefined, [1, 3 * H])),
  bad('gru', gruArgs('float32', {}, undefined, [1, 4 * H, I])),
  bad('gru', gruArgs('float32', { activations: ['sigmoid', 'tanh', 'relu'] })),
  bad('gru', gruArgs('float32', { activations: ['sigmoid', 'gelu'] })),
  bad('gru', gruArgs('float32', { bias: f32(1) })),
  bad('gru', gruArgs('float32', { bias: f32(1, H) })),
  bad('gru', gruArgs('float16', { recurrentBias: f16(1, 4 * H) })),
  bad('gru', gruArgs('float16', { initialHiddenState: f16(1, B) })),
  bad('gru', gruArgs('float16', { initialHiddenState: f16(1, B, 3 * H) })),
  bad('gru', gruArgs('float16', { initialHiddenState: desc('uint64', [1, B, H]) })),
  bad('gru', gruArgs('float32', { direction: 'both' }), 'weight has 1 direction'),
  bad('gru', gruArgs('float32', { layout: 'ifgo' })),
  { op: 'gruCell', args: cellArgs(3, 'float16'), out: ['float16', [B, H]] },
  { op: 'gruCell', args: cellArgs(3, 'float32', { bias: f32(3 * H), recurrentBias: f32(3 * H), resetAfter: false, layout: 'rzn', activations: ['sigmoid', 'relu'] }), out: ['float32', [B, H]] },
  bad('gruCell', cellArgs(3, 'float32', {}, {}, 0)),
  bad('gruCell', cellArgs(3, 'float32', {}, {}, MAX_ULONG)),
  bad('gruCell', cellArgs(3, 'uint32')),
  bad('gruCell', cellArgs(3, 'float32', {}, { x: [B] })),
  bad('gruCell', cellArgs(3, 'float32', {}, { x: [B, 1000] })),
  bad('gruCell', cellArgs(3, 'float32', {}, { w: [1000, I] })),
  bad('gruCell', cellArgs(3, 'float32', {}, { r: [1000, H] })),
  bad('gruCell', cellArgs(3, 'float32', {}, { h: [B, 1000] })),
  bad('gruCell', cellArgs(3, 'float32', { bias: f32(4 * H) })),
  bad('gruCell', cellArgs(3, 'float32', { recurrentBias: f32(1, 3 * H) })),
  bad('gruCell', cellArgs(3, 'float32', { activations: ['sigmoid'] })),
  { op: 'lstm', args: [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), S, H], out: [['float32', [1, B, H]], ['float32', [1, B, H]]] },
  {
    op: 'lstm',
    args: [f32(S, B, I), f32(2, 4 * H, I), f32(2, 4 * H, H), S, H, { bias: f32(2, 4 * H), recurrentBias: f32(2, 4 * H), peepholeWeight: f32(2, 3 * H), initialHiddenState: f32(2, B, H), initialCellState: f32(2, B, H), returnSequence: true, direction: 'both', layout: 'ifgo', activations: ['sigmoid', 'relu', 'tanh'] }],
    out: [['float32', [2, B, H]], ['float32', [2, B, H]], ['float32', [S, 2, B, H]]],
  },
  bad('lstm', [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), 0, H]),
  bad('lstm', [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), S, 0]),
  bad('lstm', [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), S, MAX_ULONG]),
  bad('lstm', [desc('uint32', [S, B, I]), f32(1, 4 * H, I), f32(1, 4 * H, H), S, H]),
  bad('lstm', [f32(S, B, I), f32(1, 3 * H, I), f32(1, 4 * H, H), S, H]),
  bad('lstm', [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), S, H, { peepholeWeight: f32(1, 4 * H) }]),
  bad('lstm', [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), S, H, { initialCellState: f32(1, B, 2 * H) }]),
  bad('lstm', [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), S, H, { activations: ['sigmoid', 'tanh'] }]),
  bad('lstm', [f32(S, B, I), f32(1, 4 * H, I), f32(1, 4 * H, H), S, H, { layout: 'zrn' }]),
  { op: 'lstmCell', args: cellArgs(4, 'float16'), out: [['float16', [B, H]], ['float16', [B, H]]] },
  { op: 'lstmCell', args: cellArgs(4, 'float32', { bias: f32(4 * H), recurrentBias: f32(4 * H), peepholeWeight: f32(3 * H), layout: 'ifgo', activations: ['sigmoid', 'relu', 'tanh'] }), out: [['float32', [B, H]], ['float32', [B, H]]] },
  bad('lstmCell', cellArgs(4, 'float32', {}, {}, 0)),
  bad('lstmCell', cellArgs(4, 'float32', {}, {}, MAX_ULONG)),
  bad('lstmCell', [desc('uint32', [B, I]), f32(4 * H, I), f32(4 * H, H), f32(B, H), f32(B, H), H]),
  bad('lstmCell', cellArgs(4, 'float32', {}, { x: [B] })),
  bad('lstmCell', cellArgs(4, 'float32', {}, { x: [B, 1000] })),
  bad('lstmCell', [f32(B, I), f16(4 * H, I), f32(4 * H, H), f32(B, H), f32(B, H), H]),
  bad('lstmCell', cellArgs(4, 'float32', {}, { w: [4 * H, I, 1000] })),
  bad('lstmCell', cellArgs(4, 'float32', {}, { w: [1000, I] })),
  bad('lstmCell', [f32(B, I), f32(4 * H, I), f16(4 * H, H), f32(B, H), f32(B, H), H]),
  bad('lstmCell', cellArgs(4, 'float32', {}, { r: [1000, 4 * H, H] })),
  bad('lstmCell', cellArgs(4, 'float32', {}, { r: [1000, H] })),
  bad('lstmCell', [f16(B, I), f16(4 * H, I), f16(4 * H, H), i64(B, H), f16(B, H), H]),
  bad('lstmCell', cellArgs(4, 'float32', {}, { h: [B] })),
  bad('lstmCell', cellArgs(4, 'float32', {}, { h: [B, 1000] })),
  bad('lstmCell', [f16(B, I), f16(4 * H, I), f16(4 * H, H), f16(B, H), f32(B, H), H]),
  bad('lstmCell', cellArgs(4, 'float32', {}, { c: [B, 1000] })),
  bad('lstmCell', cellArgs(4, 'float32', { bias: f32(3 * H) })),
  bad('lstmCell', cellArgs(4, 'float32', { recurrentBias: f16(4 * H) })),
  bad('lstmCell', cellArgs(4, 'float32', { peepholeWeight: f32(4 * H) })),
  bad('lstmCell', cellArgs(4, 'float32', { activations: ['sigmoid', 'relu'] })),
];
validationTable('recurrent', table);

// ---- values ------------------------------------------------------------------------------------------------------

type Dir = 'forward' | 'backward' | 'both';
const ACT: Record<Act, (x: number) => number> = { relu: (x) => Math.max(0, x), sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh };

/** Deterministic values in [-scale, scale). */
function values(n: number, seed: number, scale = 1): number[] {
  let s = seed * 7919 + 1;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 * 2 - 1) * scale;
  });
}

/** Row `row` of the row-major matrix m (cols wide) dotted with v. */
const dot = (m: number[], row: number, v: number[]) => v.reduce((acc, x, j) => acc + m[row * v.length + j]! * x, 0);

interface Params {
  W: number[]; R: number[]; B?: number[]; RB?: number[]; P?: number[];
  hidden: number; layout: string; activations: Act[]; resetAfter?: boolean;
}

/** Gate `gate`'s pre-activation for one batch row, j-th hidden unit (layout names the packing order). */
function pre(p: Params, gate: string, j: number, x: number[], h: number[]): number {
  const row = p.layout.indexOf(gate) * p.hidden + j;
  return (p.B?.[row] ?? 0) + (p.RB?.[row] ?? 0) + dot(p.W, row, x) + dot(p.R, row, h);
}

function gruCellRef(p: Params, x: number[], h: number[]): number[] {
  const [f, g] = p.activations.map((a) => ACT[a]) as [(x: number) => number, (x: number) => number];
  const H = p.hidden;
  const r = Array.from({ length: H }, (_, j) => f(pre(p, 'r', j, x, h)));
  return Array.from({ length: H }, (_, j) => {
    const z = f(pre(p, 'z', j, x, h));
    const row = p.layout.indexOf('n') * H + j;
    const n = p.resetAfter ?? true
      ? g((p.B?.[row] ?? 0) + dot(p.W, row, x) + r[j]! * ((p.RB?.[row] ?? 0) + dot(p.R, row, h)))
      : g((p.B?.[row] ?? 0) + (p.RB?.[row] ?? 0) + dot(p.W, row, x) + dot(p.R, row, h.map((v, k) => v * r[k]!)));
    return z * h[j]! + (1 - z) * n;
  });
}

function lstmCellRef(p: Params, x: number[], h: number[], c: number[]): [number[], number[]] {
  const [f, g, k] = p.activations.map((a) => ACT[a]) as [(x: number) => number, (x: number) => number, (x: number) => number];
  const H = p.hidden;
  const peep = (gate: number, j: number) => (p.P?.[gate * H + j] ?? 0) * c[j]!; // packed i, o, f
  const ct = Array.from({ length: H }, (_, j) =>
    f(peep(2, j) + pre(p, 'f', j, x, h)) * c[j]! + f(peep(0, j) + pre(p, 'i', j, x, h)) * g(pre(p, 'g', j, x, h)));
  const ht = ct.map((cj, j) => f(peep(1, j) + pre(p, 'o', j, x, h)) * k(cj));
  return [ht, ct];
}

const rows = (flat: number[], width: number) => Array.from({ length: flat.length / width }, (_, i) => flat.slice(i * width, (i + 1) * width));

/**
 * A network over `steps`: per direction d, `cell(d, x, states)` advances the states of every batch row.
 * Returns the final states ([dirs][batch][hidden] flattened each) and the sequence [steps][dirs][batch][hidden].
 */
function networkRef(steps: number, dirs: number, direction: Dir, xs: number[][][], init: number[][][],
  cell: (d: number, x: number[], states: number[][]) => number[][]): { finals: number[][]; sequence: number[] } {
  const finals: number[][] = init.map(() => []);
  const seq: number[][][] = Array.from({ length: steps }, () => []);
  for (let d = 0; d < dirs; d++) {
    let states = init.map((s) => s[d]!); // per state: batch rows flattened later
    const batch = xs[0]!.length;
    let perRow: number[][][] = Array.from({ length: batch }, (_, b) => states.map((s) => s.slice(b * s.length / batch, (b + 1) * s.length / batch)));
    for (let s = 0; s < steps; s++) {
      const t = direction === 'backward' || d === 1 ? steps - 1 - s : s;
      perRow = perRow.map((st, b) => cell(d, xs[t]![b]!, st));
      seq[t]![d] = perRow.flatMap((st) => st[0]!);
    }
    states = init.map((_, k) => perRow.flatMap((st) => st[k]!));
    states.forEach((s, k) => finals[k]!.push(...s));
  }
  return { finals, sequence: seq.flat(2) };
}


/** runGraphs() inputs, all of type `t`. */
const ofType = (t: MLOperandDataType, inputs: Record<string, { shape: number[]; data: number[] }>): Record<string, Feed> =>
  Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { type: t, ...v }]));
const tolerance = (t: MLOperandDataType) => (t === 'float16' ? 3e-3 : 2e-6);

interface NetCase {
  name: string; steps: number; batch: number; input: number; hidden: number; direction: Dir; layout: string;
  activations?: Act[]; resetAfter?: boolean; returnSequence: boolean;
  bias?: boolean; recurrentBias?: boolean; peephole?: boolean; initialHidden?: boolean; initialCell?: boolean;
}

async function checkNetwork(kind: 'gru' | 'lstm', c: NetCase, t: MLOperandDataType): Promise<void> {
  const G = kind === 'gru' ? 3 : 4;
  const dirs = c.direction === 'both' ? 2 : 1;
  const q = t === 'float16' ? roundToFloat16 : (v: number[]) => v;
  const inputs: Record<string, { shape: number[]; data: number[] }> = {};
  const add = (name: string, shape: number[], seed: number, scale = 0.5) => {
    inputs[name] = { shape, data: q(values(shape.reduce((a, b) => a * b, 1), seed, scale)) };
    return inputs[name]!.data;
  };
  const x = add('x', [c.steps, c.batch, c.input], 1, 1);
  const W = add('w', [dirs, G * c.hidden, c.input], 2);
  const R = add('r', [dirs, G * c.hidden, c.hidden], 3);
  const B = c.bias ? add('b', [dirs, G * c.hidden], 4) : undefined;
  const RB = c.recurrentBias ? add('rb', [dirs, G * c.hidden], 5) : undefined;
  const P = c.peephole ? add('p', [dirs, 3 * c.hidden], 6) : undefined;
  const state = [dirs, c.batch, c.hidden];
  const zeros = Array<number>(dirs * c.batch * c.hidden).fill(0);
  const h0 = c.initialHidden ? add('h0', state, 7) : zeros;
  const c0 = c.initialCell ? add('c0', state, 8) : zeros;
  const activations = c.activations ?? (kind === 'gru' ? ['sigmoid', 'tanh'] : ['sigmoid', 'tanh', 'tanh']);

  const perDir = (v: number[] | undefined, d: number) => v && rows(v, v.length / dirs)[d];
  const params = (d: number): Params => ({
    W: perDir(W, d)!, R: perDir(R, d)!, B: perDir(B, d), RB: perDir(RB, d), P: perDir(P, d),
    hidden: c.hidden, layout: c.layout, activations, resetAfter: c.resetAfter,
  });
  const xs = rows(x, c.batch * c.input).map((step) => rows(step, c.input));
  const split = (s: number[]) => rows(s, c.batch * c.hidden);
  const ref = kind === 'gru'
    ? networkRef(c.steps, dirs, c.direction, xs, [split(h0)], (d, xt, [h]) => [gruCellRef(params(d), xt, h!)])
    : networkRef(c.steps, dirs, c.direction, xs, [split(h0), split(c0)], (d, xt, [h, cs]) => lstmCellRef(params(d), xt, h!, cs!));

  const outs = await runGraphs((b, o) => {
    const options = {
      bias: o.b, recurrentBias: o.rb, initialHiddenState: o.h0, direction: c.direction, returnSequence: c.returnSequence,
      ...(c.activations ? { activations: c.activations } : {}),
    };
    return kind === 'gru'
      ? b.gru(o.x!, o.w!, o.r!, c.steps, c.hidden, { ...options, layout: c.layout as 'zrn', ...(c.resetAfter === undefined ? {} : { resetAfter: c.resetAfter }) })
      : b.lstm(o.x!, o.w!, o.r!, c.steps, c.hidden, { ...options, layout: c.layout as 'iofg', peepholeWeight: o.p, initialCellState: o.c0 });
  }, ofType(t, inputs));
  const expected = [...ref.finals, ...(c.returnSequence ? [ref.sequence] : [])];
  assert.equal(outs.length, expected.length, 'number of outputs');
  outs.forEach((out, i) => {
    assert.deepEqual(out.shape, i === ref.finals.length ? [c.steps, ...state] : state, `output ${i} shape`);
    assertClose(out.data, expected[i]!, tolerance(t), `${kind} ${c.name} ${t} output ${i}`);
  });
}

const LSTM_CASES: NetCase[] = [
  {
    name: 'both directions, peepholes, initial states, returnSequence, ifgo', steps: 3, batch: 2, input: 3, hidden: 4,
    direction: 'both', layout: 'ifgo', returnSequence: true, bias: true, recurrentBias: true, peephole: true,
    initialHidden: true, initialCell: true,
  },
  { name: 'backward, iofg, defaults otherwise', steps: 4, batch: 1, input: 2, hidden: 3, direction: 'backward', layout: 'iofg', returnSequence: true },
  {
    name: 'forward, peephole only, tanh/relu/sigmoid activations', steps: 2, batch: 3, input: 2, hidden: 2, direction: 'forward',
    layout: 'iofg', returnSequence: false, peephole: true, initialCell: true, activations: ['tanh', 'relu', 'sigmoid'],
  },
];

const GRU_CASES: NetCase[] = [
  {
    name: 'both directions, resetAfter, rzn, initial state, returnSequence', steps: 3, batch: 2, input: 3, hidden: 4,
    direction: 'both', layout: 'rzn', returnSequence: true, bias: true, recurrentBias: true, initialHidden: true,
  },
  {
    name: 'both directions, reset before, zrn, returnSequence', steps: 3, batch: 2, input: 3, hidden: 4, direction: 'both',
    layout: 'zrn', resetAfter: false, returnSequence: true, bias: true, recurrentBias: true, initialHidden: true,
  },
  { name: 'backward, recurrentBias only, defaults', steps: 4, batch: 1, input: 2, hidden: 3, direction: 'backward', layout: 'zrn', returnSequence: false, recurrentBias: true },
  {
    name: 'forward, bias only, tanh/sigmoid, reset before', steps: 2, batch: 3, input: 2, hidden: 2, direction: 'forward',
    layout: 'rzn', resetAfter: false, returnSequence: true, bias: true, activations: ['tanh', 'sigmoid'],
  },
];

for (const t of ['float32', 'float16'] as const) {
  describe(`lstm values against a JS reference (${t})`, () => {
    for (const c of LSTM_CASES) test(c.name, () => checkNetwork('lstm', c, t));
  });
  describe(`gru values against a JS reference (${t})`, () => {
    for (const c of GRU_CASES) test(c.name, () => checkNetwork('gru', c, t));
  });
}

describe('cell values against a JS reference', () => {
  for (const t of ['float32', 'float16'] as const) {
    const q = t === 'float16' ? roundToFloat16 : (v: number[]) => v;
    const x = q(values(2 * 3, 11, 1));
    const h = q(values(2 * 4, 12, 0.5));
    const c = q(values(2 * 4, 13, 0.5));

    test(`gruCell, rzn, reset before, relu/tanh (${t})`, async () => {
      const p: Params = { W: q(values(12 * 3, 14, 0.5)), R: q(values(12 * 4, 15, 0.5)), B: q(values(12, 16, 0.5)), RB: q(values(12, 17, 0.5)),
        hidden: 4, layout: 'rzn', activations: ['relu', 'tanh'], resetAfter: false };
      const [out] = await runGraphs(
        (b, o) => [b.gruCell(o.x!, o.w!, o.r!, o.h!, 4, { bias: o.b, recurrentBias: o.rb, layout: 'rzn', resetAfter: false, activations: ['relu', 'tanh'] })],
        ofType(t, { x: { shape: [2, 3], data: x }, w: { shape: [12, 3], data: p.W }, r: { shape: [12, 4], data: p.R },
          h: { shape: [2, 4], data: h }, b: { shape: [12], data: p.B! }, rb: { shape: [12], data: p.RB! } }));
      assert.deepEqual(out!.shape, [2, 4]);
      assertClose(out!.data, rows(x, 3).flatMap((xr, i) => gruCellRef(p, xr, rows(h, 4)[i]!)), tolerance(t), 'gruCell');
    });

    test(`lstmCell, ifgo, peephole, defaults (${t})`, async () => {
      const p: Params = { W: q(values(16 * 3, 18, 0.5)), R: q(values(16 * 4, 19, 0.5)), B: q(values(16, 20, 0.5)), P: q(values(12, 21, 0.5)),
        hidden: 4, layout: 'ifgo', activations: ['sigmoid', 'tanh', 'tanh'] };
      const outs = await runGraphs(
        (b, o) => b.lstmCell(o.x!, o.w!, o.r!, o.h!, o.c!, 4, { bias: o.b, peepholeWeight: o.p, layout: 'ifgo' }),
        ofType(t, { x: { shape: [2, 3], data: x }, w: { shape: [16, 3], data: p.W }, r: { shape: [16, 4], data: p.R },
          h: { shape: [2, 4], data: h }, c: { shape: [2, 4], data: c }, b: { shape: [16], data: p.B! }, p: { shape: [12], data: p.P! } }));
      const ref = rows(x, 3).map((xr, i) => lstmCellRef(p, xr, rows(h, 4)[i]!, rows(c, 4)[i]!));
      assertClose(outs[0]!.data, ref.flatMap((r) => r[0]), tolerance(t), 'lstmCell hidden');
      assertClose(outs[1]!.data, ref.flatMap((r) => r[1]), tolerance(t), 'lstmCell cell');
    });
  }
});

test('a graph may output only the sequence of an lstm', async () => {
  const b = new MLGraphBuilder(ctx);
  const x = b.constant(f32(2, 1, 1), new Float32Array([1, 2]));
  const w = b.constant(f32(1, 4, 1), new Float32Array([1, 1, 1, 1]));
  const r = b.constant(f32(1, 4, 1), new Float32Array([0, 0, 0, 0]));
  const [, , seq] = b.lstm(x, w, r, 2, 1, { returnSequence: true, activations: ['relu', 'relu', 'relu'] });
  const graph = await b.build({ seq: seq! });
  const out = await ctx.compute(graph, {});
  // relu everywhere: i = o = f = g = x_t; c1 = 1, h1 = 1; c2 = 2·1 + 2·2 = 6, h2 = 2·6 = 12.
  assert.deepEqual(Array.from(out.seq!.data as Float32Array), [1, 12]);
});
