// Convolutions (spec §conv2d, §convTranspose2d): 4-D input and filter in any of the spec's layouts, groups,
// explicit padding, strides, dilations; the transposed form also takes outputPadding or outputSizes.
import { FLOAT_TYPES } from '../graph/dtypes.js';
import { isValidDimension, shapeToString } from '../graph/shape.js';
import type { MLOperand } from '../api/operand.js';
import type { MLInputOperandLayout, MLOperatorOptions } from '../api/types.js';
import type { OpContext, OperandRef } from './context.js';
import { defineOp, limits, type MLTensorLimits } from './registry.js';
import {
  checkOutputSizes, convOutputSizes, dynamicBatchOnly, fixedList, INPUT_LAYOUTS, joinLayout, splitLayout, staticOperand, window2d, withBatch,
  type Window2d,
} from './window.js';

export type MLConv2dFilterOperandLayout = 'oihw' | 'hwio' | 'ohwi' | 'ihwo';
export type MLConvTranspose2dFilterOperandLayout = 'iohw' | 'hwoi' | 'ohwi';

export interface MLConv2dOptions extends MLOperatorOptions {
  padding?: number[];
  strides?: number[];
  dilations?: number[];
  groups?: number;
  inputLayout?: MLInputOperandLayout;
  filterLayout?: MLConv2dFilterOperandLayout;
  bias?: MLOperand;
}

export interface MLConvTranspose2dOptions extends MLOperatorOptions {
  padding?: number[];
  strides?: number[];
  dilations?: number[];
  outputPadding?: number[];
  outputSizes?: number[];
  groups?: number;
  inputLayout?: MLInputOperandLayout;
  filterLayout?: MLConvTranspose2dFilterOperandLayout;
  bias?: MLOperand;
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    conv2d(input: MLOperand, filter: MLOperand, options?: MLConv2dOptions): MLOperand;
    convTranspose2d(input: MLOperand, filter: MLOperand, options?: MLConvTranspose2dOptions): MLOperand;
  }
}

export type Conv2dAttrs = Window2d & { groups: number; inputLayout: MLInputOperandLayout; filterLayout: MLConv2dFilterOperandLayout };
/** outputPadding is the padding added at the end of each spatial dimension, whichever option gave the sizes. */
export type ConvTranspose2dAttrs = Window2d & {
  groups: number; inputLayout: MLInputOperandLayout; filterLayout: MLConvTranspose2dFilterOperandLayout; outputPadding: number[];
};

declare module './registry.js' {
  interface OpAttrs {
    conv2d: Conv2dAttrs;
    convTranspose2d: ConvTranspose2dAttrs;
  }
}

const CONV_FILTER_LAYOUTS: readonly MLConv2dFilterOperandLayout[] = ['oihw', 'hwio', 'ohwi', 'ihwo'];
const CONV_TRANSPOSE_FILTER_LAYOUTS: readonly MLConvTranspose2dFilterOperandLayout[] = ['iohw', 'hwoi', 'ohwi'];

/** Where each filter layout keeps its dimensions: o/i are the layout's first two letters' meaning (o = output). */
interface FilterDims { o: number; i: number; h: number; w: number }
function filterDims(layout: string, shape: readonly number[]): FilterDims {
  const at = (letter: string) => shape[layout.indexOf(letter)]!;
  return { o: at('o'), i: at('i'), h: at('h'), w: at('w') };
}

// Both operators: float32/float16, rank 4 for input, filter and output, rank 1 for bias (spec tensor-limits tables).
const CONV_LIMITS: Record<string, MLTensorLimits> = {
  input: limits(FLOAT_TYPES, 4, 4),
  filter: limits(FLOAT_TYPES, 4, 4),
  bias: limits(FLOAT_TYPES, 1, 1),
  output: limits(FLOAT_TYPES, 4, 4),
};

/** Operands and the options shared by both convolutions, validated in the spec's order. */
function convCommon(c: OpContext, x: OperandRef, filter: OperandRef, options: Readonly<Record<string, unknown>>): { f: OperandRef; win: Window2d } {
  const f = staticOperand(c, filter, 'filter');
  dynamicBatchOnly(c, x);
  if (f.dataType !== x.dataType) c.fail(`filter has data type ${f.dataType}, the input has ${x.dataType}`);
  return { f, win: window2d(c, options) };
}

function groupsOption(c: OpContext, value: unknown): number {
  const groups = c.optionalUint(value, 'groups', 1);
  if (groups === 0) c.fail('groups must not be 0');
  return groups;
}

function biasOption(c: OpContext, value: OperandRef | null, x: OperandRef, outputChannels: number): OperandRef | null {
  const bias = staticOperand(c, value, 'bias');
  if (!bias) return null;
  if (bias.shape.length !== 1 || bias.shape[0] !== outputChannels) {
    c.fail(`bias shape ${shapeToString(bias.shape)} must be [${outputChannels}] (the output channels)`);
  }
  if (bias.dataType !== x.dataType) c.fail(`bias has data type ${bias.dataType}, the input has ${x.dataType}`);
  return bias;
}

defineOp({
  name: 'conv2d',
  params: { input: 'operand', filter: 'operand' },
  operandOptions: ['bias'],
  limits: CONV_LIMITS,
  dynamic: true,
  create(c, { input: x, filter }, options) {
    const { f, win } = convCommon(c, x, filter, options);
    const groups = groupsOption(c, options.groups);
    const inputLayout = c.enumValue(options.inputLayout, INPUT_LAYOUTS, 'inputLayout', 'nchw');
    const filterLayout = c.enumValue(options.filterLayout, CONV_FILTER_LAYOUTS, 'filterLayout', 'oihw');
    const input = splitLayout(x, inputLayout);
    const fd = filterDims(filterLayout, f.shape);
    if (input.channels % groups !== 0) c.fail(`input channels (${input.channels}) are not divisible by groups (${groups})`);
    if (input.channels / groups !== fd.i) {
      c.fail(`filter input channels (${fd.i}, of ${filterLayout} filter ${shapeToString(f.shape)}) must be input channels / groups = ${input.channels / groups}`);
    }
    if (fd.o % groups !== 0) c.fail(`filter output channels (${fd.o}) are not divisible by groups (${groups})`);
    const bias = biasOption(c, options.bias, x, fd.o);
    const sizes = convOutputSizes(input.height, input.width, [fd.h, fd.w], win).map(Math.floor);
    checkOutputSizes(c, sizes);
    return {
      inputs: [x, f, bias],
      attrs: { ...win, groups, inputLayout, filterLayout },
      outputs: [c.outputDims(x.dataType, withBatch(joinLayout(inputLayout, input.batches, fd.o, sizes[0]!, sizes[1]!), x.dims[0]!))],
    };
  },
});

defineOp({
  name: 'convTranspose2d',
  params: { input: 'operand', filter: 'operand' },
  operandOptions: ['bias'],
  limits: CONV_LIMITS,
  dynamic: true,
  create(c, { input: x, filter }, options) {
    const { f, win } = convCommon(c, x, filter, options);
    const outputPadding = fixedList(c, options.outputPadding, 'outputPadding', 2, [0, 0]);
    const outputSizes = options.outputSizes === undefined ? undefined : fixedList(c, options.outputSizes, 'outputSizes', 2, []);
    if (!outputSizes && (outputPadding[0]! >= win.strides[0]! || outputPadding[1]! >= win.strides[1]!)) {
      c.fail(`outputPadding ${shapeToString(outputPadding)} must be smaller than strides ${shapeToString(win.strides)}`);
    }
    const groups = groupsOption(c, options.groups);
    const inputLayout = c.enumValue(options.inputLayout, INPUT_LAYOUTS, 'inputLayout', 'nchw');
    const filterLayout = c.enumValue(options.filterLayout, CONV_TRANSPOSE_FILTER_LAYOUTS, 'filterLayout', 'iohw');
    const input = splitLayout(x, inputLayout);
    const fd = filterDims(filterLayout, f.shape);
    if (input.channels !== fd.i) {
      c.fail(`filter input channels (${fd.i}, of ${filterLayout} filter ${shapeToString(f.shape)}) must equal the input channels (${input.channels})`);
    }
    const outputChannels = fd.o * groups;
    if (!isValidDimension(outputChannels)) c.fail(`output channels ${fd.o} * groups ${groups} is too large`);
    // The spec (and WPT) accept input channels that groups does not divide; no backend can run that, so the
    // lowering refuses it at build() with an OperationError rather than the builder with a TypeError.
    const bias = biasOption(c, options.bias, x, outputChannels);
    const calculated = convTransposeOutputSizes(input.height, input.width, [fd.h, fd.w], win);
    let sizes: number[];
    if (outputSizes) {
      for (let d = 0; d < 2; d++) {
        if (outputSizes[d]! < calculated[d]! || outputSizes[d]! >= calculated[d]! + win.strides[d]!) {
          c.fail(`outputSizes ${shapeToString(outputSizes)} must be at least ${shapeToString(calculated)} and less than that plus strides ${shapeToString(win.strides)}`);
        }
      }
      sizes = outputSizes;
    } else {
      sizes = calculated.map((s, d) => s + outputPadding[d]!);
    }
    checkOutputSizes(c, sizes);
    return {
      inputs: [x, f, bias],
      // The lowering needs only the padding added at the end of each spatial dimension, whichever option gave it.
      attrs: { ...win, groups, inputLayout, filterLayout, outputPadding: sizes.map((s, d) => s - calculated[d]!) },
      outputs: [c.outputDims(x.dataType, withBatch(joinLayout(inputLayout, input.batches, outputChannels, sizes[0]!, sizes[1]!), x.dims[0]!))],
    };
  },
});

/** The spec's "calculate convtranspose output size" for height and width. */
function convTransposeOutputSizes(height: number, width: number, filter: readonly number[], w: Window2d): number[] {
  const size = (inputSize: number, filterSize: number, begin: number, end: number, stride: number, dilation: number) =>
    (inputSize - 1) * stride + (filterSize - 1) * dilation + 1 - begin - end;
  return [
    size(height, filter[0]!, w.padding[0]!, w.padding[1]!, w.strides[0]!, w.dilations[0]!),
    size(width, filter[1]!, w.padding[2]!, w.padding[3]!, w.strides[1]!, w.dilations[1]!),
  ];
}
