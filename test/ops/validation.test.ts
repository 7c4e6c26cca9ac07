// Validation common to every operator, in the style of the W3C WPT WebNN validation tests: operand ranks against
// what opSupportLimits() advertises, axes that are not unsigned longs, binary operands that do not broadcast,
// outputs too large to exist, foreign operands, arguments whose conversion throws, options of the wrong type.
// (Each operator family's own table is in its test/ops/<family>.test.ts.)
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getOp } from '../../src/ops/registry.js';
import { SPEC_OPERATORS } from '../../src/ops/spec-operators.js';
import { MLGraphBuilder, MLOperand, MLContext, type MLOperandDataType } from '../../src/index.js';
import { opTypeError, context } from '../support/index.js';
import { MAX_BYTES, REDUCTIONS } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

/**
 * For each operator, a call given one operand `x` of any rank with every dimension 2 (as WPT's rank tests build it);
 * other operands copy x. Every rank opSupportLimits() advertises must validate, every other rank up to 8 must not.
 */
type RankCall = (b: MLGraphBuilder, x: MLOperand) => unknown;
const same: RankCall = (b, x) => x;
const RANK_CALLS: Record<string, RankCall> = {
  softmax: (b, x) => b.softmax(x, 0),
  cast: (b, x) => b.cast(x, 'float32'),
  concat: (b, x) => b.concat([x, x, x], 0),
  expand: (b, x) => b.expand(x, [...x.shape]),
  reshape: (b, x) => b.reshape(x, [...x.shape].reverse()),
  pad: (b, x) => b.pad(x, x.shape.map(() => 1), x.shape.map(() => 0)),
  slice: (b, x) => b.slice(x, x.shape.map(() => 1), x.shape.map(() => 1)),
  split: (b, x) => b.split(x, 2),
  tile: (b, x) => b.tile(x, x.shape.map(() => 2)),
  cumulativeSum: (b, x) => b.cumulativeSum(x, 0),
  argMin: (b, x) => b.argMin(x, 0),
  argMax: (b, x) => b.argMax(x, 0),
  gather: (b, x) => b.gather(x, b.input('i', { dataType: 'int32', shape: [2] })),
  gatherElements: (b, x) => b.gatherElements(x, b.input('i', { dataType: 'int32', shape: [...x.shape] })),
  scatterElements: (b, x) => b.scatterElements(x, b.input('i', { dataType: 'int32', shape: [...x.shape] }), x),
  where: (b, x) => b.where(b.input('c', { dataType: 'uint8', shape: [...x.shape] }), x, x),
  prelu: (b, x) => b.prelu(x, x),
  layerNormalization: same,
};
function rankCall(op: string): RankCall | undefined {
  if (RANK_CALLS[op]) return RANK_CALLS[op];
  const def = getOp(op)!;
  const limits = Object.keys(def.limits).filter((k) => k !== 'output' && k !== 'outputs');
  // Elementwise unary/binary/logical ops and the reductions take only same-shaped operands.
  if (def.optionsAt === 1 && limits.length === 1) return (b, x) => (b as unknown as Record<string, (x: MLOperand) => unknown>)[op]!(x);
  if (def.optionsAt === 2 && limits.length === 2 && ['a', 'b'].every((k) => k in def.limits)) {
    return (b, x) => (b as unknown as Record<string, (x: MLOperand, y: MLOperand) => unknown>)[op]!(x, x);
  }
  return undefined;
}

describe('WPT-style validation: operand ranks against opSupportLimits', () => {
  test('every advertised rank validates; ranks outside the range are a TypeError', () => {
    const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, { dataTypes: MLOperandDataType[]; rankRange: { min: number; max: number } }>>;
    let checked = 0;
    for (const op of SPEC_OPERATORS) {
      const call = rankCall(op);
      const key = op === 'concat' ? 'inputs' : op === 'logicalAnd' || op === 'add' || getOp(op)!.limits.a ? 'a' : 'input';
      const lim = limits[op]?.[key];
      if (!call || !lim) continue;
      const dataType = lim.dataTypes.includes('float32') ? 'float32' : lim.dataTypes[0]!;
      for (let rank = 0; rank <= 8; rank++) {
        const b = new MLGraphBuilder(ctx);
        const x = b.input('x', { dataType, shape: Array<number>(rank).fill(2) });
        const inRange = rank >= lim.rankRange.min && rank <= lim.rankRange.max;
        if (inRange) {
          const r = call(b, x);
          assert.ok(r instanceof MLOperand || Array.isArray(r), `${op} rank ${rank}`);
        } else {
          assert.throws(() => call(b, x), (e: unknown) => e instanceof TypeError && e.message.startsWith(op), `${op} rank ${rank}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 60 * 9, `only ${checked} checks ran`);
  });

  test('options.axes entries that are not unsigned longs are a TypeError (reductions, layerNormalization, reverse)', () => {
    const notUlong: unknown[] = ['abc', 100n, { value: 1 }, [0, 1], new Date('2024-01-01'), -1, 2 ** 32, NaN];
    for (const op of [...REDUCTIONS, 'layerNormalization', 'reverse']) {
      for (const shape of [[2], [2, 3], [2, 3, 4]]) {
        const b = new MLGraphBuilder(ctx);
        const x = b.input('x', { dataType: 'float32', shape });
        const f = (b as unknown as Record<string, (x: MLOperand, o: unknown) => unknown>)[op]!.bind(b);
        const isOpError = (e: unknown) => e instanceof TypeError && e.message.startsWith(op);
        for (const bad of [-1, 2 ** 32]) assert.throws(() => f(x, { axes: bad }), isOpError, `${op} axes ${String(bad)}`);
        for (const axis of notUlong) assert.throws(() => f(x, { axes: [axis] }), isOpError, `${op} axes [${String(axis)}]`);
        assert.throws(() => f(x, { axes: [shape.length] }), isOpError);
        assert.throws(() => f(x, { axes: [shape.length + 1] }), isOpError);
        if (shape.length >= 2) assert.throws(() => f(x, { axes: [1, 1] }), isOpError);
      }
    }
  });

  test('binary ops: inputs that do not broadcast, or differ in type, or whose result is too large', () => {
    const binary = ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow', 'equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser', 'lesserOrEqual', 'logicalAnd', 'logicalOr', 'logicalXor'];
    for (const op of binary) {
      const dataType = op.startsWith('logical') ? 'uint8' : 'float32';
      const b = new MLGraphBuilder(ctx);
      const f = (b as unknown as Record<string, (x: MLOperand, y: MLOperand, o?: unknown) => MLOperand>)[op]!.bind(b);
      const isLabelled = (e: unknown) => e instanceof TypeError && e.message.startsWith(`${op} [lbl]: `);
      let n = 0;
      const x = b.input(`a${n++}`, { dataType, shape: [2, 3, 4] });
      for (const shape of [[3, 3, 4], [2, 2, 4], [2, 4, 4], [2, 3, 3], [2, 3, 5], [3], [5], [1, 3], [1, 5], [1, 1, 1, 3]]) {
        const y = b.input(`a${n++}`, { dataType, shape });
        assert.throws(() => f(x, y, { label: 'lbl' }), isLabelled, `${op} [2,3,4] with [${shape}]`);
        assert.throws(() => f(y, x, { label: 'lbl' }), isLabelled, `${op} [${shape}] with [2,3,4]`);
      }
      const other = b.input(`a${n++}`, { dataType: dataType === 'uint8' ? 'int8' : 'int32', shape: [2, 3, 4] });
      assert.throws(() => f(x, other, { label: 'lbl' }), isLabelled, `${op} mixed types`);
      const big = b.input(`a${n++}`, { dataType, shape: [Math.floor(MAX_BYTES / 4), 1] });
      assert.throws(() => f(big, b.input(`a${n++}`, { dataType, shape: [1, 5] }), { label: 'lbl' }), isLabelled, `${op} output too large`);
      assert.deepEqual(f(b.input(`a${n++}`, { dataType, shape: [2, 1, 4] }), b.input(`a${n++}`, { dataType, shape: [3, 1] })).shape, [2, 3, 4]);
    }
  });
});

describe('WPT-style validation: common to every operator', () => {
  test('maxTensorByteLength: a 1-byte tensor of that many bytes is still a valid element count', () => {
    assert.equal(ctx.opSupportLimits().maxTensorByteLength, MAX_BYTES);
    const b = new MLGraphBuilder(ctx);
    assert.deepEqual(b.input('x', { dataType: 'int8', shape: [MAX_BYTES] }).shape, [MAX_BYTES]);
  });

  test('an operand of another builder is a TypeError; after build() an InvalidStateError', async () => {
    for (const op of SPEC_OPERATORS) {
      const def = getOp(op)!;
      const b = new MLGraphBuilder(ctx);
      const other = new MLGraphBuilder(ctx);
      const foreign = other.input('x', { dataType: 'float32', shape: [2, 2] });
      // Arguments of the declared kinds (WebIDL converts them before the state check), the first one foreign.
      const valid: Record<string, () => unknown> = { operand: () => b.input(`y${Math.random()}`, { dataType: 'float32', shape: [2, 2] }), uint: () => 0, uints: () => [], uintOrUints: () => 1, dataType: () => 'float32' };
      const args: unknown[] = def.params.map((p, i) => (i === 0 ? (p.kind === 'operands' ? [foreign] : foreign) : p.kind === 'operands' ? [valid.operand!()] : valid[p.kind]!()));
      assert.throws(() => (b as unknown as Record<string, (...a: unknown[]) => unknown>)[op]!(...args), TypeError, op);
      const y = b.relu(b.input('z', { dataType: 'float32', shape: [2] }));
      await b.build({ y });
      assert.throws(
        () => (b as unknown as Record<string, (...a: unknown[]) => unknown>)[op]!(...args),
        (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError',
        op,
      );
    }
  });

  test('arguments whose number or string conversion throws are the operator\'s TypeError', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [2, 2] });
    const poison = [Symbol('s')]; // Number(poison) and String(poison) throw
    const calls: [string, () => unknown][] = [
      ['gemm', () => b.gemm(x, x, { alpha: poison as never })],
      ['elu', () => b.elu(x, { alpha: poison as never })],
      ['clamp', () => b.clamp(x, { minValue: poison as never })],
      ['softmax', () => b.softmax(x, poison as never)],
      ['reshape', () => b.reshape(x, [poison as never, 2])],
      ['triangular', () => b.triangular(x, { diagonal: Symbol('d') as never })],
      ['resample2d', () => b.resample2d(b.input('y', { dataType: 'float32', shape: [1, 1, 2, 2] }), { scales: [poison as never, 1] })],
      ['cast', () => b.cast(x, poison as never)],
      ['pad', () => b.pad(x, [0, 0], [0, 0], { value: Symbol('v') as never })],
    ];
    for (const [op, f] of calls) assert.throws(f, (e: unknown) => e instanceof TypeError && e.message.startsWith(`${op}: `), op);
  });

  test('a symbol label is a TypeError naming the operator', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [2] });
    assert.throws(() => b.relu(x, { label: Symbol('l') as never }), (e: unknown) => e instanceof TypeError && e.message.startsWith('relu: '));
    assert.equal(b.relu(x, { label: 42 as never }).shape.length, 1);
  });

  test('options of a non-dictionary type are a TypeError naming the operator', () => {
    for (const op of SPEC_OPERATORS) {
      const def = getOp(op)!;
      const b = new MLGraphBuilder(ctx);
      const args: unknown[] = Array.from({ length: def.optionsAt }, (_, i) => b.input(`x${i}`, { dataType: 'float32', shape: [2, 2] }));
      args.push(7);
      assert.throws(() => (b as unknown as Record<string, (...a: unknown[]) => unknown>)[op]!(...args), (e: unknown) => e instanceof TypeError && e.message.startsWith(op), op);
    }
  });
});

describe('output descriptors', () => {
  test('an output whose element count exceeds 2^31 - 1 is a TypeError even when every dimension is valid', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 1] });
    assert.throws(() => b.expand(x, [65536, 65536], { label: 'e' }), opTypeError('expand', 'e', /element/));
    assert.throws(() => b.tile(x, [65536, 65536], { label: 't' }), opTypeError('tile', 't', /element/));
    assert.throws(() => b.pad(x, [0, 0], [65535, 65535], { label: 'p' }), opTypeError('pad', 'p', /element/));
    const y = b.input('y', { dataType: 'float32', shape: [65536, 1] });
    const z = b.input('z', { dataType: 'float32', shape: [1, 65536] });
    assert.throws(() => b.add(y, z, { label: 'a' }), opTypeError('add', 'a', /element/));
    // 2^30 int64 elements are 2^33 bytes, over the maxTensorByteLength tsnn reports.
    const w = b.input('w', { dataType: 'int8', shape: [1, 1] });
    assert.throws(() => b.cast(b.expand(w, [32768, 32768]), 'int64', { label: 'c' }), opTypeError('cast', 'c', /byte length/));
  });
});

describe('outputs too large to exist', () => {
  test('an output whose element count or byte length is beyond the limits throws a TypeError', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 1, 2, 2] });
    assert.throws(() => b.resample2d(x, { sizes: [65536, 65536], label: 'lbl' }),
      opTypeError('resample2d', 'lbl', /output shape \[1, 1, 65536, 65536\] has 4294967296 elements/));
    const big = b.input('big', { dataType: 'float32', shape: [4096, 4096] });
    const idx = b.input('idx', { dataType: 'int32', shape: [4096, 65] });
    assert.throws(() => b.gather(big, idx, { label: 'lbl' }), opTypeError('gather', 'lbl', /has 1090519040 elements.*byte length/));
    const w = b.input('w', { dataType: 'float32', shape: [1, 1, 1, 1] });
    assert.throws(() => b.convTranspose2d(x, w, { strides: [40000, 40000], label: 'lbl' }),
      opTypeError('convTranspose2d', 'lbl', /output shape \[1, 1, 40001, 40001\] has 1600080001 elements.*byte length/));
  });
});
