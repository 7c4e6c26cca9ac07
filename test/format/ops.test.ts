// Graph files for every WebNN operator: each row builds a small graph with the operator and non-default options
// (operands in options, sequences, enums, bigint MLNumbers, float16/int64/int4 constants, multi-output nodes with
// some outputs unused, dynamic inputs where the operator takes them), then checks that
// saveGraph → loadGraph computes bit-identical outputs (text with weights, JSON, inline bytes), that saving the
// loaded graph gives the same text, and that text → JSON → text is the identity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  graphFromJson, loadGraph, ml, MLGraphBuilder, parseWebnn, printWebnn, saveGraph, toGraphJson,
  type MLComputeInput, type MLContext, type MLGraph, type MLOperand, type MLOperandDataType,
} from '../../src/index.js';
import { packNibbles } from '../../src/graph/dtypes.js';
import { toFloat16Bits } from '../../src/graph/float16.js';
import { graphToFile } from '../../src/format/graph-file.js';
import { parseGraphJsonText, printGraphJson } from '../../src/format/json.js';
import { SPEC_OPERATORS } from '../../src/ops/spec-operators.js';

const dir = mkdtempSync(join(tmpdir(), 'tsnn-format-ops-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

type Data = Float32Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Int8Array | Uint8Array;

/** `values` as the buffer the API takes for `t` (float16 as bits, 4-bit types packed two to a byte). */
function typed(t: MLOperandDataType, values: readonly number[]): Data {
  switch (t) {
    case 'float32': return Float32Array.from(values);
    case 'float16': return Uint16Array.from(values, toFloat16Bits);
    case 'int32': return Int32Array.from(values);
    case 'uint32': return Uint32Array.from(values);
    case 'int64': return BigInt64Array.from(values, (v) => BigInt(v));
    case 'uint64': return BigUint64Array.from(values, (v) => BigInt(v));
    case 'int8': return Int8Array.from(values);
    case 'uint8': return Uint8Array.from(values);
    case 'int4': case 'uint4': return packNibbles(values);
  }
}

/** Deterministic values that differ per tensor: small mixed-sign numbers (non-negative for unsigned types). */
function sample(t: MLOperandDataType, count: number, seed: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    const k = ((i + 1) * 7 + seed * 13) % 11;
    if (t === 'float32' || t === 'float16') return (k - 5) / 4 + seed / 8;
    if (t.startsWith('u')) return k % (t === 'uint4' ? 16 : 11);
    return k - 5;
  });
}

type Shape = (number | { name: string; maxSize: number })[];

/** One test graph: inputs with their data (and concrete shape), constants, a builder. */
class G {
  readonly b: MLGraphBuilder;
  readonly feeds: Record<string, MLComputeInput> = {};
  private seed = 0;
  constructor(ctx: MLContext) {
    this.b = new MLGraphBuilder(ctx);
  }

  /** An input; a dimension given as [concrete, maxSize] is dynamic (named after the input). */
  in(name: string, t: MLOperandDataType, dims: (number | [number, number])[], values?: number[]): MLOperand {
    const shape: Shape = dims.map((d, i) => (Array.isArray(d) ? { name: `${name}_d${i}`, maxSize: d[1] } : d));
    const concrete = dims.map((d) => (Array.isArray(d) ? d[0] : d));
    const count = concrete.reduce((a, b) => a * b, 1);
    this.feeds[name] = { data: typed(t, values ?? sample(t, count, ++this.seed)), shape: concrete };
    return this.b.input(name, { dataType: t, shape } as never);
  }

  c(t: MLOperandDataType, shape: number[], values?: number[]): MLOperand {
    const count = shape.reduce((a, b) => a * b, 1);
    return this.b.constant({ dataType: t, shape }, typed(t, values ?? sample(t, count, ++this.seed)));
  }
}

interface Row {
  op: string;
  /** Variant name when an operator has several rows. */
  variant?: string;
  build(g: G, b: MLGraphBuilder): Record<string, MLOperand>;
}

const F32 = 'float32';
const DYN: [number, number] = [2, 5]; // a dynamic dimension: 2 at run time, at most 5

const unary = (op: string, t: MLOperandDataType = F32): Row => ({
  op,
  build: (g, b) => ({ y: (b as unknown as Record<string, (x: MLOperand, o: object) => MLOperand>)[op]!(g.in('x', t, [DYN, 3]), { label: `${op}-label` }) }),
});
const binary = (op: string, t: MLOperandDataType = F32, out?: (y: MLOperand, b: MLGraphBuilder) => MLOperand): Row => ({
  op,
  build: (g, b) => {
    const y = (b as unknown as Record<string, (x: MLOperand, z: MLOperand) => MLOperand>)[op]!(g.in('a', t, [DYN, 3]), g.c(t, [3]));
    return { y: out ? out(y, b) : y };
  },
});
const reduce = (op: string): Row => ({
  op,
  build: (g, b) => {
    const x = g.in('x', F32, [DYN, 3, 4], sample(F32, 24, 3).map(Math.abs));
    const r = b as unknown as Record<string, (x: MLOperand, o: object) => MLOperand>;
    return { keep: r[op]!(x, { axes: [2, 1], keepDimensions: true }), none: r[op]!(x, { axes: [] }) };
  },
});
const pool = (op: 'averagePool2d' | 'l2Pool2d' | 'maxPool2d'): Row => ({
  op,
  build: (g, b) => ({
    y: b[op](g.in('x', F32, [DYN, 5, 4, 2]), {
      windowDimensions: [2, 2], padding: [0, 1, 1, 0], strides: [2, 1], dilations: [1, 2], layout: 'nhwc', outputShapeRounding: 'ceil', label: op,
    }),
  }),
});

const ROWS: Row[] = [
  // element-wise binary, comparisons, logical
  binary('add', 'float16'),
  binary('sub', 'int64'),
  binary('mul', 'uint8'),
  binary('div', 'int32'),
  binary('max'),
  binary('min', 'int8'),
  binary('pow'),
  binary('equal'), binary('notEqual'), binary('greater'), binary('greaterOrEqual'), binary('lesser'), binary('lesserOrEqual', 'uint32'),
  binary('logicalAnd', 'uint8'), binary('logicalOr', 'uint8'), binary('logicalXor', 'uint8'),
  unary('logicalNot', 'uint8'),
  { op: 'isNaN', build: (g, b) => ({ y: b.isNaN(g.in('x', F32, [DYN, 3], [NaN, 1, -Infinity, 0, NaN, -0])) }) },
  { op: 'isInfinite', build: (g, b) => ({ y: b.isInfinite(g.in('x', 'float16', [DYN, 3], [NaN, 1, -Infinity, 0, Infinity, -0])) }) },
  // element-wise unary and activations
  ...['abs', 'ceil', 'cos', 'erf', 'exp', 'floor', 'identity', 'log', 'neg', 'reciprocal', 'roundEven', 'sin', 'sign', 'sqrt', 'tan',
    'relu', 'sigmoid', 'tanh', 'gelu', 'hardSwish', 'softplus', 'softsign'].map((op) => unary(op, op === 'neg' || op === 'abs' ? 'int64' : F32)),
  { op: 'elu', build: (g, b) => ({ y: b.elu(g.in('x', 'float16', [DYN, 3]), { alpha: 0.375 }) }) },
  { op: 'hardSigmoid', build: (g, b) => ({ y: b.hardSigmoid(g.in('x', F32, [DYN, 3]), { alpha: 1e-7, beta: -0 }) }) },
  { op: 'leakyRelu', build: (g, b) => ({ y: b.leakyRelu(g.in('x', F32, [DYN, 3]), { alpha: -2.5e20 }) }) },
  { op: 'linear', build: (g, b) => ({ y: b.linear(g.in('x', F32, [DYN, 3]), { alpha: 0.1, beta: -1.7976931348623157e308 }) }) },
  { op: 'softmax', build: (g, b) => ({ y: b.softmax(g.in('x', F32, [DYN, 3]), 0, { label: 'sm' }) }) },
  { op: 'prelu', build: (g, b) => ({ y: b.prelu(g.in('x', F32, [DYN, 3]), g.in('slope', F32, [3])) }) },
  {
    op: 'clamp', variant: 'int64 bigint bounds',
    build: (g, b) => ({ y: b.clamp(g.in('x', 'int64', [DYN, 3]), { minValue: -9007199254740993n, maxValue: 3n }) }),
  },
  { op: 'clamp', variant: 'float infinite bound', build: (g, b) => ({ y: b.clamp(g.in('x', F32, [3]), { minValue: -Infinity, maxValue: 0.5 }) }) },
  { op: 'cast', build: (g, b) => ({ y: b.cast(g.in('x', 'int32', [DYN, 3]), 'float16') }) },
  // quantization: int4 constants, float16 scale
  {
    op: 'dequantizeLinear',
    build: (g, b) => ({ y: b.dequantizeLinear(g.c('int4', [2, 4]), g.c('float16', [1, 4]), g.c('int4', [1, 4], [-8, 7, 0, -1])) }),
  },
  {
    op: 'quantizeLinear',
    build: (g, b) => ({ y: b.quantizeLinear(g.in('x', F32, [2, 3]), g.in('scale', F32, [1, 3], [0.5, 0.25, 2]), g.c('uint8', [1, 3], [0, 128, 255])) }),
  },
  // reductions
  ...['reduceL1', 'reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin', 'reduceProduct', 'reduceSum', 'reduceSumSquare'].map(reduce),
  { op: 'argMin', build: (g, b) => ({ y: b.argMin(g.in('x', F32, [DYN, 3]), 1, { keepDimensions: true, outputDataType: 'int64' }) }) },
  { op: 'argMax', build: (g, b) => ({ y: b.argMax(g.in('x', 'int8', [DYN, 3]), 0, { outputDataType: 'int32', label: 'am' }) }) },
  { op: 'cumulativeSum', build: (g, b) => ({ y: b.cumulativeSum(g.in('x', F32, [DYN, 3]), 1, { exclusive: true, reversed: true }) }) },
  // matrix products, normalization
  { op: 'matmul', build: (g, b) => ({ y: b.matmul(g.in('a', F32, [DYN, 2, 3]), g.c(F32, [3, 4])) }) },
  {
    op: 'gemm',
    build: (g, b) => ({ y: b.gemm(g.in('a', F32, [3, DYN]), g.c(F32, [4, 3]), { c: g.in('c', F32, [4]), alpha: 0.5, beta: -2, aTranspose: true, bTranspose: true }) }),
  },
  {
    op: 'batchNormalization',
    build: (g, b) => ({
      y: b.batchNormalization(g.in('x', F32, [DYN, 2, 2, 3]), g.c(F32, [3]), g.c(F32, [3], [1, 2, 0.5]),
        { scale: g.in('scale', F32, [3]), bias: g.c(F32, [3]), axis: 3, epsilon: 1e-3 }),
    }),
  },
  {
    op: 'instanceNormalization',
    build: (g, b) => ({ y: b.instanceNormalization(g.in('x', F32, [DYN, 2, 2, 3]), { scale: g.c(F32, [3]), bias: g.in('bias', F32, [3]), epsilon: 0.01, layout: 'nhwc' }) }),
  },
  {
    op: 'layerNormalization',
    build: (g, b) => ({ y: b.layerNormalization(g.in('x', F32, [DYN, 3, 4]), { scale: g.c(F32, [3, 4]), bias: g.c(F32, [3, 4]), axes: [1, 2], epsilon: 0.5 }) }),
  },
  // convolution and pooling
  {
    op: 'conv2d',
    build: (g, b) => ({
      y: b.conv2d(g.in('x', F32, [DYN, 4, 4, 2]), g.c(F32, [3, 2, 2, 2]),
        { padding: [1, 0, 0, 1], strides: [1, 2], dilations: [1, 1], groups: 1, inputLayout: 'nhwc', filterLayout: 'ohwi', bias: g.in('bias', F32, [3]) }),
    }),
  },
  {
    op: 'convTranspose2d',
    build: (g, b) => ({
      y: b.convTranspose2d(g.in('x', F32, [DYN, 2, 3, 3]), g.c(F32, [2, 2, 3, 2]),
        { strides: [2, 2], padding: [0, 1, 1, 0], outputPadding: [1, 1], filterLayout: 'hwoi', bias: g.c(F32, [3]) }),
    }),
  },
  pool('averagePool2d'), pool('l2Pool2d'), pool('maxPool2d'),
  { op: 'maxPool2d', variant: 'outputSizes', build: (g, b) => ({ y: b.maxPool2d(g.in('x', F32, [1, 1, 5, 5]), { windowDimensions: [2, 2], strides: [2, 2], outputSizes: [3, 3] }) }) },
  {
    op: 'resample2d', variant: 'scales',
    build: (g, b) => ({ y: b.resample2d(g.in('x', F32, [DYN, 2, 3, 1]), { mode: 'linear', scales: [1.5, 2.25], axes: [1, 2] }) }),
  },
  { op: 'resample2d', variant: 'sizes', build: (g, b) => ({ y: b.resample2d(g.in('x', F32, [1, 2, 3, 2]), { sizes: [5, 1] }) }) },
  // movement and shaping
  { op: 'concat', build: (g, b) => { const a = g.in('a', F32, [DYN, 2]); return { y: b.concat([a, b.neg(a), a], 1) }; } },
  { op: 'concat', variant: 'one input', build: (g, b) => ({ y: b.concat([g.c(F32, [2, 1])], 0) }) },
  { op: 'expand', build: (g, b) => ({ y: b.expand(g.in('x', 'int64', [3, 1]), [2, 3, 4]) }) },
  { op: 'pad', variant: 'reflection', build: (g, b) => ({ y: b.pad(g.in('x', F32, [DYN, 3]), [0, 1], [0, 2], { mode: 'reflection' }) }) },
  { op: 'pad', variant: 'constant value', build: (g, b) => ({ y: b.pad(g.in('x', 'int64', [2, 3]), [1, 0], [0, 0], { mode: 'constant', value: -9007199254740993n }) }) },
  { op: 'pad', variant: 'edge, NaN value', build: (g, b) => ({ y: b.pad(g.in('x', 'float16', [2, 3]), [1, 1], [1, 0], { mode: 'edge', value: NaN }) }) },
  { op: 'pad', variant: 'constant NaN', build: (g, b) => ({ y: b.pad(g.in('x', F32, [DYN, 3]), [0, 1], [2, 0], { value: NaN }) }) },
  { op: 'reshape', build: (g, b) => ({ y: b.reshape(g.in('x', 'float16', [2, 3]), [3, 1, 2]) }) },
  { op: 'reverse', build: (g, b) => ({ y: b.reverse(g.in('x', F32, [DYN, 3]), { axes: [1] }) }) },
  { op: 'slice', build: (g, b) => ({ y: b.slice(g.in('x', F32, [4, 5]), [1, 0], [2, 3], { strides: [2, 2] }) }) },
  {
    op: 'split', variant: 'count; one output unused, one used later',
    build: (g, b) => { const [, second] = b.split(g.in('x', F32, [DYN, 4]), 2, { axis: 1 }); return { y: b.relu(second!) }; },
  },
  {
    op: 'split', variant: 'list; outputs used twice and directly',
    build: (g, b) => { const [p, q, r] = b.split(g.in('x', F32, [6, 2]), [1, 2, 3]); return { p: p!, q: b.add(q!, q!), r: r!, r2: r! }; },
  },
  { op: 'tile', build: (g, b) => ({ y: b.tile(g.in('x', 'uint8', [DYN, 3]), [2, 1]) }) },
  { op: 'transpose', build: (g, b) => ({ y: b.transpose(g.in('x', F32, [DYN, 3, 4]), { permutation: [1, 0, 2] }) }) },
  { op: 'triangular', build: (g, b) => ({ y: b.triangular(g.in('x', F32, [DYN, 4]), { upper: false, diagonal: -1 }) }) },
  {
    op: 'where',
    build: (g, b) => ({ y: b.where(g.in('cond', 'uint8', [DYN, 3], [1, 0, 2, 0, 0, 1]), g.c('int32', [3]), g.in('f', 'int32', [1])) }),
  },
  // gather and scatter
  { op: 'gather', build: (g, b) => ({ y: b.gather(g.in('x', F32, [DYN, 4]), g.c('int64', [2, 2], [0, -1, 3, 2]), { axis: 1 }) }) },
  { op: 'gatherElements', build: (g, b) => ({ y: b.gatherElements(g.in('x', F32, [3, 4]), g.c('int32', [3, 2], [0, 3, 1, 1, 2, 0]), { axis: 1 }) }) },
  { op: 'gatherND', build: (g, b) => ({ y: b.gatherND(g.in('x', F32, [3, 4]), g.c('uint32', [2, 2], [0, 3, 2, 1])) }) },
  {
    op: 'scatterElements',
    build: (g, b) => ({ y: b.scatterElements(g.in('x', F32, [3, 4]), g.c('int32', [3, 1], [0, 3, 1]), g.in('u', F32, [3, 1]), { axis: 1 }) }),
  },
  { op: 'scatterND', build: (g, b) => ({ y: b.scatterND(g.in('x', F32, [3, 4]), g.c('int64', [2, 1], [2, 0]), g.c(F32, [2, 4])) }) },
  // recurrent networks
  {
    op: 'gru',
    build: (g, b) => {
      const [last, seq] = b.gru(g.in('x', F32, [2, 1, 3]), g.c(F32, [2, 6, 3]), g.c(F32, [2, 6, 2]), 2, 2, {
        bias: g.c(F32, [2, 6]), recurrentBias: g.in('rb', F32, [2, 6]), initialHiddenState: g.in('h0', F32, [2, 1, 2]),
        resetAfter: false, returnSequence: true, direction: 'both', layout: 'rzn', activations: ['relu', 'tanh'], label: 'gru',
      });
      void last;
      return { y: b.tanh(seq!) };
    },
  },
  {
    op: 'gruCell',
    build: (g, b) => ({
      y: b.gruCell(g.in('x', F32, [1, 3]), g.c(F32, [6, 3]), g.c(F32, [6, 2]), g.in('h', F32, [1, 2]), 2,
        { bias: g.c(F32, [6]), recurrentBias: g.c(F32, [6]), resetAfter: true, layout: 'rzn', activations: ['sigmoid', 'relu'] }),
    }),
  },
  {
    op: 'lstm',
    build: (g, b) => {
      const [h, c] = b.lstm(g.in('x', F32, [2, 1, 3]), g.c(F32, [1, 8, 3]), g.c(F32, [1, 8, 2]), 2, 2, {
        bias: g.c(F32, [1, 8]), recurrentBias: g.c(F32, [1, 8]), peepholeWeight: g.in('peep', F32, [1, 6]),
        initialHiddenState: g.c(F32, [1, 1, 2]), initialCellState: g.in('c0', F32, [1, 1, 2]),
        returnSequence: true, direction: 'backward', layout: 'ifgo', activations: ['sigmoid', 'relu', 'tanh'],
      });
      return { h: h!, c2: b.mul(c!, c!) };
    },
  },
  {
    op: 'lstmCell',
    build: (g, b) => {
      const [h] = b.lstmCell(g.in('x', F32, [1, 3]), g.c(F32, [8, 3]), g.c(F32, [8, 2]), g.in('h', F32, [1, 2]), g.c(F32, [1, 2]), 2,
        { bias: g.c(F32, [8]), peepholeWeight: g.c(F32, [6]), layout: 'ifgo', activations: ['tanh', 'sigmoid', 'relu'] });
      return { h: h! };
    },
  },
];

test('the table has a row for each of the 95 WebNN operators', () => {
  const covered = new Set(ROWS.map((r) => r.op));
  assert.deepEqual(SPEC_OPERATORS.filter((op) => !covered.has(op)), []);
  assert.equal(SPEC_OPERATORS.length, 95);
});

function assertSame(got: Awaited<ReturnType<MLContext['compute']>>, expected: Awaited<ReturnType<MLContext['compute']>>, what: string): void {
  assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort(), what);
  for (const [name, e] of Object.entries(expected)) {
    const g = got[name]!;
    assert.equal(g.dataType, e.dataType, `${what}: ${name}`);
    assert.deepEqual(g.shape, e.shape, `${what}: ${name}`);
    assert.deepEqual(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.byteLength), Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength), `${what}: ${name}`);
  }
}

let ctx: MLContext;
test.before(async () => {
  ctx = await ml.createContext();
});

for (const [i, row] of ROWS.entries()) {
  test(`graph files: ${row.op}${row.variant ? ` (${row.variant})` : ''}`, async () => {
    const g = new G(ctx);
    const graph: MLGraph = await g.b.build(row.build(g, g.b));
    const expected = await ctx.compute(graph, g.feeds);
    // The file names the operator exactly as the API does.
    const { file } = graphToFile(graph, { name: row.op });
    assert.ok(file.nodes.some((n) => n.op === row.op), `${row.op} is in the file`);

    // text → GraphFile → text, and through the JSON form (as an object and as text) back to the same text.
    const text = printWebnn(file);
    const parsed = parseWebnn(text);
    assert.deepEqual(parsed, file);
    assert.equal(printWebnn(graphFromJson(toGraphJson(parsed))), text);
    assert.equal(printWebnn(parseGraphJsonText(printGraphJson(parsed))), text);

    const stem = join(dir, `${i}-${row.op}`);
    for (const [path, opts] of [[`${stem}.webnn`, {}], [`${stem}.json`, {}], [`${stem}-inline.webnn`, { inline: true }]] as const) {
      saveGraph(graph, path, opts);
      const loaded = await loadGraph(ctx, path);
      assertSame(await ctx.compute(loaded, g.feeds), expected, path);
      assert.deepEqual(loaded.inputDescriptors, graph.inputDescriptors, path);
      assert.deepEqual(loaded.outputDescriptors, graph.outputDescriptors, path);
      if (path === `${stem}.webnn`) {
        // Saving what was loaded gives the same file again.
        assert.equal(printWebnn(graphToFile(loaded, { name: `${i}-${row.op}` }).file), readFileSync(path, 'utf8'));
      }
      loaded.destroy();
    }
    graph.destroy();
  });
}

test('option values of every kind survive text → GraphFile → JSON → GraphFile → text', () => {
  const options = {
    negZero: -0, nan: NaN, negInf: -Infinity, inf: Infinity, bigDouble: 2.5e20, maxDouble: 1.7976931348623157e308, tiny: 5e-324,
    exactDouble: 9007199254740994, big: 12345678901234567890n, negBig: -12345678901234567890n, empty: [], emptyObj: {},
    nested: { 'a b': [1, { k: null, true: false }], __proto__x: [[[]]] }, text: 'line\nbreak "q" \u2028 \\ é', yes: true, none: null,
  };
  const file = parseWebnn('webnn_graph "v" v1 { inputs { x: f32[2]; } nodes { y = relu(x); } outputs { y; } }');
  Object.assign(file.nodes[0]!.options, options);
  const text = printWebnn(file);
  const parsed = parseWebnn(text);
  assert.deepEqual(parsed.nodes[0]!.options, options);
  assert.deepEqual(graphFromJson(toGraphJson(parsed)).nodes[0]!.options, options);
  assert.deepEqual(parseGraphJsonText(printGraphJson(parsed)).nodes[0]!.options, options);
  assert.equal(printWebnn(parseGraphJsonText(printGraphJson(parsed))), text);
});
