// What an operator's `create` step works with: argument conversion the way WebIDL does it, operand resolution,
// and the TypeError that names the operator and its label.
import { ALL_DATA_TYPES, byteLength, isDataType, type MLOperandDataType } from '../graph/dtypes.js';
import { descriptorOf, type OperandDescriptor } from '../graph/ir.js';
import { elementCount, isValidDimension, MAX_DIMENSION, MAX_RANK, MAX_TENSOR_BYTE_LENGTH, shapeToString } from '../graph/shape.js';
import { baseNames, canonicalName, dimsToString, evaluateDim, firstDynamic, isDynamic, type Dim } from '../graph/dims.js';
import type { MLNumber } from '../graph/cast.js';
import type { MLTensorLimits } from './registry.js';

export interface OperandRef {
  readonly id: number;
  readonly dataType: MLOperandDataType;
  /** Static sizes; a dynamic dimension holds its maxSize here (only ops with `dynamic: true` ever see one). */
  readonly shape: readonly number[];
  readonly rank: number;
  /** The dimensions, dynamic ones as {name, maxSize} (graph/dims.ts). Equal to `shape` when all are static. */
  readonly dims: readonly Dim[];
}

export type OperandResolver = (value: unknown) => OperandRef | undefined;

/** Printable form of a caller-provided label: control characters dropped, length bounded. */
export function sanitizeLabel(label: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = label.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

export function opErrorPrefix(op: string, label: string): string {
  return label ? `${op} [${sanitizeLabel(label)}]` : op;
}

export class OpContext {
  constructor(
    readonly op: string,
    readonly label: string,
    private readonly resolve: OperandResolver,
    private readonly limits: Readonly<Record<string, MLTensorLimits>>,
    /** Whether the op accepts dynamic dimensions (OpDef.dynamic). */
    private readonly acceptsDynamic = false,
    /** maxSize of each dynamic dimension name the graph's inputs declare. */
    private readonly dimBounds: ReadonlyMap<string, number> = new Map(),
  ) {}

  fail(message: string): never {
    throw new TypeError(`${opErrorPrefix(this.op, this.label)}: ${message}`);
  }

  /** Resolves an MLOperand argument of this builder and checks it against the op's limits for `param`. */
  operand(value: unknown, param: string): OperandRef {
    const ref = this.resolve(value);
    if (!ref) {
      this.fail(value === undefined ? `argument '${param}' is required` : `argument '${param}' is not an MLOperand of this builder`);
    }
    const lim = this.limits[param];
    if (lim) this.checkLimits(lim, ref.dataType, ref.rank, `'${param}'`);
    if (!this.acceptsDynamic) {
      const d = firstDynamic(ref.dims);
      if (d) this.fail(`argument '${param}' has dynamic dimension '${d.name}'; ${this.op} requires static shapes`);
    }
    return ref;
  }

  /** An optional operand member of the options dictionary. */
  optionalOperand(value: unknown, param: string): OperandRef | null {
    return value === undefined ? null : this.operand(value, param);
  }

  operandList(value: unknown, param: string): OperandRef[] {
    if (!isIterable(value) || typeof value === 'string') this.fail(`argument '${param}' must be a sequence of MLOperand`);
    return [...value].map((v) => this.operand(v, param));
  }

  /** Checks an output descriptor against the op's limits and the dimension rules. */
  output(dataType: MLOperandDataType, shape: readonly number[], param = 'output'): OperandDescriptor {
    for (const d of shape) if (!isValidDimension(d)) this.fail(`output dimension ${d} of shape ${shapeToString(shape)} is not a valid dimension`);
    this.checkElementCount(dataType, shape, '');
    const lim = this.limits[param];
    if (lim) this.checkLimits(lim, dataType, shape.length, 'output');
    return { dataType, shape: [...shape] };
  }

  /**
   * The spec's "check dimensions" of a descriptor, which every operand must pass: the element count is a valid
   * dimension too, and the byte length within what the implementation supports.
   */
  private checkElementCount(dataType: MLOperandDataType, shape: readonly number[], note: string): void {
    const count = elementCount(shape);
    if (count > MAX_DIMENSION) this.fail(`output shape ${shapeToString(shape)}${note} has ${count} elements, more than ${MAX_DIMENSION}`);
    if (byteLength(dataType, count) > MAX_TENSOR_BYTE_LENGTH) {
      this.fail(`output shape ${shapeToString(shape)}${note} has ${count} elements of ${dataType}, a byte length over the supported ${MAX_TENSOR_BYTE_LENGTH}`);
    }
  }

  /** Like output(), from Dims that may be dynamic (for ops with `dynamic: true`). */
  outputDims(dataType: MLOperandDataType, dims: readonly Dim[], param = 'output'): OperandDescriptor {
    for (const d of dims) {
      if (isDynamic(d)) {
        if (d.maxSize > MAX_DIMENSION) this.fail(`output dimension '${d.name}' can reach ${d.maxSize}, more than ${MAX_DIMENSION}`);
      } else if (!isValidDimension(d)) {
        this.fail(`output dimension ${d} of shape ${dimsToString(dims)} is not a valid dimension`);
      }
    }
    this.checkElementCount(dataType, dims.map((d) => (isDynamic(d) ? d.maxSize : d)), dims.some(isDynamic) ? ' (at its bounds)' : '');
    const lim = this.limits[param];
    if (lim) this.checkLimits(lim, dataType, dims.length, 'output');
    return descriptorOf(dataType, dims);
  }

  /** A new shape (reshape's and expand's newShape): a dimList of at most MAX_RANK valid dimensions. */
  shapeList(value: unknown, name: string): Dim[] {
    const shape = this.dimList(value, name);
    if (shape.length > MAX_RANK) this.fail(`${name} has rank ${shape.length}, more than the supported ${MAX_RANK}`);
    for (const d of shape) if (!isDynamic(d) && !isValidDimension(d)) this.fail(`${name} ${dimsToString(shape)} has an invalid dimension ${d}`);
    return shape;
  }

  /**
   * A sequence whose entries are unsigned longs or dynamic dimensions {name, maxSize} of this graph (e.g. reshape's
   * newShape). A name must be one the graph's inputs declare, or a derived name such as 'past + seq' over them,
   * with the matching maxSize.
   */
  dimList(value: unknown, name: string): Dim[] {
    if (!isIterable(value) || typeof value === 'string') this.fail(`${name} must be a sequence of unsigned long`);
    return [...value].map((v, i) => (v !== null && typeof v === 'object' ? this.dynamicDim(v, `${name}[${i}]`) : this.uint(v, `${name}[${i}]`)));
  }

  private dynamicDim(value: object, what: string): Dim {
    const { name, maxSize } = value as { name?: unknown; maxSize?: unknown };
    if (typeof name !== 'string') this.fail(`${what} must be an unsigned long or {name, maxSize}`);
    let canonical: string | number;
    try {
      canonical = canonicalName(name);
    } catch {
      return this.fail(`${what} has name ${JSON.stringify(name)}, which is not a dimension name (an identifier, or a derived name such as 'past + seq' or '4*seq')`);
    }
    const dim: Dim = typeof canonical === 'number' ? canonical : { name: canonical, maxSize: 0 };
    for (const base of baseNames(dim)) {
      if (!this.dimBounds.has(base)) this.fail(`${what} names dynamic dimension '${base}', which no graph input declares`);
    }
    const bound = evaluateDim(dim, this.dimBounds);
    if (maxSize !== bound) this.fail(`${what} '${name}' has maxSize ${String(maxSize)}, but its bound is ${bound}`);
    return typeof canonical === 'number' ? canonical : { name: canonical, maxSize: bound };
  }

  private checkLimits(lim: MLTensorLimits, dataType: MLOperandDataType, rank: number, what: string): void {
    if (!lim.dataTypes.includes(dataType)) {
      this.fail(`${what} has data type ${dataType}, which is not one of the supported types (${lim.dataTypes.join(', ')})`);
    }
    const max = Math.min(lim.rankRange.max, MAX_RANK);
    if (rank < lim.rankRange.min || rank > max) {
      this.fail(`${what} has rank ${rank}, outside the supported range ${lim.rankRange.min} to ${max}`);
    }
  }

  /** A dictionary argument: undefined/null are {}, anything but an object is a TypeError (WebIDL). */
  options(value: unknown): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' && typeof value !== 'function') this.fail('options must be a dictionary');
    return value as Record<string, unknown>;
  }

  /** `[EnforceRange] unsigned long`. */
  uint(value: unknown, name: string): number {
    const n = toNumber(value);
    if (!Number.isFinite(n)) this.fail(`${name} must be a finite number (got ${describeValue(value)})`);
    const t = Math.trunc(n);
    if (t < 0 || t > 0xffffffff) this.fail(`${name} ${describeValue(value)} is out of the unsigned long range`);
    return t;
  }

  optionalUint(value: unknown, name: string, fallback: number): number {
    return value === undefined ? fallback : this.uint(value, name);
  }

  uintList(value: unknown, name: string): number[] {
    if (!isIterable(value) || typeof value === 'string') this.fail(`${name} must be a sequence of unsigned long`);
    return [...value].map((v, i) => this.uint(v, `${name}[${i}]`));
  }

  /** `double` (finite) with a default. */
  double(value: unknown, name: string, fallback: number): number {
    if (value === undefined) return fallback;
    const n = toNumber(value);
    if (!Number.isFinite(n)) this.fail(`${name} must be a finite number (got ${describeValue(value)})`);
    return n;
  }

  /** `MLNumber` (bigint or unrestricted double). */
  number(value: unknown, name: string): MLNumber {
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number') return value;
    if (value === undefined || typeof value === 'object' || typeof value === 'symbol') this.fail(`${name} must be a number or bigint`);
    return toNumber(value);
  }

  bool(value: unknown, fallback: boolean): boolean {
    return value === undefined ? fallback : Boolean(value);
  }

  enumValue<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T {
    return value === undefined ? fallback : this.requiredEnum(value, allowed, name);
  }

  /** A WebIDL enum value with no default (a sequence item): ToString, then it must be one of `allowed`. */
  requiredEnum<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
    const text = typeof value === 'symbol' ? undefined : describeValue(value);
    if (text === undefined || !allowed.includes(text as T)) this.fail(`${name} '${text ?? typeof value}' is not one of ${allowed.join(', ')}`);
    return text as T;
  }

  dataType(value: unknown, name: string): MLOperandDataType {
    if (!isDataType(value)) this.fail(`${name} '${describeValue(value)}' is not an MLOperandDataType (${ALL_DATA_TYPES.join(', ')})`);
    return value;
  }
}

/**
 * WebIDL's ToNumber where it succeeds (null is 0, objects convert through valueOf/toString), NaN where it would throw
 * (bigints, symbols, a toString that throws), so that callers report the operator's own TypeError.
 */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint' || typeof value === 'symbol') return NaN;
  try {
    return Number(value);
  } catch {
    return NaN;
  }
}

/** WebIDL's ToString where it succeeds; the type name where the value's toString throws. */
export function describeValue(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}

function isIterable(v: unknown): v is Iterable<unknown> {
  return v !== null && typeof v === 'object' && Symbol.iterator in v;
}
