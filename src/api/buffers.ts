// The spec's "validate buffer with descriptor" and byte copies of AllowSharedBufferSource.
import { DTYPES, type MLOperandDataType } from '../graph/dtypes.js';
import type { AllowSharedBufferSource } from './types.js';

/**
 * The %TypedArray%.prototype[@@toStringTag] getter: it reads the view's internal [[TypedArrayName]], so a Buffer is a
 * "Uint8Array", a subclass is what it extends, and a renamed constructor fools nothing. Undefined for a DataView.
 */
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!
  .get as (this: ArrayBufferView) => string | undefined;

/** The kind of a view by its internal slots: "Float32Array", "Uint8Array" (Buffer too), ..., "DataView". */
export function viewKind(view: ArrayBufferView): string {
  return typedArrayName.call(view) ?? 'DataView';
}

function isSharedArrayBuffer(v: unknown): v is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer;
}

function isBuffer(v: unknown): v is ArrayBuffer | SharedArrayBuffer {
  return v instanceof ArrayBuffer || isSharedArrayBuffer(v);
}

/** Whether the memory under `source` is detached (transferred or otherwise released). */
export function isDetached(source: AllowSharedBufferSource): boolean {
  const buffer = ArrayBuffer.isView(source) ? source.buffer : source;
  // ArrayBuffer.prototype.detached exists from Node 22; before it, making a view is what tells.
  const flag = (buffer as { detached?: boolean }).detached;
  if (typeof flag === 'boolean') return flag;
  try {
    new Uint8Array(buffer as ArrayBuffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

export function byteView(source: AllowSharedBufferSource): Uint8Array {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (isBuffer(source)) return new Uint8Array(source);
  throw new TypeError('expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView');
}

/** Why `source` cannot hold data of `dataType` and `byteLength`, or undefined when it can. */
export function bufferMismatch(source: unknown, dataType: MLOperandDataType, byteLength: number): string | undefined {
  if (ArrayBuffer.isView(source)) {
    // Any view whose real kind fits: a Uint8Array (Buffer included) for every type, else the type's own array.
    const kind = viewKind(source);
    const d = DTYPES[dataType];
    if (kind !== 'Uint8Array' && kind !== d.array.name && !d.alsoAccepts.includes(kind)) {
      return `a ${kind} cannot carry ${dataType} data (use ${d.array.name}, a Uint8Array or an ArrayBuffer)`;
    }
  } else if (!isBuffer(source)) {
    return 'expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView';
  }
  if (isDetached(source as AllowSharedBufferSource)) return 'the buffer is detached';
  const length = (source as ArrayBufferView | ArrayBuffer).byteLength;
  if (length !== byteLength) return `buffer has ${length} bytes, the descriptor needs ${byteLength}`;
  return undefined;
}

/** A copy of the bytes, in a fresh 8-byte-aligned buffer. */
export function copyBytes(source: AllowSharedBufferSource): Uint8Array {
  const view = byteView(source);
  const out = new Uint8Array(new ArrayBuffer(view.byteLength));
  out.set(view);
  return out;
}
