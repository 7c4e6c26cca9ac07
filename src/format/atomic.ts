// Writing files so that a failure never leaves a partial file where a good one was: each file is written under a
// temporary name in its own directory (so the final rename stays on one file system) and renamed over its target
// only when every file of the set is complete. On any error the temporary files are removed and the targets are
// untouched. A process killed meanwhile leaves its temporary files behind; the next write to the same target removes
// those whose process is gone. (Renaming several files is not one atomic step: graph files carry a save id that
// loading checks, see io.ts.)
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GraphFileError } from './model.js';

/** `.<name>.<pid>-<8 hex>.tmp`: the temporary name of a file being written, and the pid that writes it. */
const TEMP = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.tmp$/;

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * Removes the temporary files that writes to `path` left behind when their process was killed (its pid no longer
 * runs). Temporary files of running processes, this one included, are left alone.
 */
export function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // the write itself will report an unreadable directory
  }
  for (const entry of entries) {
    const m = TEMP.exec(entry);
    if (!m || m[1] !== name || isRunning(Number(m[2]))) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // removed by someone else meanwhile, or not ours to remove
    }
  }
}

export class PendingFile {
  readonly temp: string;
  #fd: number | undefined;

  constructor(readonly path: string) {
    removeStaleTemps(path);
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.#fd = openSync(this.temp, 'wx');
    } catch (err) {
      throw new GraphFileError(`cannot write the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, path);
    }
  }

  /** Appends all of `data`. */
  write(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let done = 0;
    try {
      while (done < bytes.byteLength) done += writeSync(this.#fd!, bytes, done, bytes.byteLength - done);
    } catch (err) {
      throw new GraphFileError(`cannot write the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, this.path);
    }
  }

  /** Overwrites bytes already written, at `position`. */
  writeAt(data: Uint8Array, position: number): void {
    try {
      for (let done = 0; done < data.byteLength;) done += writeSync(this.#fd!, data, done, data.byteLength - done, position + done);
    } catch (err) {
      throw new GraphFileError(`cannot write the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, this.path);
    }
  }

  /** Flushes and closes the temporary file. */
  finish(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Closes and removes the temporary file (the target is untouched). */
  abort(): void {
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {
        // already failing: the removal below is what matters
      }
      this.#fd = undefined;
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // nothing to remove
    }
  }
}

/**
 * Writes a set of files together: `fill` writes each one (in the order of `paths`); only when it returns are they
 * renamed over their targets, in that order (so list the file that refers to the others last).
 */
export function writeFilesAtomically<T>(paths: readonly string[], fill: (files: PendingFile[]) => T): T {
  const files: PendingFile[] = [];
  try {
    for (const p of paths) files.push(new PendingFile(p));
    const result = fill(files);
    for (const f of files) f.finish();
    for (const f of files) {
      try {
        renameSync(f.temp, f.path);
      } catch (err) {
        throw new GraphFileError(`cannot replace the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, f.path);
      }
    }
    return result;
  } catch (err) {
    for (const f of files) f.abort();
    throw err;
  }
}

export function writeFileAtomically(path: string, data: Uint8Array | string): void {
  writeFilesAtomically([path], ([f]) => f!.write(data));
}
