// Layout changes around ONNX's channels-first spatial ops: WebNN's nhwc inputs are transposed to NCHW on the
// way in and back on the way out.
import type { MLInputOperandLayout } from '../../../api/types.js';
import { ints, type Emitter } from '../emitter.js';

export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];

export function transpose(e: Emitter, value: string, perm: readonly number[]): string {
  return e.op('Transpose', [value], { perm: ints(perm) });
}

/** The input as NCHW. */
export function toNchw(e: Emitter, value: string, layout: MLInputOperandLayout): string {
  return layout === 'nchw' ? value : transpose(e, value, NHWC_TO_NCHW);
}

/**
 * Runs `body`, which writes an NCHW result to the name it is given, and delivers that result in `layout` to
 * `output`.
 */
export function fromNchw(e: Emitter, output: string, layout: MLInputOperandLayout, body: (nchwOutput: string) => void): void {
  if (layout === 'nchw') {
    body(output);
    return;
  }
  const tmp = e.fresh();
  body(tmp);
  e.op('Transpose', [tmp], { perm: ints(NCHW_TO_NHWC) }, output);
}
