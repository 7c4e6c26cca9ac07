// Large constants that stay in a graph file's weights are memory-mapped by onnxruntime, and some kernels (Add, ...)
// read the mapping on every run. A mapping of the user's own file would let anyone who truncates or rewrites that
// file in place kill the process with SIGBUS (pages past the new end) or change results silently. So onnxruntime maps
// a private copy instead, made beside the weights file (a reflink where the file system can, sharing the blocks
// until either file changes) and unlinked as soon as the session exists: the mapping keeps the copy alive, and no
// other program can reach it. Memory use is as with the original: file pages, which the kernel may drop.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ExternalConstant } from '../../graph/ir.js';

export interface PrivateCopies {
  /** Original weights file → its private copy (absent when a copy could not be made; read those constants then). */
  readonly paths: ReadonlyMap<string, string>;
  /** Unlinks the copies (call once onnxruntime has opened and mapped them). */
  remove(): void;
}

/**
 * Copies each weights file that holds some of `constants` (all from one folder) to a private file in the same
 * folder, named like the temporary files of a save, so that a copy left by a killed process is removed by the next
 * save to that weights file. Checks that each copy holds every constant's bytes: a file that shrank since the graph
 * was loaded is an error here, not a SIGBUS later.
 */
export async function privateCopies(constants_: readonly ExternalConstant[]): Promise<PrivateCopies> {
  const paths = new Map<string, string>();
  const remove = () => {
    for (const copy of paths.values()) {
      try {
        unlinkSync(copy);
      } catch {
        // already gone
      }
    }
  };
  const need = new Map<string, number>();
  for (const c of constants_) need.set(c.path, Math.max(need.get(c.path) ?? 0, c.byteOffset + c.byteLength));
  try {
    for (const [path, end] of need) {
      const copy = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      try {
        await fs.copyFile(path, copy, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && !(await exists(path))) throw new Error(`the weights file ${path} is gone (it was loaded from it)`);
        continue; // a folder we may not write to, a full disk: these constants are read into memory instead
      }
      paths.set(path, copy);
      const size = (await fs.stat(copy)).size;
      if (size < end) {
        throw new Error(`the weights file ${path} has ${size} bytes, but the graph's constants need ${end}: it changed since the graph was loaded`);
      }
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { paths, remove };
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}
