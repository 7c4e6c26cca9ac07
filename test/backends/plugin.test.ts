// The API layer is backend-agnostic: a backend registered through src/backends serves contexts without any
// change to src/api. This one interprets add and relu on float32 in plain JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder } from '../../src/index.js';
import { registerBackend } from '../../src/backends/registry.js';
import type { Backend, BackendProfile, CompiledGraph, HostTensor } from '../../src/backends/backend.js';
import type { GraphIR } from '../../src/graph/ir.js';

class TinyInterpreter implements Backend {
  readonly name = 'tiny';
  readonly accelerated = false;
  readonly description = 'tiny JS interpreter (test)';
  // The profile narrows what the API accepts: add and relu on float32 only.
  readonly profile: BackendProfile = {
    name: 'tiny',
    narrowLimits: (op, _param, limits) => (op === 'add' || op === 'relu' ? { ...limits, dataTypes: ['float32'] } : limits),
  };
  compiled = 0;

  async compile(ir: GraphIR): Promise<CompiledGraph> {
    for (const n of ir.nodes) if (n.op !== 'add' && n.op !== 'relu') throw new Error(`tiny: no ${n.op}`);
    this.compiled++;
    return {
      async run(inputs: Readonly<Record<string, HostTensor>>, outputs: Readonly<Record<string, HostTensor>>) {
        const values = new Map<number, Float32Array>();
        const floats = (t: Uint8Array) => new Float32Array(t.buffer, t.byteOffset, t.byteLength / 4);
        for (const i of ir.inputs) values.set(i.operand, floats(inputs[i.name]!.data));
        for (const [id, bytes] of ir.constants) values.set(id, floats(bytes));
        for (const n of ir.nodes) {
          const [a, b] = n.inputs.map((i) => values.get(i!)!);
          values.set(n.outputs[0]!, n.op === 'add' ? a!.map((v, k) => v + b![k]!) : a!.map((v) => Math.max(v, 0)));
        }
        for (const o of ir.outputs) floats(outputs[o.name]!.data).set(values.get(o.operand)!);
      },
      async release() {},
    };
  }
}

test('a registered backend serves contexts through the unchanged WebNN API', async () => {
  const tiny = new TinyInterpreter();
  registerBackend({ name: 'tiny', create: async () => tiny });
  const ctx = await ml.createContext();
  assert.equal(ctx.backend, 'tiny JS interpreter (test)');
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [4] });
  const c = b.constant({ dataType: 'float32', shape: [4] }, new Float32Array([1, -10, 0.5, 2]));
  const graph = await b.build({ y: b.relu(b.add(x, c)) });
  assert.equal(tiny.compiled, 1);
  const r = await ctx.compute(graph, { x: new Float32Array([1, 2, -3, 4]) });
  assert.deepEqual(Array.from(r.y!.data as Float32Array), [2, 0, 0, 6]);

  const b2 = new MLGraphBuilder(ctx);
  const z = b2.input('z', { dataType: 'float32', shape: [2] });
  await assert.rejects(b2.build({ e: b2.exp(z) }), { name: 'OperationError', message: /tiny: no exp/ });
});

test("a backend's profile narrows opSupportLimits() and the builder's validation", async () => {
  const ctx = await ml.createContext();
  assert.equal(ctx.backend, 'tiny JS interpreter (test)');
  const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, { dataTypes: string[] }>>;
  assert.deepEqual(limits.add!.a!.dataTypes, ['float32']);
  assert.deepEqual(limits.relu!.output!.dataTypes, ['float32']);
  assert.ok(limits.sub!.a!.dataTypes.includes('int32'), 'operators the profile leaves alone keep their own limits');
  const b = new MLGraphBuilder(ctx);
  const i = b.input('i', { dataType: 'int32', shape: [2] });
  assert.throws(() => b.add(i, i), { name: 'TypeError', message: /^add: 'a' has data type int32, which is not one of the supported types \(float32\)/ });
  assert.doesNotThrow(() => b.sub(i, i));
});
