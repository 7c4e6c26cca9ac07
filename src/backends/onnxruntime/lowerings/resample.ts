// resample2d → ONNX Resize on the two axes. The spec samples at half-pixel centres with scale = outputSize /
// inputSize (not the requested scale, which floor() may have changed), so Resize always gets the output sizes;
// its nearest rounding is ceil(x - 0.5), i.e. halves go down (round_prefer_floor).
// float16 is interpolated in float32 and rounded once.
import { defineLowering, ints, str } from '../emitter.js';

defineLowering('resample2d', (n, e) => {
  const axes = n.attrs.axes as number[];
  const shape = n.outputShapes[0]!;
  const sizes = e.int64s(axes.map((a) => shape[a]!));
  const linear = n.attrs.mode === 'linear';
  const attrs = {
    axes: ints(axes),
    mode: str(linear ? 'linear' : 'nearest'),
    coordinate_transformation_mode: str('half_pixel'),
    nearest_mode: linear ? undefined : str('round_prefer_floor'),
  };
  e.castAround(n.outputTypes[0]!, ['float32', 'int8', 'uint8'], 'float32', [n.inputs[0]!], n.outputs, ([x], [y]) => {
    e.op('Resize', [x!, '', '', sizes], attrs, y);
  });
});
