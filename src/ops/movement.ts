// Data movement and conversion (spec §cast, §concat, §reshape, §transpose).
import { DATA_TYPES } from '../graph/dtypes.js';
import { isValidDimension, shapeToString } from '../graph/shape.js';
import { addDims, copyDims, dimsToString, dimToString, isDynamic, productDims, sameDim, type Dim } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLDimension, MLOperandDataType, MLOperatorOptions, MLTransposeOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    cast(input: MLOperand, dataType: MLOperandDataType, options?: MLOperatorOptions): MLOperand;
    concat(inputs: MLOperand[], axis: number, options?: MLOperatorOptions): MLOperand;
    /** newShape entries may be dynamic dimensions of the graph (non-standard, flexible inputs). */
    reshape(input: MLOperand, newShape: readonly MLDimension[], options?: MLOperatorOptions): MLOperand;
    transpose(input: MLOperand, options?: MLTransposeOptions): MLOperand;
  }
}

export type CastAttrs = { to: MLOperandDataType };
export type ConcatAttrs = { axis: number };
/** The new shape, dynamic dimensions included (a copy the IR owns). */
export type ReshapeAttrs = { newShape: Dim[] };
export type TransposeAttrs = { permutation: number[] };

declare module './registry.js' {
  interface OpAttrs {
    cast: CastAttrs;
    concat: ConcatAttrs;
    reshape: ReshapeAttrs;
    transpose: TransposeAttrs;
  }
}

const VALID_TENSOR_COUNT = 8192;

defineOp({
  name: 'cast',
  params: { input: 'operand', dataType: 'dataType' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, dataType }) {
    const to = c.dataType(dataType, 'dataType');
    return { inputs: [x], attrs: { to }, outputs: [c.outputDims(to, x.dims)] };
  },
});

defineOp({
  name: 'concat',
  params: { inputs: 'operands', axis: 'uint' },
  limits: { inputs: limits(DATA_TYPES, 1), output: limits(DATA_TYPES, 1) },
  dynamic: true,
  create(c, { inputs, axis: axisArg }) {
    const axis = c.uint(axisArg, 'axis');
    if (inputs.length === 0 || inputs.length > VALID_TENSOR_COUNT) c.fail(`needs 1 to ${VALID_TENSOR_COUNT} inputs, got ${inputs.length}`);
    const first = inputs[0]!;
    if (axis >= first.rank) c.fail(`axis ${axis} must be less than the inputs' rank ${first.rank}`);
    // Along the axis, sizes add up; a dynamic one makes a derived dimension such as 'past + seq'.
    const dims: Dim[] = [...first.dims];
    for (let i = 1; i < inputs.length; i++) {
      const x = inputs[i]!;
      if (x.dataType !== first.dataType) c.fail(`inputs[${i}] has data type ${x.dataType}, inputs[0] has ${first.dataType}`);
      if (x.rank !== first.rank) c.fail(`inputs[${i}] has rank ${x.rank}, inputs[0] has rank ${first.rank}`);
      for (let d = 0; d < x.rank; d++) {
        if (d === axis) dims[d] = addDims(dims[d]!, x.dims[d]!);
        else if (!sameDim(x.dims[d]!, first.dims[d]!)) {
          c.fail(`inputs[${i}] shape ${dimsToString(x.dims)} differs from inputs[0] shape ${dimsToString(first.dims)} outside axis ${axis}`);
        }
      }
    }
    const along = dims[axis]!;
    if (!isDynamic(along) && !isValidDimension(along)) c.fail(`the concatenated dimension ${along} is too large`);
    return { inputs, attrs: { axis }, outputs: [c.outputDims(first.dataType, dims)] };
  },
});

defineOp({
  name: 'reshape',
  params: { input: 'operand', newShape: 'uints' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, newShape: newShapeArg }) {
    // Entries may name the graph's dynamic dimensions ({name, maxSize}, e.g. taken from an operand's shape); the
    // element counts must then agree for every size, i.e. as polynomials in the dimension names.
    const newShape = c.shapeList(newShapeArg, 'newShape');
    const have = productDims(x.dims);
    const want = productDims(newShape);
    if (!sameDim(have, want)) {
      c.fail(`newShape ${dimsToString(newShape)} has ${dimToString(want)} elements, the input ${dimsToString(x.dims)} has ${dimToString(have)}`);
    }
    return { inputs: [x], attrs: { newShape: copyDims(newShape) }, outputs: [c.outputDims(x.dataType, newShape)] };
  },
});

defineOp({
  name: 'transpose',
  params: { input: 'operand' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x }, options) {
    let permutation: number[];
    if (options.permutation === undefined) {
      permutation = x.shape.map((_, i) => x.rank - 1 - i);
    } else {
      permutation = c.uintList(options.permutation, 'permutation');
      if (permutation.length !== x.rank) c.fail(`permutation has ${permutation.length} entries, the input rank is ${x.rank}`);
      if (permutation.some((p) => p >= x.rank)) c.fail(`permutation ${shapeToString(permutation)} has a value outside 0 to ${x.rank - 1}`);
      if (new Set(permutation).size !== permutation.length) c.fail(`permutation ${shapeToString(permutation)} has duplicate values`);
    }
    return { inputs: [x], attrs: { permutation }, outputs: [c.outputDims(x.dataType, permutation.map((p) => x.dims[p]!))] };
  },
});
