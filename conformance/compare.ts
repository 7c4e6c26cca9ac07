// Tolerance checks of the WPT WebNN conformance tests: ULP distance over the data type's bit patterns, or ATOL.
import { DTYPES, type MLOperandDataType, type TypedArray } from '../src/graph/dtypes.js';
import { float32Bits, fromFloat16Bits, toFloat16Bits } from '../src/graph/float16.js';
import { decodeBigInt, decodeNumber } from './cases.js';

export interface Tolerance { metricType: 'ULP' | 'ATOL'; value: number }

/** Bit pattern as a signed, monotonically ordered integer (so that ULP distance is a difference). */
function orderedBits(x: number, dataType: MLOperandDataType): number {
  if (dataType === 'float16') {
    const b = toFloat16Bits(x);
    return b & 0x8000 ? -(b & 0x7fff) : b;
  }
  const b = float32Bits(x);
  return b & 0x80000000 ? -(b & 0x7fffffff) : b;
}

/** First mismatch as a message, or undefined when every compared element is within tolerance. */
export function compareOutput(actual: TypedArray, expectedData: unknown, dataType: MLOperandDataType,
  tolerance: Tolerance, limit = Infinity): string | undefined {
  const d = DTYPES[dataType];
  const n = Math.min(actual.length, limit);
  const expectedValues = Array.isArray(expectedData) ? expectedData : undefined;
  if (expectedValues && expectedValues.length !== actual.length) {
    return `output has ${actual.length} elements, expected ${expectedValues.length}`;
  }
  for (let i = 0; i < n; i++) {
    const ev = expectedValues ? expectedValues[i] : expectedData;
    if (d.big) {
      const a = (actual as BigInt64Array)[i]!;
      const e = decodeBigInt(ev);
      const diff = a > e ? a - e : e - a;
      if (diff > BigInt(Math.floor(tolerance.value))) return `element ${i}: got ${a}, expected ${e}`;
      continue;
    }
    const a = dataType === 'float16' ? fromFloat16Bits((actual as Uint16Array)[i]!) : Number((actual as Float32Array)[i]);
    const e = decodeNumber(ev);
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
      return `element ${i}: got ${a}, expected ${e}`;
    }
    let ok: boolean;
    if (tolerance.metricType === 'ATOL') ok = Math.abs(a - e) <= tolerance.value || a === e;
    else if (d.kind === 'int') ok = Math.abs(a - e) <= tolerance.value;
    else if (a === e) ok = true;
    else ok = Math.abs(orderedBits(a, dataType) - orderedBits(e, dataType)) <= tolerance.value;
    if (!ok) return `element ${i}: got ${a}, expected ${e} (${tolerance.metricType} ${tolerance.value})`;
  }
  return undefined;
}
