// The IR: build records a pruned graph; JSON round trips keep bigint and non-finite attribute values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphInternals } from '../../src/api/graph.js';
import { fromJSON, toJSON } from '../../src/graph/ir.js';
import { ml, MLGraphBuilder } from '../../src/index.js';

test('IR: build records a pruned graph that survives a JSON round trip', async () => {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  const unused = b.input('unused', { dataType: 'int32', shape: [1] });
  b.neg(unused); // not reachable from the outputs
  const w = b.constant({ dataType: 'float32', shape: [3, 2] }, new Float32Array([1, 2, 3, 4, 5, 6]));
  const y = b.softmax(b.matmul(x, w, { label: 'mm' }), 1);
  const graph = await b.build({ y });
  const ir = graphInternals(graph)!.ir;
  assert.deepEqual(ir.inputs.map((i) => i.name), ['x']);
  assert.deepEqual(ir.nodes.map((n) => n.op), ['matmul', 'softmax']);
  assert.equal(ir.nodes[0]!.label, 'mm');
  assert.deepEqual(ir.nodes[1]!.attrs, { axis: 1 });
  const text = JSON.stringify(toJSON(ir));
  const back = fromJSON(JSON.parse(text));
  assert.deepEqual(back.operands, ir.operands);
  assert.deepEqual(back.nodes, ir.nodes);
  assert.deepEqual([...back.constants.entries()], [...ir.constants.entries()]);
  assert.deepEqual(new Float32Array(back.constants.values().next().value!.buffer), new Float32Array([1, 2, 3, 4, 5, 6]));
  assert.throws(() => fromJSON({ format: 'other' }), /not a tsnn-ir/);
});

test('IR: bigint and non-finite attribute values survive JSON', () => {
  const ir = { operands: [], nodes: [{ id: 0, op: 'clamp', inputs: [], outputs: [], label: '', attrs: { minValue: -(2n ** 63n), maxValue: Infinity } }], constants: new Map(), inputs: [], outputs: [] };
  const back = fromJSON(JSON.parse(JSON.stringify(toJSON(ir))));
  assert.deepEqual(back.nodes[0]!.attrs, { minValue: -(2n ** 63n), maxValue: Infinity });
});
