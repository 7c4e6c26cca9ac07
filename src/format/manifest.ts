// The weights manifest ("wg-weights-manifest" v1): where each named tensor lies in the little-endian weights file.
import { DATA_TYPES, isDataType, type MLOperandDataType } from '../graph/dtypes.js';
import { GraphFileError } from './model.js';

export const MANIFEST_FORMAT = 'wg-weights-manifest';

export interface ManifestTensor {
  dataType: MLOperandDataType;
  shape: number[];
  /** From the start of the weights file (the 8-byte header included when there is one). */
  byteOffset: number;
  byteLength: number;
  layout: 'row-major';
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  endianness: 'little';
  tensors: Record<string, ManifestTensor>;
}

function bad(file: string, what: string): never {
  throw new GraphFileError(`manifest ${what}`, undefined, file);
}

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Reads and checks a manifest document. */
export function parseManifest(text: string, file: string): Manifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    return bad(file, `is not valid JSON: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object') bad(file, 'must be a JSON object');
  if (doc.format !== MANIFEST_FORMAT) bad(file, `format: expected "${MANIFEST_FORMAT}", found ${JSON.stringify(doc.format ?? null)}`);
  if (doc.version !== 1) bad(file, `version: expected 1, found ${JSON.stringify(doc.version ?? null)}`);
  if (doc.endianness !== undefined && doc.endianness !== 'little') bad(file, `endianness: expected "little", found ${JSON.stringify(doc.endianness)}`);
  const tensors = doc.tensors as Record<string, Record<string, unknown>> | undefined;
  if (!tensors || typeof tensors !== 'object') bad(file, 'tensors: expected an object of name → {dataType, shape, byteOffset, byteLength}');
  const out: Record<string, ManifestTensor> = {};
  for (const [key, t] of Object.entries(tensors)) {
    const at = `tensors.${key}`;
    if (!t || typeof t !== 'object') bad(file, `${at}: expected an object`);
    if (!isDataType(t.dataType)) bad(file, `${at}.dataType: expected one of ${DATA_TYPES.join(', ')}, found ${JSON.stringify(t.dataType ?? null)}`);
    if (!Array.isArray(t.shape) || !t.shape.every(isUint)) bad(file, `${at}.shape: expected an array of non-negative integers`);
    if (!isUint(t.byteOffset)) bad(file, `${at}.byteOffset: expected a non-negative integer, found ${JSON.stringify(t.byteOffset ?? null)}`);
    if (!isUint(t.byteLength)) bad(file, `${at}.byteLength: expected a non-negative integer, found ${JSON.stringify(t.byteLength ?? null)}`);
    if (t.layout !== undefined && t.layout !== 'row-major') bad(file, `${at}.layout: expected "row-major", found ${JSON.stringify(t.layout)}`);
    out[key] = { dataType: t.dataType, shape: t.shape as number[], byteOffset: t.byteOffset, byteLength: t.byteLength, layout: 'row-major' };
  }
  return { format: MANIFEST_FORMAT, version: 1, endianness: 'little', tensors: out };
}

export function printManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
