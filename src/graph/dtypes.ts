// The one table of operand data types: everything that differs per type (element size, typed array, ONNX code,
// short name in graph files, numeric range) is read from here, never switched on elsewhere.

/** The whole-byte types: what operators accept unless their limits name the sub-byte types too. */
export const DATA_TYPES = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'] as const;
/** 4-bit integers, two elements per byte (low nibble first); only the quantization operators take them. */
export const SUB_BYTE_TYPES = ['int4', 'uint4'] as const;
/** Every MLOperandDataType (graph inputs, constants and outputs may be of any). */
export const ALL_DATA_TYPES = [...DATA_TYPES, ...SUB_BYTE_TYPES] as const;
export type MLOperandDataType = (typeof ALL_DATA_TYPES)[number];

export type TypedArray =
  | Float32Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Int8Array | Uint8Array;

type TypedArrayConstructor = {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
};

export interface DataTypeInfo {
  readonly name: MLOperandDataType;
  /** Bytes per element of the carrying typed array (1 for the sub-byte types, whose bytes hold two elements). */
  readonly bytes: number;
  /**
   * The typed array that carries this type's elements (float16 travels as Uint16Array bit patterns, int4/uint4
   * as a Uint8Array of packed bytes).
   */
  readonly array: TypedArrayConstructor;
  /** Names of other typed arrays accepted for this type (Float16Array where the runtime has one). */
  readonly alsoAccepts: readonly string[];
  /** ONNX TensorProto.DataType code. */
  readonly onnx: number;
  /** Short name in the .webnn text format. */
  readonly short: string;
  readonly kind: 'float' | 'int';
  readonly signed: boolean;
  /** Elements are bigint in JS (64-bit integers). */
  readonly big: boolean;
  /** Bit width (integers) or storage width (floats). */
  readonly bits: number;
  /** The whole-byte type that holds one element's value unpacked (the type itself unless it is sub-byte). */
  readonly unpacked: MLOperandDataType;
}

function info(
  name: MLOperandDataType, array: TypedArrayConstructor, onnx: number, short: string,
  kind: 'float' | 'int', signed: boolean, alsoAccepts: string[] = [], subByte?: { bits: number; unpacked: MLOperandDataType },
): DataTypeInfo {
  const bytes = array.BYTES_PER_ELEMENT;
  return {
    name, bytes, array, alsoAccepts, onnx, short, kind, signed, big: bytes === 8 && kind === 'int',
    bits: subByte?.bits ?? bytes * 8, unpacked: subByte?.unpacked ?? name,
  };
}

export const DTYPES: Readonly<Record<MLOperandDataType, DataTypeInfo>> = {
  float32: info('float32', Float32Array, 1, 'f32', 'float', true),
  float16: info('float16', Uint16Array, 10, 'f16', 'float', true, ['Float16Array']),
  int32: info('int32', Int32Array, 6, 'i32', 'int', true),
  uint32: info('uint32', Uint32Array, 12, 'u32', 'int', false),
  int64: info('int64', BigInt64Array, 7, 'i64', 'int', true),
  uint64: info('uint64', BigUint64Array, 13, 'u64', 'int', false),
  int8: info('int8', Int8Array, 3, 'i8', 'int', true),
  uint8: info('uint8', Uint8Array, 2, 'u8', 'int', false),
  int4: info('int4', Uint8Array, 22, 'i4', 'int', true, [], { bits: 4, unpacked: 'int8' }),
  uint4: info('uint4', Uint8Array, 21, 'u4', 'int', false, [], { bits: 4, unpacked: 'uint8' }),
};

export const FLOAT_TYPES: readonly MLOperandDataType[] = DATA_TYPES.filter((t) => DTYPES[t].kind === 'float');
/** The signed types (floats included): what abs, neg, relu and sign accept. */
export const SIGNED_TYPES: readonly MLOperandDataType[] = DATA_TYPES.filter((t) => DTYPES[t].signed);

export function isDataType(value: unknown): value is MLOperandDataType {
  return typeof value === 'string' && (ALL_DATA_TYPES as readonly string[]).includes(value);
}

export function isSubByte(t: MLOperandDataType): boolean {
  return DTYPES[t].bits < 8;
}

/** Bytes that `elementCount` elements of `t` occupy (sub-byte types pack, rounding up to whole bytes). */
export function byteLength(t: MLOperandDataType, elementCount: number): number {
  const d = DTYPES[t];
  return d.bits < 8 ? Math.ceil((elementCount * d.bits) / 8) : elementCount * d.bytes;
}

/** Packs 4-bit values (given as integers in the type's range) two per byte, low nibble first. */
export function packNibbles(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(values.length / 2));
  for (let i = 0; i < values.length; i++) out[i >> 1]! |= (values[i]! & 0xf) << ((i & 1) * 4);
  return out;
}

/** The `count` elements of a packed 4-bit tensor of type `t` as its unpacked typed array (Int8Array/Uint8Array). */
export function unpackNibbles(t: MLOperandDataType, bytes: Uint8Array, count: number): Int8Array | Uint8Array {
  const out = DTYPES[t].signed ? new Int8Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const nibble = (bytes[i >> 1]! >> ((i & 1) * 4)) & 0xf;
    out[i] = DTYPES[t].signed && nibble >= 8 ? nibble - 16 : nibble;
  }
  return out;
}

/** Integer range of an integer type, as bigints. */
export function intRange(t: MLOperandDataType): { min: bigint; max: bigint } {
  const d = DTYPES[t];
  const bits = BigInt(d.bits);
  return d.signed ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n } : { min: 0n, max: (1n << bits) - 1n };
}

/** A typed array of `t` viewing `bytes` (which must be aligned for the type). */
export function viewAs(t: MLOperandDataType, bytes: Uint8Array): TypedArray {
  const d = DTYPES[t];
  if (bytes.byteOffset % d.bytes === 0) return new d.array(bytes.buffer, bytes.byteOffset, bytes.byteLength / d.bytes);
  return new d.array(bytes.slice().buffer, 0, bytes.byteLength / d.bytes);
}
