// Builder validation tables in the style of the W3C WPT WebNN validation tests: per case a builder call and either
// the expected output descriptor(s) or "throws TypeError" (whose message names the operator and its label). The
// facts come from reading those tests and the spec's algorithms; where the two disagree the spec wins (see the
// `spec:` notes in the tables). Operands are written as descriptors, f32(2, 3), wherever they appear (positional
// arguments, sequences, option members) and become inputs of the builder under test.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLOperand, type MLContext, type MLOperandDataType } from '../../src/index.js';
import { getOp } from '../../src/ops/registry.js';
import { MAX_TENSOR_BYTE_LENGTH } from '../../src/graph/shape.js';
import { context } from './graph.js';

/** The largest unsigned long. */
export const MAX_ULONG = 2 ** 32 - 1;
/** maxTensorByteLength as tsnn reports it (checked in test/ops/validation.test.ts); WPT derives shapes from it. */
export const MAX_BYTES = MAX_TENSOR_BYTE_LENGTH;
export const REDUCTIONS = ['reduceL1', 'reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin',
  'reduceProduct', 'reduceSum', 'reduceSumSquare'] as const;

type Out = [MLOperandDataType, number[]];
export interface WptCase {
  op: string;
  args: unknown[];
  /** Expected output(s); absent: the call throws a TypeError. */
  out?: Out | Out[];
  note?: string;
}
export const ok = (op: string, args: unknown[], dataType: MLOperandDataType, shape: number[]): WptCase => ({ op, args, out: [dataType, shape] });
export const bad = (op: string, args: unknown[], note?: string): WptCase => ({ op, args, note });

/** An operand written as a descriptor: a plain object with exactly dataType and shape. */
function isOperandSpec(v: unknown): v is { dataType: MLOperandDataType; shape: number[] } {
  if (!v || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && 'dataType' in v && 'shape' in v;
}

/** Replaces every operand descriptor in `v` (recursively through arrays and plain objects) with a fresh input of `b`. */
function materialize(b: MLGraphBuilder, v: unknown, names: { n: number }): unknown {
  if (isOperandSpec(v)) return b.input(`in${names.n++}`, { dataType: v.dataType, shape: v.shape });
  if (Array.isArray(v)) return v.map((x) => materialize(b, x, names));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialize(b, x, names)]));
  }
  return v;
}

function call(ctx: MLContext, c: WptCase, label?: string): unknown {
  const b = new MLGraphBuilder(ctx);
  const args = materialize(b, c.args, { n: 0 }) as unknown[];
  if (label !== undefined) {
    const at = getOp(c.op)!.optionsAt;
    while (args.length < at) args.push(undefined);
    args[at] = { ...((args[at] as object | undefined) ?? {}), label };
  }
  return (b as unknown as Record<string, (...a: unknown[]) => unknown>)[c.op]!(...args);
}

function describeArgs(c: WptCase): string {
  return JSON.stringify(c.args, (_k, v: unknown) =>
    isOperandSpec(v) ? `${v.dataType}[${v.shape.join(',')}]` : typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
}

const LABEL = 'wpt_label';

/** One test per case: the expected output descriptors, or a TypeError naming the operator and its label. */
export function validationTable(family: string, cases: readonly WptCase[]): void {
  let ctx: MLContext;
  describe(`WPT-style validation: ${family}`, () => {
    before(async () => {
      ctx = await context();
    });
    for (const c of cases) {
      const what = `${c.op}(${describeArgs(c)})${c.note ? ` — ${c.note}` : ''}`;
      if (c.out) {
        test(`${what} → ${JSON.stringify(c.out)}`, () => {
          const result = call(ctx, c);
          const outs = (Array.isArray(result) ? result : [result]) as MLOperand[];
          const expected = (Array.isArray(c.out![0]) ? c.out : [c.out]) as Out[];
          assert.equal(outs.length, expected.length);
          outs.forEach((o, i) => {
            assert.ok(o instanceof MLOperand);
            assert.equal(o.dataType, expected[i]![0]);
            assert.deepEqual(o.shape, expected[i]![1]);
          });
        });
      } else {
        test(`${what} → TypeError`, () => {
          assert.throws(
            () => call(ctx, c, LABEL),
            (e: unknown) => e instanceof TypeError && !(e instanceof DOMException) && e.message.startsWith(`${c.op} [${LABEL}]: `),
          );
        });
      }
    }
  });
}
