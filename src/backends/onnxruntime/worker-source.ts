// The code of the worker thread that runs a context's onnxruntime sessions off the JavaScript thread (execution
// 'worker', see backend.ts). It is plain JavaScript run with `eval`, so the same code serves the compiled package
// and the TypeScript sources (a worker does not inherit the TypeScript loader tests run under), and it needs nothing
// but onnxruntime-node, whose path the main thread passes in.
//
// Requests and replies travel on two MessagePorts that nobody listens to; each side takes messages with
// receiveMessageOnPort when a counter in shared memory says one is there (ctl[0]: requests sent, ctl[1]: replies
// sent), waking the other with Atomics.notify. A futex wake-up is quicker than a message event, and lets the main
// thread wait for a short run without a turn of its event loop (worker-client.ts). The worker handles one request
// at a time, in order:
//   { id, type: 'compile', graph, bytes, options }                    → { id, ok: true }
//   { id, type: 'run', graph, feeds: Wire[], fetches: Wire[] }        → { id, ok: true, buffers: ArrayBuffer[] }
//   { id, type: 'release', graph }                                    → { id, ok: true }
//   { id, type: 'close' }                                             → { id, ok: true }, then the worker ends
// where Wire = { name, type, dims, buffer, byteOffset, byteLength }: a tensor whose ArrayBuffer was transferred here;
// every buffer of a run goes back in the reply, in the order feeds then fetches, also when the run fails.
// A failure replies { id, ok: false, message } (and for a run, the buffers too).
export const WORKER_SOURCE = String.raw`
'use strict';
const { receiveMessageOnPort, workerData } = require('node:worker_threads');
const ort = require(workerData.onnxruntime);

const ARRAYS = {
  float32: Float32Array, float16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array,
  uint64: BigUint64Array, int8: Int8Array, uint8: Uint8Array,
};
// graph id → { session, inPlace }: inPlace is whether onnxruntime was seen writing results into the given fetches
// (learned on the first run, as OrtGraph does on the main thread).
const graphs = new Map();

function tensorOf(w) {
  const Typed = ARRAYS[w.type];
  const data = new Typed(w.buffer, w.byteOffset, w.byteLength / Typed.BYTES_PER_ELEMENT);
  return new ort.Tensor(w.type, data, w.dims);
}

function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

async function run(m) {
  const g = graphs.get(m.graph);
  if (!g) throw new Error('no such graph in the worker (released?)');
  const feeds = {};
  for (const w of m.feeds) feeds[w.name] = tensorOf(w);
  const fetches = {};
  for (const w of m.fetches) fetches[w.name] = tensorOf(w);
  if (g.inPlace === undefined) for (const w of m.fetches) new Uint8Array(w.buffer, w.byteOffset, w.byteLength).fill(0xa5);
  const results = await g.session.run(feeds, fetches);
  if (g.inPlace) return;
  let inPlace = true;
  for (const w of m.fetches) {
    const got = bytesOf(results[w.name].data);
    const mine = new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
    if (!Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(mine.buffer, mine.byteOffset, mine.byteLength))) {
      inPlace = false;
      mine.set(got);
    }
  }
  g.inPlace = inPlace;
}

async function handle(m) {
  switch (m.type) {
    case 'compile':
      graphs.set(m.graph, { session: await ort.InferenceSession.create(m.bytes, m.options), inPlace: undefined });
      return undefined;
    case 'run':
      return run(m);
    case 'release': {
      const g = graphs.get(m.graph);
      graphs.delete(m.graph);
      if (g) await g.session.release();
      return undefined;
    }
    case 'close':
      for (const g of graphs.values()) await g.session.release();
      graphs.clear();
      return undefined;
    default:
      throw new Error('unknown request ' + String(m.type));
  }
}

const ctl = new Int32Array(workerData.ctl);
const requests = workerData.requests;
const replies = workerData.replies;

(async () => {
  for (let taken = 0; ; taken++) {
    while (Atomics.load(ctl, 0) === taken) Atomics.wait(ctl, 0, taken);
    const m = receiveMessageOnPort(requests).message;
    const buffers = m.type === 'run' ? [...m.feeds, ...m.fetches].map((w) => w.buffer) : undefined;
    try {
      await handle(m);
      replies.postMessage({ id: m.id, ok: true, buffers }, buffers ?? []);
    } catch (err) {
      replies.postMessage({ id: m.id, ok: false, message: String((err && err.message) || err), buffers }, buffers ?? []);
    }
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
    if (m.type === 'close') break;
  }
  requests.close();
  replies.close();
})();
`;
