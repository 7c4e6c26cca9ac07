// conv2d / convTranspose2d → ONNX Conv / ConvTranspose. ONNX wants NCHW input and an OIHW (Conv) or IOHW
// (ConvTranspose) filter, so other layouts are transposed (onnxruntime folds the filter transpose of a constant).
// float16 is computed in float32: the CPU provider's float16 convolutions are not accurate enough for the spec's
// tolerances and not available everywhere.
import type { Conv2dAttrs, ConvTranspose2dAttrs } from '../../../ops/convolution.js';
import { defineLowering, int, ints, type Emitter, type LoweringNode } from '../emitter.js';
import { fromNchw, toNchw, transpose } from './layout.js';

/** The filter in `target` layout ('oihw' or 'iohw'), transposed from the node's layout when they differ. */
function filterAs(e: Emitter, filter: string, layout: string, target: string): string {
  if (layout === target) return filter;
  return transpose(e, filter, [...target].map((letter) => layout.indexOf(letter)));
}

function lowerConv(opType: 'Conv' | 'ConvTranspose', target: string) {
  return (n: LoweringNode<Conv2dAttrs | ConvTranspose2dAttrs>, e: Emitter) => {
    const a = n.attrs;
    const layout = a.inputLayout;
    const [top, bottom, left, right] = a.padding;
    const channels = n.inputShapes[0]![layout === 'nchw' ? 1 : 3]!;
    if (channels % (a.groups) !== 0) {
      // Only convTranspose2d gets here: the builder's conv2d checks this itself (the spec says so for conv2d only).
      throw new Error(`${n.op}${n.label ? ` [${n.label}]` : ''}: input channels (${channels}) are not divisible by groups (${String(a.groups)}), which ${opType} cannot compute`);
    }
    const present = n.inputs.filter((v): v is string => v !== null);
    e.castAround(n.outputTypes[0]!, e.kernel(opType), 'float32', present, n.outputs, ([x, w, b], [y]) => {
      const attrs = {
        // ONNX pads: all beginnings, then all endings.
        pads: ints([top!, left!, bottom!, right!]),
        strides: ints(a.strides),
        dilations: ints(a.dilations),
        group: int(a.groups),
        output_padding: 'outputPadding' in a ? ints(a.outputPadding) : undefined,
      };
      const inputs = [toNchw(e, x!, layout), filterAs(e, w!, a.filterLayout, target), ...(b ? [b] : [])];
      fromNchw(e, y!, layout, (out) => e.op(opType, inputs, attrs, out));
    });
  };
}

defineLowering('conv2d', lowerConv('Conv', 'oihw'));
defineLowering('convTranspose2d', lowerConv('ConvTranspose', 'iohw'));
