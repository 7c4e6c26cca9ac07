// The main thread's side of the onnxruntime worker (worker-source.ts): starts it on first use, sends requests,
// and matches replies (taken when Atomics.waitAsync says one is there, or at once for short runs). The worker keeps
// the process alive only while a request is pending, so an idle context never holds a program open, and a
// computation is never cut off by the program ending, not even by process.exit() (terminating a worker in the middle
// of an onnxruntime run aborts the whole process); close() lets it finish its work and end by itself.
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
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

/** Atomics.waitAsync (Node ≥ 16; not in the ES2022 typings this project compiles against). */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** Where onnxruntime-node is, for code that loads it outside this module graph (the worker, the WebGPU probe). */
export const onnxruntimePath = createRequire(import.meta.url).resolve('onnxruntime-node');

export class OrtWorker {
  #worker: Worker | undefined;
  #requests: MessagePort | undefined;
  #replies: MessagePort | undefined;
  /** ctl[0]: requests sent, ctl[1]: replies sent (by the worker). */
  readonly #ctl = new Int32Array(new SharedArrayBuffer(8));
  /** Replies taken so far. */
  #taken = 0;
  /** Whether an Atomics.waitAsync for the next reply is armed. */
  #armed = false;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  /** Why the worker is gone, once it is. */
  #dead: Error | undefined;

  #start(): Worker {
    if (this.#dead) throw this.#dead;
    if (this.#worker) return this.#worker;
    const requests = new MessageChannel();
    const replies = new MessageChannel();
    // Worker flags of the parent (e.g. a TypeScript loader) are not needed by the plain JavaScript worker.
    const worker = new Worker(WORKER_SOURCE, {
      eval: true, execArgv: [],
      workerData: { onnxruntime: onnxruntimePath, ctl: this.#ctl.buffer, requests: requests.port2, replies: replies.port2 },
      transferList: [requests.port2, replies.port2],
    });
    worker.unref();
    const fail = (err: Error) => {
      process.off('exit', finishWork);
      this.#dead ??= err;
      this.#worker = undefined;
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    };
    // process.exit() terminates workers; one terminated in the middle of an onnxruntime call aborts the whole
    // process. So on exit, wait (blocking: nothing else can run any more) until the worker has answered every request.
    // (A worker that died without answering cannot hold the exit up for more than a minute.)
    const finishWork = () => {
      const deadline = Date.now() + 60_000;
      while (this.#worker && Atomics.load(this.#ctl, 1) !== Atomics.load(this.#ctl, 0) && Date.now() < deadline) {
        Atomics.wait(this.#ctl, 1, Atomics.load(this.#ctl, 1), 100);
      }
    };
    process.on('exit', finishWork);
    worker.on('error', (err) => fail(new Error(`the onnxruntime worker failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`the onnxruntime worker exited (code ${code})`)));
    this.#worker = worker;
    this.#requests = requests.port1;
    this.#replies = replies.port1;
    return worker;
  }

  /** Takes every reply the worker has sent and settles its request. */
  #drain(): void {
    for (;;) {
      const got = receiveMessageOnPort(this.#replies!);
      if (!got) break;
      this.#taken++;
      const r = got.message as Reply;
      const p = this.#pending.get(r.id);
      this.#pending.delete(r.id);
      p?.resolve(r);
    }
    if (this.#pending.size === 0) this.#worker?.unref();
  }

  /** Keeps one asynchronous wait for the worker's next reply armed while requests are pending. */
  #arm(): void {
    if (this.#armed || this.#pending.size === 0) return;
    this.#armed = true;
    const wait = waitAsync(this.#ctl, 1, this.#taken);
    void (wait.async ? wait.value : Promise.resolve()).then(() => {
      this.#armed = false;
      if (!this.#replies) return;
      this.#drain();
      this.#arm();
    });
  }

  /**
   * Sends a request; resolves with the worker's reply (ok or not), rejects if the worker dies first. With `waitMs`,
   * first blocks the JavaScript thread for at most that long for the reply: for requests known to be quick, this
   * saves the turn of the event loop (and the wake-up) an asynchronous reply costs.
   */
  request(message: Record<string, unknown>, transfer: ArrayBuffer[] = [], waitMs = 0): Promise<Reply> {
    const worker = this.#start();
    const id = this.#nextId++;
    const reply = new Promise<Reply>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#requests!.postMessage({ ...message, id }, transfer);
    Atomics.add(this.#ctl, 0, 1);
    Atomics.notify(this.#ctl, 0);
    if (waitMs > 0 && !this.#armed && Atomics.wait(this.#ctl, 1, this.#taken, waitMs) !== 'timed-out') this.#drain();
    if (this.#pending.has(id)) {
      worker.ref(); // a pending request keeps the program alive until its reply
      this.#arm();
    }
    return reply;
  }

  /** Releases every session and lets the worker end once the requests sent before have been answered. */
  async close(): Promise<void> {
    if (!this.#worker) return;
    const reply = await this.request({ type: 'close' }).catch(() => undefined);
    if (reply) this.#dead = new Error('the onnxruntime worker was closed');
  }
}
