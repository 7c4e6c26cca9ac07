// src/format/external.ts as the browser bundle has it (scripts/build-web.ts puts this module in its place): without
// a file system no graph holds constants left in files (only loading from disk makes them), so every constant is
// in memory.
import type { ExternalConstant, GraphIR } from '../graph/ir.js';

export function readExternalConstant(ext: ExternalConstant): Uint8Array {
  throw new Error(`the constant in ${ext.path} cannot be read here: this platform has no files`);
}

export function readConstant(ir: GraphIR, id: number): Uint8Array | undefined {
  const inMemory = ir.constants.get(id);
  if (inMemory) return inMemory;
  const ext = ir.externalConstants?.get(id);
  return ext && readExternalConstant(ext);
}
