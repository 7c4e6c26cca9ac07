// The spec's "cast" of an abstract number (MLNumber: bigint or double) to an MLOperandDataType:
// floats round to nearest-even with overflow to ±Infinity; integers clamp, NaN → 0, and fractions truncate toward
// zero. The spec's ConvertToInt rounds fractions to the nearest integer instead; the W3C conformance tests (and the
// browsers they are written against) truncate — clamp(int64 x, {minValue: 3.9}) clamps at 3 — and so does tsnn's
// `cast` operator, so an MLNumber and a cast tensor agree.
import { DTYPES, intRange, packNibbles, type MLOperandDataType } from './dtypes.js';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';

export type MLNumber = number | bigint;

/** Cast `x` to `dataType`; the result is a bigint for 64-bit integer types and a number otherwise. */
export function castNumber(x: MLNumber, dataType: MLOperandDataType): number | bigint {
  const d = DTYPES[dataType];
  if (d.kind === 'float') {
    const n = Number(x);
    return dataType === 'float16' ? fromFloat16Bits(toFloat16Bits(n)) : Math.fround(n);
  }
  const { min, max } = intRange(dataType);
  let v: bigint;
  if (typeof x === 'bigint') {
    v = x < min ? min : x > max ? max : x;
  } else if (Number.isNaN(x)) {
    v = 0n;
  } else if (x <= Number(min)) {
    v = min;
  } else if (x >= Number(max)) {
    v = max;
  } else {
    v = BigInt(Math.trunc(x));
    if (v > max) v = max;
  }
  return d.big ? v : Number(v);
}

/** The bytes of one element of `dataType` holding the cast of `x`. */
export function encodeScalar(dataType: MLOperandDataType, x: MLNumber): Uint8Array {
  const d = DTYPES[dataType];
  const v = castNumber(x, dataType);
  if (d.bits < 8) return packNibbles([v as number]);
  const arr = new d.array(1);
  if (dataType === 'float16') (arr as Uint16Array)[0] = toFloat16Bits(v as number);
  else (arr as unknown as { [i: number]: number | bigint })[0] = v;
  return new Uint8Array(arr.buffer);
}
