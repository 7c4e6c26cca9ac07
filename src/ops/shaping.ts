// Data movement that reshapes a tensor's extent (spec §expand, §pad, §reverse, §slice, §split, §tile, §triangular).
import { DATA_TYPES } from '../graph/dtypes.js';
import { isValidDimension, MAX_RANK, shapeToString } from '../graph/shape.js';
import type { MLNumber } from '../graph/cast.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { axesOption } from './axes.js';
import type { OpContext } from './context.js';
import { defineOp, limits } from './registry.js';

export type MLPaddingMode = 'constant' | 'edge' | 'reflection';
export interface MLPadOptions extends MLOperatorOptions {
  mode?: MLPaddingMode;
  value?: MLNumber;
}
export interface MLReverseOptions extends MLOperatorOptions {
  axes?: readonly number[];
}
export interface MLSliceOptions extends MLOperatorOptions {
  strides?: readonly number[];
}
export interface MLSplitOptions extends MLOperatorOptions {
  axis?: number;
}
export interface MLTriangularOptions extends MLOperatorOptions {
  upper?: boolean;
  diagonal?: number;
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    expand(input: MLOperand, newShape: readonly number[], options?: MLOperatorOptions): MLOperand;
    pad(input: MLOperand, beginningPadding: readonly number[], endingPadding: readonly number[], options?: MLPadOptions): MLOperand;
    reverse(input: MLOperand, options?: MLReverseOptions): MLOperand;
    slice(input: MLOperand, starts: readonly number[], sizes: readonly number[], options?: MLSliceOptions): MLOperand;
    split(input: MLOperand, splits: number | readonly number[], options?: MLSplitOptions): MLOperand[];
    tile(input: MLOperand, repetitions: readonly number[], options?: MLOperatorOptions): MLOperand;
    triangular(input: MLOperand, options?: MLTriangularOptions): MLOperand;
  }
}

const VALID_TENSOR_COUNT = 8192;
const PADDING_MODES: readonly MLPaddingMode[] = ['constant', 'edge', 'reflection'];

/** `[EnforceRange] long`. */
function long(c: OpContext, value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'bigint' || typeof value === 'object' ? NaN : Number(value);
  if (!Number.isFinite(n)) c.fail(`${name} must be a finite number (got ${String(value)})`);
  const t = Math.trunc(n);
  if (t < -(2 ** 31) || t > 2 ** 31 - 1) c.fail(`${name} ${String(value)} is out of the long range`);
  return t;
}

/** A per-dimension list argument that must have one entry per input dimension. */
function perDimension(c: OpContext, value: unknown, name: string, rank: number): number[] {
  const list = c.uintList(value, name);
  if (list.length !== rank) c.fail(`${name} has ${list.length} entries, the input rank is ${rank}`);
  return list;
}

defineOp({
  name: 'expand',
  optionsAt: 2,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  create(c, [input, newShapeArg]) {
    const x = c.operand(input, 'input');
    const newShape = c.uintList(newShapeArg, 'newShape');
    if (newShape.length > MAX_RANK) c.fail(`newShape has rank ${newShape.length}, more than the supported ${MAX_RANK}`);
    for (const d of newShape) if (!isValidDimension(d)) c.fail(`newShape ${shapeToString(newShape)} has an invalid dimension ${d}`);
    // Unidirectional broadcast: the input's dimensions, right-aligned, must each be 1 or equal the new one.
    const offset = newShape.length - x.rank;
    if (offset < 0 || x.shape.some((d, i) => d !== 1 && d !== newShape[offset + i])) {
      c.fail(`input shape ${shapeToString(x.shape)} is not unidirectionally broadcastable to ${shapeToString(newShape)}`);
    }
    return { inputs: [x], attrs: { newShape }, outputs: [c.output(x.dataType, newShape)] };
  },
});

defineOp({
  name: 'pad',
  optionsAt: 3,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  create(c, [input, beginningArg, endingArg, optionsArg]) {
    const x = c.operand(input, 'input');
    const beginning = c.uintList(beginningArg, 'beginningPadding');
    const ending = c.uintList(endingArg, 'endingPadding');
    const options = c.options(optionsArg);
    const mode = c.enumValue(options.mode, PADDING_MODES, 'mode', 'constant');
    const value = options.value === undefined ? 0 : c.number(options.value, 'value');
    if (beginning.length !== x.rank || ending.length !== x.rank) {
      c.fail(`beginningPadding (${beginning.length} entries) and endingPadding (${ending.length} entries) must both have the input rank ${x.rank}`);
    }
    const shape = x.shape.map((d, i) => {
      if (mode === 'reflection' && (beginning[i]! >= d || ending[i]! >= d)) {
        c.fail(`reflection padding ${beginning[i]}/${ending[i]} along axis ${i} must be less than the input dimension ${d}`);
      }
      return beginning[i]! + d + ending[i]!;
    });
    return { inputs: [x], attrs: { beginningPadding: beginning, endingPadding: ending, mode, value }, outputs: [c.output(x.dataType, shape)] };
  },
});

defineOp({
  name: 'reverse',
  optionsAt: 1,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  create(c, [input, optionsArg]) {
    const x = c.operand(input, 'input');
    const axes = axesOption(c, c.options(optionsArg).axes, x.rank);
    return { inputs: [x], attrs: { axes }, outputs: [c.output(x.dataType, x.shape)] };
  },
});

defineOp({
  name: 'slice',
  optionsAt: 3,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  create(c, [input, startsArg, sizesArg, optionsArg]) {
    const x = c.operand(input, 'input');
    const starts = perDimension(c, startsArg, 'starts', x.rank);
    const sizes = perDimension(c, sizesArg, 'sizes', x.rank);
    const options = c.options(optionsArg);
    const strides = options.strides === undefined ? x.shape.map(() => 1) : perDimension(c, options.strides, 'strides', x.rank);
    const shape = x.shape.map((d, i) => {
      const [start, size, stride] = [starts[i]!, sizes[i]!, strides[i]!];
      if (size === 0) c.fail(`sizes[${i}] is 0; sizes must be positive`);
      if (stride < 1) c.fail(`strides[${i}] is ${stride}; strides must be at least 1`);
      if (start + size > d) c.fail(`starts[${i}] ${start} + sizes[${i}] ${size} exceeds the input dimension ${d}`);
      return Math.ceil(size / stride);
    });
    return { inputs: [x], attrs: { starts, sizes, strides }, outputs: [c.output(x.dataType, shape)] };
  },
});

defineOp({
  name: 'split',
  optionsAt: 2,
  multipleOutputs: true,
  limits: { input: limits(DATA_TYPES, 1), outputs: limits(DATA_TYPES, 1) },
  create(c, [input, splitsArg, optionsArg]) {
    const x = c.operand(input, 'input');
    const options = c.options(optionsArg);
    const axis = c.optionalUint(options.axis, 'axis', 0);
    const byCount = typeof splitsArg !== 'object' || splitsArg === null;
    const splitsValue = byCount ? c.uint(splitsArg, 'splits') : c.uintList(splitsArg, 'splits');
    if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
    const dim = x.shape[axis]!;
    let sizes: number[];
    if (typeof splitsValue === 'number') {
      if (splitsValue < 1 || splitsValue > VALID_TENSOR_COUNT) c.fail(`splits ${splitsValue} must be between 1 and ${VALID_TENSOR_COUNT}`);
      if (dim % splitsValue !== 0) c.fail(`splits ${splitsValue} does not evenly divide the input dimension ${dim} along axis ${axis}`);
      sizes = Array.from({ length: splitsValue }, () => dim / splitsValue);
    } else {
      if (splitsValue.length < 1 || splitsValue.length > VALID_TENSOR_COUNT) c.fail(`splits must have 1 to ${VALID_TENSOR_COUNT} entries, got ${splitsValue.length}`);
      if (splitsValue.includes(0)) c.fail(`splits ${shapeToString(splitsValue)} has a 0 entry`);
      const sum = splitsValue.reduce((a, b) => a + b, 0);
      if (sum !== dim) c.fail(`splits ${shapeToString(splitsValue)} sum to ${sum}, the input dimension along axis ${axis} is ${dim}`);
      sizes = splitsValue;
    }
    const outputs = sizes.map((s) => c.output(x.dataType, x.shape.map((d, i) => (i === axis ? s : d)), 'outputs'));
    return { inputs: [x], attrs: { axis, sizes }, outputs };
  },
});

defineOp({
  name: 'tile',
  optionsAt: 2,
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  create(c, [input, repetitionsArg]) {
    const x = c.operand(input, 'input');
    const repetitions = perDimension(c, repetitionsArg, 'repetitions', x.rank);
    if (repetitions.includes(0)) c.fail(`repetitions ${shapeToString(repetitions)} has a 0 entry`);
    return { inputs: [x], attrs: { repetitions }, outputs: [c.output(x.dataType, x.shape.map((d, i) => d * repetitions[i]!))] };
  },
});

defineOp({
  name: 'triangular',
  optionsAt: 1,
  limits: { input: limits(DATA_TYPES, 2), output: limits(DATA_TYPES, 2) },
  create(c, [input, optionsArg]) {
    const x = c.operand(input, 'input');
    const options = c.options(optionsArg);
    const upper = c.bool(options.upper, true);
    const diagonal = long(c, options.diagonal, 'diagonal', 0);
    return { inputs: [x], attrs: { upper, diagonal }, outputs: [c.output(x.dataType, x.shape)] };
  },
});
