// What an ONNX value is while the importer works: a tensor with an ONNX element type and WebNN dimensions, whose
// elements may be known at import time (a constant, or integers known up to the dynamic dimensions: SymInts), and
// which becomes an MLOperand only when a WebNN operator needs it.
import { DTYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { fromFloat16Bits, toFloat16Bits } from '../graph/float16.js';
import { isDynamic, type Dim } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import { OnnxDataType as T, onnxTypeName } from '../onnx/schema.js';
import { SymInt } from './symbolic.js';

export type Elem = number | bigint;

/** ONNX element types the importer carries, with the WebNN type each travels as. */
const WEBNN_TYPE: Partial<Record<number, MLOperandDataType>> = {
  [T.FLOAT]: 'float32', [T.FLOAT16]: 'float16', [T.INT32]: 'int32', [T.UINT32]: 'uint32', [T.INT64]: 'int64',
  [T.UINT64]: 'uint64', [T.INT8]: 'int8', [T.UINT8]: 'uint8', [T.INT4]: 'int4', [T.UINT4]: 'uint4',
  // WebNN has no bool: comparisons give uint8 0/1, which is what ONNX bool tensors hold.
  [T.BOOL]: 'uint8',
  // WebNN has no double, 16-bit integers or bfloat16: constants are converted, computation runs in the wider or
  // nearest WebNN type.
  [T.DOUBLE]: 'float32', [T.INT16]: 'int32', [T.UINT16]: 'int32', [T.BFLOAT16]: 'float32',
};

export function webnnType(type: number): MLOperandDataType | undefined {
  return WEBNN_TYPE[type];
}

/** The ONNX type a WebNN type stands for (bool is not produced here: comparisons set it explicitly). */
export function onnxTypeOf(t: MLOperandDataType): number {
  return DTYPES[t].onnx;
}

export const isFloatType = (t: number): boolean => t === T.FLOAT || t === T.FLOAT16 || t === T.DOUBLE || t === T.BFLOAT16;
export const isIntType = (t: number): boolean => !isFloatType(t) && t !== T.BOOL && t !== T.STRING && WEBNN_TYPE[t] !== undefined;
/** 64-bit integer types: their elements are bigints in JS. */
export const isBigType = (t: number): boolean => t === T.INT64 || t === T.UINT64;

/** Element size in bytes of an ONNX type's raw data (0 for the 4-bit types, which pack two per byte). */
export function onnxElementBytes(type: number): number | undefined {
  switch (type) {
    case T.FLOAT: case T.INT32: case T.UINT32: return 4;
    case T.DOUBLE: case T.INT64: case T.UINT64: return 8;
    case T.FLOAT16: case T.BFLOAT16: case T.INT16: case T.UINT16: return 2;
    case T.INT8: case T.UINT8: case T.BOOL: return 1;
    case T.INT4: case T.UINT4: return 0;
    default: return undefined;
  }
}

export function rawByteLength(type: number, count: number): number {
  const b = onnxElementBytes(type);
  if (b === undefined) throw new Error(`${onnxTypeName(type)} tensors are not supported`);
  return b === 0 ? Math.ceil(count / 2) : count * b;
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Bytes of a constant that lie in a file (ONNX external data), with a reader for when the importer needs them. */
export interface ExternalBytes {
  /** Where they lie, for backends that read constants from files themselves (absolute path). */
  readonly path: string;
  readonly byteOffset: number;
  readonly byteLength: number;
  read(): Uint8Array;
}

/** A tensor whose elements are known at import time. Raw bytes and element values are each made on demand. */
export class ConstTensor {
  private _bytes?: Uint8Array;
  private _values?: ArrayLike<Elem>;

  private constructor(readonly type: number, readonly shape: readonly number[], bytes?: Uint8Array, values?: ArrayLike<Elem>, readonly external?: ExternalBytes) {
    this._bytes = bytes;
    this._values = values;
  }

  /** From little-endian bytes in ONNX raw layout (a view is kept, not a copy). */
  static fromBytes(type: number, shape: readonly number[], bytes: Uint8Array): ConstTensor {
    return new ConstTensor(type, shape, bytes);
  }

  static fromExternal(type: number, shape: readonly number[], ext: ExternalBytes): ConstTensor {
    return new ConstTensor(type, shape, undefined, undefined, ext);
  }

  /** From element values (bigints for 64-bit integer types, numbers otherwise; float16 as numbers). */
  static fromValues(type: number, shape: readonly number[], values: ArrayLike<Elem>): ConstTensor {
    return new ConstTensor(type, shape, undefined, normalize(type, values));
  }

  static scalar(type: number, v: Elem): ConstTensor {
    return ConstTensor.fromValues(type, [], [v]);
  }

  get count(): number {
    return elementCount(this.shape);
  }

  get byteLength(): number {
    return rawByteLength(this.type, this.count);
  }

  bytes(): Uint8Array {
    if (!this._bytes) this._bytes = this.external ? this.external.read() : encode(this.type, this._values!);
    return this._bytes;
  }

  /** Element values: bigints for 64-bit integers, numbers otherwise (float16/bfloat16 decoded). */
  values(): ArrayLike<Elem> {
    if (!this._values) this._values = decode(this.type, this.bytes(), this.count);
    return this._values;
  }

  /** Elements as numbers (64-bit integers must be safe integers, or clamp when `clampBig`). */
  numbers(clampBig = false): number[] {
    return Array.from(this.values(), (v) => {
      if (typeof v !== 'bigint') return v;
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        if (clampBig) return v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
        throw new Error(`value ${v} is beyond 2^53`);
      }
      return Number(v);
    });
  }

  reshaped(shape: readonly number[]): ConstTensor {
    return new ConstTensor(this.type, shape, this._bytes, this._values, this.external);
  }
}

/** Values stored in the type's natural JS form: the typed array does the rounding and wrapping of each type. */
function normalize(type: number, values: ArrayLike<Elem>): ArrayLike<Elem> {
  const n = values.length;
  const num = (v: Elem) => (typeof v === 'bigint' ? Number(v) : v);
  switch (type) {
    case T.FLOAT: return Float32Array.from({ length: n }, (_, i) => num(values[i]!));
    case T.DOUBLE: return Float64Array.from({ length: n }, (_, i) => num(values[i]!));
    case T.FLOAT16: return Float64Array.from({ length: n }, (_, i) => fromFloat16Bits(toFloat16Bits(num(values[i]!))));
    case T.BFLOAT16: return Float64Array.from({ length: n }, (_, i) => bf16Round(num(values[i]!)));
    case T.INT64: return BigInt64Array.from({ length: n }, (_, i) => toBig(values[i]!));
    case T.UINT64: return BigUint64Array.from({ length: n }, (_, i) => BigInt.asUintN(64, toBig(values[i]!)));
    case T.INT32: return Int32Array.from({ length: n }, (_, i) => intOf(values[i]!));
    case T.UINT32: return Uint32Array.from({ length: n }, (_, i) => intOf(values[i]!));
    case T.INT16: return Int16Array.from({ length: n }, (_, i) => intOf(values[i]!));
    case T.UINT16: return Uint16Array.from({ length: n }, (_, i) => intOf(values[i]!));
    case T.INT8: case T.INT4: return Int8Array.from({ length: n }, (_, i) => intOf(values[i]!));
    case T.UINT8: case T.UINT4: return Uint8Array.from({ length: n }, (_, i) => intOf(values[i]!));
    case T.BOOL: return Uint8Array.from({ length: n }, (_, i) => (num(values[i]!) !== 0 ? 1 : 0));
    default: throw new Error(`${onnxTypeName(type)} tensors are not supported`);
  }
}

function toBig(v: Elem): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isFinite(v)) return 0n;
  return BigInt(Math.trunc(v));
}

function intOf(v: Elem): number {
  if (typeof v === 'bigint') return Number(BigInt.asIntN(64, v) & 0xffffffffn) | 0;
  return Number.isFinite(v) ? Math.trunc(v) : 0;
}

function bf16Round(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (!Number.isNaN(x)) u[0] = ((u[0]! + 0x7fff + ((u[0]! >> 16) & 1)) >>> 16) << 16;
  return f[0]!;
}

function decode(type: number, bytes: Uint8Array, count: number): ArrayLike<Elem> {
  const need = rawByteLength(type, count);
  if (bytes.byteLength !== need) throw new Error(`has ${bytes.byteLength} bytes of data, ${need} expected`);
  const aligned = (size: number) => (bytes.byteOffset % size === 0 ? bytes : Uint8Array.prototype.slice.call(bytes));
  const view = <A>(C: new (b: ArrayBufferLike, o: number, n: number) => A, size: number): A => {
    const b = aligned(size);
    return new C(b.buffer, b.byteOffset, count);
  };
  switch (type) {
    case T.FLOAT: return view(Float32Array, 4);
    case T.DOUBLE: return view(Float64Array, 8);
    case T.INT64: return view(BigInt64Array, 8);
    case T.UINT64: return view(BigUint64Array, 8);
    case T.INT32: return view(Int32Array, 4);
    case T.UINT32: return view(Uint32Array, 4);
    case T.INT16: return view(Int16Array, 2);
    case T.UINT16: return view(Uint16Array, 2);
    case T.INT8: return view(Int8Array, 1);
    case T.UINT8: case T.BOOL: return view(Uint8Array, 1);
    case T.FLOAT16: return Float64Array.from(view(Uint16Array, 2), fromFloat16Bits);
    case T.BFLOAT16: {
      const u = view(Uint16Array, 2);
      const f = new Float32Array(count);
      const fu = new Uint32Array(f.buffer);
      for (let i = 0; i < count; i++) fu[i] = u[i]! << 16;
      return f;
    }
    case T.INT4: case T.UINT4: {
      const out = type === T.INT4 ? new Int8Array(count) : new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const nib = (bytes[i >> 1]! >> ((i & 1) * 4)) & 0xf;
        out[i] = type === T.INT4 && nib >= 8 ? nib - 16 : nib;
      }
      return out;
    }
    default: throw new Error(`${onnxTypeName(type)} tensors are not supported`);
  }
}

function encode(type: number, values: ArrayLike<Elem>): Uint8Array {
  const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  switch (type) {
    case T.FLOAT16: return asBytes(Uint16Array.from(values as ArrayLike<number>, toFloat16Bits));
    case T.BFLOAT16: {
      const f = Float32Array.from(values as ArrayLike<number>);
      const u = new Uint32Array(f.buffer);
      return asBytes(Uint16Array.from(u, (x) => x >>> 16));
    }
    case T.INT4: case T.UINT4: {
      const out = new Uint8Array(Math.ceil(values.length / 2));
      for (let i = 0; i < values.length; i++) out[i >> 1]! |= (Number(values[i]) & 0xf) << ((i & 1) * 4);
      return out;
    }
    default: return asBytes(normalize(type, values) as unknown as ArrayBufferView);
  }
}

/**
 * The bytes of a constant as the WebNN type it travels as: the same bytes where the layouts agree, converted where
 * WebNN has no such type (double → float32, 16-bit integers → int32, bfloat16 → float32).
 */
export function webnnBytes(t: ConstTensor): Uint8Array {
  switch (t.type) {
    case T.DOUBLE: case T.BFLOAT16: {
      const f = Float32Array.from(t.values() as ArrayLike<number>);
      return new Uint8Array(f.buffer);
    }
    case T.INT16: case T.UINT16: {
      const a = Int32Array.from(t.values() as ArrayLike<number>);
      return new Uint8Array(a.buffer);
    }
    default: return t.bytes();
  }
}

/** An ONNX value as the importer holds it. */
export interface Val {
  /** ONNX element type. */
  readonly type: number;
  readonly dims: readonly Dim[];
  /** Every element known at import time. */
  readonly konst?: ConstTensor;
  /** Integer elements known up to dynamic dimensions (row-major; a small tensor, e.g. a shape). */
  readonly sym?: readonly SymInt[];
  /** The WebNN operand, once made. */
  operand?: MLOperand;
}

export function staticShape(v: Val): number[] | undefined {
  return v.dims.some(isDynamic) ? undefined : (v.dims as number[]);
}

export function constVal(t: ConstTensor): Val {
  return { type: t.type, dims: [...t.shape], konst: t };
}

/** A value from SymInts: a constant when none depends on a dimension. */
export function symVal(type: number, shape: readonly number[], sym: readonly SymInt[]): Val {
  if (sym.every((s) => s.isConstant())) {
    const vals = sym.map((s) => s.constant!);
    return constVal(ConstTensor.fromValues(type, shape, isBigType(type) ? vals.map((v) => BigInt(v)) : vals));
  }
  return { type, dims: [...shape], sym: [...sym] };
}

/** The SymInts of an integer value known at import time (a constant's elements, or its SymInts). */
export function symOf(v: Val): readonly SymInt[] | undefined {
  if (v.sym) return v.sym;
  if (v.konst && (isIntType(v.type) || v.type === T.BOOL) && v.konst.count <= MAX_SYMBOLIC) {
    return Array.from(v.konst.values(), (x) => SymInt.of(typeof x === 'bigint' ? clampSafe(x) : x));
  }
  return undefined;
}

function clampSafe(x: bigint): number {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(x > max ? max : x < -max ? -max : x);
}

/** Integer tensors up to this many elements are tracked element by element (shape arithmetic). */
export const MAX_SYMBOLIC = 4096;
/** Constant tensors up to this many elements are folded in JS; larger ones become WebNN operators on constants. */
export const MAX_FOLD = 1 << 16;
