// The spec's "check dimensions" for MLOperandDescriptor / MLTensorDescriptor arguments.
import { ALL_DATA_TYPES, byteLength as bytesOf, isDataType, isSubByte } from '../graph/dtypes.js';
import { descriptorOf, dimsOf, type OperandDescriptor } from '../graph/ir.js';
import { dimsToString, invalidDynamicDim, maxSizes, type Dim } from '../graph/dims.js';
import { elementCount, isValidDimension, MAX_RANK, MAX_TENSOR_BYTE_LENGTH, MAX_DIMENSION, shapeToString } from '../graph/shape.js';

/** A validated copy of a caller's descriptor; throws TypeError naming `what` and the problem. */
export function checkDescriptor(value: unknown, what: string): OperandDescriptor {
  return checkShape(value, what, false);
}

/**
 * An input's descriptor: shape entries may also be dynamic dimensions {name, maxSize}. `declared` holds the names
 * earlier inputs declared (name → maxSize and the declaring input); one name must have one maxSize.
 */
export function checkInputDescriptor(value: unknown, what: string, declared: Map<string, { maxSize: number; by: string }>): OperandDescriptor {
  const desc = checkShape(value, what, true);
  // 4-bit data is packed two elements per byte at the graph boundary, which needs a static element count.
  if (desc.dims && isSubByte(desc.dataType)) throw new TypeError(`${what}: ${desc.dataType} inputs must have static shapes`);
  const fresh = new Map<string, { maxSize: number; by: string }>();
  for (const d of dimsOf(desc)) {
    if (typeof d === 'number') continue;
    const prior = declared.get(d.name) ?? fresh.get(d.name);
    if (prior && prior.maxSize !== d.maxSize) {
      throw new TypeError(`${what}: dynamic dimension '${d.name}' has maxSize ${d.maxSize}, but ${prior.by} declared it with maxSize ${prior.maxSize}`);
    }
    fresh.set(d.name, { maxSize: d.maxSize, by: what });
  }
  for (const [name, v] of fresh) if (!declared.has(name)) declared.set(name, v);
  return desc;
}

function checkShape(value: unknown, what: string, allowDynamic: boolean): OperandDescriptor {
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
  const dims: Dim[] = raw.map((d, i) => {
    if (allowDynamic && d !== null && typeof d === 'object') {
      const why = invalidDynamicDim(d);
      if (why) throw new TypeError(`${what}: dynamic dimension ${i} ${why}`);
      const { name, maxSize } = d as { name: string; maxSize: number };
      return { name, maxSize };
    }
    if (d !== null && typeof d === 'object' && 'maxSize' in d) {
      throw new TypeError(`${what}: dimension ${i} is dynamic (${show(d)}); only graph inputs may have dynamic dimensions`);
    }
    const n = enforceRangeUint(d);
    if (!isValidDimension(n)) throw new TypeError(invalidDimension(what, raw, i, allowDynamic));
    return n;
  });
  const numeric = maxSizes(dims);
  const count = elementCount(numeric);
  if (count > MAX_DIMENSION) throw new TypeError(`${what}: shape ${shapeToString(numeric)} has ${count} elements, more than ${MAX_DIMENSION}`);
  if (bytesOf(dataType, count) > MAX_TENSOR_BYTE_LENGTH) {
    throw new TypeError(`${what}: shape ${shapeToString(numeric)} of ${dataType} exceeds the maximum tensor byte length ${MAX_TENSOR_BYTE_LENGTH}`);
  }
  return descriptorOf(dataType, dims);
}

/** The error for dimension `i` of `raw`, a shape that is not a sequence of valid dimensions. */
export function invalidDimension(what: string, raw: readonly unknown[], i: number, allowDynamic: boolean): string {
  const text = allowDynamic ? show : String;
  // A dynamic dimension of size 0 (an empty cache) is a size at dispatch, not a tensor's dimension.
  const zero = raw[i] === 0 && !allowDynamic ? '; a dynamic dimension of size 0 is given to dispatch as an active shape (inputShapes) of a larger tensor' : '';
  return `${what}: shape [${raw.map(text).join(', ')}] has an invalid dimension ${text(raw[i])} (must be an integer from 1 to ${MAX_DIMENSION}${allowDynamic ? ', or {name, maxSize}' : ''}${zero})`;
}

function show(v: unknown): string {
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
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
  return `${desc.dataType}${desc.dims ? dimsToString(desc.dims) : shapeToString(desc.shape)}`;
}
