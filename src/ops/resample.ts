// resample2d (spec §resample2d): nearest-neighbor or linear resampling of two axes of a 4-D tensor, to sizes
// given directly or as scales.
import type { MLOperandDataType } from '../graph/dtypes.js';
import { isValidDimension, shapeToString } from '../graph/shape.js';
import { isDynamic, type Dim } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { describeValue, toNumber, type OpContext } from './context.js';
import { defineOp, limits } from './registry.js';
import { fixedList } from './window.js';

export type MLInterpolationMode = 'nearest-neighbor' | 'linear';

export interface MLResample2dOptions extends MLOperatorOptions {
  mode?: MLInterpolationMode;
  scales?: number[];
  sizes?: number[];
  axes?: number[];
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    resample2d(input: MLOperand, options?: MLResample2dOptions): MLOperand;
  }
}

export type Resample2dAttrs = { mode: MLInterpolationMode; axes: number[] };

declare module './registry.js' {
  interface OpAttrs { resample2d: Resample2dAttrs }
}

const MODES: readonly MLInterpolationMode[] = ['nearest-neighbor', 'linear'];
const RESAMPLE_TYPES: readonly MLOperandDataType[] = ['float32', 'float16', 'uint8', 'int8'];

/** `sequence<float>`: each item converted to a finite float32 (WebIDL `float` rejects NaN and infinities). */
function floatList(c: OpContext, value: unknown, name: string): number[] {
  if (value === null || typeof value !== 'object' || !(Symbol.iterator in value)) c.fail(`${name} must be a sequence of float`);
  return [...(value as Iterable<unknown>)].map((v, i) => {
    const n = Math.fround(toNumber(v));
    if (!Number.isFinite(n)) c.fail(`${name}[${i}] must be a finite float (got ${describeValue(v)})`);
    return n;
  });
}

defineOp({
  name: 'resample2d',
  params: { input: 'operand' },
  limits: { input: limits(RESAMPLE_TYPES, 4, 4), output: limits(RESAMPLE_TYPES, 4, 4) },
  dynamic: true,
  create(c, { input: x }, options) {
    const mode = c.enumValue(options.mode, MODES, 'mode', 'nearest-neighbor');
    let scales = [1, 1];
    if (options.scales !== undefined) {
      scales = floatList(c, options.scales, 'scales');
      if (scales.length !== 2) c.fail(`scales must have 2 values, got ${scales.length}`);
      if (scales.some((s) => s <= 0)) c.fail(`scales [${scales.join(', ')}] must be greater than 0`);
    }
    const sizes = options.sizes === undefined ? undefined : fixedList(c, options.sizes, 'sizes', 2, []);
    if (sizes?.includes(0)) c.fail(`sizes ${shapeToString(sizes)} must not contain 0`);
    const axes = fixedList(c, options.axes, 'axes', 2, [2, 3]);
    if (axes[0] === axes[1]) c.fail(`axes ${shapeToString(axes)} must not repeat an axis`);
    if (axes.some((a) => a >= x.rank)) c.fail(`axes ${shapeToString(axes)} must be less than the input rank ${x.rank}`);
    const dims: Dim[] = [...x.dims];
    axes.forEach((axis, i) => {
      const d = x.dims[axis]!;
      if (isDynamic(d)) c.fail(`argument 'input' has dynamic dimension '${d.name}' on axis ${axis}; resample2d needs a static size on the axes it resamples`);
      const size = sizes ? sizes[i]! : Math.floor(x.shape[axis]! * scales[i]!);
      if (!isValidDimension(size)) c.fail(`output size ${size} for axis ${axis} is not a valid dimension`);
      dims[axis] = size;
    });
    return { inputs: [x], attrs: { mode, axes }, outputs: [c.outputDims(x.dataType, dims)] };
  },
});
