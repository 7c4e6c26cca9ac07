// The main thread's side of the onnxruntime worker (worker-source.ts): starts it on first use, sends requests,
// and matches replies. The worker keeps the process alive only while a request is pending, so an idle context
// never holds a program open, and a computation is never cut off by the program ending (terminating a worker in
// the middle of an onnxruntime run aborts the whole process); close() lets it finish its work and end by itself.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './worker-source.js';

/** A tensor on its way to the worker: its ArrayBuffer is transferred, not copied. */
export interface WireTensor {
  name: string;
  /** onnxruntime's name of the element type ('float32', 'float16' carried as Uint16Array, ...). */
  type: string;
  dims: readonly number[];
  buffer: ArrayBuffer;
  byteOffset: number;
  byteLength: number;
}

interface Reply {
  id: number;
  ok: boolean;
  message?: string;
  buffers?: ArrayBuffer[];
}

/** Where onnxruntime-node is, for code that loads it outside this module graph (the worker, the WebGPU probe). */
export const onnxruntimePath = createRequire(import.meta.url).resolve('onnxruntime-node');

export class OrtWorker {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  /** Why the worker is gone, once it is. */
  #dead: Error | undefined;

  #start(): Worker {
    if (this.#dead) throw this.#dead;
    if (this.#worker) return this.#worker;
    // Worker flags of the parent (e.g. a TypeScript loader) are not needed by the plain JavaScript worker.
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { onnxruntime: onnxruntimePath }, execArgv: [] });
    worker.unref();
    worker.on('message', (r: Reply) => {
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (this.#pending.size === 0) worker.unref();
      p.resolve(r);
    });
    const fail = (err: Error) => {
      this.#dead = err;
      this.#worker = undefined;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`the onnxruntime worker failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`the onnxruntime worker exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  /** Sends a request; resolves with the worker's reply (ok or not), rejects if the worker dies first. */
  request(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.ref(); // a pending request keeps the program alive until its reply
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Releases every session and lets the worker end once the requests sent before have been answered. */
  async close(): Promise<void> {
    if (!this.#worker) return;
    const reply = await this.request({ type: 'close' }).catch(() => undefined);
    if (reply) this.#dead = new Error('the onnxruntime worker was closed');
  }
}
