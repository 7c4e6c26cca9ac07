// Weights files: raw little-endian tensor bytes, optionally after an 8-byte header ("WGWT" + u32 version 1),
// located by a manifest. Tensors are read one at a time straight into their own buffers with positioned reads,
// so loading never holds the whole file in memory next to the tensors made from it.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { MLOperandDataType } from '../graph/dtypes.js';
import type { ExternalConstant } from '../graph/ir.js';
import { parseManifest, printManifest, MANIFEST_FORMAT, type Manifest, type ManifestTensor } from './manifest.js';
import { writeFilesAtomically, type PendingFile } from './atomic.js';
import { GraphFileError, putEntry } from './model.js';

export const WEIGHTS_MAGIC = 'WGWT';
export const WEIGHTS_VERSION = 1;
export const WEIGHTS_HEADER_BYTES = 8;
/**
 * tsnn writes a save id into the 8 bytes after the header, which the first tensor's 16-byte alignment leaves unused
 * (readers go by the manifest's offsets), and into the manifest (and saveGraph into the graph), so that loading can
 * tell files written by different saves apart. The id is a digest of the tensors' layout and bytes: two saves of the
 * same weights get the same id (a graph saved as .webnn and as .json beside one weights file), different weights
 * almost surely different ids.
 */
const SAVE_ID_BYTES = 8;

export interface TensorData {
  dataType: MLOperandDataType;
  shape: number[];
  bytes: Uint8Array;
}

export interface TensorInfo {
  dataType: MLOperandDataType;
  shape: number[];
  byteLength: number;
}

/** Where `@weights("key")` constants come from: a manifest + weights file, or a safetensors file. */
export interface WeightSource {
  readonly file: string;
  keys(): string[];
  info(key: string): TensorInfo | undefined;
  /** The tensor's bytes in a buffer of their own. */
  read(key: string): Uint8Array;
  /** Where the tensor's bytes lie as they are (absolute path and range), if they need no conversion. */
  locate?(key: string): ExternalConstant | undefined;
  close(): void;
}

/** Opens a file to read, or says in one line which file cannot be read and why. */
export function openToRead(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (err) {
    throw new GraphFileError(`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, file);
  }
}

/** Fills `target` from `fd` at `position`; throws when the file ends first. */
export function readExactly(fd: number, target: Uint8Array, position: number, file: string): void {
  let done = 0;
  while (done < target.byteLength) {
    const n = readSync(fd, target, done, Math.min(target.byteLength - done, 1 << 30), position + done);
    if (n === 0) throw new GraphFileError(`unexpected end of file at byte ${position + done}: the file is truncated`, undefined, file);
    done += n;
  }
}

export class ManifestWeights implements WeightSource {
  private readonly fd: number;
  readonly size: number;
  readonly hasHeader: boolean;

  constructor(readonly file: string, readonly manifest: Manifest) {
    this.fd = openToRead(file);
    try {
      this.size = fstatSync(this.fd).size;
      const head = new Uint8Array(Math.min(WEIGHTS_HEADER_BYTES, this.size));
      readExactly(this.fd, head, 0, file);
      this.hasHeader = Buffer.from(head.subarray(0, 4)).toString('latin1') === WEIGHTS_MAGIC;
      if (this.hasHeader) {
        if (this.size < WEIGHTS_HEADER_BYTES) throw new GraphFileError(`truncated header: expected 8 bytes ("${WEIGHTS_MAGIC}" + version), the file has ${this.size}`, undefined, file);
        const version = new DataView(head.buffer).getUint32(4, true);
        if (version !== WEIGHTS_VERSION) throw new GraphFileError(`weights file version ${version}: expected ${WEIGHTS_VERSION}`, undefined, file);
      }
      // Only a headered file has room for the id (a headerless one is the bare bytes another tool wrote).
      if (manifest.saveId !== undefined && this.hasHeader) {
        const id = new Uint8Array(SAVE_ID_BYTES);
        if (this.size >= WEIGHTS_HEADER_BYTES + SAVE_ID_BYTES) readExactly(this.fd, id, WEIGHTS_HEADER_BYTES, file);
        const found = Buffer.from(id).toString('hex');
        if (found !== manifest.saveId) {
          throw new GraphFileError(`the weights file and its manifest were written by different saves (save ids ${found} and ${manifest.saveId}): a save was interrupted, or the files come from different models; save the graph again`, undefined, file);
        }
      }
      for (const [key, t] of Object.entries(manifest.tensors)) {
        const end = t.byteOffset + t.byteLength;
        if (end > this.size) {
          throw new GraphFileError(`tensor '${key}' needs bytes ${t.byteOffset} to ${end} but the file has ${this.size} bytes: the file is truncated or the manifest's offsets run past its end`, undefined, file);
        }
        if (this.hasHeader && t.byteOffset < WEIGHTS_HEADER_BYTES && t.byteLength > 0) {
          throw new GraphFileError(`tensor '${key}' starts at byte ${t.byteOffset}, inside the 8-byte header: offsets count from the file start`, undefined, file);
        }
      }
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  static open(weightsFile: string, manifestFile: string): ManifestWeights {
    let text: string;
    try {
      text = readFileSync(manifestFile, 'utf8');
    } catch (err) {
      throw new GraphFileError(`cannot read the manifest: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, manifestFile);
    }
    return new ManifestWeights(weightsFile, parseManifest(text, manifestFile));
  }

  keys(): string[] {
    return Object.keys(this.manifest.tensors);
  }

  private tensor(key: string): ManifestTensor | undefined {
    return Object.hasOwn(this.manifest.tensors, key) ? this.manifest.tensors[key] : undefined;
  }

  info(key: string): TensorInfo | undefined {
    const t = this.tensor(key);
    return t && { dataType: t.dataType, shape: t.shape, byteLength: t.byteLength };
  }

  read(key: string): Uint8Array {
    const t = this.tensor(key);
    if (!t) throw new GraphFileError(`no tensor '${key}' in the manifest`, undefined, this.file);
    const bytes = new Uint8Array(t.byteLength);
    readExactly(this.fd, bytes, t.byteOffset, this.file);
    return bytes;
  }

  locate(key: string): ExternalConstant | undefined {
    const t = this.tensor(key);
    return t && { path: resolve(this.file), byteOffset: t.byteOffset, byteLength: t.byteLength };
  }

  close(): void {
    closeSync(this.fd);
  }
}

const ALIGN = 16;
/** Tensors this large start on a page boundary, so that onnxruntime can map them instead of copying. */
const PAGE_ALIGN_FROM = 64 * 1024;
const PAGE = 4096;

/**
 * Writes tensors to a headered weights file (each tensor aligned to 16 bytes) and returns its manifest, both marked
 * with `saveId`. Tensors are written one by one, so a caller may produce them lazily.
 */
export function writeWeightsTo(out: PendingFile, tensors: Iterable<[string, TensorData]>): Manifest {
  const entries: Record<string, ManifestTensor> = {};
  const header = Buffer.alloc(WEIGHTS_HEADER_BYTES + SAVE_ID_BYTES); // the id is filled in at the end
  header.write(WEIGHTS_MAGIC, 0, 'latin1');
  header.writeUInt32LE(WEIGHTS_VERSION, 4);
  out.write(header);
  const digest = createHash('sha256');
  let offset = header.byteLength;
  for (const [key, t] of tensors) {
    const align = t.bytes.byteLength >= PAGE_ALIGN_FROM ? PAGE : ALIGN;
    const pad = (align - (offset % align)) % align;
    if (pad) out.write(new Uint8Array(pad));
    offset += pad;
    out.write(t.bytes);
    digest.update(t.bytes);
    putEntry(entries, key, { dataType: t.dataType, shape: [...t.shape], byteOffset: offset, byteLength: t.bytes.byteLength, layout: 'row-major' });
    offset += t.bytes.byteLength;
  }
  digest.update(JSON.stringify(entries));
  const saveId = digest.digest().subarray(0, SAVE_ID_BYTES);
  out.writeAt(saveId, WEIGHTS_HEADER_BYTES);
  return { format: MANIFEST_FORMAT, version: 1, endianness: 'little', saveId: saveId.toString('hex'), tensors: entries };
}

/**
 * Refuses to write a weights file named .safetensors: loading takes such a file for a safetensors file and would
 * not read it.
 */
export function checkWeightsPath(weightsFile: string): void {
  if (extname(weightsFile).toLowerCase() === '.safetensors') {
    throw new GraphFileError('tsnn writes weights as a weights file with a manifest, not as safetensors: name it .weights', undefined, weightsFile);
  }
}

/**
 * Writes a weights file and its manifest (see writeWeightsTo); on any failure, including one while producing a
 * tensor, neither file is changed.
 */
export function writeWeights(weightsFile: string, manifestFile: string, tensors: Iterable<[string, TensorData]>): Manifest {
  checkWeightsPath(weightsFile);
  return writeFilesAtomically([weightsFile, manifestFile], ([w, m]) => {
    const manifest = writeWeightsTo(w!, tensors);
    m!.write(printManifest(manifest));
    return manifest;
  });
}
