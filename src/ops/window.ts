// What convolutions and pooling share: the spatial options (padding, strides, dilations), the input layout,
// and the spec's "calculate conv output size".
import { isValidDimension, shapeToString } from '../graph/shape.js';
import { firstDynamic, isDynamic, type Dim } from '../graph/dims.js';
import type { MLInputOperandLayout } from '../api/types.js';
import type { OpContext, OperandRef } from './context.js';

export const INPUT_LAYOUTS: readonly MLInputOperandLayout[] = ['nchw', 'nhwc'];

/** Spatial options after defaults: padding [top, bottom, left, right], strides and dilations [h, w]. */
export interface Window2d {
  padding: number[];
  strides: number[];
  dilations: number[];
}

/** An optional `sequence<unsigned long>` member of exactly `length` items, `fallback` when absent. */
export function fixedList(c: OpContext, value: unknown, name: string, length: number, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const list = c.uintList(value, name);
  if (list.length !== length) c.fail(`${name} must have ${length} values, got ${list.length} (${shapeToString(list)})`);
  return list;
}

/** Like fixedList, and every item must be non-zero (strides, dilations, window dimensions). */
export function positiveList(c: OpContext, value: unknown, name: string, length: number, fallback: number[]): number[] {
  const list = fixedList(c, value, name, length, fallback);
  if (list.includes(0)) c.fail(`${name} ${shapeToString(list)} must not contain 0`);
  return list;
}

export function window2d(c: OpContext, options: Record<string, unknown>): Window2d {
  return {
    padding: fixedList(c, options.padding, 'padding', 4, [0, 0, 0, 0]),
    strides: positiveList(c, options.strides, 'strides', 2, [1, 1]),
    dilations: positiveList(c, options.dilations, 'dilations', 2, [1, 1]),
  };
}

/** An input of [batches, channels, height, width] in `layout`, named the spec's way. */
export interface Nchw { batches: number; channels: number; height: number; width: number }

export function splitLayout(x: OperandRef, layout: MLInputOperandLayout): Nchw {
  const [a, b, c, d] = x.shape as [number, number, number, number];
  return layout === 'nchw' ? { batches: a, channels: b, height: c, width: d } : { batches: a, height: b, width: c, channels: d };
}

export function joinLayout(layout: MLInputOperandLayout, batches: number, channels: number, height: number, width: number): number[] {
  return layout === 'nchw' ? [batches, channels, height, width] : [batches, height, width, channels];
}

/** The spec's "calculate conv output size": a rational number, rounded by the caller. */
export function convOutputSize(inputSize: number, filterSize: number, begin: number, end: number, stride: number, dilation: number): number {
  const effectiveFilterSize = (filterSize - 1) * dilation + 1;
  return (inputSize - effectiveFilterSize + begin + end) / stride + 1;
}

/** Both spatial output sizes ([height, width]) for a filter or window of [filterHeight, filterWidth]. */
export function convOutputSizes(height: number, width: number, filter: readonly number[], w: Window2d): [number, number] {
  return [
    convOutputSize(height, filter[0]!, w.padding[0]!, w.padding[1]!, w.strides[0]!, w.dilations[0]!),
    convOutputSize(width, filter[1]!, w.padding[2]!, w.padding[3]!, w.strides[1]!, w.dilations[1]!),
  ];
}

export function checkOutputSizes(c: OpContext, sizes: readonly number[]): void {
  for (const s of sizes) {
    if (!isValidDimension(s)) c.fail(`the output size ${shapeToString(sizes)} is not valid: the window does not fit the (padded) input or is too large`);
  }
}

/**
 * Flexible inputs: only the batch dimension (axis 0 in both layouts) of `input` may be dynamic, since the window
 * geometry needs the channel and spatial sizes. Returns the batch dimension, to put back into the output's dims.
 */
export function dynamicBatchOnly(c: OpContext, x: OperandRef): Dim {
  x.dims.forEach((d, i) => {
    if (i > 0 && isDynamic(d)) {
      c.fail(`argument 'input' has dynamic dimension '${d.name}' on axis ${i}; ${c.op} needs static channel and spatial sizes (only the batch dimension, axis 0, may be dynamic)`);
    }
  });
  return x.dims[0]!;
}

/** An operand that must be static (a filter or bias), with the TypeError that says so. */
export function staticOperand<R extends OperandRef | null>(c: OpContext, ref: R, param: string): R {
  const d = ref && firstDynamic(ref.dims);
  if (d) c.fail(`argument '${param}' has dynamic dimension '${d.name}'; ${c.op} needs a static ${param}`);
  return ref;
}

/** An output shape computed with the batch's bound, with the batch dimension itself put back. */
export function withBatch(shape: readonly number[], batch: Dim): Dim[] {
  return [batch, ...shape.slice(1)];
}
