// Bounded dynamic dimensions ("flexible inputs"): a graph input may declare a dimension as {name, maxSize}; the
// graph is built once and dispatched at any size 0..maxSize of that name. Shapes are then lists of Dims.
//
// A dynamic Dim is `{name, maxSize}`. Inputs declare *base* names (identifiers). Operators derive new dimensions
// as polynomials over base names with positive integer coefficients, e.g. concat gives `past + seq`, reshape may
// give `64*seq`. A derived Dim's `name` is the polynomial's canonical text, so two Dims are the same size exactly
// when their names are equal, and any name can be parsed back (dispatch evaluates output shapes that way).
// `maxSize` is the polynomial at every base name's maxSize (the coefficients are positive, so that is the bound).
//
// Opting an operator in (OpDef `dynamic: true`): without the flag, OpContext.operand() rejects an operand with a
// dynamic dimension ("<op> [label]: argument 'x' has dynamic dimension 'seq'; <op> requires static shapes"), so an
// operator written for number[] shapes is safe by default. With the flag, `create` reads `ref.dims` (ref.shape then
// holds each dynamic dim's maxSize, good for rank/limit checks only) and returns `c.outputDims(dataType, dims)`.
// Helpers for the output dims:
//   broadcastDims(a, b)       numpy broadcasting; a static 1 broadcasts against a name, other mismatches fail
//   broadcastHint(a, b)       suffix for the broadcasting TypeError that explains the dynamic rule
//   sameDim(a, b)             equality (use it wherever the spec says two dimensions must be equal)
//   sameDims(a, b)            equal shapes: same rank, sameDim on every axis
//   addDims(a, b)/sumDims(ds) size along a concatenated axis (concat, and pads of a static amount)
//   mulDims(a, b)/productDims element counts (reshape's check) and merged axes
//   dimsToString(ds)          for error messages: "[1, seq, 64]"
//   firstDynamic(ds)          the first dynamic dim, to reject an argument that must be static ("axes dim 'seq'")
//   isDynamic(d)              narrows a Dim
//   reduceDims(ds, axes, keep) reductions: reduced axes become 1 (keepDimensions) or go
//   gatherDims(x, idx, axis)  gather: x's dims before and after `axis` around the indices' dims
//   expandDims(x, target)     expand: unidirectional broadcast of x to target (target from c.dimList, may be dynamic)
// Normalizations keep the input's dims (c.outputDims(dt, x.dims)); compare scale/bias shapes with sameDim.
// Transpose/split/slice along a *static* axis keep the other dims as they are (copy them from ref.dims); an op
// that needs a dynamic axis to be static says so with c.fail naming the argument and the dimension, e.g.
// "slice: argument 'input' has dynamic dimension 'seq' on axis 1; slice needs a static size there".
// Arguments that list dimensions (reshape's newShape, expand's newShape) read them with c.dimList(value, name): it
// accepts {name, maxSize} entries naming the graph's dimensions (base or derived) and checks their bounds.
// Lowerings see `n.inputDims`/`n.outputDims` (n.inputShapes/outputShapes hold the bounds). A lowering that bakes
// a size into the model (a shape constant, an index clamp) must take it from `e.shapeOf(dims)` (int64 [rank]) or
// `e.sizeOf(dim)` (int64 scalar) instead, which compute it from the graph inputs' Shape, so one model serves
// every size.
// A dynamic dimension's concrete size is 0..maxSize (0 included: an empty cache is the first step of a decoder).
import { MAX_DIMENSION } from './shape.js';

export interface DynamicDim {
  readonly name: string;
  readonly maxSize: number;
}

export type Dim = number | DynamicDim;

export function isDynamic(d: Dim): d is DynamicDim {
  return typeof d !== 'number';
}

export function firstDynamic(dims: readonly Dim[]): DynamicDim | undefined {
  return dims.find(isDynamic);
}

export function hasDynamic(dims: readonly Dim[]): boolean {
  return dims.some(isDynamic);
}

/** A copy of `dims` that shares no object with it (for data such as IR attributes that must own its values). */
export function copyDims(dims: readonly Dim[]): Dim[] {
  return dims.map((d) => (isDynamic(d) ? { name: d.name, maxSize: d.maxSize } : d));
}

/** Each dim's upper bound: what a static-shape view of a dynamic shape holds. */
export function maxSizes(dims: readonly Dim[]): number[] {
  return dims.map((d) => (isDynamic(d) ? d.maxSize : d));
}

export function sameDim(a: Dim, b: Dim): boolean {
  return isDynamic(a) ? isDynamic(b) && a.name === b.name : a === b;
}

/** Equal rank and every dimension the same (sameDim). */
export function sameDims(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => sameDim(d, b[i]!));
}

export function dimToString(d: Dim): string {
  return isDynamic(d) ? d.name : String(d);
}

export function dimsToString(dims: readonly Dim[]): string {
  return `[${dims.map(dimToString).join(', ')}]`;
}

/** Base names are identifiers, so derived names (which use ' + ' and '*') can never collide with them. */
const BASE_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export function isBaseName(name: string): boolean {
  return BASE_NAME.test(name);
}

// ---- polynomials ---------------------------------------------------------------------------------------------------
// monomial key (base names sorted, joined by '*'; '' for the constant term) → coefficient

type Poly = Map<string, number>;

function polyOf(d: Dim): Poly {
  return isDynamic(d) ? parse(d.name) : new Map(d === 0 ? [] : [['', d]]);
}

const parsed = new Map<string, Poly>();

/** The polynomial a dimension name denotes; throws on text that is not a canonical or base name. */
function parse(name: string): Poly {
  let poly = parsed.get(name);
  if (poly) return poly;
  poly = new Map();
  for (const term of name.split(' + ')) {
    let coeff = 1;
    const factors: string[] = [];
    for (const f of term.split('*')) {
      if (/^[0-9]+$/.test(f)) coeff *= Number(f);
      else if (isBaseName(f)) factors.push(f);
      else throw new TypeError(`'${name}' is not a dimension name (identifiers, joined by ' + ' and '*')`);
    }
    const key = factors.sort().join('*');
    poly.set(key, (poly.get(key) ?? 0) + coeff);
  }
  if (parsed.size > 10000) parsed.clear();
  parsed.set(name, poly);
  return poly;
}

function format(poly: Poly): string | number {
  const keys = [...poly.keys()].filter((k) => k !== '' && poly.get(k)).sort();
  if (keys.length === 0) return poly.get('') ?? 0;
  const terms = keys.map((k) => (poly.get(k) === 1 ? k : `${poly.get(k)}*${k}`));
  if (poly.get('')) terms.push(String(poly.get('')));
  return terms.join(' + ');
}

function fromPoly(poly: Poly, maxSize: number): Dim {
  const name = format(poly);
  return typeof name === 'number' ? name : { name, maxSize };
}

/** A dimension name as monomial ('a*b', '' for the constant) → coefficient; for lowerings that compute sizes. */
export function parseDim(name: string): ReadonlyMap<string, number> {
  return parse(name);
}

/** The base names a dimension depends on. */
export function baseNames(d: Dim): string[] {
  if (!isDynamic(d)) return [];
  return [...new Set([...parse(d.name).keys()].flatMap((k) => (k === '' ? [] : k.split('*'))))];
}

/** Canonical form of a dimension name (e.g. 'seq + past' → 'past + seq'); throws TypeError on malformed text. */
export function canonicalName(name: string): string | number {
  return format(parse(name));
}

export function addDims(a: Dim, b: Dim): Dim {
  const poly: Poly = new Map(polyOf(a));
  for (const [k, c] of polyOf(b)) poly.set(k, (poly.get(k) ?? 0) + c);
  return fromPoly(poly, maxOf(a) + maxOf(b));
}

export function sumDims(dims: readonly Dim[]): Dim {
  return dims.reduce<Dim>((acc, d) => addDims(acc, d), 0);
}

export function mulDims(a: Dim, b: Dim): Dim {
  const poly: Poly = new Map();
  for (const [ka, ca] of polyOf(a)) {
    for (const [kb, cb] of polyOf(b)) {
      const key = [...(ka ? ka.split('*') : []), ...(kb ? kb.split('*') : [])].sort().join('*');
      poly.set(key, (poly.get(key) ?? 0) + ca * cb);
    }
  }
  return fromPoly(poly, maxOf(a) * maxOf(b));
}

export function productDims(dims: readonly Dim[]): Dim {
  return dims.reduce<Dim>((acc, d) => mulDims(acc, d), 1);
}

function maxOf(d: Dim): number {
  return isDynamic(d) ? d.maxSize : d;
}

/** The size of `d` given each base name's size; throws when a name is unbound. */
export function evaluateDim(d: Dim, sizes: ReadonlyMap<string, number>): number {
  if (!isDynamic(d)) return d;
  let total = 0;
  for (const { coeff, factors } of termsOf(d.name)) {
    let term = coeff;
    for (const f of factors) {
      const s = sizes.get(f);
      if (s === undefined) throw new TypeError(`dimension '${f}' has no size`);
      term *= s;
    }
    total += term;
  }
  return total;
}

const split = new Map<string, readonly { coeff: number; factors: readonly string[] }[]>();

/** A name's terms with their factors split out, kept per name: dispatch evaluates the same output dims every run. */
function termsOf(name: string): readonly { coeff: number; factors: readonly string[] }[] {
  let terms = split.get(name);
  if (terms) return terms;
  terms = [...parse(name)].map(([key, coeff]) => ({ coeff, factors: key ? key.split('*') : [] }));
  if (split.size > 10000) split.clear();
  split.set(name, terms);
  return terms;
}

/** Numpy broadcasting over Dims: equal dims, or a static 1 on either side; undefined otherwise. */
export function broadcastDims(a: readonly Dim[], b: readonly Dim[]): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === 1) out.push(db);
    else if (db === 1 || sameDim(da, db)) out.push(da);
    else return undefined;
  }
  return out;
}

/** Output dims of a reduction over `axes` (already validated). */
export function reduceDims(dims: readonly Dim[], axes: readonly number[], keepDimensions: boolean): Dim[] {
  const reduced = new Set(axes);
  return keepDimensions ? dims.map((d, i) => (reduced.has(i) ? 1 : d)) : dims.filter((_, i) => !reduced.has(i));
}

/** Output dims of gather: input dims before `axis`, then the indices' dims, then input dims after `axis`. */
export function gatherDims(input: readonly Dim[], indices: readonly Dim[], axis: number): Dim[] {
  return [...input.slice(0, axis), ...indices, ...input.slice(axis + 1)];
}

/** Unidirectional broadcast of `input` to `target` (expand): undefined where an input dim is neither 1 nor the same. */
export function expandDims(input: readonly Dim[], target: readonly Dim[]): Dim[] | undefined {
  if (input.length > target.length) return undefined;
  const offset = target.length - input.length;
  for (let i = 0; i < input.length; i++) {
    const d = input[i]!;
    const t = target[offset + i]!;
    if (d !== 1 && !sameDim(d, t)) return undefined;
  }
  return [...target];
}

/** For a broadcasting error message: why it failed, when a dynamic dimension is involved. */
export function broadcastHint(a: readonly Dim[], b: readonly Dim[]): string {
  return hasDynamic(a) || hasDynamic(b) ? ' (a dynamic dimension broadcasts only against the same dimension or a static 1)' : '';
}

/** Checks a caller's {name, maxSize}; returns why it is not a valid dynamic dimension declaration. */
export function invalidDynamicDim(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return 'is neither an unsigned long nor {name, maxSize}';
  const { name, maxSize } = value as { name?: unknown; maxSize?: unknown };
  if (typeof name !== 'string' || !isBaseName(name)) {
    return `has name ${JSON.stringify(name)}; a dynamic dimension's name must be an identifier (letters, digits, '_', '.')`;
  }
  if (typeof maxSize !== 'number' || !Number.isInteger(maxSize) || maxSize < 1 || maxSize > MAX_DIMENSION) {
    return `'${name}' has maxSize ${String(maxSize)}; it must be an integer from 1 to ${MAX_DIMENSION}`;
  }
  return undefined;
}
