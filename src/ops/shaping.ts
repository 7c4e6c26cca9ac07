// Data movement that reshapes a tensor's extent (spec §expand, §pad, §reverse, §slice, §split, §tile, §triangular).
import { DATA_TYPES } from '../graph/dtypes.js';
import { shapeToString } from '../graph/shape.js';
import type { MLNumber } from '../graph/cast.js';
import { addDims, copyDims, dimsToString, expandDims, isDynamic, mulDims, sameDim, type Dim } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLDimension, MLOperatorOptions } from '../api/types.js';
import { axesOption } from './axes.js';
import { describeValue, toNumber, type OpContext } from './context.js';
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
    /** newShape entries may be dynamic dimensions of the graph (non-standard, flexible inputs). */
    expand(input: MLOperand, newShape: readonly MLDimension[], options?: MLOperatorOptions): MLOperand;
    pad(input: MLOperand, beginningPadding: readonly number[], endingPadding: readonly number[], options?: MLPadOptions): MLOperand;
    reverse(input: MLOperand, options?: MLReverseOptions): MLOperand;
    /** A sizes entry may be the input's dynamic dimension itself, keeping that whole axis (flexible inputs). */
    slice(input: MLOperand, starts: readonly number[], sizes: readonly MLDimension[], options?: MLSliceOptions): MLOperand;
    split(input: MLOperand, splits: number | readonly number[], options?: MLSplitOptions): MLOperand[];
    tile(input: MLOperand, repetitions: readonly number[], options?: MLOperatorOptions): MLOperand;
    triangular(input: MLOperand, options?: MLTriangularOptions): MLOperand;
  }
}

export type ExpandAttrs = { newShape: Dim[] };
export type PadAttrs = { beginningPadding: number[]; endingPadding: number[]; mode: MLPaddingMode; value: MLNumber };
export type ReverseAttrs = { axes: number[] };
export type SliceAttrs = { starts: number[]; sizes: Dim[]; strides: number[] };
/** The size of each output along `axis`. */
export type SplitAttrs = { axis: number; sizes: number[] };
export type TileAttrs = { repetitions: number[] };
export type TriangularAttrs = { upper: boolean; diagonal: number };

declare module './registry.js' {
  interface OpAttrs {
    expand: ExpandAttrs;
    pad: PadAttrs;
    reverse: ReverseAttrs;
    slice: SliceAttrs;
    split: SplitAttrs;
    tile: TileAttrs;
    triangular: TriangularAttrs;
  }
}

const VALID_TENSOR_COUNT = 8192;
const PADDING_MODES: readonly MLPaddingMode[] = ['constant', 'edge', 'reflection'];

/** `[EnforceRange] long`. */
function long(c: OpContext, value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'object' ? NaN : toNumber(value);
  if (!Number.isFinite(n)) c.fail(`${name} must be a finite number (got ${describeValue(value)})`);
  const t = Math.trunc(n);
  if (t < -(2 ** 31) || t > 2 ** 31 - 1) c.fail(`${name} ${describeValue(value)} is out of the long range`);
  return t;
}

/** Fails unless axis `i` of `x` is static: the op needs its size when the graph is built. */
function staticAxis(c: OpContext, dims: readonly Dim[], i: number, why: string): number {
  const d = dims[i]!;
  if (isDynamic(d)) c.fail(`argument 'input' has dynamic dimension '${d.name}' on axis ${i}; ${c.op} needs a static size there (${why})`);
  return d;
}

/** A per-dimension list argument that must have one entry per input dimension. */
function perDimension(c: OpContext, value: unknown, name: string, rank: number): number[] {
  const list = c.uintList(value, name);
  if (list.length !== rank) c.fail(`${name} has ${list.length} entries, the input rank is ${rank}`);
  return list;
}

defineOp({
  name: 'expand',
  params: { input: 'operand', newShape: 'uints' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, newShape: newShapeArg }) {
    // Entries may name the graph's dynamic dimensions ({name, maxSize}); the lowering then computes the target shape
    // in the model.
    const newShape = c.shapeList(newShapeArg, 'newShape');
    // Unidirectional broadcast: the input's dimensions, right-aligned, must each be 1 or equal the new one.
    const dims = expandDims(x.dims, newShape);
    if (!dims) {
      const hint = x.dims.some(isDynamic) || newShape.some(isDynamic) ? ' (a dynamic dimension matches only the same dimension)' : '';
      return c.fail(`input shape ${dimsToString(x.dims)} is not unidirectionally broadcastable to ${dimsToString(newShape)}${hint}`);
    }
    return { inputs: [x], attrs: { newShape: copyDims(newShape) }, outputs: [c.outputDims(x.dataType, dims)] };
  },
});

defineOp({
  name: 'pad',
  params: { input: 'operand', beginningPadding: 'uints', endingPadding: 'uints' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, beginningPadding, endingPadding }, options) {
    const beginning = c.uintList(beginningPadding, 'beginningPadding');
    const ending = c.uintList(endingPadding, 'endingPadding');
    const mode = c.enumValue(options.mode, PADDING_MODES, 'mode', 'constant');
    const value = options.value === undefined ? 0 : c.number(options.value, 'value');
    if (beginning.length !== x.rank || ending.length !== x.rank) {
      c.fail(`beginningPadding (${beginning.length} entries) and endingPadding (${ending.length} entries) must both have the input rank ${x.rank}`);
    }
    const dims = x.dims.map((dim, i) => {
      // Edge and reflection padding read the axis' elements, which a dynamic axis may not have (size 0, or fewer
      // than the padding): only constant padding may pad a dynamic axis.
      const padded = beginning[i]! !== 0 || ending[i]! !== 0;
      const d = mode !== 'constant' && padded ? staticAxis(c, x.dims, i, `${mode} padding along it`) : dim;
      if (mode === 'reflection' && typeof d === 'number' && (beginning[i]! >= d || ending[i]! >= d)) {
        c.fail(`reflection padding ${beginning[i]}/${ending[i]} along axis ${i} must be less than the input dimension ${d}`);
      }
      return addDims(addDims(beginning[i]!, d), ending[i]!);
    });
    return { inputs: [x], attrs: { beginningPadding: beginning, endingPadding: ending, mode, value }, outputs: [c.outputDims(x.dataType, dims)] };
  },
});

defineOp({
  name: 'reverse',
  params: { input: 'operand' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x }, options) {
    const axes = axesOption(c, options.axes, x.rank);
    return { inputs: [x], attrs: { axes }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});

defineOp({
  name: 'slice',
  params: { input: 'operand', starts: 'uints', sizes: 'uints' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, starts: startsArg, sizes: sizesArg }, options) {
    const starts = perDimension(c, startsArg, 'starts', x.rank);
    const sizes = c.dimList(sizesArg, 'sizes');
    if (sizes.length !== x.rank) c.fail(`sizes has ${sizes.length} entries, the input rank is ${x.rank}`);
    const strides = options.strides === undefined ? x.dims.map(() => 1) : perDimension(c, options.strides, 'strides', x.rank);
    const dims = x.dims.map((d, i) => {
      const [start, size, stride] = [starts[i]!, sizes[i]!, strides[i]!];
      // A dynamic axis can only be kept whole (start 0, its own dimension as the size, stride 1): any other window
      // could fall outside a smaller size.
      if (isDynamic(d) || isDynamic(size)) {
        if (start === 0 && stride === 1 && sameDim(d, size)) return d;
        if (isDynamic(d)) staticAxis(c, x.dims, i, `slicing it; only start 0, sizes[${i}] '${d.name}' and stride 1 keep it`);
        return c.fail(`sizes[${i}] is dynamic dimension '${(size as { name: string }).name}', but the input's axis ${i} is ${d}`);
      }
      if (size === 0) c.fail(`sizes[${i}] is 0; sizes must be positive`);
      if (stride < 1) c.fail(`strides[${i}] is ${stride}; strides must be at least 1`);
      if (start + size > d) c.fail(`starts[${i}] ${start} + sizes[${i}] ${size} exceeds the input dimension ${d}`);
      return Math.ceil(size / stride);
    });
    return { inputs: [x], attrs: { starts, sizes: copyDims(sizes), strides }, outputs: [c.outputDims(x.dataType, dims)] };
  },
});

defineOp({
  name: 'split',
  params: { input: 'operand', splits: 'uintOrUints' },
  multipleOutputs: true,
  limits: { input: limits(DATA_TYPES, 1), outputs: limits(DATA_TYPES, 1) },
  dynamic: true,
  create(c, { input: x, splits: splitsArg }, options) {
    const axis = c.optionalUint(options.axis, 'axis', 0);
    const byCount = typeof splitsArg !== 'object' || splitsArg === null;
    const splitsValue = byCount ? c.uint(splitsArg, 'splits') : c.uintList(splitsArg, 'splits');
    if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
    const dim = staticAxis(c, x.dims, axis, 'splitting along it');
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
    const outputs = sizes.map((s) => c.outputDims(x.dataType, x.dims.map((d, i) => (i === axis ? s : d)), 'outputs'));
    return { inputs: [x], attrs: { axis, sizes }, outputs };
  },
});

defineOp({
  name: 'tile',
  params: { input: 'operand', repetitions: 'uints' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x, repetitions: repetitionsArg }) {
    const repetitions = perDimension(c, repetitionsArg, 'repetitions', x.rank);
    if (repetitions.includes(0)) c.fail(`repetitions ${shapeToString(repetitions)} has a 0 entry`);
    return { inputs: [x], attrs: { repetitions }, outputs: [c.outputDims(x.dataType, x.dims.map((d, i) => mulDims(d, repetitions[i]!)))] };
  },
});

defineOp({
  name: 'triangular',
  params: { input: 'operand' },
  limits: { input: limits(DATA_TYPES, 2), output: limits(DATA_TYPES, 2) },
  dynamic: true,
  create(c, { input: x }, options) {
    const upper = c.bool(options.upper, true);
    const diagonal = long(c, options.diagonal, 'diagonal', 0);
    return { inputs: [x], attrs: { upper, diagonal }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});
