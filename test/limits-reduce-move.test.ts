// opSupportLimits() must tell the truth for the reductions and the shaping ops: every data type and rank they
// advertise builds, runs and matches a plain-JS reference. Harness in test/support/limits.ts.
import { test } from 'node:test';
import type { MLOperandDataType } from '../src/index.js';
import { DTYPES } from '../src/graph/dtypes.js';
import { checkAdvertised, count, signed, small, type Case } from './support/limits.js';

// --- plain-JS tensor helpers (row-major) ---

const stridesOf = (shape: number[]) => shape.map((_, i) => count(shape.slice(i + 1)));
const coordsOf = (index: number, shape: number[]) => stridesOf(shape).map((s, i) => Math.floor(index / s) % shape[i]!);
const indexOf = (coords: number[], shape: number[]) => coords.reduce((acc, c, i) => acc + c * stridesOf(shape)[i]!, 0);

/** Output values of `outShape`, each read from the input coordinates `source` names (null: `fill`). */
function gather(x: number[], inShape: number[], outShape: number[], source: (out: number[]) => number[] | null, fill = 0): number[] {
  return Array.from({ length: count(outShape) }, (_, o) => {
    const from = source(coordsOf(o, outShape));
    return from ? x[indexOf(from, inShape)]! : fill;
  });
}

/** Groups the input values by their coordinates outside `axes` and reduces each group with `f`. */
function reduceRef(x: number[], shape: number[], axes: number[], f: (group: number[]) => number): number[] {
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const groups: number[][] = Array.from({ length: count(outShape) }, () => []);
  x.forEach((v, i) => {
    const kept = coordsOf(i, shape).filter((_, d) => !axes.includes(d));
    groups[indexOf(kept, outShape)]!.push(v);
  });
  return groups.map(f);
}

/** The first and last axes (each reduced dimension of shapeOf(rank) is at most 3, which keeps products small). */
const someAxes = (rank: number) => (rank === 0 ? [] : rank === 1 ? [0] : [0, rank - 1]);

const sum = (g: number[]) => g.reduce((a, b) => a + b, 0);
const REDUCERS = {
  reduceL1: (g) => sum(g.map(Math.abs)),
  reduceL2: (g) => Math.sqrt(sum(g.map((v) => v * v))),
  reduceLogSum: (g) => Math.log(sum(g)),
  reduceLogSumExp: (g) => Math.log(sum(g.map(Math.exp))),
  reduceMax: (g) => Math.max(...g),
  reduceMean: (g) => sum(g) / g.length,
  reduceMin: (g) => Math.min(...g),
  reduceProduct: (g) => g.reduce((a, b) => a * b, 1),
  reduceSum: sum,
  reduceSumSquare: (g) => sum(g.map((v) => v * v)),
} satisfies Record<string, (g: number[]) => number>;
type Reduction = keyof typeof REDUCERS;

/** uint64 values beyond 2^63, where a signed reinterpretation would get the order wrong; small values otherwise. */
const wide = (i: number, arg: number, t: MLOperandDataType) => (t === 'uint64' && i % 3 === 1 ? 2 ** 63 + 2048 * i : signed(i, arg, t));

const cases: Record<string, Case> = {};

for (const [name, f] of Object.entries(REDUCERS) as [Reduction, (g: number[]) => number][]) {
  const values = name === 'reduceLogSum' || name === 'reduceProduct' ? small : name === 'reduceMax' || name === 'reduceMin' ? wide : signed;
  cases[name] = {
    inputs: 1, values,
    call: (b, [x], _t, rank) => b[name](x!, rank === 0 ? {} : { axes: someAxes(rank) }),
    ref: (xs, s) => reduceRef(xs[0]!, s, someAxes(s.length), f),
  };
  // Empty axes: the reduction applies to each element on its own (|x| for L1, x² for SumSquare, ...).
  cases[`${name} with empty axes`] = {
    op: name, inputs: 1, values,
    call: (b, [x]) => b[name](x!, { axes: [], keepDimensions: true }),
    ref: (xs) => xs[0]!.map((v) => f([v])),
  };
}

/** Index of the first extreme value along the last axis (ties: the first index). */
function argRef(x: number[], shape: number[], better: (a: number, b: number) => boolean): number[] {
  const axis = shape.length - 1;
  return reduceRef(x.map((v, i) => i), shape, [axis], (group) => {
    let best = 0;
    group.forEach((flat, k) => { if (better(x[flat]!, x[group[best]!]!)) best = k; });
    return best;
  });
}
// Pairs of equal neighbours (0 0 1 1 0 0 ...), so that most rows have a tie; uint64 uses 0 and 2^63.
const tied = (i: number, _arg: number, t: MLOperandDataType) => (Math.floor(i / 2) % 2) * (t === 'uint64' ? 2 ** 63 : 1) - (DTYPES[t].signed ? 1 : 0);
for (const [op, better] of [['argMin', (a: number, b: number) => a < b], ['argMax', (a: number, b: number) => a > b]] as const) {
  for (const outputDataType of ['int32', 'int64'] as const) {
    cases[`${op} → ${outputDataType}`] = {
      op, outputDataType, inputs: 1, values: tied,
      call: (b, [x], _t, rank) => b[op](x!, rank - 1, { outputDataType }),
      ref: (xs, s) => argRef(xs[0]!, s, better),
    };
  }
}

function cumulativeRef(x: number[], shape: number[], axis: number, exclusive: boolean, reversed: boolean): number[] {
  return x.map((_, i) => {
    const at = coordsOf(i, shape);
    let acc = 0;
    for (let k = 0; k < shape[axis]!; k++) {
      const included = reversed ? k > at[axis]! || (!exclusive && k === at[axis]) : k < at[axis]! || (!exclusive && k === at[axis]);
      if (included) acc += x[indexOf(at.map((c, d) => (d === axis ? k : c)), shape)]!;
    }
    return acc;
  });
}
cases.cumulativeSum = {
  inputs: 1, values: signed,
  call: (b, [x], _t, rank) => b.cumulativeSum(x!, rank - 1),
  ref: (xs, s) => cumulativeRef(xs[0]!, s, s.length - 1, false, false),
};
cases['cumulativeSum exclusive reversed'] = {
  op: 'cumulativeSum', inputs: 1, values: signed,
  call: (b, [x]) => b.cumulativeSum(x!, 0, { exclusive: true, reversed: true }),
  ref: (xs, s) => cumulativeRef(xs[0]!, s, 0, true, true),
};

cases.expand = {
  inputs: 1, values: signed,
  call: (b, [x]) => b.expand(x!, [2, ...x!.shape]),
  ref: (xs) => [...xs[0]!, ...xs[0]!],
};

const padding = (shape: number[]) => shape.map((d) => (d > 1 ? 1 : 0));
const padSource = (mode: 'constant' | 'edge' | 'reflection', shape: number[]) => (out: number[]) => {
  const at = out.map((c, i) => c - padding(shape)[i]!);
  if (mode === 'constant') return at.every((c, i) => c >= 0 && c < shape[i]!) ? at : null;
  return at.map((c, i) => {
    const last = shape[i]! - 1;
    if (mode === 'edge') return Math.min(Math.max(c, 0), last);
    return c < 0 ? -c : c > last ? 2 * last - c : c;
  });
};
for (const mode of ['constant', 'edge', 'reflection'] as const) {
  cases[`pad ${mode}`] = {
    op: 'pad', inputs: 1, values: signed,
    call: (b, [x]) => b.pad(x!, padding([...x!.shape]), padding([...x!.shape]), { mode, value: 7 }),
    ref: (xs, s) => gather(xs[0]!, s, s.map((d, i) => d + 2 * padding(s)[i]!), padSource(mode, s), 7),
  };
}

cases.reverse = {
  inputs: 1, values: signed,
  call: (b, [x]) => b.reverse(x!),
  // Reversing every axis of a row-major tensor reverses its element order.
  ref: (xs) => [...xs[0]!].reverse(),
};
cases['reverse first axis'] = {
  op: 'reverse', inputs: 1, values: signed,
  call: (b, [x], _t, rank) => b.reverse(x!, { axes: rank === 0 ? [] : [0] }),
  ref: (xs, s) => gather(xs[0]!, s, s, (out) => out.map((c, i) => (i === 0 ? s[0]! - 1 - c : c))),
};

// From index 1 where the dimension allows, every second element.
const sliceStarts = (shape: number[]) => shape.map((d) => (d > 1 ? 1 : 0));
cases.slice = {
  inputs: 1, values: signed,
  call: (b, [x]) => {
    const starts = sliceStarts([...x!.shape]);
    return b.slice(x!, starts, x!.shape.map((d, i) => d - starts[i]!), { strides: x!.shape.map(() => 2) });
  },
  ref: (xs, s) => {
    const starts = sliceStarts(s);
    const outShape = s.map((d, i) => Math.ceil((d - starts[i]!) / 2));
    return gather(xs[0]!, s, outShape, (out) => out.map((c, i) => starts[i]! + 2 * c));
  },
};

cases.split = {
  inputs: 1, values: signed,
  // shapeOf(rank)[0] is 2: the second part is the second half of the elements.
  call: (b, [x]) => b.split(x!, [1, 1])[1]!,
  ref: (xs) => xs[0]!.slice(xs[0]!.length / 2),
};
cases['split by count'] = {
  op: 'split', inputs: 1, values: signed,
  call: (b, [x], _t, rank) => b.split(x!, x!.shape[rank - 1]!, { axis: rank - 1 })[0]!,
  ref: (xs, s) => gather(xs[0]!, s, s.map((d, i) => (i === s.length - 1 ? 1 : d)), (out) => out),
};

cases.tile = {
  inputs: 1, values: signed,
  call: (b, [x]) => b.tile(x!, x!.shape.map((_, i) => (i % 2 === 0 ? 2 : 1))),
  ref: (xs, s) => gather(xs[0]!, s, s.map((d, i) => (i % 2 === 0 ? 2 * d : d)), (out) => out.map((c, i) => c % s[i]!)),
};

for (const [upper, diagonal] of [[true, -1], [false, 1], [true, 0]] as const) {
  cases[`triangular upper=${upper} diagonal=${diagonal}`] = {
    op: 'triangular', inputs: 1, values: (i, arg, t) => signed(i, arg, t) + (DTYPES[t].signed ? 0 : 1),
    call: (b, [x]) => b.triangular(x!, { upper, diagonal }),
    ref: (xs, s) => gather(xs[0]!, s, s, (out) => {
      const [row, col] = out.slice(-2) as [number, number];
      return (upper ? col - row >= diagonal : col - row <= diagonal) ? out : null;
    }),
  };
}

test('every data type and rank that opSupportLimits() advertises for reductions and shaping ops builds, runs and computes', async (t) => {
  await checkAdvertised(t, cases);
});
