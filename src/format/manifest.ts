// The weights manifest ("wg-weights-manifest" v1): where each named tensor lies in the little-endian weights file.
import { ALL_DATA_TYPES, byteLength as bytesOf, isDataType, type MLOperandDataType } from '../graph/dtypes.js';
import { parseJson } from './json.js';
import { describeValue, GraphFileError, putEntry, SAVE_ID } from './model.js';

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
  /** The save that wrote the weights file (also in its bytes 8 to 15) and, with saveGraph, the graph. */
  saveId?: string;
  tensors: Record<string, ManifestTensor>;
}

/** A JSON syntax error's reason with its line:column, without the 'invalid JSON' the caller says already. */
export function jsonReason(err: unknown): string {
  if (!(err instanceof GraphFileError)) return (err as Error).message;
  const at = err.pos ? ` at ${err.pos.line}:${err.pos.column}` : '';
  return `${err.reason.replace(/^invalid JSON: /, '')}${at}`;
}

function bad(file: string, what: string): never {
  throw new GraphFileError(`manifest ${what}`, undefined, file);
}

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Reads and checks a manifest document. */
export function parseManifest(text: string, file: string): Manifest {
  let doc: Record<string, unknown>;
  try {
    // The graph files' JSON reader: duplicate keys and over-deep nesting are errors, with line:column.
    doc = parseJson(text) as Record<string, unknown>;
  } catch (err) {
    return bad(file, `is not valid JSON: ${jsonReason(err)}`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(doc)) bad(file, 'must be a JSON object');
  if (doc.format !== MANIFEST_FORMAT) bad(file, `format: expected "${MANIFEST_FORMAT}", found ${describeValue(doc.format ?? null)}`);
  if (doc.version !== 1) bad(file, `version: expected 1, found ${describeValue(doc.version ?? null)}`);
  if (doc.endianness !== undefined && doc.endianness !== 'little') bad(file, `endianness: expected "little", found ${describeValue(doc.endianness)}`);
  if (doc.saveId !== undefined && (typeof doc.saveId !== 'string' || !SAVE_ID.test(doc.saveId))) bad(file, `saveId: expected 16 hex digits, found ${describeValue(doc.saveId)}`);
  const tensors = doc.tensors;
  if (!isObject(tensors)) bad(file, 'tensors: expected an object of name → {dataType, shape, byteOffset, byteLength}');
  const out: Record<string, ManifestTensor> = {};
  for (const [key, t] of Object.entries(tensors as Record<string, unknown>)) {
    const at = `tensors.${key}`;
    if (!isObject(t)) bad(file, `${at}: expected an object`);
    const { dataType, shape, byteOffset, byteLength } = t as Record<string, unknown>;
    if (!isDataType(dataType)) bad(file, `${at}.dataType: expected one of ${ALL_DATA_TYPES.join(', ')}, found ${describeValue(dataType ?? null)}`);
    if (!Array.isArray(shape) || !shape.every(isUint)) bad(file, `${at}.shape: expected an array of non-negative integers, found ${describeValue(shape ?? null)}`);
    if (!isUint(byteOffset)) bad(file, `${at}.byteOffset: expected a non-negative integer, found ${describeValue(byteOffset ?? null)}`);
    if (!isUint(byteLength)) bad(file, `${at}.byteLength: expected a non-negative integer, found ${describeValue(byteLength ?? null)}`);
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    if (byteLength !== bytesOf(dataType as MLOperandDataType, elements)) {
      bad(file, `${at}.byteLength: ${byteLength} bytes, expected ${bytesOf(dataType as MLOperandDataType, elements)} for ${dataType as string} [${(shape as number[]).join(', ')}]`);
    }
    if ((t as Record<string, unknown>).layout !== undefined && (t as Record<string, unknown>).layout !== 'row-major') {
      bad(file, `${at}.layout: expected "row-major", found ${describeValue((t as Record<string, unknown>).layout)}`);
    }
    putEntry(out, key, { dataType: dataType as MLOperandDataType, shape: shape as number[], byteOffset: byteOffset as number, byteLength: byteLength as number, layout: 'row-major' });
  }
  return { format: MANIFEST_FORMAT, version: 1, endianness: 'little', ...(doc.saveId !== undefined ? { saveId: doc.saveId as string } : {}), tensors: out };
}

export function printManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
