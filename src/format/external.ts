// Constants whose bytes stay in a graph's weights file (GraphIR.externalConstants): reading them back where the
// platform has files.
import { closeSync, openSync, readSync } from 'node:fs';
import type { ExternalConstant, GraphIR } from '../graph/ir.js';

/** The bytes of an external constant, read from its file. */
export function readExternalConstant(ext: ExternalConstant): Uint8Array {
  const bytes = new Uint8Array(ext.byteLength);
  const fd = openSync(ext.path, 'r');
  try {
    for (let done = 0; done < bytes.byteLength;) {
      const n = readSync(fd, bytes, done, bytes.byteLength - done, ext.byteOffset + done);
      if (n === 0) throw new Error(`${ext.path} ended before byte ${ext.byteOffset + ext.byteLength}, where a constant's bytes should be (did the file change?)`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** A constant's bytes, read from its file when it is external. */
export function readConstant(ir: GraphIR, id: number): Uint8Array | undefined {
  const inMemory = ir.constants.get(id);
  if (inMemory) return inMemory;
  const ext = ir.externalConstants?.get(id);
  return ext && readExternalConstant(ext);
}
