// Pooling (spec §pooling operations): averagePool2d, l2Pool2d and maxPool2d share "create a pooling operation";
// they differ in the data types they take.
import { DATA_TYPES, FLOAT_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { shapeToString } from '../graph/shape.js';
import type { MLOperand } from '../api/operand.js';
import type { MLInputOperandLayout, MLOperatorOptions } from '../api/types.js';
import type { OpContext, OperandRef } from './context.js';
import { defineOp, limits, type OpResult } from './registry.js';
import {
  checkOutputSizes, convOutputSizes, dynamicBatchOnly, fixedList, INPUT_LAYOUTS, joinLayout, positiveList, splitLayout, window2d, withBatch,
  type Window2d,
} from './window.js';

export type MLRoundingType = 'floor' | 'ceil';

export interface MLPool2dOptions extends MLOperatorOptions {
  windowDimensions?: number[];
  padding?: number[];
  strides?: number[];
  dilations?: number[];
  layout?: MLInputOperandLayout;
  outputShapeRounding?: MLRoundingType;
  /** The earlier name of outputShapeRounding, still used by Chromium and the WPT conformance cases. */
  roundingType?: MLRoundingType;
  outputSizes?: number[];
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    averagePool2d(input: MLOperand, options?: MLPool2dOptions): MLOperand;
    l2Pool2d(input: MLOperand, options?: MLPool2dOptions): MLOperand;
    maxPool2d(input: MLOperand, options?: MLPool2dOptions): MLOperand;
  }
}

/** The window options after defaults, and windowDimensions ([height, width]). */
export type Pool2dAttrs = Window2d & { windowDimensions: number[]; layout: MLInputOperandLayout };
type PoolingAttrTable = { [K in 'averagePool2d' | 'l2Pool2d' | 'maxPool2d']: Pool2dAttrs };

declare module './registry.js' {
  interface OpAttrs extends PoolingAttrTable {}
}

const ROUNDING_TYPES: readonly MLRoundingType[] = ['floor', 'ceil'];

function createPooling(c: OpContext, { input: x }: { readonly input: OperandRef }, options: Readonly<Record<string, unknown>>): OpResult<Pool2dAttrs> {
  const batch = dynamicBatchOnly(c, x);
  const layout = c.enumValue(options.layout, INPUT_LAYOUTS, 'layout', 'nchw');
  const { batches, channels, height, width } = splitLayout(x, layout);
  const windowDimensions = positiveList(c, options.windowDimensions, 'windowDimensions', 2, [height, width]);
  // The spec also zeroes padding when outputSizes is given and requires outputSizes < strides; both contradict
  // its own examples and the WPT cases (outputSizes [3, 3] with padding and strides [2, 2]), so tsnn follows those.
  const win = window2d(c, options);
  const outputSizes = options.outputSizes === undefined ? undefined : fixedList(c, options.outputSizes, 'outputSizes', 2, []);
  const roundingName = options.outputShapeRounding === undefined && options.roundingType !== undefined ? 'roundingType' : 'outputShapeRounding';
  const rounding = c.enumValue(options[roundingName], ROUNDING_TYPES, roundingName, 'floor');
  const calculated = convOutputSizes(height, width, windowDimensions, win);
  const floor = calculated.map(Math.floor);
  const ceil = calculated.map(Math.ceil);
  let sizes: number[];
  if (outputSizes) {
    const is = (s: number[]) => s[0] === outputSizes[0] && s[1] === outputSizes[1];
    if (!is(floor) && !is(ceil)) {
      c.fail(`outputSizes ${shapeToString(outputSizes)} must be the floor ${shapeToString(floor)} or the ceiling ${shapeToString(ceil)} of the calculated output size`);
    }
    sizes = outputSizes;
  } else {
    sizes = rounding === 'floor' ? floor : ceil;
  }
  checkOutputSizes(c, sizes);
  return {
    inputs: [x],
    attrs: { ...win, windowDimensions, layout },
    outputs: [c.outputDims(x.dataType, withBatch(joinLayout(layout, batches, channels, sizes[0]!, sizes[1]!), batch))],
  };
}

function definePooling(name: 'averagePool2d' | 'l2Pool2d' | 'maxPool2d', dataTypes: readonly MLOperandDataType[]): void {
  defineOp({
    name,
    params: { input: 'operand' },
    limits: { input: limits(dataTypes, 4, 4), output: limits(dataTypes, 4, 4) },
    dynamic: true,
    create: createPooling,
  });
}

definePooling('averagePool2d', FLOAT_TYPES);
definePooling('l2Pool2d', FLOAT_TYPES);
// The spec allows any type for maxPool2d.
definePooling('maxPool2d', DATA_TYPES);
