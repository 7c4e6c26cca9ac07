// Constant folding: ONNX operators evaluated in JS on values known at import time — constants, and integer tensors
// known up to the dynamic dimensions (SymInts). Data movement works on either kind of element; arithmetic is given
// per operator by the handlers.
import { SymInt } from './symbolic.js';
import { ConstTensor, constVal, elementCount, isBigType, MAX_FOLD, symOf, symVal, type Elem, type Val } from './values.js';

export type Known = Elem | SymInt;

export interface KnownTensor {
  shape: number[];
  elems: Known[];
}

/** The elements of a value known at import time (small enough to fold), or undefined. */
export function knownOf(v: Val | undefined): KnownTensor | undefined {
  if (!v) return undefined;
  if (v.konst) {
    if (v.konst.count > MAX_FOLD) return undefined;
    return { shape: [...v.konst.shape], elems: Array.from(v.konst.values()) };
  }
  const s = symOf(v);
  return s ? { shape: v.dims as number[], elems: [...s] } : undefined;
}

/** A value from known elements of ONNX type `type`: a constant, or SymInts when some depend on dimensions. */
export function fromKnown(type: number, shape: readonly number[], elems: readonly Known[]): Val {
  if (elems.some((e) => e instanceof SymInt)) {
    return symVal(type, shape, elems.map((e) => (e instanceof SymInt ? e : SymInt.of(e))));
  }
  return constVal(ConstTensor.fromValues(type, shape, (isBigType(type) ? elems.map((e) => (typeof e === 'bigint' ? e : BigInt(Math.trunc(e as number)))) : elems.map(Number)) as Elem[]));
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Numpy broadcasting of static shapes; undefined when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return undefined;
  }
  return out;
}

/** For each element of `out` shape, the flat index into a tensor of `shape` broadcast to it. */
export function broadcastIndices(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = elementCount(out);
  const idx = new Int32Array(n);
  const rank = out.length;
  const inStrides = stridesOf(shape);
  const offset = rank - shape.length;
  const coord = new Array<number>(rank).fill(0);
  for (let k = 0; k < n; k++) {
    let flat = 0;
    for (let d = offset; d < rank; d++) if (shape[d - offset]! !== 1) flat += coord[d]! * inStrides[d - offset]!;
    idx[k] = flat;
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d]! < out[d]!) break;
      coord[d] = 0;
    }
  }
  return idx;
}

/** Elementwise over broadcast inputs. */
export function mapBroadcast<T>(inputs: readonly KnownTensor[], fn: (xs: Known[]) => T): { shape: number[]; elems: T[] } | undefined {
  let shape: number[] | undefined = inputs[0]!.shape;
  for (const t of inputs.slice(1)) {
    shape = broadcastShape(shape, t.shape);
    if (!shape) return undefined;
  }
  const maps = inputs.map((t) => broadcastIndices(t.shape, shape!));
  const n = elementCount(shape);
  const elems = new Array<T>(n);
  for (let k = 0; k < n; k++) elems[k] = fn(inputs.map((t, j) => t.elems[maps[j]![k]!]!));
  return { shape, elems };
}

export function transposeKnown(t: KnownTensor, perm: readonly number[]): KnownTensor {
  const shape = perm.map((p) => t.shape[p]!);
  const inStrides = stridesOf(t.shape);
  const n = t.elems.length;
  const elems = new Array<Known>(n);
  const coord = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let flat = 0;
    for (let d = 0; d < shape.length; d++) flat += coord[d]! * inStrides[perm[d]!]!;
    elems[k] = t.elems[flat]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coord[d]! < shape[d]!) break;
      coord[d] = 0;
    }
  }
  return { shape, elems };
}

/** Elements at the given index along `axis` (indices already normalized and in range). */
export function gatherKnown(t: KnownTensor, indices: readonly number[], indexShape: readonly number[], axis: number): KnownTensor {
  const outer = elementCount(t.shape.slice(0, axis));
  const inner = elementCount(t.shape.slice(axis + 1));
  const dim = t.shape[axis]!;
  const elems: Known[] = [];
  for (let o = 0; o < outer; o++) {
    for (const i of indices) for (let k = 0; k < inner; k++) elems.push(t.elems[(o * dim + i) * inner + k]!);
  }
  return { shape: [...t.shape.slice(0, axis), ...indexShape, ...t.shape.slice(axis + 1)], elems };
}

/** Per-axis start/step/count slice of a known tensor. */
export function sliceKnown(t: KnownTensor, starts: readonly number[], steps: readonly number[], counts: readonly number[]): KnownTensor {
  const strides = stridesOf(t.shape);
  const shape = [...counts];
  const n = elementCount(shape);
  const elems = new Array<Known>(n);
  const coord = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let flat = 0;
    for (let d = 0; d < shape.length; d++) flat += (starts[d]! + coord[d]! * steps[d]!) * strides[d]!;
    elems[k] = t.elems[flat]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coord[d]! < shape[d]!) break;
      coord[d] = 0;
    }
  }
  return { shape, elems };
}

export function concatKnown(parts: readonly KnownTensor[], axis: number): KnownTensor {
  const first = parts[0]!;
  const outer = elementCount(first.shape.slice(0, axis));
  const elems: Known[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = elementCount(p.shape.slice(axis));
      for (let k = 0; k < block; k++) elems.push(p.elems[o * block + k]!);
    }
  }
  const shape = [...first.shape];
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis]!, 0);
  return { shape, elems };
}

/** Whether a known element is a plain number or bigint. */
export function isElem(k: Known): k is Elem {
  return !(k instanceof SymInt);
}

/** A known element as a SymInt (integers only). */
export function asSym(k: Known): SymInt {
  if (k instanceof SymInt) return k;
  return SymInt.of(typeof k === 'bigint' ? clamp(k) : k);
}

function clamp(k: bigint): number {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(k > max ? max : k < -max ? -max : k);
}
