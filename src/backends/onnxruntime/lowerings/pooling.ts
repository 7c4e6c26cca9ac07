// Pooling → ONNX AveragePool / LpPool (p = 2) / MaxPool on NCHW. averagePool2d excludes padding from the
// divisor (ONNX's count_include_pad = 0), as the spec's average is over the window's input elements only.
// float16 averages and L2 norms are computed in float32; int32/uint32 max pooling goes through float64, which
// holds them exactly (onnxruntime's MaxPool has no 32-bit integer kernels).
import type { MLInputOperandLayout } from '../../../api/types.js';
import { DTYPES } from '../../../graph/dtypes.js';
import { defineLowering, int, ints, type AttrSpec, type Emitter, type LoweringNode } from '../emitter.js';
import { fromNchw, toNchw } from './layout.js';

const ONNX_DOUBLE = 11;

function poolAttrs(n: LoweringNode): Record<string, AttrSpec> {
  const a = n.attrs;
  const [top, bottom, left, right] = a.padding as number[];
  return {
    kernel_shape: ints(a.windowDimensions as number[]),
    pads: ints([top!, left!, bottom!, right!]),
    strides: ints(a.strides as number[]),
    dilations: ints(a.dilations as number[]),
    ceil_mode: int(a.ceil as boolean),
  };
}

function emitPool(e: Emitter, n: LoweringNode, opType: string, x: string, y: string, extra: Record<string, AttrSpec> = {}): void {
  const layout = n.attrs.layout as MLInputOperandLayout;
  const input = toNchw(e, x, layout);
  fromNchw(e, y, layout, (out) => e.op(opType, [input], { ...poolAttrs(n), ...extra }, out));
}

function lowerFloatPool(opType: string, extra: Record<string, AttrSpec>) {
  return (n: LoweringNode, e: Emitter) => {
    e.castAround(n.outputTypes[0]!, ['float32'], 'float32', [n.inputs[0]!], n.outputs, ([x], [y]) => emitPool(e, n, opType, x!, y!, extra));
  };
}

defineLowering('averagePool2d', lowerFloatPool('AveragePool', { count_include_pad: int(0) }));
defineLowering('l2Pool2d', lowerFloatPool('LpPool', { p: int(2) }));
defineLowering('maxPool2d', (n, e) => {
  const type = n.outputTypes[0]!;
  if (type === 'int32' || type === 'uint32') {
    const tmp = e.fresh();
    emitPool(e, n, 'MaxPool', e.op('Cast', [n.inputs[0]!], { to: int(ONNX_DOUBLE) }), tmp);
    e.op('Cast', [tmp], { to: int(DTYPES[type].onnx) }, n.outputs[0]);
    return;
  }
  emitPool(e, n, 'MaxPool', n.inputs[0]!, n.outputs[0]!);
});
