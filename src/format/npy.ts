// NumPy .npy files (format versions 1 to 3, little-endian, C order) ⇄ tensors, for the command line's inputs
// and outputs. The numpy type string of each WebNN type is derived from the data type table.
import { DTYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { elementCount } from '../graph/shape.js';
import { GraphFileError } from './model.js';
import type { TensorData } from './weights.js';

const MAGIC = '\x93NUMPY';

function descrOf(t: MLOperandDataType): string | undefined {
  const d = DTYPES[t];
  if (d.bits % 8 !== 0) return undefined;
  const kind = d.kind === 'float' ? 'f' : d.signed ? 'i' : 'u';
  return `${d.bytes === 1 ? '|' : '<'}${kind}${d.bytes}`;
}

const BY_DESCR = new Map<string, MLOperandDataType>();
for (const t of Object.keys(DTYPES) as MLOperandDataType[]) {
  const descr = descrOf(t);
  if (descr) {
    BY_DESCR.set(descr, t);
    BY_DESCR.set(descr.replace(/^[|<]/, '='), t);
    if (descr.startsWith('|')) BY_DESCR.set(`<${descr.slice(1)}`, t);
  }
}
BY_DESCR.set('|b1', 'uint8');

export function readNpy(data: Uint8Array, file = '.npy'): TensorData {
  const fail = (why: string): never => {
    throw new GraphFileError(`not a readable .npy file: ${why}`, undefined, file);
  };
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.byteLength < 10 || buf.toString('latin1', 0, 6) !== MAGIC) fail('missing the \\x93NUMPY magic');
  const major = buf[6]!;
  if (major < 1 || major > 3) fail(`format version ${major}`);
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLength;
  if (start > buf.byteLength) fail('the header runs past the end of the file');
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) fail(`header ${header.trim()} lacks descr, fortran_order or shape`);
  if (fortran === 'True') fail('Fortran-ordered arrays are not supported: save with C order');
  const dataType = BY_DESCR.get(descr!) ?? fail(`numpy type '${descr}' has no WebNN data type (little-endian ${[...new Set(BY_DESCR.keys())].join(', ')})`);
  const dims = shapeText!.split(',').map((s) => s.trim()).filter(Boolean);
  const shape = dims.map(Number);
  if (!dims.every((d) => /^\d+$/.test(d)) || !shape.every(Number.isSafeInteger)) fail(`shape (${shapeText}) is not a tuple of non-negative integers`);
  const byteLength = elementCount(shape) * DTYPES[dataType].bytes;
  if (!Number.isSafeInteger(byteLength)) fail(`shape (${shapeText}) is too large`);
  if (start + byteLength > buf.byteLength) fail(`expected ${byteLength} bytes of data, the file has ${buf.byteLength - start}: it is truncated`);
  return { dataType, shape, bytes: new Uint8Array(data.subarray(start, start + byteLength)) };
}

export function writeNpy(t: TensorData): Uint8Array {
  const descr = descrOf(t.dataType);
  if (!descr) throw new GraphFileError(`${t.dataType} has no .npy representation`);
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = Buffer.alloc(10 + header.length + t.bytes.byteLength);
  out.write(MAGIC, 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  out.set(t.bytes, 10 + header.length);
  return out;
}
