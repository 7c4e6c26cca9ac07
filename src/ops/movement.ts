// Data movement and conversion (spec §cast, §concat, §reshape, §transpose).
import { DATA_TYPES } from '../graph/dtypes.js';
import { isValidDimension, shapeToString } from '../graph/shape.js';
import { addDims, dimsToString, dimToString, hasDynamic, isDynamic, productDims, sameDim, type Dim } from '../graph/dims.js';
import type { AttrValue } from '../graph/ir.js';
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

const VALID_TENSOR_COUNT = 8192;

defineOp({
  name: 'cast',
  optionsAt: 2,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, [input, dataType]) {
    const x = c.operand(input, 'input');
    const to = c.dataType(dataType, 'dataType');
    return { inputs: [x], attrs: { to }, outputs: [c.outputDims(to, x.dims)] };
  },
});

defineOp({
  name: 'concat',
  optionsAt: 2,
  limits: { inputs: limits(DATA_TYPES, 1), output: limits(DATA_TYPES, 1) },
  dynamic: true,
  create(c, [inputsArg, axisArg]) {
    const inputs = c.operandList(inputsArg, 'inputs');
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
  optionsAt: 2,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, [input, newShapeArg]) {
    const x = c.operand(input, 'input');
    // Entries may name the graph's dynamic dimensions ({name, maxSize}, e.g. taken from an operand's shape); the
    // element counts must then agree for every size, i.e. as polynomials in the dimension names.
    const newShape = c.shapeList(newShapeArg, 'newShape');
    const have = productDims(x.dims);
    const want = productDims(newShape);
    if (!sameDim(have, want)) {
      c.fail(`newShape ${dimsToString(newShape)} has ${dimToString(want)} elements, the input ${dimsToString(x.dims)} has ${dimToString(have)}`);
    }
    const attr = (hasDynamic(newShape) ? newShape.map((d) => (isDynamic(d) ? { ...d } : d)) : newShape) as AttrValue;
    return { inputs: [x], attrs: { newShape: attr }, outputs: [c.outputDims(x.dataType, newShape)] };
  },
});

defineOp({
  name: 'transpose',
  optionsAt: 1,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, [input, optionsArg]) {
    const x = c.operand(input, 'input');
    const options = c.options(optionsArg);
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
