// The spec's "validate buffer with descriptor" and byte copies of AllowSharedBufferSource.
import { DTYPES, type MLOperandDataType } from '../graph/dtypes.js';
import type { AllowSharedBufferSource } from './types.js';

export function byteView(source: AllowSharedBufferSource): Uint8Array {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) {
    return new Uint8Array(source);
  }
  throw new TypeError('expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView');
}

/** Why `source` cannot hold data of `dataType` and `byteLength`, or undefined when it can. */
export function bufferMismatch(source: unknown, dataType: MLOperandDataType, byteLength: number): string | undefined {
  let length: number;
  if (ArrayBuffer.isView(source)) {
    const ctor = (source as { constructor: { name: string } }).constructor.name;
    const d = DTYPES[dataType];
    if (ctor !== 'Uint8Array' && ctor !== d.array.name && !d.alsoAccepts.includes(ctor)) {
      return `a ${ctor} cannot carry ${dataType} data (use ${d.array.name}, a Uint8Array or an ArrayBuffer)`;
    }
    length = source.byteLength;
  } else if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) {
    length = source.byteLength;
  } else {
    return 'expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView';
  }
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
