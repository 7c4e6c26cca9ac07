// opSupportLimits() must tell the truth: every data type and rank it advertises for an operator builds and runs,
// and gives the values a plain-JS reference computes. Harness in test/support/limits.ts.
import { test } from 'node:test';
import { ml } from '../src/index.js';
import { checkAdvertised, count, map1, runOne, signed, small, transposeRef, zip2, type Case, type Limits } from './support/limits.js';
import { DTYPES } from '../src/graph/dtypes.js';

const cases: Record<string, Case> = {
  add: { inputs: 2, values: small, call: (b, [x, y]) => b.add(x!, y!), ref: zip2((a, b) => a + b) },
  sub: { inputs: 2, values: (i, arg) => (arg === 0 ? 5 + (i % 4) : i % 4), call: (b, [x, y]) => b.sub(x!, y!), ref: zip2((a, b) => a - b) },
  mul: { inputs: 2, values: small, call: (b, [x, y]) => b.mul(x!, y!), ref: zip2((a, b) => a * b) },
  div: {
    inputs: 2, values: (i, arg) => (arg === 0 ? 3 + (i % 9) : 1 + (i % 3)), call: (b, [x, y]) => b.div(x!, y!),
    ref: (xs, _s, t) => zip2((a, b) => (DTYPES[t].kind === 'int' ? Math.trunc(a / b) : a / b))(xs),
  },
  max: { inputs: 2, values: small, call: (b, [x, y]) => b.max(x!, y!), ref: zip2(Math.max) },
  min: { inputs: 2, values: small, call: (b, [x, y]) => b.min(x!, y!), ref: zip2(Math.min) },
  pow: { inputs: 2, values: (i, arg) => (arg === 0 ? 1 + (i % 3) : i % 3), call: (b, [x, y]) => b.pow(x!, y!), ref: zip2((a, b) => a ** b) },
  abs: { inputs: 1, values: signed, call: (b, [x]) => b.abs(x!), ref: map1(Math.abs) },
  neg: { inputs: 1, values: signed, call: (b, [x]) => b.neg(x!), ref: map1((a) => -a) },
  relu: { inputs: 1, values: signed, call: (b, [x]) => b.relu(x!), ref: map1((a) => Math.max(a, 0)) },
  exp: { inputs: 1, values: (i) => (i % 5) / 2 - 1, call: (b, [x]) => b.exp(x!), ref: map1(Math.exp) },
  log: { inputs: 1, values: (i) => 0.5 + (i % 5), call: (b, [x]) => b.log(x!), ref: map1(Math.log) },
  sqrt: { inputs: 1, values: (i) => i % 5, call: (b, [x]) => b.sqrt(x!), ref: map1(Math.sqrt) },
  sigmoid: { inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x]) => b.sigmoid(x!), ref: map1((a) => 1 / (1 + Math.exp(-a))) },
  tanh: { inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x]) => b.tanh(x!), ref: map1(Math.tanh) },
  identity: { inputs: 1, values: signed, call: (b, [x]) => b.identity(x!), ref: (xs) => xs[0]! },
  reshape: { inputs: 1, values: signed, call: (b, [x]) => b.reshape(x!, [count([...x!.shape])]), ref: (xs) => xs[0]! },
  transpose: { inputs: 1, values: signed, call: (b, [x]) => b.transpose(x!), ref: (xs, s) => transposeRef(xs[0]!, s) },
  concat: { inputs: 1, values: signed, call: (b, [x]) => b.concat([x!, x!], 0), ref: (xs) => [...xs[0]!, ...xs[0]!], param: 'inputs' },
  softmax: {
    inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x], _t, rank) => b.softmax(x!, rank - 1),
    ref: (xs, s) => {
      const last = s[s.length - 1]!;
      const out: number[] = [];
      for (let r = 0; r < xs[0]!.length; r += last) {
        const row = xs[0]!.slice(r, r + last).map(Math.exp);
        const sum = row.reduce((a, b) => a + b, 0);
        out.push(...row.map((v) => v / sum));
      }
      return out;
    },
  },
  matmul: {
    inputs: 2, values: signed, param: 'a', minRank: 2,
    call: (b, [x, y]) => b.matmul(x!, b.transpose(y!, { permutation: [...y!.shape.keys()].map((k, _i, all) => (k >= all.length - 2 ? (k === all.length - 2 ? all.length - 1 : all.length - 2) : k)) })),
    ref: (xs, s) => {
      // x·yᵀ over the last two dims of shape s (y transposed in the graph), per batch.
      const [m, k] = [s[s.length - 2]!, s[s.length - 1]!];
      const out: number[] = [];
      for (let base = 0; base < xs[0]!.length; base += m * k) {
        for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
          let acc = 0;
          for (let p = 0; p < k; p++) acc += xs[0]![base + i * k + p]! * xs[1]![base + j * k + p]!;
          out.push(acc);
        }
      }
      return out;
    },
  },
};

test('every data type and rank that opSupportLimits() advertises builds, runs and computes', async (t) => {
  await checkAdvertised(t, cases);
  await t.test('cast between every pair of advertised types', async () => {
    const ctx = await ml.createContext();
    const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
    const { dataTypes } = limits.cast!.input!;
    const to = limits.cast!.output!.dataTypes;
    const values: Case = { inputs: 1, values: (i) => i % 4, call: () => { throw new Error('unused'); }, ref: (xs) => xs[0]! };
    for (const from of dataTypes) for (const target of to) await runOne(ctx, 'cast', values, from, 2, target);
  });
});
