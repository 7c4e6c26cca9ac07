// Indexed reads and writes (spec §gather, §gatherElements, §gatherND, §scatterElements, §scatterND).
// Index values are only known when the graph runs, so validation here covers types and shapes; the lowering makes
// negative indices count from the end and clamps out-of-range ones, so no index ever reads or writes out of bounds.
import { DATA_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { dimsToString, gatherDims, isDynamic, sameDim, sameDims, type Dim } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import type { OpContext, OperandRef } from './context.js';
import { defineOp, limits } from './registry.js';

export interface MLGatherOptions extends MLOperatorOptions {
  axis?: number;
}
export interface MLScatterOptions extends MLOperatorOptions {
  axis?: number;
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    gather(input: MLOperand, indices: MLOperand, options?: MLGatherOptions): MLOperand;
    gatherElements(input: MLOperand, indices: MLOperand, options?: MLGatherOptions): MLOperand;
    gatherND(input: MLOperand, indices: MLOperand, options?: MLOperatorOptions): MLOperand;
    scatterElements(input: MLOperand, indices: MLOperand, updates: MLOperand, options?: MLScatterOptions): MLOperand;
    scatterND(input: MLOperand, indices: MLOperand, updates: MLOperand, options?: MLOperatorOptions): MLOperand;
  }
}

export type GatherAttrs = { axis: number };
export type ScatterElementsAttrs = { axis: number };

declare module './registry.js' {
  interface OpAttrs {
    gather: GatherAttrs;
    gatherElements: GatherAttrs;
    scatterElements: ScatterElementsAttrs;
  }
}

export const INDEX_TYPES: readonly MLOperandDataType[] = ['int32', 'uint32', 'int64'];

function axisOf(c: OpContext, options: Readonly<Record<string, unknown>>, x: OperandRef): number {
  const axis = c.optionalUint(options.axis, 'axis', 0);
  if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
  return axis;
}

function sameRank(c: OpContext, x: OperandRef, other: OperandRef, param: string): void {
  if (other.rank !== x.rank) c.fail(`${param} has rank ${other.rank}, the input has rank ${x.rank}`);
}

/** Elements variants: `indices` has the input's shape except along `axis`. */
function checkElementIndices(c: OpContext, x: OperandRef, indices: OperandRef, axis: number): void {
  sameRank(c, x, indices, 'indices');
  if (!x.dims.every((d, i) => i === axis || sameDim(d, indices.dims[i]!))) {
    c.fail(`indices shape ${dimsToString(indices.dims)} must equal the input shape ${dimsToString(x.dims)} except along axis ${axis}`);
  }
}

/** ND variants: the shape indices.shape[:-1] + input.shape[k:], where k = indices.shape[-1] coordinates per index. */
function sliceDims(c: OpContext, x: OperandRef, indices: OperandRef): Dim[] {
  const k = indices.dims[indices.rank - 1]!;
  // k decides the output's rank, so it must be known when the graph is built.
  if (isDynamic(k)) c.fail(`argument 'indices' has dynamic dimension '${k.name}' on its last axis (coordinates per index); ${c.op} needs a static size there`);
  if (k > x.rank) c.fail(`indices' last dimension ${k} (coordinates per index) is greater than the input rank ${x.rank}`);
  return [...indices.dims.slice(0, -1), ...x.dims.slice(k)];
}

function checkUpdates(c: OpContext, x: OperandRef, updates: OperandRef): OperandRef {
  if (updates.dataType !== x.dataType) c.fail(`updates has data type ${updates.dataType}, the input has ${x.dataType}`);
  return updates;
}

defineOp({
  name: 'gather',
  params: { input: 'operand', indices: 'operand' },
  limits: { input: limits(DATA_TYPES, 1), indices: limits(INDEX_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, indices }, options) {
    const axis = axisOf(c, options, x);
    return { inputs: [x, indices], attrs: { axis }, outputs: [c.outputDims(x.dataType, gatherDims(x.dims, indices.dims, axis))] };
  },
});

defineOp({
  name: 'gatherElements',
  params: { input: 'operand', indices: 'operand' },
  limits: { input: limits(DATA_TYPES, 1), indices: limits(INDEX_TYPES, 1), output: limits(DATA_TYPES, 1) },
  dynamic: true,
  create(c, { input: x, indices }, options) {
    const axis = axisOf(c, options, x);
    sameRank(c, x, indices, 'indices');
    if (!x.dims.every((d, i) => i === axis || sameDim(d, indices.dims[i]!))) {
      c.fail(`indices shape ${dimsToString(indices.dims)} must equal the input shape ${dimsToString(x.dims)} except along axis ${axis}`);
    }
    // One output element per index: the output takes the indices' shape.
    return { inputs: [x, indices], attrs: { axis }, outputs: [c.outputDims(x.dataType, indices.dims)] };
  },
});

defineOp({
  name: 'gatherND',
  params: { input: 'operand', indices: 'operand' },
  limits: { input: limits(DATA_TYPES, 1), indices: limits(INDEX_TYPES, 1), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, indices }) {
    return { inputs: [x, indices], attrs: {}, outputs: [c.outputDims(x.dataType, sliceDims(c, x, indices))] };
  },
});

defineOp({
  name: 'scatterElements',
  params: { input: 'operand', indices: 'operand', updates: 'operand' },
  limits: {
    input: limits(DATA_TYPES, 1), indices: limits(INDEX_TYPES, 1), updates: limits(DATA_TYPES, 1), output: limits(DATA_TYPES, 1),
  },
  dynamic: true,
  create(c, { input: x, indices, updates: updatesArg }, options) {
    const updates = checkUpdates(c, x, updatesArg);
    sameRank(c, x, updates, 'updates');
    const axis = axisOf(c, options, x);
    checkElementIndices(c, x, indices, axis);
    if (!sameDims(updates.dims, indices.dims)) {
      c.fail(`updates shape ${dimsToString(updates.dims)} must equal the indices shape ${dimsToString(indices.dims)}`);
    }
    return { inputs: [x, indices, updates], attrs: { axis }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});

defineOp({
  name: 'scatterND',
  params: { input: 'operand', indices: 'operand', updates: 'operand' },
  limits: {
    input: limits(DATA_TYPES, 1), indices: limits(INDEX_TYPES, 1), updates: limits(DATA_TYPES), output: limits(DATA_TYPES, 1),
  },
  dynamic: true,
  create(c, { input: x, indices, updates: updatesArg }) {
    const updates = checkUpdates(c, x, updatesArg);
    const expected = sliceDims(c, x, indices);
    if (!sameDims(updates.dims, expected)) {
      c.fail(`updates shape ${dimsToString(updates.dims)} must be ${dimsToString(expected)} (indices' leading dimensions, then the input's trailing ones)`);
    }
    return { inputs: [x, indices, updates], attrs: {}, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});
