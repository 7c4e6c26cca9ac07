// int4/uint4 in the ONNX graph. onnxruntime-node cannot feed or fetch 4-bit tensors, and few CPU kernels take
// them, so inside the graph a 4-bit value travels unpacked, one element per byte in the type's `unpacked` type
// (int8/uint8); only at the graph's edges is it packed: inputs and outputs cross as their packed bytes (uint8,
// two elements per byte, low nibble first) and are unpacked/packed by nodes, constants are unpacked here.
import { byteLength, DTYPES, isSubByte, unpackNibbles, type MLOperandDataType } from '../../graph/dtypes.js';
import { encodeScalar } from '../../graph/cast.js';
import type { OperandDescriptor } from '../../graph/ir.js';
import { elementCount } from '../../graph/shape.js';
import { int, str, type Emitter } from './emitter.js';

/** The descriptor a graph input/output has in the ONNX model and in the onnxruntime tensors that feed it. */
export function boundaryDescriptor(desc: OperandDescriptor): OperandDescriptor {
  if (!isSubByte(desc.dataType)) return desc;
  return { dataType: 'uint8', shape: [byteLength(desc.dataType, elementCount(desc.shape))] };
}

/** A constant's type and bytes as the graph holds it (sub-byte types unpacked). */
export function graphConstant(desc: OperandDescriptor, bytes: Uint8Array): { dataType: MLOperandDataType; bytes: Uint8Array } {
  if (!isSubByte(desc.dataType)) return { dataType: desc.dataType, bytes };
  const values = unpackNibbles(desc.dataType, bytes, elementCount(desc.shape));
  return { dataType: DTYPES[desc.dataType].unpacked, bytes: new Uint8Array(values.buffer) };
}

const u8 = (e: Emitter, v: number) => e.initializer('uint8', [], Uint8Array.of(v));

/** Unpacks the packed bytes `packed` (uint8) of a `desc` tensor into `output` (desc's unpacked type and shape). */
export function unpackInput(e: Emitter, packed: string, desc: OperandDescriptor, output: string): void {
  const count = elementCount(desc.shape);
  const low = e.op('BitwiseAnd', [packed, u8(e, 0x0f)]);
  const high = e.op('BitShift', [packed, u8(e, 4)], { direction: str('RIGHT') });
  const axis1 = e.int64s([1]);
  // [bytes, 2] rows of (low, high) read in row-major order are the elements in order.
  const pairs = e.op('Concat', [e.op('Unsqueeze', [low, axis1]), e.op('Unsqueeze', [high, axis1])], { axis: int(1) });
  let flat = e.op('Reshape', [pairs, e.int64s([-1])]);
  if (count % 2) flat = e.op('Slice', [flat, e.int64s([0]), e.int64s([count]), e.int64s([0])]);
  let values = flat;
  if (DTYPES[desc.dataType].signed) {
    // Two's complement of a nibble: 8..15 stand for -8..-1.
    const asInt8 = e.cast(flat, 'int8');
    const i8 = (v: number) => e.initializer('int8', [], encodeScalar('int8', v));
    const negative = e.cast(e.op('Greater', [asInt8, i8(7)]), 'int8');
    values = e.op('Sub', [asInt8, e.op('Mul', [negative, i8(16)])]);
  }
  e.node('Reshape', [values, e.int64s(desc.shape)], [output]);
}

/** Packs `value` (desc's unpacked type and shape, elements within the 4-bit range) into `output` (uint8 bytes). */
export function packOutput(e: Emitter, value: string, desc: OperandDescriptor, output: string): void {
  const count = elementCount(desc.shape);
  let nibbles = e.op('BitwiseAnd', [e.cast(e.op('Reshape', [value, e.int64s([count])]), 'uint8'), u8(e, 0x0f)]);
  if (count % 2) nibbles = e.op('Concat', [nibbles, e.initializer('uint8', [1], Uint8Array.of(0))], { axis: int(0) });
  const pairs = e.op('Reshape', [nibbles, e.int64s([-1, 2])]);
  const axis1 = e.int64s([1]);
  const low = e.op('Slice', [pairs, e.int64s([0]), e.int64s([1]), axis1]);
  const high = e.op('Slice', [pairs, e.int64s([1]), e.int64s([2]), axis1]);
  const bytes = e.op('BitwiseOr', [low, e.op('BitShift', [high, u8(e, 4)], { direction: str('LEFT') })]);
  e.node('Reshape', [bytes, e.int64s([-1])], [output]);
}
