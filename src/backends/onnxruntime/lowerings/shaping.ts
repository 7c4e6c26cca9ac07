// expand, pad, reverse, slice, split, tile, triangular → ONNX.
import { encodeScalar } from '../../../graph/cast.js';
import { isDynamic } from '../../../graph/dims.js';
import { defineLowering, int, INT64_MIN, str, type Emitter, type LoweringNode } from '../emitter.js';

const ONNX_PAD_MODE: Readonly<Record<string, string>> = { constant: 'constant', edge: 'edge', reflection: 'reflect' };

/** Ops that leave a scalar unchanged: ONNX's Pad/Slice/Tile want at least one axis. */
function identity(n: LoweringNode<unknown>, e: Emitter): void {
  e.node('Identity', [n.inputs[0]!], n.outputs);
}

// The target is the output's dims: constant when static, computed from the inputs' sizes when dynamic.
defineLowering('expand', (n, e) => {
  e.node('Expand', [n.inputs[0]!, e.shapeOf(n.outputDims[0]!)], n.outputs);
});

defineLowering('pad', (n, e) => {
  const t = n.inputTypes[0]!;
  const begin = n.attrs.beginningPadding;
  const end = n.attrs.endingPadding;
  if (begin.length === 0) return identity(n, e);
  const mode = ONNX_PAD_MODE[n.attrs.mode]!;
  const value = mode === 'constant' ? e.initializer(t, [], encodeScalar(t, n.attrs.value)) : null;
  e.node('Pad', [n.inputs[0]!, e.int64s([...begin, ...end]), value], n.outputs, { mode: str(mode) });
});

defineLowering('reverse', (n, e) => {
  const axes = n.attrs.axes;
  if (axes.length === 0) return identity(n, e);
  // A step of -1 from the last element; INT64_MIN as the end clamps to "before the first element".
  const from = e.int64s(axes.map(() => -1));
  const to = e.int64s(axes.map(() => INT64_MIN));
  e.node('Slice', [n.inputs[0]!, from, to, e.int64s(axes), e.int64s(axes.map(() => -1))], n.outputs);
});

// Dynamic axes are always kept whole (the op allows nothing else), so only the static axes are sliced.
defineLowering('slice', (n, e) => {
  const inputDims = n.inputDims[0]!;
  const axes = inputDims.flatMap((d, i) => (isDynamic(d) ? [] : [i]));
  if (axes.length === 0) return identity(n, e);
  const { starts: allStarts, sizes, strides } = n.attrs;
  const starts = axes.map((i) => allStarts[i]!);
  // Static axes have static sizes (the op keeps dynamic axes whole).
  const ends = axes.map((i, j) => starts[j]! + (sizes[i] as number));
  const steps = axes.map((i) => strides[i]!);
  e.node('Slice', [n.inputs[0]!, e.int64s(starts), e.int64s(ends), e.int64s(axes), e.int64s(steps)], n.outputs);
});

defineLowering('split', (n, e) => {
  e.node('Split', [n.inputs[0]!, e.int64s(n.attrs.sizes)], n.outputs, { axis: int(n.attrs.axis) });
});

defineLowering('tile', (n, e) => {
  const repetitions = n.attrs.repetitions;
  if (repetitions.length === 0) return identity(n, e);
  e.node('Tile', [n.inputs[0]!, e.int64s(repetitions)], n.outputs);
});

defineLowering('triangular', (n, e) => {
  // WebNN and ONNX agree: upper keeps column - row >= diagonal, lower keeps column - row <= diagonal. Types without
  // a Trilu kernel go through int64, which holds every other integer type's bit pattern.
  const k = e.int64s([n.attrs.diagonal], []);
  e.castAround(n.inputTypes[0]!, e.kernel('Trilu'), 'int64', [n.inputs[0]!], n.outputs,
    ([x], [out]) => void e.node('Trilu', [x!, k], [out!], { upper: int(n.attrs.upper) }));
});
