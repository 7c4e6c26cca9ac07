// The ai.onnx operators the importer translates, family by family, each checked against onnxruntime-node running
// the same ONNX: one model per family (many independent nodes, one output each), so one session serves many
// operators. Tolerance: |tsnn - ort| ≤ 1e-4 + 1e-4·|ort| (integer and boolean outputs: exact).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnx, ml, type MLContext } from '../../src/index.js';
import { f32, graph, i64, model, node, random, runOrt, tensor, TT, valueInfo, closeness, type Feed, type ModelSpec } from '../support/onnx-builder.js';

let context: MLContext | undefined;

type OutSpec = [name: string, type: number];

async function agree(spec: Omit<ModelSpec, 'outputs'> & { outputs: OutSpec[] }, feeds: Record<string, Feed>, options: { values?: Record<string, number[]>; tol?: number } = {}): Promise<void> {
  context ??= await ml.createContext();
  const full: ModelSpec = { ...spec, outputs: spec.outputs.map(([n, t]) => ({ name: n, type: { tensorType: { elemType: t, shape: { dim: [] } } } })) };
  // Output shapes are left unknown (rank-0 shape lists are ignored by both sides); onnxruntime infers them.
  for (const o of full.outputs) (o.type.tensorType as { shape?: unknown }).shape = undefined;
  const bytes = model(full);
  const m = await importOnnx(bytes, { context, values: options.values });
  const want = await runOrt(bytes, feeds);
  const used = Object.fromEntries(Object.entries(feeds).filter(([k]) => k in m.inputs).map(([k, f]) => [k, { data: f.data, shape: f.shape }]));
  const got = await context.compute(m.graph, used as never);
  const tol = options.tol ?? 1e-4;
  for (const [name] of spec.outputs) {
    const w = want[name]!;
    const g = got[name]!;
    assert.ok(g, `output ${name} missing`);
    assert.deepEqual(g.shape, w.shape, `${name} shape`);
    const c = closeness(g.data as ArrayLike<number>, w.data, tol, tol);
    assert.ok(c <= 1, `${name}: off by ${c.toFixed(2)}× the tolerance (ours ${Array.from(g.data as ArrayLike<number>).slice(0, 6).join(', ')} vs ${Array.from(w.data).slice(0, 6).join(', ')})`);
  }
}

const rnd = random(7);
const F = TT.FLOAT;
const feed = (shape: number[], lo = -1, hi = 1): Feed => ({ data: rnd(shape.reduce((a, b) => a * b, 1), lo, hi), shape });
const v = (name: string, type: number, shape: (number | string)[]) => valueInfo(name, type, shape);

test('unary math and activations', async () => {
  const unary: [string, string, Record<string, number | string | number[]>?][] = [
    ['Relu', 'x'], ['Sigmoid', 'x'], ['Tanh', 'x'], ['Exp', 'x'], ['Abs', 'x'], ['Neg', 'x'], ['Erf', 'x'], ['Sin', 'x'],
    ['Cos', 'x'], ['Tan', 'x'], ['Floor', 'x'], ['Ceil', 'x'], ['Round', 'x'], ['Sign', 'x'], ['Reciprocal', 'p'], ['Sinh', 'x'],
    ['Cosh', 'x'], ['Asinh', 'x'], ['Atanh', 'x'], ['Acosh', 'p'], ['Log', 'p'], ['Sqrt', 'p'], ['Softplus', 'x'], ['Softsign', 'x'],
    ['HardSwish', 'x'], ['HardSigmoid', 'x', { alpha: 0.3, beta: 0.4 }], ['Elu', 'x', { alpha: 0.7 }], ['LeakyRelu', 'x', { alpha: 0.2 }],
    ['Selu', 'x'], ['Celu', 'x', { alpha: 0.5 }], ['ThresholdedRelu', 'x', { alpha: 0.1 }], ['Shrink', 'x', { lambd: 0.3, bias: 0.1 }],
    ['Mish', 'x'], ['Identity', 'x'], ['Softmax', 'x', { axis: 1 }], ['LogSoftmax', 'x', { axis: -1 }], ['Hardmax', 'x', { axis: 2 }],
  ];
  const nodes = unary.map(([op, input, attrs], i) => node(op, [input], [`o${i}`], attrs ?? {}));
  nodes.push(node('Clip', ['x', 'lo', 'hi'], ['clip']), node('Clip', ['x', 'lo'], ['clip_lo']), node('IsNaN', ['x'], ['nan']));
  await agree({
    opset: 18,
    nodes,
    inputs: [v('x', F, [2, 3, 4]), v('p', F, [2, 3, 4])],
    outputs: [...unary.map((_, i): OutSpec => [`o${i}`, F]), ['clip', F], ['clip_lo', F], ['nan', TT.BOOL]],
    initializers: [f32('lo', [], [-0.25]), f32('hi', [], [0.5])],
  }, { x: feed([2, 3, 4], -0.9, 0.9), p: feed([2, 3, 4], 1.1, 3) });
  // Opset 20's Gelu, both forms; Softmax before opset 13 flattens at the axis.
  await agree({
    opset: 20,
    nodes: [node('Gelu', ['x'], ['g']), node('Gelu', ['x'], ['gt'], { approximate: 'tanh' })],
    inputs: [v('x', F, [3, 5])], outputs: [['g', F], ['gt', F]],
  }, { x: feed([3, 5], -4, 4) });
  await agree({
    opset: 11,
    nodes: [node('Softmax', ['x'], ['s'], { axis: 1 }), node('LogSoftmax', ['x'], ['l'], { axis: 1 }), node('Clip', ['x', 'lo'], ['c'])],
    inputs: [v('x', F, [2, 3, 4])], outputs: [['s', F], ['l', F], ['c', F]],
    initializers: [f32('lo', [], [0])],
  }, { x: feed([2, 3, 4], -3, 3) });
});

test('binary arithmetic, comparisons, logic and Where, with broadcasting', async () => {
  const B = TT.BOOL;
  await agree({
    opset: 17,
    nodes: [
      node('Add', ['a', 'b'], ['add']), node('Sub', ['a', 'b'], ['sub']), node('Mul', ['a', 'b'], ['mul']), node('Div', ['a', 'b'], ['div']),
      node('Pow', ['p', 'b'], ['pow']), node('Pow', ['p', 'two'], ['pow_i']), node('Max', ['a', 'b', 'c'], ['max']), node('Min', ['a', 'b'], ['min']),
      node('Sum', ['a', 'b', 'c'], ['sum']), node('Mean', ['a', 'b', 'c'], ['mean']), node('Mod', ['a', 'b'], ['mod'], { fmod: 1 }),
      node('Equal', ['ai', 'bi'], ['eq']), node('Greater', ['a', 'b'], ['gt']), node('Less', ['a', 'b'], ['lt']),
      node('GreaterOrEqual', ['a', 'b'], ['ge']), node('LessOrEqual', ['a', 'b'], ['le']),
      node('And', ['gt', 'eq'], ['and']), node('Or', ['gt', 'eq'], ['or']), node('Xor', ['gt', 'lt'], ['xor']), node('Not', ['gt'], ['not']),
      node('Where', ['gt', 'a', 'b'], ['where']), node('PRelu', ['a', 'slope'], ['prelu']),
      node('Div', ['ai', 'bi'], ['idiv']), node('Mod', ['ai', 'bi'], ['imod']), node('Mul', ['ai', 'bi'], ['imul']),
      node('Cast', ['a'], ['cast_i'], { to: TT.INT32 }), node('Cast', ['ai'], ['cast_f'], { to: F }), node('Cast', ['a'], ['cast_b'], { to: B }),
      node('CastLike', ['ai', 'a'], ['castlike']),
    ],
    inputs: [v('a', F, [2, 3, 4]), v('b', F, [4]), v('c', F, [3, 1]), v('p', F, [2, 3, 4]), v('ai', TT.INT32, [2, 3, 4]), v('bi', TT.INT32, [4])],
    outputs: [
      ...['add', 'sub', 'mul', 'div', 'pow', 'pow_i', 'max', 'min', 'sum', 'mean', 'mod', 'where', 'prelu', 'cast_f', 'castlike'].map((n): OutSpec => [n, F]),
      ...['eq', 'gt', 'lt', 'ge', 'le', 'and', 'or', 'xor', 'not', 'cast_b'].map((n): OutSpec => [n, B]),
      ['idiv', TT.INT32], ['imod', TT.INT32], ['imul', TT.INT32], ['cast_i', TT.INT32],
    ],
    initializers: [f32('slope', [4], [0.1, 0.2, 0.3, 0.4]), tensor('two', TT.INT64, [], BigInt64Array.from([2n]))],
  }, {
    a: feed([2, 3, 4], -5, 5), b: { data: Float32Array.from([1.5, -2, 3, 0.5]), shape: [4] }, c: feed([3, 1], -3, 3), p: feed([2, 3, 4], 0.5, 2),
    ai: { data: Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 23 - 11), shape: [2, 3, 4] }, bi: { data: Int32Array.from([3, -4, 5, 2]), shape: [4] },
  });
});

test('shape and data movement', async () => {
  const I = TT.INT64;
  await agree({
    opset: 18,
    nodes: [
      node('Reshape', ['x', 'shape'], ['reshape']), node('Flatten', ['x'], ['flatten'], { axis: 2 }),
      node('Unsqueeze', ['x', 'ax02'], ['unsq']), node('Squeeze', ['unsq', 'ax02'], ['sq']),
      node('Concat', ['x', 'x'], ['concat'], { axis: 1 }), node('Split', ['x', 'splits'], ['s0', 's1'], { axis: 2 }),
      node('Split', ['x'], ['n0', 'n1'], { axis: 2, num_outputs: 2 }), node('Transpose', ['x'], ['tr'], { perm: [2, 0, 1] }),
      node('Tile', ['x', 'reps'], ['tile']), node('Expand', ['col', 'eshape'], ['expand']),
      node('Slice', ['x', 'st', 'en', 'axes', 'steps'], ['slice']), node('Slice', ['x', 'st2', 'en2', 'ax2'], ['slice2']),
      node('Gather', ['x', 'gidx'], ['gather'], { axis: 1 }), node('GatherElements', ['x', 'geidx'], ['gel'], { axis: 2 }),
      node('GatherND', ['x', 'gnidx'], ['gnd']), node('ScatterND', ['x', 'snidx', 'snupd'], ['snd']),
      node('ScatterElements', ['x', 'geidx', 'seupd'], ['sel'], { axis: 2 }),
      node('Pad', ['x', 'pads', 'padv'], ['pad']), node('Pad', ['x', 'pads'], ['padr'], { mode: 'reflect' }), node('Pad', ['x', 'pads'], ['pade'], { mode: 'edge' }),
      node('Trilu', ['m', 'k1'], ['triu']), node('Trilu', ['m'], ['tril'], { upper: 0 }),
      node('Shape', ['x'], ['shp']), node('ConstantOfShape', ['shp'], ['cos'], { value: f32('v', [1], [2.5]) }),
      node('Size', ['x'], ['size']), node('Range', ['r0', 'r1', 'r2'], ['range']), node('CumSum', ['x', 'ax1'], ['cumsum'], { exclusive: 1, reverse: 1 }),
      node('DepthToSpace', ['img'], ['d2s'], { blocksize: 2, mode: 'CRD' }), node('DepthToSpace', ['img'], ['d2s_dcr'], { blocksize: 2 }),
      node('SpaceToDepth', ['img'], ['s2d'], { blocksize: 2 }), node('ReverseSequence', ['seq', 'lens'], ['revseq'], { batch_axis: 1, time_axis: 0 }),
    ],
    inputs: [v('x', F, [2, 3, 4]), v('col', F, [3, 1]), v('m', F, [4, 5]), v('img', F, [1, 8, 2, 4]), v('seq', F, [4, 3, 2])],
    outputs: [
      ...['reshape', 'flatten', 'unsq', 'sq', 'concat', 's0', 's1', 'n0', 'n1', 'tr', 'tile', 'expand', 'slice', 'slice2', 'gather', 'gel', 'gnd', 'snd', 'sel',
        'pad', 'padr', 'pade', 'triu', 'tril', 'cos', 'cumsum', 'd2s', 'd2s_dcr', 's2d', 'revseq'].map((n): OutSpec => [n, F]),
      ['shp', I], ['size', I], ['range', I],
    ],
    initializers: [
      i64('shape', [3], [0, -1, 2]), i64('ax02', [2], [0, 2]), i64('splits', [2], [1, 3]), i64('reps', [3], [1, 2, 1]), i64('eshape', [3], [2, 3, 4]),
      i64('st', [2], [-1, 3]), i64('en', [2], [-100, 0]), i64('axes', [2], [1, 2]), i64('steps', [2], [-1, -2]),
      i64('st2', [1], [1]), i64('en2', [1], ['9223372036854775807' as unknown as number]), i64('ax2', [1], [2]),
      i64('gidx', [2, 2], [0, -1, 2, 1]), i64('geidx', [2, 3, 2], [0, 3, 1, 1, 2, 0, 3, 3, 0, 1, 2, 2]),
      i64('gnidx', [2, 2], [0, 1, 1, 2]), i64('snidx', [2, 2], [1, 0, 0, 2]), f32('snupd', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]),
      f32('seupd', [2, 3, 2], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -2]), i64('pads', [6], [0, 1, 2, 1, 0, 1]), f32('padv', [], [-7]),
      i64('k1', [], [1]), i64('r0', [], [3]), i64('r1', [], [-5]), i64('r2', [], [-2]), i64('ax1', [], [2]), i64('lens', [3], [4, 2, 1]),
    ],
  }, { x: feed([2, 3, 4]), col: feed([3, 1]), m: feed([4, 5]), img: feed([1, 8, 2, 4]), seq: feed([4, 3, 2]) });
});

test('reductions, ArgMax/ArgMin, older opsets with attribute axes', async () => {
  const reds = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceSumSquare'];
  await agree({
    opset: 18,
    nodes: [
      ...reds.map((op, i) => node(op, ['x', 'axes'], [`r${i}`], { keepdims: i % 2 })),
      node('ReduceLogSum', ['p', 'axes'], ['logsum']), node('ReduceSum', ['x'], ['all'], { keepdims: 0 }),
      node('ArgMax', ['x'], ['amax'], { axis: 1, keepdims: 0 }), node('ArgMin', ['x'], ['amin'], { axis: -1 }),
      node('ArgMax', ['t'], ['amax_last'], { axis: 1, select_last_index: 1 }),
    ],
    inputs: [v('x', F, [2, 3, 4]), v('p', F, [2, 3, 4]), v('t', F, [2, 4])],
    outputs: [...reds.map((_, i): OutSpec => [`r${i}`, F]), ['logsum', F], ['all', F], ['amax', TT.INT64], ['amin', TT.INT64], ['amax_last', TT.INT64]],
    initializers: [i64('axes', [2], [0, -1])],
  }, { x: feed([2, 3, 4], -2, 2), p: feed([2, 3, 4], 0.5, 2), t: { data: Float32Array.from([1, 3, 3, 0, 2, 2, 1, 2]), shape: [2, 4] } });
  await agree({
    opset: 11,
    nodes: [node('ReduceMean', ['x'], ['m'], { axes: [1] }), node('ReduceSum', ['x'], ['s'], { axes: [0, 2], keepdims: 0 })],
    inputs: [v('x', F, [2, 3, 4])], outputs: [['m', F], ['s', F]],
  }, { x: feed([2, 3, 4]) });
});

test('convolution, pooling, normalization, resize, matmul and gemm', async () => {
  const w = (name: string, dims: number[]) => f32(name, dims, rnd(dims.reduce((a, b) => a * b, 1), -0.5, 0.5));
  await agree({
    opset: 18,
    nodes: [
      node('Conv', ['x', 'w', 'bias'], ['conv'], { pads: [1, 0, 1, 2], strides: [2, 1], dilations: [1, 2] }),
      node('Conv', ['x', 'wg'], ['convg'], { group: 2, auto_pad: 'SAME_UPPER', strides: [2, 2] }),
      node('Conv', ['x1', 'w1'], ['conv1d'], { pads: [1, 1] }),
      node('ConvTranspose', ['x', 'wt'], ['convt'], { strides: [2, 2], output_padding: [1, 0], pads: [0, 1, 0, 0] }),
      node('MaxPool', ['x'], ['maxpool'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
      node('AveragePool', ['x'], ['avgpool'], { kernel_shape: [2, 3], pads: [1, 1, 0, 1], count_include_pad: 1 }),
      node('AveragePool', ['x'], ['avgpool2'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node('LpPool', ['x'], ['lppool'], { kernel_shape: [2, 2], p: 2 }),
      node('GlobalAveragePool', ['x'], ['gap']), node('GlobalMaxPool', ['x'], ['gmp']),
      node('BatchNormalization', ['x', 'scale', 'bias4', 'mean', 'var'], ['bn'], { epsilon: 1e-3 }),
      node('InstanceNormalization', ['x', 'scale', 'bias4'], ['inorm']),
      node('LayerNormalization', ['x', 'lnscale', 'lnbias'], ['ln'], { axis: -1 }),
      node('LayerNormalization', ['x', 'lnscale2'], ['ln2'], { axis: 1 }),
      node('GroupNormalization', ['x', 'gscale', 'gbias'], ['gn'], { num_groups: 2 }),
      node('LpNormalization', ['x'], ['lpn'], { axis: 1, p: 2 }), node('MeanVarianceNormalization', ['x'], ['mvn']),
      node('Resize', ['x', '', 'scales'], ['resize_lin'], { mode: 'linear' }),
      node('Resize', ['x', '', '', 'sizes'], ['resize_nn'], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }),
      node('MatMul', ['a', 'b'], ['mm']), node('MatMul', ['vec', 'b'], ['mv']), node('MatMul', ['a', 'vec2'], ['mv2']),
      node('Gemm', ['g', 'gb', 'gc'], ['gemm'], { transB: 1, alpha: 0.5, beta: { float: 2 } }),
    ],
    inputs: [v('x', F, [1, 4, 6, 7]), v('x1', F, [2, 3, 9]), v('a', F, [2, 3, 5]), v('vec', F, [5]), v('vec2', F, [5]), v('g', F, [3, 5])],
    outputs: ['conv', 'convg', 'conv1d', 'convt', 'maxpool', 'avgpool', 'avgpool2', 'lppool', 'gap', 'gmp', 'bn', 'inorm', 'ln', 'ln2', 'gn', 'lpn', 'mvn',
      'resize_lin', 'resize_nn', 'mm', 'mv', 'mv2', 'gemm'].map((n): OutSpec => [n, F]),
    initializers: [
      w('w', [5, 4, 3, 2]), w('bias', [5]), w('wg', [6, 2, 3, 3]), w('w1', [4, 3, 3]), w('wt', [4, 3, 3, 3]),
      w('scale', [4]), w('bias4', [4]), w('mean', [4]), f32('var', [4], [0.5, 1, 1.5, 2]), w('lnscale', [7]), w('lnbias', [7]),
      w('lnscale2', [4, 6, 7]), w('gscale', [2]), w('gbias', [2]), f32('scales', [4], [1, 1, 0.5, 2]), i64('sizes', [4], [1, 4, 12, 14]),
      w('b', [5, 4]), w('gb', [4, 5]), w('gc', [4]),
    ],
  }, { x: feed([1, 4, 6, 7]), x1: feed([2, 3, 9]), a: feed([2, 3, 5]), vec: feed([5]), vec2: feed([5]), g: feed([3, 5]) }, { tol: 2e-4 });
});

test('GRU and LSTM (bidirectional, bias, initial state, input and forget peepholes)', async () => {
  const H = 3;
  const I = 4;
  const w = (name: string, dims: number[]) => f32(name, dims, rnd(dims.reduce((a, b) => a * b, 1), -0.5, 0.5));
  await agree({
    opset: 14,
    nodes: [
      node('GRU', ['x', 'gw', 'gr', 'gb', '', 'h0'], ['gy', 'gh'], { hidden_size: H, direction: 'bidirectional', linear_before_reset: 1 }),
      node('GRU', ['x', 'gw1', 'gr1'], ['', 'gh1'], { hidden_size: H }),
      node('LSTM', ['x', 'lw', 'lr', 'lb', '', 'h01', 'c01', 'p'], ['ly', 'lh', 'lc'], { hidden_size: H, direction: 'reverse' }),
    ],
    inputs: [v('x', F, [5, 2, I])],
    outputs: ['gy', 'gh', 'gh1', 'ly', 'lh', 'lc'].map((n): OutSpec => [n, F]),
    initializers: [
      w('gw', [2, 3 * H, I]), w('gr', [2, 3 * H, H]), w('gb', [2, 6 * H]), w('h0', [2, 2, H]), w('gw1', [1, 3 * H, I]), w('gr1', [1, 3 * H, H]),
      w('lw', [1, 4 * H, I]), w('lr', [1, 4 * H, H]), w('lb', [1, 8 * H]), w('h01', [1, 2, H]), w('c01', [1, 2, H]),
      // ONNX's output-gate peephole reads the new cell state (WebNN's the previous one): left zero here.
      f32('p', [1, 3 * H], [0.3, -0.2, 0.1, 0, 0, 0, 0.25, 0.5, -0.4]),
    ],
  }, { x: feed([5, 2, I]) });
});

test('quantization: QuantizeLinear, DequantizeLinear (per tensor, per axis), DynamicQuantizeLinear, MatMulInteger, ConvInteger', async () => {
  const U8 = TT.UINT8;
  await agree({
    opset: 13,
    nodes: [
      node('QuantizeLinear', ['x', 'qs', 'qz'], ['q']), node('QuantizeLinear', ['x', 'qsa'], ['qa'], { axis: 1 }),
      node('DequantizeLinear', ['q', 'qs', 'qz'], ['dq']), node('DequantizeLinear', ['i8', 'qsa'], ['dqa'], { axis: 1 }),
      node('DynamicQuantizeLinear', ['x'], ['dy', 'dys', 'dyz']),
      node('MatMulInteger', ['ma', 'mb', 'maz', 'mbz'], ['mmi']), node('ConvInteger', ['ci', 'cw', 'ciz'], ['convi']),
    ],
    inputs: [v('x', F, [2, 3, 4])],
    outputs: [['q', U8], ['qa', U8], ['dq', F], ['dqa', F], ['dy', U8], ['dys', F], ['dyz', U8], ['mmi', TT.INT32], ['convi', TT.INT32]],
    initializers: [
      f32('qs', [], [0.02]), tensor('qz', U8, [], Uint8Array.from([128])), f32('qsa', [3], [0.01, 0.02, 0.05]),
      tensor('i8', TT.INT8, [2, 3, 4], Int8Array.from({ length: 24 }, (_, i) => i * 11 - 128)),
      tensor('ma', U8, [3, 4], Uint8Array.from({ length: 12 }, (_, i) => i * 20)), tensor('mb', U8, [4, 2], Uint8Array.from({ length: 8 }, (_, i) => 255 - i * 30)),
      tensor('maz', U8, [], Uint8Array.from([10])), tensor('mbz', U8, [], Uint8Array.from([100])),
      tensor('ci', U8, [1, 2, 4, 4], Uint8Array.from({ length: 32 }, (_, i) => (i * 37) % 256)), tensor('cw', U8, [3, 2, 2, 2], Uint8Array.from({ length: 24 }, (_, i) => (i * 53) % 256)),
      tensor('ciz', U8, [], Uint8Array.from([7])),
    ],
  }, { x: feed([2, 3, 4], -2, 2) });
});

test('If: a constant condition, a condition from shapes, and an input frozen with values', async () => {
  const branch = (name: string, op: string) => ({ graph: graph({ nodes: [node(op, ['x'], [`${name}_out`])], inputs: [], outputs: [v(`${name}_out`, F, [2, 3])] }, name) });
  const base = {
    opset: 17,
    inputs: [v('x', F, [2, 3]), v('flag', TT.BOOL, [1])],
    outputs: [['y', F], ['z', F]] as OutSpec[],
    initializers: [tensor('yes', TT.BOOL, [], Uint8Array.from([1])), i64('two', [], [2])],
  };
  const nodes = [
    node('If', ['yes'], ['y'], { then_branch: branch('t1', 'Relu'), else_branch: branch('e1', 'Neg') }),
    node('Shape', ['x'], ['s']), node('Gather', ['s', 'zero'], ['s0'], { axis: 0 }), node('Equal', ['s0', 'two'], ['is2']),
    node('If', ['is2'], ['z'], { then_branch: branch('t2', 'Exp'), else_branch: branch('e2', 'Abs') }),
  ];
  await agree({ ...base, nodes, initializers: [...base.initializers, i64('zero', [], [0])] }, { x: feed([2, 3]), flag: { data: Uint8Array.from([1]), shape: [1] } });
  // A runtime condition must be frozen; the error names the input.
  const frozen = [node('If', ['flag'], ['y'], { then_branch: branch('t3', 'Sigmoid'), else_branch: branch('e3', 'Tanh') }), node('Identity', ['y'], ['z'])];
  context ??= await ml.createContext();
  const bytes = model({ ...base, nodes: frozen, outputs: [v('y', F, [2, 3]), v('z', F, [2, 3])] });
  await assert.rejects(importOnnx(bytes, { context, modelName: 'flag.onnx' }), /flag\.onnx: node 'If_y' \(If\): the condition is not known when the model is imported \(it depends on input 'flag'; freeze it with --value flag=\.\.\.\)/);
  for (const flag of [0, 1]) {
    const m = await importOnnx(bytes, { context, values: { flag: [flag] } });
    assert.deepEqual(Object.keys(m.inputs), ['x']);
    const x = new Float32Array([-1, 0, 1, 2, -2, 0.5]);
    const r = await context.compute(m.graph, { x });
    const want = Array.from(x, (t) => (flag ? 1 / (1 + Math.exp(-t)) : Math.tanh(t)));
    assert.ok(closeness(r.y!.data as Float32Array, want, 1e-6, 1e-5) <= 1);
  }
});
