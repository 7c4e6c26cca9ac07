// Developer tool: asks onnxruntime-node which (ONNX op, element type) pairs its CPU provider runs, by building a
// one-node model per pair. Its output informs the type tables in src/backends/onnxruntime/kernels.ts.
// Usage: node --import tsx scripts/probe-ort-kernels.ts [OpType ...]
import ort from 'onnxruntime-node';
import { encodeModel, OnnxDataType, type OnnxModel } from '../src/onnx/schema.js';

const types: Record<string, number> = {
  float32: OnnxDataType.FLOAT, float16: OnnxDataType.FLOAT16, int32: OnnxDataType.INT32, uint32: OnnxDataType.UINT32,
  int64: OnnxDataType.INT64, uint64: OnnxDataType.UINT64, int8: OnnxDataType.INT8, uint8: OnnxDataType.UINT8,
  bool: OnnxDataType.BOOL,
};
const arrays: Record<string, (n: number) => unknown> = {
  float32: (n) => new Float32Array(n).fill(1), float16: (n) => new Uint16Array(n).fill(0x3c00),
  int32: (n) => new Int32Array(n).fill(1), uint32: (n) => new Uint32Array(n).fill(1),
  int64: (n) => new BigInt64Array(n).fill(1n), uint64: (n) => new BigUint64Array(n).fill(1n),
  int8: (n) => new Int8Array(n).fill(1), uint8: (n) => new Uint8Array(n).fill(1), bool: (n) => new Uint8Array(n).fill(1),
};
// op → number of inputs (same type) and shape
const ops: Record<string, { n: number; shape: number[]; out?: string }> = {
  Add: { n: 2, shape: [2, 2] }, Sub: { n: 2, shape: [2, 2] }, Mul: { n: 2, shape: [2, 2] }, Div: { n: 2, shape: [2, 2] },
  Max: { n: 2, shape: [2, 2] }, Min: { n: 2, shape: [2, 2] }, Pow: { n: 2, shape: [2, 2] }, MatMul: { n: 2, shape: [2, 2] },
  Relu: { n: 1, shape: [2, 2] }, Sigmoid: { n: 1, shape: [2, 2] }, Tanh: { n: 1, shape: [2, 2] },
  Softmax: { n: 1, shape: [2, 2] }, Transpose: { n: 1, shape: [2, 2] }, Concat: { n: 2, shape: [2, 2] },
  Abs: { n: 1, shape: [2, 2] }, Neg: { n: 1, shape: [2, 2] }, Exp: { n: 1, shape: [2, 2] }, Log: { n: 1, shape: [2, 2] },
  Sqrt: { n: 1, shape: [2, 2] }, Identity: { n: 1, shape: [2, 2] }, Ceil: { n: 1, shape: [2, 2] },
  Floor: { n: 1, shape: [2, 2] }, Cos: { n: 1, shape: [2, 2] }, Sin: { n: 1, shape: [2, 2] }, Tan: { n: 1, shape: [2, 2] },
  Erf: { n: 1, shape: [2, 2] }, Reciprocal: { n: 1, shape: [2, 2] }, Round: { n: 1, shape: [2, 2] },
  Sign: { n: 1, shape: [2, 2] }, IsNaN: { n: 1, shape: [2, 2], out: 'bool' }, IsInf: { n: 1, shape: [2, 2], out: 'bool' },
  Equal: { n: 2, shape: [2, 2], out: 'bool' }, Greater: { n: 2, shape: [2, 2], out: 'bool' },
  Less: { n: 2, shape: [2, 2], out: 'bool' }, GreaterOrEqual: { n: 2, shape: [2, 2], out: 'bool' },
  LessOrEqual: { n: 2, shape: [2, 2], out: 'bool' }, Elu: { n: 1, shape: [2, 2] }, Softplus: { n: 1, shape: [2, 2] },
  Softsign: { n: 1, shape: [2, 2] }, HardSigmoid: { n: 1, shape: [2, 2] }, HardSwish: { n: 1, shape: [2, 2] },
  LeakyRelu: { n: 1, shape: [2, 2] }, PRelu: { n: 2, shape: [2, 2] }, Clip: { n: 1, shape: [2, 2] },
  CumSum: { n: 1, shape: [2, 2] }, Gelu: { n: 1, shape: [2, 2] },
};

async function probe(op: string, type: string): Promise<boolean> {
  const spec = ops[op]!;
  const elem = types[type]!;
  const inputs = Array.from({ length: spec.n }, (_, i) => `x${i}`);
  const extraInit = [];
  const nodeInputs = [...inputs];
  if (op === 'CumSum') { nodeInputs.push('axis'); extraInit.push({ name: 'axis', dims: [], dataType: OnnxDataType.INT64, rawData: new Uint8Array(8) }); }
  const outElem = spec.out ? types[spec.out]! : elem;
  const outShape = op === 'Concat' ? [4, 2] : spec.shape;
  const vi = (name: string, t: number, shape: number[]) => ({ name, type: { tensorType: { elemType: t, shape: { dim: shape.map((d) => ({ dimValue: d })) } } } });
  const attribute = op === 'Concat' ? [{ name: 'axis', type: 2, i: 0 }] : [];
  const model: OnnxModel = {
    irVersion: 10, opsetImport: [{ domain: '', version: 21 }], producerName: 'probe', producerVersion: '0',
    graph: {
      name: 'g', node: [{ input: nodeInputs, output: ['y'], name: 'n', opType: op, domain: op === 'Gelu' ? '' : '', attribute }],
      initializer: extraInit, input: inputs.map((n) => vi(n, elem, spec.shape)), output: [vi('y', outElem, outShape)],
    },
  };
  try {
    const s = await ort.InferenceSession.create(encodeModel(model));
    const feeds: Record<string, ort.Tensor> = {};
    for (const n of inputs) feeds[n] = new ort.Tensor(type as 'float32', arrays[type]!(4) as Float32Array, spec.shape);
    await s.run(feeds);
    await s.release();
    return true;
  } catch { return false; }
}

const wanted = process.argv.slice(2);
for (const op of wanted.length ? wanted : Object.keys(ops)) {
  const ok: string[] = [];
  for (const t of Object.keys(types)) if (await probe(op, t)) ok.push(t);
  console.log(`${op}: ${ok.join(' ')}`);
}
