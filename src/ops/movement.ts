// Data movement and conversion (spec §cast, §concat, §reshape, §transpose).
import { DATA_TYPES } from '../graph/dtypes.js';
import { elementCount, isValidDimension, MAX_RANK, shapeToString } from '../graph/shape.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperandDataType, MLOperatorOptions, MLTransposeOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    cast(input: MLOperand, dataType: MLOperandDataType, options?: MLOperatorOptions): MLOperand;
    concat(inputs: MLOperand[], axis: number, options?: MLOperatorOptions): MLOperand;
    reshape(input: MLOperand, newShape: number[], options?: MLOperatorOptions): MLOperand;
    transpose(input: MLOperand, options?: MLTransposeOptions): MLOperand;
  }
}

const VALID_TENSOR_COUNT = 8192;

defineOp({
  name: 'cast',
  optionsAt: 2,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  create(c, [input, dataType]) {
    const x = c.operand(input, 'input');
    const to = c.dataType(dataType, 'dataType');
    return { inputs: [x], attrs: { to }, outputs: [c.output(to, x.shape)] };
  },
});

defineOp({
  name: 'concat',
  optionsAt: 2,
  limits: { inputs: limits(DATA_TYPES, 1), output: limits(DATA_TYPES, 1) },
  create(c, [inputsArg, axisArg]) {
    const inputs = c.operandList(inputsArg, 'inputs');
    const axis = c.uint(axisArg, 'axis');
    if (inputs.length === 0 || inputs.length > VALID_TENSOR_COUNT) c.fail(`needs 1 to ${VALID_TENSOR_COUNT} inputs, got ${inputs.length}`);
    const first = inputs[0]!;
    if (axis >= first.rank) c.fail(`axis ${axis} must be less than the inputs' rank ${first.rank}`);
    const shape = [...first.shape];
    for (let i = 1; i < inputs.length; i++) {
      const x = inputs[i]!;
      if (x.dataType !== first.dataType) c.fail(`inputs[${i}] has data type ${x.dataType}, inputs[0] has ${first.dataType}`);
      if (x.rank !== first.rank) c.fail(`inputs[${i}] has rank ${x.rank}, inputs[0] has rank ${first.rank}`);
      for (let d = 0; d < x.rank; d++) {
        if (d === axis) shape[d]! += x.shape[d]!;
        else if (x.shape[d] !== first.shape[d]) {
          c.fail(`inputs[${i}] shape ${shapeToString(x.shape)} differs from inputs[0] shape ${shapeToString(first.shape)} outside axis ${axis}`);
        }
      }
    }
    if (!isValidDimension(shape[axis])) c.fail(`the concatenated dimension ${shape[axis]} is too large`);
    return { inputs, attrs: { axis }, outputs: [c.output(first.dataType, shape)] };
  },
});

defineOp({
  name: 'reshape',
  optionsAt: 2,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  create(c, [input, newShapeArg]) {
    const x = c.operand(input, 'input');
    const newShape = c.uintList(newShapeArg, 'newShape');
    if (newShape.length > MAX_RANK) c.fail(`newShape has rank ${newShape.length}, more than the supported ${MAX_RANK}`);
    for (const d of newShape) if (!isValidDimension(d)) c.fail(`newShape ${shapeToString(newShape)} has an invalid dimension ${d}`);
    if (elementCount(newShape) !== elementCount(x.shape)) {
      c.fail(`newShape ${shapeToString(newShape)} has ${elementCount(newShape)} elements, the input ${shapeToString(x.shape)} has ${elementCount(x.shape)}`);
    }
    return { inputs: [x], attrs: { newShape }, outputs: [c.output(x.dataType, newShape)] };
  },
});

defineOp({
  name: 'transpose',
  optionsAt: 1,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
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
    return { inputs: [x], attrs: { permutation }, outputs: [c.output(x.dataType, permutation.map((p) => x.shape[p]!))] };
  },
});
