// The spec's "check dimensions" for MLOperandDescriptor / MLTensorDescriptor arguments.
import { ALL_DATA_TYPES, byteLength as bytesOf, isDataType } from '../graph/dtypes.js';
import type { OperandDescriptor } from '../graph/ir.js';
import { elementCount, isValidDimension, MAX_RANK, MAX_TENSOR_BYTE_LENGTH, MAX_DIMENSION, shapeToString } from '../graph/shape.js';

/** A validated copy of a caller's descriptor; throws TypeError naming `what` and the problem. */
export function checkDescriptor(value: unknown, what: string): OperandDescriptor {
  if (!value || typeof value !== 'object') throw new TypeError(`${what}: descriptor must be an object with dataType and shape`);
  const { dataType, shape } = value as { dataType?: unknown; shape?: unknown };
  if (!isDataType(dataType)) {
    throw new TypeError(`${what}: dataType '${String(dataType)}' is not one of ${ALL_DATA_TYPES.join(', ')}`);
  }
  if (shape === undefined && 'dimensions' in (value as object)) {
    throw new TypeError(`${what}: descriptor has 'dimensions'; the spec now calls it 'shape'`);
  }
  if (!Array.isArray(shape) && !(shape && typeof shape === 'object' && Symbol.iterator in shape)) {
    throw new TypeError(`${what}: shape must be a sequence of dimensions`);
  }
  const raw = [...(shape as Iterable<unknown>)];
  if (raw.length > MAX_RANK) throw new TypeError(`${what}: rank ${raw.length} exceeds the supported maximum ${MAX_RANK}`);
  const dims = raw.map((d) => enforceRangeUint(d));
  dims.forEach((d, i) => {
    if (!isValidDimension(d)) {
      throw new TypeError(`${what}: shape [${raw.map(String).join(', ')}] has an invalid dimension ${String(raw[i])} (must be an integer from 1 to ${MAX_DIMENSION})`);
    }
  });
  const numeric = dims as number[];
  const count = elementCount(numeric);
  if (count > MAX_DIMENSION) throw new TypeError(`${what}: shape ${shapeToString(numeric)} has ${count} elements, more than ${MAX_DIMENSION}`);
  if (bytesOf(dataType, count) > MAX_TENSOR_BYTE_LENGTH) {
    throw new TypeError(`${what}: shape ${shapeToString(numeric)} of ${dataType} exceeds the maximum tensor byte length ${MAX_TENSOR_BYTE_LENGTH}`);
  }
  return { dataType, shape: numeric };
}

/** WebIDL `[EnforceRange] unsigned long`: non-finite or out-of-range values fail (NaN here), fractions truncate. */
function enforceRangeUint(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return NaN;
  const t = Math.trunc(v);
  return t < 0 || t > 0xffffffff ? NaN : t;
}

export function byteLength(desc: OperandDescriptor): number {
  return bytesOf(desc.dataType, elementCount(desc.shape));
}

export function sameDescriptor(a: OperandDescriptor, b: OperandDescriptor): boolean {
  return a.dataType === b.dataType && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

export function describe(desc: OperandDescriptor): string {
  return `${desc.dataType}${shapeToString(desc.shape)}`;
}
