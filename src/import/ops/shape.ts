// Shape and data movement: the operators of exporters' shape subgraphs (Shape, Gather, Unsqueeze, Concat, Slice,
// Reshape, Expand, ConstantOfShape, Range, ...) fold at import time; where a result depends on dynamic dimensions it
// stays symbolic (SymInts) so that Reshape and Expand targets become dynamic WebNN shapes. Runtime tensors map to
// WebNN reshape/transpose/concat/slice/gather/...; a slice whose bounds depend on a dynamic size becomes a gather of
// a computed index range, so that dimension stays dynamic.
import type { MLOperand } from '../../api/operand.js';
import { isDynamic, mulDims, productDims, sameDim, type Dim } from '../../graph/dims.js';
import { OnnxDataType as T } from '../../onnx/schema.js';
import type { NodeContext } from '../context.js';
import { asSym, concatKnown, fromKnown, gatherKnown, isElem, knownOf, mapBroadcast, sliceKnown, transposeKnown, type Known, type KnownTensor } from '../fold.js';
import { SymInt } from '../symbolic.js';
import { family } from '../table.js';
import { ConstTensor, constVal, elementCount, isBigType, isIntType, MAX_FOLD, symVal, type Elem, type Val } from '../values.js';
import { alignDynamic, like } from './common.js';

const dimSyms = (v: Val): SymInt[] => v.dims.map((d) => SymInt.dim(d));

/** Integer list input that may depend on dimensions (a shape tensor). */
function symList(c: NodeContext, i: number, what: string): SymInt[] {
  const s = c.sym(i);
  if (!s) c.fail(`${what} must be known when the model is imported (computed from constants and shapes), but it is computed at run time`);
  return [...s];
}

function axesFromAttrOrInput(c: NodeContext, inputIndex: number, fromOpset: number): number[] | undefined {
  if (c.opset >= fromOpset) return c.has(inputIndex) ? c.ints(inputIndex, 'axes') : undefined;
  return c.intList('axes');
}

// ---- Constant, Identity, Shape, Size ----

function constant(c: NodeContext): Val {
  const t = c.tensorAttr('value');
  if (t) return constVal(t);
  const f = c.float('value_float');
  if (f !== undefined && c.hasAttr('value_float')) return constVal(ConstTensor.scalar(T.FLOAT, f));
  const fs = c.floatList('value_floats');
  if (fs) return constVal(ConstTensor.fromValues(T.FLOAT, [fs.length], fs));
  const i = c.bigint('value_int');
  if (i !== undefined) return constVal(ConstTensor.scalar(T.INT64, i));
  const is = c.attr('value_ints');
  if (is?.ints) return constVal(ConstTensor.fromValues(T.INT64, [is.ints.length], is.ints));
  if (c.hasAttr('value_string') || c.hasAttr('value_strings')) c.fail('string constants are not supported');
  if (c.hasAttr('sparse_value')) c.fail('sparse constants are not supported');
  return c.fail('has no value attribute');
}

function shape(c: NodeContext): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  let start = c.opset >= 15 ? c.int('start', 0) : 0;
  let end = c.opset >= 15 ? c.int('end', rank) : rank;
  const norm = (x: number) => Math.min(Math.max(x < 0 ? x + rank : x, 0), rank);
  start = norm(start);
  end = norm(end);
  const dims = dimSyms(v).slice(start, Math.max(start, end));
  return symVal(T.INT64, [dims.length], dims);
}

function size(c: NodeContext): Val {
  const n = dimSyms(c.in(0)).reduce((a, b) => a.mul(b), SymInt.of(1));
  return symVal(T.INT64, [], [n]);
}

// ---- Reshape, Flatten, Squeeze, Unsqueeze ----

/** Reshape to `target`, folding when the input is known. */
export function reshapeTo(c: NodeContext, v: Val, target: readonly Dim[]): Val {
  const k = knownOf(v);
  if (k && !target.some(isDynamic)) return fromKnown(v.type, target as number[], k.elems);
  const x = c.op(v);
  if (x.dimensions.length === target.length && x.dimensions.every((d, i) => sameDim(d, target[i]!))) return c.out(x, v.type);
  return c.out(c.b.reshape(x, target as Dim[]), v.type);
}

function reshape(c: NodeContext): Val {
  const v = c.in(0);
  let entries: SymInt[];
  if (c.opset < 5) entries = (c.intList('shape') ?? []).map((n) => SymInt.of(n));
  else entries = symList(c, 1, 'the target shape');
  const allowZero = c.opset >= 14 && c.int('allowzero', 0) === 1;
  const inDims = dimSyms(v);
  let infer = -1;
  const out: (SymInt | undefined)[] = entries.map((e, i) => {
    const k = e.constant;
    if (k === -1) {
      if (infer >= 0) c.fail('the target shape has more than one -1');
      infer = i;
      return undefined;
    }
    if (k === 0 && !allowZero) {
      if (i >= inDims.length) c.fail(`target shape entry ${i} is 0 (copy), but the input has rank ${inDims.length}`);
      return inDims[i]!;
    }
    if (k !== undefined && k < 0) c.fail(`target shape entry ${i} is ${k}`);
    return e;
  });
  if (infer >= 0) {
    const total = inDims.reduce((a, b) => a.mul(b), SymInt.of(1));
    const known = out.filter((e): e is SymInt => e !== undefined).reduce((a, b) => a.mul(b), SymInt.of(1));
    const q = total.div(known);
    if (!q) c.fail(`cannot infer the -1 entry: ${total} elements do not divide by ${known}`);
    out[infer] = q;
  }
  const dims = out.map((e, i) => c.toDim(e!, `target shape entry ${i}`));
  return reshapeTo(c, v, dims);
}

function flatten(c: NodeContext): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  let axis = c.int('axis', 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) c.fail(`axis ${c.int('axis', 1)} is out of range for rank ${rank}`);
  return reshapeTo(c, v, [productDims(v.dims.slice(0, axis)), productDims(v.dims.slice(axis))]);
}

function squeeze(c: NodeContext): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  const axes = axesFromAttrOrInput(c, 1, 13);
  let drop: Set<number>;
  if (axes === undefined) {
    drop = new Set(v.dims.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    drop = new Set(axes.map((a) => c.axis(a, rank)));
    for (const a of drop) {
      const d = v.dims[a]!;
      if (d !== 1) c.fail(isDynamic(d) ? `axis ${a} is dynamic dimension '${d.name}'; squeezing it needs it to be 1 (fix it with --dim)` : `axis ${a} has size ${d}, not 1`);
    }
  }
  return reshapeTo(c, v, v.dims.filter((_, i) => !drop.has(i)));
}

function unsqueeze(c: NodeContext): Val {
  const v = c.in(0);
  const axes = axesFromAttrOrInput(c, 1, 13);
  if (!axes) c.fail('axes are required');
  const rank = v.dims.length + axes.length;
  const set = new Set(axes.map((a) => c.axis(a, rank)));
  if (set.size !== axes.length) c.fail('axes has duplicates');
  const dims: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) dims.push(set.has(i) ? 1 : v.dims[k++]!);
  return reshapeTo(c, v, dims);
}

// ---- Concat, Split, Transpose, Tile, Expand ----

function concat(c: NodeContext): Val {
  const vals = Array.from({ length: c.inputCount }, (_, i) => c.in(i));
  if (vals.length === 0) c.fail('needs at least one input');
  const rank = vals[0]!.dims.length;
  const axis = c.axis(c.int('axis') ?? (rank === 1 ? 0 : NaN), rank);
  // Empty inputs (a static 0 along the axis) add nothing; WebNN tensors cannot be empty.
  const parts = vals.filter((v) => v.dims[axis] !== 0);
  if (parts.length === 0) return vals[0]!;
  const known = parts.map(knownOf);
  const type = parts[0]!.type;
  if (known.every((k) => k !== undefined)) {
    const k = known as KnownTensor[];
    if (k.some((t) => t.elems.some((e) => !isElem(e)))) {
      if (!isIntType(type)) c.fail('internal: symbolic values of a non-integer type');
      return fromKnown(type, ...unpack(concatKnown(k.map((t) => ({ shape: t.shape, elems: t.elems.map(asSym) })), axis)));
    }
    return fromKnown(type, ...unpack(concatKnown(k, axis)));
  }
  if (parts.length === 1) return parts[0]!;
  // Dimensions other than the axis must agree; a dynamic one named differently on two inputs is the same size.
  const operands = parts.map((p) => c.op(p));
  const aligned = alignConcat(c, operands, axis);
  return c.out(c.b.concat(aligned, axis), type);
}

function alignConcat(c: NodeContext, xs: MLOperand[], axis: number): MLOperand[] {
  const first = xs[0]!.dimensions;
  return xs.map((x) => {
    let out = x;
    x.dimensions.forEach((d, i) => {
      if (i === axis) return;
      if (isDynamic(d) && isDynamic(first[i]!) && !sameDim(d, first[i]!)) out = alignDynamic(c, [xs[0]!, out])[1]!;
    });
    return out;
  });
}

function unpack(k: KnownTensor): [number[], Known[]] {
  return [k.shape, k.elems];
}

function split(c: NodeContext): Val[] {
  const v = c.in(0);
  const rank = v.dims.length;
  const axis = c.axis(c.int('axis', 0), rank);
  const outputs = c.node.output.length;
  let sizes: number[] | undefined;
  if (c.opset >= 13 && c.has(1)) sizes = c.ints(1, 'split');
  else if (c.opset < 13) sizes = c.intList('split');
  const d = v.dims[axis]!;
  if (isDynamic(d)) c.fail(`axis ${axis} is dynamic dimension '${d.name}'; Split needs a static size (fix it with --dim)`);
  if (!sizes) {
    const n = c.opset >= 18 && c.hasAttr('num_outputs') ? c.int('num_outputs')! : outputs;
    const chunk = Math.ceil(d / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, d - i * chunk)));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== d) c.fail(`split sizes [${sizes.join(', ')}] do not add up to ${d}`);
  const k = knownOf(v);
  if (k) {
    let start = 0;
    return sizes.map((s) => {
      const starts = v.dims.map((_, i) => (i === axis ? start : 0));
      const counts = (v.dims as number[]).map((x, i) => (i === axis ? s : x));
      start += s;
      return fromKnown(v.type, ...unpack(sliceKnown(k, starts, v.dims.map(() => 1), counts)));
    });
  }
  if (sizes.some((s) => s === 0)) c.fail('an output of Split would be empty, which WebNN tensors cannot be');
  if (sizes.length === 1) return [c.out(c.b.identity(c.op(v)), v.type)];
  return c.b.split(c.op(v), sizes, { axis }).map((o) => c.out(o, v.type));
}

function transpose(c: NodeContext): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  const perm = c.intList('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm.length !== rank) c.fail(`perm has ${perm.length} entries for rank ${rank}`);
  const k = knownOf(v);
  if (k) return fromKnown(v.type, ...unpack(transposeKnown(k, perm)));
  if (perm.every((p, i) => p === i)) return v;
  return c.out(c.b.transpose(c.op(v), { permutation: perm }), v.type);
}

function tile(c: NodeContext): Val {
  const v = c.in(0);
  const reps = c.ints(1, 'repeats');
  if (reps.length !== v.dims.length) c.fail(`repeats has ${reps.length} entries for rank ${v.dims.length}`);
  const k = knownOf(v);
  if (k && elementCount(k.shape) * reps.reduce((a, b) => a * b, 1) <= MAX_FOLD) {
    let t = k;
    reps.forEach((r, axis) => {
      if (r !== 1) t = concatKnown(Array.from({ length: r }, () => t), axis);
    });
    return fromKnown(v.type, ...unpack(t));
  }
  if (reps.some((r) => r === 0)) c.fail('a repeat of 0 would make an empty tensor');
  return c.out(c.b.tile(c.op(v), reps), v.type);
}

/** Bidirectional broadcast of `v` to `target` (ONNX Expand). */
export function expandTo(c: NodeContext, v: Val, target: readonly Dim[]): Val {
  const rank = Math.max(v.dims.length, target.length);
  const dims: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const a = v.dims[v.dims.length - rank + i] ?? 1;
    const b = target[target.length - rank + i] ?? 1;
    if (b === 1) dims.push(a);
    else if (a === 1) dims.push(b);
    else if (sameDim(a, b)) dims.push(a);
    else if (isDynamic(a) || isDynamic(b)) dims.push(a); // equal at run time (ONNX would fail otherwise)
    else c.fail(`cannot broadcast dimension ${a} to ${b}`);
  }
  const k = knownOf(v);
  if (k && !dims.some(isDynamic) && elementCount(dims as number[]) <= MAX_FOLD) {
    const r = mapBroadcast([k, { shape: dims as number[], elems: new Array(elementCount(dims as number[])).fill(0) }], (xs) => xs[0]!);
    if (r) return fromKnown(v.type, r.shape, r.elems);
  }
  let x = c.op(v);
  // Input dims that are dynamic but named apart from the target's are the same size: carry the target's name.
  x = alignDynamicTo(c, x, dims);
  if (x.dimensions.length === dims.length && x.dimensions.every((d, i) => sameDim(d, dims[i]!))) return c.out(x, v.type);
  return c.out(c.b.expand(x, dims as Dim[]), v.type);
}

function alignDynamicTo(c: NodeContext, x: MLOperand, dims: readonly Dim[]): MLOperand {
  let out = x;
  const offset = dims.length - x.dimensions.length;
  x.dimensions.forEach((d, i) => {
    const t = dims[offset + i]!;
    if (isDynamic(d) && isDynamic(t) && !sameDim(d, t)) out = c.b.gather(out, c.core.iota(t, 'int32'), { axis: i });
  });
  return out;
}

function expand(c: NodeContext): Val {
  const target = symList(c, 1, 'the target shape').map((s, i) => c.toDim(s, `shape entry ${i}`));
  return expandTo(c, c.in(0), target);
}

// ---- ConstantOfShape, Range ----

function constantOfShape(c: NodeContext): Val {
  const t = c.tensorAttr('value');
  const type = t?.type ?? T.FLOAT;
  const value: Elem = t ? t.values()[0]! : 0;
  const dims = symList(c, 0, 'the shape').map((s, i) => c.toDim(s, `shape entry ${i}`));
  if (!dims.some(isDynamic) && elementCount(dims as number[]) <= MAX_FOLD) {
    return constVal(ConstTensor.fromValues(type, dims as number[], new Array(elementCount(dims as number[])).fill(value)));
  }
  if (dims.some((d) => d === 0)) c.fail('the shape has a 0 dimension; WebNN tensors cannot be empty');
  const scalar = c.b.constant(c.webnnType(type), isBigType(type) ? BigInt(value) : Number(value));
  return c.out(dims.length ? c.b.expand(scalar, dims as Dim[]) : c.b.identity(scalar), type);
}

function range(c: NodeContext): Val {
  const [start, limit, delta] = [0, 1, 2].map((i) => c.in(i));
  const type = start!.type;
  const ks = [start, limit, delta].map((v) => knownOf(v));
  if (ks.every((k) => k && k.elems.every(isElem))) {
    const [s, l, d] = ks.map((k) => Number(k!.elems[0]));
    if (d === 0) c.fail('delta is 0');
    const n = Math.max(Math.ceil((l! - s!) / d!), 0);
    if (n > MAX_FOLD) return c.out(rangeRuntime(c, type, SymInt.of(n), SymInt.of(0), s!, d!), type);
    return fromKnown(type, [n], Array.from({ length: n }, (_, i) => (isBigType(type) ? BigInt(s! + i * d!) : s! + i * d!)));
  }
  if (!isIntType(type)) c.fail('a Range of floating-point values must have known bounds');
  const [ss, sl, sd] = [0, 1, 2].map((i) => c.sym(i));
  if (!ss || !sl || !sd) c.fail('Range bounds must be known up to dynamic dimensions when the model is imported');
  const step = sd[0]!.constant;
  if (step === undefined || step === 0) c.fail('Range delta must be a known non-zero constant');
  const span = sl[0]!.sub(ss[0]!);
  const n = step === 1 ? span : span.add(SymInt.of(step - Math.sign(step))).div(SymInt.of(step));
  if (!n) c.fail(`the length (${span}) / ${step} is not exact`);
  const count = n.constant;
  if (count !== undefined && count <= 4096) {
    return symVal(type, [Math.max(count, 0)], Array.from({ length: Math.max(count, 0) }, (_, i) => ss[0]!.add(SymInt.of(i * step))));
  }
  return c.out(rangeRuntime(c, type, n, ss[0]!, 0, step), type);
}

/** start + step * (0..n-1) as a runtime tensor (n may be dynamic). */
function rangeRuntime(c: NodeContext, type: number, n: SymInt, start: SymInt, startNum: number, step: number): MLOperand {
  const dt = c.webnnType(type);
  const len = c.toDim(n, 'the Range length');
  let r = c.core.iota(len, dt);
  if (step !== 1) r = c.b.mul(r, like(c, r, step));
  if (!start.isConstant()) {
    let s = c.core.dimScalar(start);
    if (s.dataType !== dt) s = c.b.cast(s, dt);
    r = c.b.add(r, s);
  } else if ((start.constant ?? 0) + startNum !== 0) r = c.b.add(r, like(c, r, (start.constant ?? 0) + startNum));
  return r;
}

// ---- Gather ----

function gather(c: NodeContext): Val {
  const data = c.in(0);
  const indices = c.in(1);
  const rank = data.dims.length;
  const axis = c.axis(c.int('axis', 0), rank);
  const kd = knownOf(data);
  const ki = knownOf(indices);
  if (kd && ki && ki.elems.every(isElem)) {
    const dim = kd.shape[axis]!;
    const idx = ki.elems.map((e) => {
      const i = Number(e);
      const n = i < 0 ? i + dim : i;
      if (n < 0 || n >= dim) c.fail(`index ${i} is out of range for dimension ${dim}`);
      return n;
    });
    return fromKnown(data.type, ...unpack(gatherKnown(kd, idx, ki.shape, axis)));
  }
  // Gathering a dimension size out of a known shape: a symbolic scalar.
  return c.out(c.b.gather(c.op(data), c.op(indices), { axis }), data.type);
}

function gatherElements(c: NodeContext): Val {
  const data = c.in(0);
  const axis = c.axis(c.int('axis', 0), data.dims.length);
  return c.out(c.b.gatherElements(c.op(data), c.op(1), { axis }), data.type);
}

function gatherND(c: NodeContext): Val {
  if (c.int('batch_dims', 0) !== 0) c.fail('batch_dims other than 0 is not supported');
  return c.out(c.b.gatherND(c.op(0), c.op(1)), c.in(0).type);
}

function scatterND(c: NodeContext): Val {
  const red = c.string('reduction', 'none');
  if (red !== 'none') c.fail(`reduction '${red}' is not supported`);
  return c.out(c.b.scatterND(c.op(0), c.op(1), c.op(2)), c.in(0).type);
}

function scatterElements(c: NodeContext): Val {
  const red = c.string('reduction', 'none');
  if (red !== 'none') c.fail(`reduction '${red}' is not supported`);
  const data = c.in(0);
  const axis = c.axis(c.int('axis', 0), data.dims.length);
  return c.out(c.b.scatterElements(c.op(0), c.op(1), c.op(2), { axis }), data.type);
}

// ---- Slice ----

const BIG = 2 ** 52;

interface AxisSlice { axis: number; start: SymInt; end: SymInt; step: number }

function slice(c: NodeContext): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  let starts: SymInt[];
  let ends: SymInt[];
  let axes: number[];
  let steps: number[];
  if (c.opset < 10) {
    starts = (c.intList('starts') ?? []).map((n) => SymInt.of(n));
    ends = (c.intList('ends') ?? []).map((n) => SymInt.of(n));
    axes = c.intList('axes') ?? starts.map((_, i) => i);
    steps = starts.map(() => 1);
  } else {
    starts = symList(c, 1, 'starts');
    ends = symList(c, 2, 'ends');
    axes = c.has(3) ? c.ints(3, 'axes') : starts.map((_, i) => i);
    steps = c.has(4) ? c.ints(4, 'steps') : starts.map(() => 1);
  }
  if (starts.length !== ends.length || axes.length !== starts.length || steps.length !== starts.length) {
    c.fail('starts, ends, axes and steps must have the same length');
  }
  const slices: AxisSlice[] = axes.map((a, i) => ({ axis: c.axis(a, rank), start: starts[i]!, end: ends[i]!, step: steps[i]! }));
  if (slices.some((s) => s.step === 0)) c.fail('a step is 0');
  return sliceVal(c, v, slices);
}

/** ONNX slicing semantics on one axis of static size `dim` with constant bounds: [start, count, step]. */
function clampAxis(start: number, end: number, step: number, dim: number): [number, number] {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return [s, Math.max(0, Math.ceil((e - s) / step))];
  }
  s = Math.min(Math.max(s, -1), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return [s, Math.max(0, Math.ceil((e - s) / step))];
}

export function sliceVal(c: NodeContext, v: Val, slices: AxisSlice[]): Val {
  const rank = v.dims.length;
  const k = knownOf(v);
  const allConst = slices.every((s) => s.start.isConstant() && s.end.isConstant());
  if (k && allConst) {
    const st = k.shape.map(() => 0);
    const sp = k.shape.map(() => 1);
    const ct = [...k.shape];
    for (const s of slices) {
      const [a, n] = clampAxis(s.start.constant!, s.end.constant!, s.step, k.shape[s.axis]!);
      st[s.axis] = a;
      sp[s.axis] = s.step;
      ct[s.axis] = n;
    }
    return fromKnown(v.type, ...unpack(sliceKnown(k, st, sp, ct)));
  }
  const original = c.op(v);
  let x = original;
  const starts = new Array<number>(rank).fill(0);
  const sizes: Dim[] = [...x.dimensions];
  const strides = new Array<number>(rank).fill(1);
  let plain = false;
  for (const s of slices) {
    const dim = x.dimensions[s.axis]!;
    if (!isDynamic(dim) && s.start.isConstant() && s.end.isConstant()) {
      let step = s.step;
      let [a, n] = clampAxis(s.start.constant!, s.end.constant!, step, dim);
      if (n === 0) c.fail(`slicing axis ${s.axis} gives an empty tensor, which WebNN tensors cannot be`);
      if (step < 0) {
        // WebNN slices forward only: reverse the axis and slice the mirrored window.
        x = c.b.reverse(x, { axes: [s.axis] });
        a = dim - 1 - a;
        step = -step;
      }
      if (a === 0 && n === dim && step === 1) continue;
      starts[s.axis] = a;
      // WebNN's sizes are the window's extent in the input; the output has ceil(size / stride) elements.
      sizes[s.axis] = (n - 1) * step + 1;
      strides[s.axis] = step;
      plain = true;
      continue;
    }
    // The window depends on a dynamic size: keep the whole axis, or gather the index range start..end-1.
    if (s.step !== 1) c.fail(`a step of ${s.step} on axis ${s.axis} with bounds that depend on dynamic dimensions is not supported`);
    const dimSym = SymInt.dim(dim);
    const norm = (e: SymInt, isEnd: boolean): SymInt => {
      const k2 = e.constant;
      if (k2 === undefined) return e;
      if (isEnd && k2 >= BIG) return dimSym;
      if (!isEnd && k2 <= -BIG) return SymInt.of(0);
      return k2 < 0 ? dimSym.add(SymInt.of(k2)) : e;
    };
    const start = norm(s.start, false);
    const end = norm(s.end, true);
    if (start.constant === 0 && end.equals(dimSym)) continue;
    const len = end.sub(start);
    const lenDim = len.toDim(c.bounds);
    if (lenDim === undefined || lenDim === 0) c.fail(`slicing axis ${s.axis} from ${start} to ${end} gives a length WebNN cannot express as a dimension`);
    // Flush plain slicing first so the gather sees the axis as it is.
    if (plain) {
      x = c.b.slice(x, starts, sizes as number[], { strides });
      for (let i = 0; i < rank; i++) [starts[i], strides[i]] = [0, 1];
      sizes.splice(0, rank, ...x.dimensions);
      plain = false;
    }
    let idx = c.core.iota(lenDim, 'int64');
    if (!start.isConstant() || start.constant !== 0) idx = c.b.add(idx, c.core.dimScalar(start));
    x = c.b.gather(x, idx, { axis: s.axis });
    sizes[s.axis] = x.dimensions[s.axis]!;
  }
  if (plain) x = c.b.slice(x, starts, sizes as number[], { strides });
  return x === original ? v : c.out(x, v.type);
}

// ---- Pad, Trilu, DepthToSpace, SpaceToDepth, ReverseSequence ----

function pad(c: NodeContext): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  const mode = c.string('mode', 'constant');
  let pads: number[];
  let value: number | bigint = 0;
  let axes = Array.from({ length: rank }, (_, i) => i);
  if (c.opset < 11) {
    pads = c.intList('pads') ?? c.fail('pads is required');
    value = c.float('value', 0);
  } else {
    pads = c.ints(1, 'pads');
    if (c.has(2)) {
      const k = c.konst(2);
      if (!k) c.fail('constant_value must be known when the model is imported');
      if (k.count > 0) value = k.values()[0]!;
    }
    if (c.opset >= 18 && c.has(3)) axes = c.ints(3, 'axes').map((a) => c.axis(a, rank));
  }
  if (pads.length !== 2 * axes.length) c.fail(`pads has ${pads.length} entries for ${axes.length} axes`);
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  axes.forEach((a, i) => {
    begin[a] = pads[i]!;
    end[a] = pads[i + axes.length]!;
  });
  let cur = v;
  // Negative pads crop.
  if (begin.some((p) => p < 0) || end.some((p) => p < 0)) {
    const slices = v.dims.flatMap((d, i): AxisSlice[] => {
      if (begin[i]! >= 0 && end[i]! >= 0) return [];
      const s = Math.max(0, -begin[i]!);
      const e = end[i]! < 0 ? SymInt.dim(d).add(SymInt.of(end[i]!)) : SymInt.dim(d);
      return [{ axis: i, start: SymInt.of(s), end: e, step: 1 }];
    });
    cur = sliceVal(c, v, slices);
  }
  const b = begin.map((p) => Math.max(p, 0));
  const e = end.map((p) => Math.max(p, 0));
  if (b.every((p) => p === 0) && e.every((p) => p === 0)) return cur;
  const webnnMode = mode === 'constant' ? 'constant' : mode === 'reflect' ? 'reflection' : mode === 'edge' ? 'edge' : c.fail(`mode '${mode}' is not supported`);
  const x = c.op(cur);
  const isBig = x.dataType === 'int64' || x.dataType === 'uint64';
  return c.out(c.b.pad(x, b, e, { mode: webnnMode, value: isBig ? BigInt(value) : Number(value) }), v.type);
}

function trilu(c: NodeContext): Val {
  const upper = c.int('upper', 1) === 1;
  const k = c.has(1) ? c.ints(1, 'k')[0]! : 0;
  return c.out(c.b.triangular(c.op(0), { upper, diagonal: k }), c.in(0).type);
}

function depthToSpace(c: NodeContext): Val {
  const v = c.in(0);
  const [n, ch, h, w] = v.dims;
  const bs = c.int('blocksize') ?? c.fail('blocksize is required');
  if (typeof ch !== 'number') c.fail('the channel dimension must be static');
  const mode = c.string('mode', 'DCR');
  const cOut = ch / (bs * bs);
  const x = c.op(v);
  const tmp = mode === 'DCR'
    ? c.b.transpose(c.b.reshape(x, [n!, bs, bs, cOut, h!, w!] as Dim[]), { permutation: [0, 3, 4, 1, 5, 2] })
    : c.b.transpose(c.b.reshape(x, [n!, cOut, bs, bs, h!, w!] as Dim[]), { permutation: [0, 1, 4, 2, 5, 3] });
  return c.out(c.b.reshape(tmp, [n!, cOut, mulDims(h!, bs), mulDims(w!, bs)] as Dim[]), v.type);
}

function spaceToDepth(c: NodeContext): Val {
  const v = c.in(0);
  const [n, ch, h, w] = v.dims;
  const bs = c.int('blocksize') ?? c.fail('blocksize is required');
  if (typeof h !== 'number' || typeof w !== 'number' || typeof ch !== 'number') c.fail('channels, height and width must be static');
  const x = c.b.reshape(c.op(v), [n!, ch, h / bs, bs, w / bs, bs] as Dim[]);
  const t = c.b.transpose(x, { permutation: [0, 3, 5, 1, 2, 4] });
  return c.out(c.b.reshape(t, [n!, ch * bs * bs, h / bs, w / bs] as Dim[]), v.type);
}

function reverseSequence(c: NodeContext): Val {
  const v = c.in(0);
  const batchAxis = c.int('batch_axis', 1);
  const timeAxis = c.int('time_axis', 0);
  const x = c.op(v);
  const T_ = x.dimensions[timeAxis]!;
  const B = x.dimensions[batchAxis]!;
  const b = c.b;
  // index[t, b] = t < len[b] ? len[b] - 1 - t : t, broadcast over the other axes and gathered along time.
  const lens = b.cast(c.op(1), 'int64');
  const t = c.core.iota(T_, 'int64');
  const tShape: Dim[] = x.dimensions.map((_, i) => (i === timeAxis ? T_ : 1));
  const lShape: Dim[] = x.dimensions.map((_, i) => (i === batchAxis ? B : 1));
  const tt = b.reshape(t, tShape as Dim[]);
  const ll = b.reshape(lens, lShape as Dim[]);
  const rev = b.sub(b.sub(ll, b.constant('int64', 1n)), tt);
  const idx = b.where(b.lesser(tt, ll), rev, b.add(tt, b.mul(ll, b.constant('int64', 0n))));
  const full = b.expand(idx, x.dimensions as Dim[]);
  return c.out(b.gatherElements(x, full, { axis: timeAxis }), v.type);
}

export const shapeOps = family('shape', [
  { op: 'Constant', note: 'a constant (folded into its consumers where they are known)', handler: constant },
  { op: 'Identity', note: 'the same value', handler: (c) => c.in(0) },
  { op: 'Shape', note: 'known at import time; dynamic dimensions stay symbolic', handler: shape },
  { op: 'Size', note: 'known at import time (symbolic for dynamic dimensions)', handler: size },
  { op: 'Reshape', note: 'reshape; the target may hold dynamic dimensions (0 and -1 resolved symbolically)', handler: reshape },
  { op: 'Flatten', note: 'reshape', handler: flatten },
  { op: 'Squeeze', note: 'reshape', handler: squeeze },
  { op: 'Unsqueeze', note: 'reshape', handler: unsqueeze },
  { op: 'Concat', note: 'concat (folded for shape tensors; empty inputs dropped)', handler: concat },
  { op: 'Split', note: 'split (sizes from the attribute, the input or num_outputs)', handler: split },
  { op: 'Transpose', note: 'transpose', handler: transpose },
  { op: 'Tile', note: 'tile (repeats known at import time)', handler: tile },
  { op: 'Expand', since: 8, note: 'expand to the broadcast shape; dynamic targets allowed', handler: expand },
  { op: 'ConstantOfShape', since: 9, note: 'a constant, or expand of a scalar for dynamic shapes', handler: constantOfShape },
  { op: 'Range', since: 11, note: 'folded; with a dynamic length: cumulativeSum over an expanded ones tensor', handler: range },
  { op: 'Gather', note: 'gather (folded on shapes)', handler: gather },
  { op: 'GatherElements', since: 11, note: 'gatherElements', handler: gatherElements },
  { op: 'GatherND', since: 11, note: 'gatherND (batch_dims 0)', handler: gatherND },
  { op: 'ScatterND', since: 11, note: 'scatterND (reduction none)', handler: scatterND },
  { op: 'ScatterElements', since: 11, note: 'scatterElements (reduction none)', handler: scatterElements },
  { op: 'Slice', note: 'slice (negative steps: reverse); bounds depending on dynamic sizes: gather of an index range', handler: slice },
  { op: 'Pad', note: 'pad (constant, reflect, edge); negative pads crop', handler: pad },
  { op: 'Trilu', since: 14, note: 'triangular', handler: trilu },
  { op: 'DepthToSpace', note: 'reshape and transpose (DCR and CRD)', handler: depthToSpace },
  { op: 'SpaceToDepth', note: 'reshape and transpose', handler: spaceToDepth },
  { op: 'ReverseSequence', since: 10, note: 'gatherElements with computed time indices', handler: reverseSequence },
]);
