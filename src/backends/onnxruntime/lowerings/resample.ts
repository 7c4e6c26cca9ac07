// resample2d → ONNX Resize on the two axes. The spec samples at half-pixel centres with scale = outputSize /
// inputSize (not the requested scale, which floor() may have changed), so Resize always gets the output sizes;
// its nearest rounding is ceil(x - 0.5), i.e. halves go down (round_prefer_floor).
// onnxruntime interpolates linearly only over dimensions 2 and 3 (or 1 and 2) of a 4-D tensor; other pairs are
// done one axis at a time. float16 is interpolated in float32 and rounded once; int8/uint8 linear results
// are interpolated in float32 and rounded to nearest (onnxruntime's integer kernel truncates).
import { DTYPES } from '../../../graph/dtypes.js';
import { hasDynamic, productDims, type Dim } from '../../../graph/dims.js';
import { defineLowering, int, str, type Emitter } from '../emitter.js';

/**
 * Resize of `x` (4-D, `inShape`) along `axes` to the 4-D `outShape`, into `y`. Resize gets sizes for all four
 * dimensions rather than the axes attribute: onnxruntime's transpose optimizer mis-sizes a partial sizes input.
 * Dynamic dimensions (never on `axes`) are sized from the graph inputs by e.shapeOf.
 */
function emitResize(e: Emitter, x: string, y: string, axes: number[], inShape: readonly Dim[], outShape: readonly Dim[],
  linear: boolean): void {
  const attrs = {
    mode: str(linear ? 'linear' : 'nearest'),
    coordinate_transformation_mode: str('half_pixel'),
    nearest_mode: linear ? undefined : str('round_prefer_floor'),
  };
  const sorted = [...axes].sort();
  if (!linear || (sorted[0] === 2 && sorted[1] === 3) || (sorted[0] === 1 && sorted[1] === 2)) {
    e.op('Resize', [x, '', '', e.shapeOf(outShape)], attrs, y);
    return;
  }
  // Other axis pairs: linear interpolation is separable, so resize one axis at a time, each viewed as
  // dimension 2 of [1, before, axis, after] (a form the kernel takes; transposes would be moved back by the
  // transpose optimizer).
  let current = x;
  const shape = [...inShape];
  // A dynamic size may be 0, which Reshape reads as "copy this axis" unless allowzero is set.
  const reshapeAttrs = hasDynamic(inShape) ? { allowzero: int(1) } : {};
  axes.forEach((axis, i) => {
    const before = productDims(shape.slice(0, axis));
    const after = productDims(shape.slice(axis + 1));
    const view = e.op('Reshape', [current, e.shapeOf([1, before, shape[axis]!, after])], reshapeAttrs);
    const resized = e.op('Resize', [view, '', '', e.shapeOf([1, before, outShape[axis]!, after])], attrs);
    shape[axis] = outShape[axis]!;
    current = e.op('Reshape', [resized, e.shapeOf(shape)], reshapeAttrs, i === axes.length - 1 ? y : undefined);
  });
}

defineLowering('resample2d', (n, e) => {
  const axes = n.attrs.axes;
  const linear = n.attrs.mode === 'linear';
  const type = n.outputTypes[0]!;
  if (linear && DTYPES[type].kind === 'int') {
    const tmp = e.fresh();
    emitResize(e, e.cast(n.inputs[0]!, 'float32'), tmp, axes, n.inputDims[0]!, n.outputDims[0]!, true);
    e.cast(e.op('Round', [tmp]), type, n.outputs[0]);
    return;
  }
  e.castAround(type, e.kernel('Resize'), 'float32', [n.inputs[0]!], n.outputs, ([x], [y]) => {
    emitResize(e, x!, y!, axes, n.inputDims[0]!, n.outputDims[0]!, linear);
  });
});
