// Operand descriptors, typed arrays in the API's encodings, row-major indexing and value comparison: the helpers
// every test file shares.
import assert from 'node:assert/strict';
import type { MLDimension, MLOperandDataType } from '../../src/index.js';
import { DTYPES, packNibbles, unpackNibbles, type TypedArray } from '../../src/graph/dtypes.js';
import { fromFloat16Bits, toFloat16Bits } from '../../src/graph/float16.js';

export type { TypedArray };
/** An element value: 64-bit integer types carry bigints. */
export type Value = number | bigint;

/** An operand descriptor; with numbers only it is also an MLOperandDescriptor (constants, tensors). */
export interface Descriptor<D extends MLDimension = number> { dataType: MLOperandDataType; shape: D[] }
interface DescriptorOf {
  (...shape: number[]): Descriptor;
  /** With dynamic dimensions ({name, maxSize}): a graph input's descriptor. */
  (...shape: MLDimension[]): Descriptor<MLDimension>;
}
export function desc(dataType: MLOperandDataType, shape: readonly number[]): Descriptor;
export function desc(dataType: MLOperandDataType, shape: readonly MLDimension[]): Descriptor<MLDimension>;
export function desc(dataType: MLOperandDataType, shape: readonly MLDimension[]): Descriptor<MLDimension> {
  return { dataType, shape: [...shape] };
}
const of = (dataType: MLOperandDataType) => ((...shape: MLDimension[]) => desc(dataType, shape)) as DescriptorOf;
/** Descriptors of one data type from their dimensions: f32(2, 3) is float32[2, 3]. */
export const f32 = of('float32');
export const f16 = of('float16');
export const i32 = of('int32');
export const u32 = of('uint32');
export const i64 = of('int64');
export const i8 = of('int8');
export const u8 = of('uint8');

/** Element count of a shape. */
export const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
/** Row-major strides of a shape. */
export const strides = (shape: readonly number[]): number[] => shape.map((_, i) => count(shape.slice(i + 1)));
/** Index tuples of `shape` in row-major order. */
export const indices = (shape: readonly number[]): number[][] => {
  const st = strides(shape);
  return Array.from({ length: count(shape) }, (_, f) => shape.map((d, i) => Math.floor(f / st[i]!) % d));
};
/** The element of row-major `values` of `shape` at index tuple `idx`. */
export const at = <T>(values: readonly T[], shape: readonly number[], idx: readonly number[]): T => {
  const st = strides(shape);
  return values[idx.reduce((a, v, i) => a + v * st[i]!, 0)]!;
};
/** `n` float32 values f(0), f(1), ... (each rounded to float32). */
export const sequence = (n: number, f: (i: number) => number = (i) => i): number[] => Array.from({ length: n }, (_, i) => Math.fround(f(i)));
/** Deterministic values in [-2, 2) with a few distinct fractions, so sums are exact enough to compare. */
export const sampleValues = (n: number, seed = 1): number[] => Array.from({ length: n }, (_, i) => (((i * 7 + seed * 13) % 16) - 8) / 4);

/** The index tuple of flat row-major `index` in `shape`. */
export const coordsOf = (index: number, shape: readonly number[]): number[] => strides(shape).map((s, i) => Math.floor(index / s) % shape[i]!);
/** The flat row-major index of index tuple `coords` in `shape`. */
export const indexOf = (coords: readonly number[], shape: readonly number[]): number => {
  const st = strides(shape);
  return coords.reduce((acc, c, i) => acc + c * st[i]!, 0);
};
/** Output values of `outShape`, each read from the input coordinates `source` names (null: `fill`). */
export function remap(x: readonly number[], inShape: number[], outShape: number[], source: (out: number[]) => number[] | null, fill = 0): number[] {
  return Array.from({ length: count(outShape) }, (_, o) => {
    const from = source(coordsOf(o, outShape));
    return from ? x[indexOf(from, inShape)]! : fill;
  });
}

/** erf by its Maclaurin series: ample precision for |x| ≤ 2. */
export function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Rounds to the nearest integer, ties to even (the spec's roundEven). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const r = x - f;
  return r > 0.5 || (r === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

/** Transposes `data` of `shape` by `perm` (output dimension i is input dimension perm[i]). */
export function permute(data: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const st = strides(shape);
  const out = new Array<number>(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < data.length; o++) {
    let rem = o;
    let src = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      idx[d] = rem % outShape[d]!;
      rem = Math.floor(rem / outShape[d]!);
      src += idx[d]! * st[perm[d]!]!;
    }
    out[o] = data[src]!;
  }
  return out;
}
/** The permutation that takes `from` layout letters to `to` (e.g. 'hwio' → 'oihw'). */
export const layoutPerm = (from: string, to: string): number[] => [...to].map((l) => from.indexOf(l));

/** `values` as the buffer the API takes for `t`: float16 as bit patterns, 64-bit as bigints, int4/uint4 packed. */
export function toArray(values: readonly Value[], t: MLOperandDataType): TypedArray {
  const d = DTYPES[t];
  if (d.bits < 8) return packNibbles(values.map(Number));
  const out = new d.array(values.length);
  values.forEach((v, i) => {
    if (d.big) (out as BigInt64Array)[i] = BigInt(v);
    else if (t === 'float16') (out as Uint16Array)[i] = toFloat16Bits(Number(v));
    else (out as Float32Array)[i] = Number(v);
  });
  return out;
}

/** The exact values of `data` holding type `t`: float16 decoded, 64-bit as bigints, int4/uint4 (`n` of them) unpacked. */
export function valuesOf(data: TypedArray, t: MLOperandDataType, n?: number): Value[] {
  if (DTYPES[t].bits < 8) return Array.from(unpackNibbles(t, data as Uint8Array, n ?? 2 * data.length));
  return Array.from(data as ArrayLike<Value>, (v) => (t === 'float16' ? fromFloat16Bits(Number(v)) : v));
}

/** As valuesOf, every value a number (64-bit ones rounded to double). */
export function fromArray(data: TypedArray, t: MLOperandDataType, n?: number): number[] {
  return valuesOf(data, t, n).map(Number);
}

/** `values` rounded once to float16 (the spec's result of a float16 operator computed exactly). */
export const roundToFloat16 = (values: readonly number[]): number[] => values.map((v) => fromFloat16Bits(toFloat16Bits(v)));

/**
 * Asserts `actual` matches `expected` element by element: bigints and non-finite values exactly (NaN matches NaN),
 * finite numbers within `tol` times max(1, |expected|), or within atol + rtol·|expected| when `tol` is an object.
 */
export function assertClose(actual: ArrayLike<Value>, expected: ArrayLike<Value>, tol: number | { atol: number; rtol: number }, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    if (typeof a === 'bigint' || typeof e === 'bigint' || !Number.isFinite(e)) {
      if (!(Object.is(a, e) || (Number.isNaN(e) && Number.isNaN(a)) || a === e)) assert.fail(`${what}: element ${i} is ${a}, expected ${e}`);
      continue;
    }
    const bound = typeof tol === 'number' ? tol * Math.max(1, Math.abs(e)) : tol.atol + tol.rtol * Math.abs(e);
    if (!(Math.abs(Number(a) - e) <= bound)) assert.fail(`${what}: element ${i} is ${a}, expected ${e}`);
  }
}

/** Asserts a result has `shape` and float32 values within `ulps` float32 units of the reference (NaN equals NaN). */
export function assertUlps(actual: { shape: number[]; data: ArrayLike<Value> }, shape: number[], expected: readonly number[], ulps = 4): void {
  assert.deepEqual(actual.shape, shape);
  assert.equal(actual.data.length, expected.length);
  expected.forEach((e, i) => {
    const a = Number(actual.data[i]);
    if (Number.isNaN(e)) return assert.ok(Number.isNaN(a), `[${i}] ${a} is not NaN`);
    assert.ok(Math.abs(a - e) <= ulps * Math.max(Math.abs(e) * 2 ** -23, 2 ** -149), `[${i}] ${a} != ${e}`);
  });
}
