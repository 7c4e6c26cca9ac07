// Reading weights from a .safetensors file: u64 little-endian header length, a JSON header of
// name → {dtype, shape, data_offsets} (offsets after the header), then the data. bfloat16 tensors are widened to
// float32, which WebNN has and bfloat16 is not.
import { closeSync, fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { DTYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { writeFileAtomically } from './atomic.js';
import { parseJson } from './json.js';
import { jsonReason } from './manifest.js';
import type { ExternalConstant } from '../graph/ir.js';
import { describeValue, GraphFileError, putEntry } from './model.js';
import { openToRead, readExactly, type TensorData, type TensorInfo, type WeightSource } from './weights.js';

const DTYPE_NAMES: Record<string, MLOperandDataType> = {
  F32: 'float32', F16: 'float16', I32: 'int32', U32: 'uint32', I64: 'int64', U64: 'uint64', I8: 'int8', U8: 'uint8', BOOL: 'uint8',
};
const BF16 = 'BF16';

interface Entry { dtype: string; shape: number[]; begin: number; end: number }

export class SafetensorsWeights implements WeightSource {
  private readonly fd: number;
  private readonly entries = new Map<string, Entry>();

  constructor(readonly file: string) {
    this.fd = openToRead(file);
    try {
      const size = fstatSync(this.fd).size;
      const fail = (why: string): never => {
        throw new GraphFileError(`not a valid safetensors file: ${why}`, undefined, file);
      };
      if (size < 8) fail(`${size} bytes, shorter than the 8-byte header length`);
      const len = new Uint8Array(8);
      readExactly(this.fd, len, 0, file);
      const headerLength = Number(new DataView(len.buffer).getBigUint64(0, true));
      if (8 + headerLength > size) fail(`header length ${headerLength} runs past the end of the file (${size} bytes)`);
      const headerBytes = new Uint8Array(headerLength);
      readExactly(this.fd, headerBytes, 8, file);
      let header: unknown;
      try {
        header = parseJson(Buffer.from(headerBytes).toString('utf8'));
      } catch (err) {
        return fail(`the header is not JSON: ${jsonReason(err)}`);
      }
      const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
      const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
      if (!isObject(header)) fail('the header is not a JSON object');
      const base = 8 + headerLength;
      for (const [name, e] of Object.entries(header as Record<string, unknown>)) {
        if (name === '__metadata__') continue;
        if (!isObject(e)) fail(`tensor '${name}' is not an object`);
        const { dtype, shape, data_offsets: offs } = e as Record<string, unknown>;
        if (typeof dtype !== 'string' || !Array.isArray(shape) || !Array.isArray(offs) || offs.length !== 2) fail(`tensor '${name}' needs dtype, shape and data_offsets`);
        if (!(shape as unknown[]).every(isUint)) fail(`tensor '${name}' has shape ${describeValue(shape)}: expected non-negative integers`);
        const [b, en] = offs as unknown[];
        if (!isUint(b) || !isUint(en) || b > en) fail(`tensor '${name}' has data_offsets ${describeValue(offs)}: expected [begin, end] with 0 ≤ begin ≤ end`);
        if (base + (en as number) > size) fail(`tensor '${name}' bytes ${b} to ${en} run past the end of the data (${size - base} bytes): the file is truncated`);
        const width = dtype === BF16 ? 2 : Object.hasOwn(DTYPE_NAMES, dtype as string) ? DTYPES[DTYPE_NAMES[dtype as string]!].bytes : undefined;
        const elements = (shape as number[]).reduce((x, y) => x * y, 1);
        if (width !== undefined && elements * width !== (en as number) - (b as number)) {
          fail(`tensor '${name}' has ${(en as number) - (b as number)} bytes, expected ${elements * width} for ${dtype as string} [${(shape as number[]).join(', ')}]`);
        }
        this.entries.set(name, { dtype: dtype as string, shape: shape as number[], begin: base + (b as number), end: base + (en as number) });
      }
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  info(key: string): TensorInfo | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const raw = e.end - e.begin;
    if (e.dtype === BF16) return { dataType: 'float32', shape: e.shape, byteLength: raw * 2 };
    const dataType = Object.hasOwn(DTYPE_NAMES, e.dtype) ? DTYPE_NAMES[e.dtype] : undefined;
    if (!dataType) throw new GraphFileError(`tensor '${key}' has safetensors dtype ${e.dtype}, which has no WebNN data type`, undefined, this.file);
    return { dataType, shape: e.shape, byteLength: raw };
  }

  read(key: string): Uint8Array {
    const e = this.entries.get(key);
    if (!e) throw new GraphFileError(`no tensor '${key}' in the safetensors file`, undefined, this.file);
    const raw = new Uint8Array(e.end - e.begin);
    readExactly(this.fd, raw, e.begin, this.file);
    if (e.dtype !== BF16) return raw;
    // bfloat16 is the top half of a float32: widen by shifting its bits up.
    const src = new Uint16Array(raw.buffer, 0, raw.byteLength >> 1);
    const out = new Uint32Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i]! << 16;
    return new Uint8Array(out.buffer);
  }

  locate(key: string): ExternalConstant | undefined {
    const e = this.entries.get(key);
    return e && e.dtype !== BF16 && Object.hasOwn(DTYPE_NAMES, e.dtype) ? { path: resolve(this.file), byteOffset: e.begin, byteLength: e.end - e.begin } : undefined;
  }

  close(): void {
    closeSync(this.fd);
  }
}

const NAME_OF: Partial<Record<MLOperandDataType, string>> = Object.fromEntries(
  Object.entries(DTYPE_NAMES).filter(([k]) => k !== 'BOOL').map(([k, v]) => [v, k]),
);

/** Writes tensors as a .safetensors file (used by tests and tools). */
export function writeSafetensors(file: string, tensors: Iterable<[string, TensorData & { dtype?: string }]>): void {
  const list = [...tensors];
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of list) {
    const dtype = t.dtype ?? NAME_OF[t.dataType];
    if (!dtype) throw new GraphFileError(`no safetensors dtype for ${t.dataType}`);
    putEntry(header, name, { dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] });
    offset += t.bytes.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeFileAtomically(file, Buffer.concat([len, Buffer.from(json), ...list.map(([, t]) => t.bytes)]));
}
