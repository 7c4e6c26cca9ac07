// Elementwise arithmetic, comparisons, logic, Where and Cast. Each folds at import time when its inputs are known
// (shape arithmetic included: Add/Sub/Mul/Div on dimension sizes stay symbolic), and is a WebNN operator otherwise.
import type { MLOperand } from '../../api/operand.js';
import { OnnxDataType as T, onnxTypeName } from '../../onnx/schema.js';
import type { NodeContext } from '../context.js';
import { fromKnown, knownOf } from '../fold.js';
import { SymInt } from '../symbolic.js';
import { family } from '../table.js';
import { isBigType, isFloatType, isIntType, webnnType, type Elem, type Val } from '../values.js';
import { alignDynamic, arith, BOOL, elementwise, like, type ElementwiseSpec } from './common.js';

const num = (x: Elem) => Number(x);

function binary(name: string, spec: ElementwiseSpec) {
  return (c: NodeContext) => {
    if (c.inputCount !== 2) c.fail(`${name} takes 2 inputs`);
    return elementwise(c, [c.in(0), c.in(1)], spec);
  };
}

/** Sum/Max/Min/Mean take one or more inputs. */
function variadic(spec: ElementwiseSpec, mean = false) {
  return (c: NodeContext) => {
    const vals = Array.from({ length: c.inputCount }, (_, i) => c.in(i));
    if (vals.length === 0) c.fail('needs at least one input');
    let acc = vals[0]!;
    for (const v of vals.slice(1)) acc = elementwise(c, [acc, v], spec);
    if (vals.length === 1 && !mean) return elementwise(c, [acc], { webnn: (c2, [x]) => c2.b.identity(x!), fold: ([x]) => x!, sym: ([x]) => x });
    if (!mean || vals.length === 1) return acc;
    const n = vals.length;
    return elementwise(c, [acc], {
      webnn: (c2, [x]) => c2.b.div(x!, like(c2, x!, n)),
      fold: ([x], t) => (isFloatType(t) ? num(x!) / n : arith('/', x!, isBigType(t) ? BigInt(n) : n, t)),
    });
  };
}

function compareSym(op: '==' | '>' | '<' | '>=' | '<=') {
  return ([a, b]: SymInt[]): SymInt | undefined => {
    const s = a!.sub(b!).sign();
    if (s === undefined) return undefined;
    const t = (x: boolean | undefined) => (x === undefined ? undefined : (x ? 1 : 0));
    let r: boolean | undefined;
    switch (op) {
      case '==': r = s === 'zero' ? true : s === 'pos' || s === 'neg' ? false : undefined; break;
      case '>': r = s === 'pos' ? true : s === 'zero' || s === 'neg' || s === 'nonpos' ? false : undefined; break;
      case '<': r = s === 'neg' ? true : s === 'zero' || s === 'pos' || s === 'nonneg' ? false : undefined; break;
      case '>=': r = s === 'zero' || s === 'pos' || s === 'nonneg' ? true : s === 'neg' ? false : undefined; break;
      case '<=': r = s === 'zero' || s === 'neg' || s === 'nonpos' ? true : s === 'pos' ? false : undefined; break;
    }
    const v = t(r);
    return v === undefined ? undefined : symConst(v);
  };
}

const symConst = (n: number): SymInt => SymInt.of(n);

function comparison(op: '==' | '>' | '<' | '>=' | '<=', webnn: 'equal' | 'greater' | 'lesser' | 'greaterOrEqual' | 'lesserOrEqual'): ElementwiseSpec {
  return {
    webnn: (c, [x, y]) => c.b[webnn](x!, y!),
    fold: ([a, b]) => {
      const x = a!;
      const y = b!;
      switch (op) {
        case '==': return x === y || (typeof x !== typeof y && num(x) === num(y)) ? 1 : 0;
        case '>': return x > y ? 1 : 0;
        case '<': return x < y ? 1 : 0;
        case '>=': return x >= y ? 1 : 0;
        case '<=': return x <= y ? 1 : 0;
      }
    },
    sym: compareSym(op),
    outType: () => BOOL,
  };
}

function logical(webnn: 'logicalAnd' | 'logicalOr' | 'logicalXor', f: (a: boolean, b: boolean) => boolean): ElementwiseSpec {
  return { webnn: (c, [x, y]) => c.b[webnn](x!, y!), fold: ([a, b]) => (f(num(a!) !== 0, num(b!) !== 0) ? 1 : 0), outType: () => BOOL };
}

/** ONNX Mod: fmod=1 keeps the dividend's sign (C fmod); fmod=0 the divisor's (integers only). */
function mod(c: NodeContext): Val {
  const fmod = c.int('fmod', 0);
  const a = c.in(0);
  if (isFloatType(a.type) && fmod !== 1) c.fail('fmod must be 1 for floating-point inputs');
  return elementwise(c, [a, c.in(1)], {
    webnn: (c2, [x, y]) => {
      const b = c2.b;
      const q = isFloatType(a.type) ? truncate(c2, b.div(x!, y!)) : b.div(x!, y!);
      let r = b.sub(x!, b.mul(q, y!));
      if (fmod === 0) {
        const zero = like(c2, r, 0);
        const fix = b.logicalAnd(b.notEqual(r, zero), b.logicalXor(b.lesser(r, zero), b.lesser(y!, zero)));
        r = b.where(fix, b.add(r, y!), r);
      }
      return r;
    },
    fold: ([x, y], t) => {
      if (isFloatType(t)) return num(x!) % num(y!);
      const r = arith('-', x!, arith('*', arith('/', x!, y!, t), y!, t), t);
      if (fmod === 0 && num(r) !== 0 && num(r) < 0 !== num(y!) < 0) return arith('+', r, y!, t);
      return r;
    },
    sym: ([x, y]) => {
      const k = y!.constant;
      const v = x!.constant;
      if (k === undefined || v === undefined || k === 0) return undefined;
      let r = v % k;
      if (fmod === 0 && r !== 0 && r < 0 !== k < 0) r += k;
      return symConst(r);
    },
  });
}

function truncate(c: NodeContext, x: MLOperand): MLOperand {
  const b = c.b;
  return b.where(b.lesser(x, like(c, x, 0)), b.ceil(x), b.floor(x));
}

function pow(c: NodeContext): Val {
  const base = c.in(0);
  let exp = c.in(1);
  if (exp.type !== base.type) {
    // ONNX allows an exponent of another type: bring it to the base's.
    const k = knownOf(exp);
    if (k && k.elems.every((e) => typeof e === 'number' || typeof e === 'bigint')) exp = fromKnown(base.type, k.shape, k.elems);
    else exp = c.out(c.b.cast(c.op(exp), c.webnnType(base.type)), base.type);
  }
  return elementwise(c, [base, exp], {
    webnn: (c2, [x, y]) => c2.b.pow(x!, y!),
    fold: ([x, y], t) => (isBigType(t) ? BigInt(Math.trunc(num(x!) ** num(y!))) : num(x!) ** num(y!)),
  });
}

/** ONNX Cast semantics in JS: float → int truncates (saturating), anything → bool is "not zero". */
export function castElem(x: Elem, to: number): Elem {
  if (to === T.BOOL) return num(x) !== 0 && !Number.isNaN(num(x)) ? 1 : 0;
  if (isFloatType(to)) return num(x);
  if (typeof x === 'number') {
    if (Number.isNaN(x)) return isBigType(to) ? 0n : 0;
    const t = Math.trunc(x);
    if (isBigType(to)) return Number.isFinite(t) ? BigInt(t) : t > 0 ? (1n << 63n) - 1n : -(1n << 63n);
    return t;
  }
  return isBigType(to) ? x : Number(BigInt.asIntN(32, x));
}

export function castVal(c: NodeContext, v: Val, to: number): Val {
  if (to === v.type) return v;
  const dataType = webnnType(to);
  if (!dataType) c.fail(`cast to ${onnxTypeName(to)} is not supported`);
  const k = knownOf(v);
  if (k) {
    if (k.elems.every((e) => typeof e === 'number' || typeof e === 'bigint')) return fromKnown(to, k.shape, (k.elems as Elem[]).map((e) => castElem(e, to)));
    // Sizes stay symbolic through casts between integer and float types (their values are whole numbers).
    const numeric = (t: number) => isIntType(t) || isFloatType(t);
    if (numeric(to) && numeric(v.type) && to !== T.FLOAT16 && to !== T.BFLOAT16) return fromKnown(to, k.shape, k.elems);
  }
  const x = c.op(v);
  if (to === T.BOOL) return c.out(c.b.notEqual(x, like(c, x, 0)), T.BOOL);
  if (x.dataType === dataType) return c.out(c.b.identity(x), to);
  return c.out(c.b.cast(x, dataType), to);
}

function where(c: NodeContext): Val {
  const cond = c.in(0);
  const kc = knownOf(cond);
  const kx = knownOf(c.in(1));
  const ky = knownOf(c.in(2));
  if (kc && kx && ky && kc.elems.every((e) => typeof e === 'number' || typeof e === 'bigint')) return elementwiseWhere(c, kc, kx, ky);
  const [xc, xx, xy] = alignDynamic(c, [c.op(cond), c.op(1), c.op(2)]);
  return c.out(c.b.where(xc!, xx!, xy!), c.in(1).type);
}

function elementwiseWhere(c: NodeContext, kc: NonNullable<ReturnType<typeof knownOf>>, kx: NonNullable<ReturnType<typeof knownOf>>, ky: NonNullable<ReturnType<typeof knownOf>>): Val {
  const type = c.in(1).type;
  return elementwise(c, [fromKnown(T.UINT8, kc.shape, kc.elems), fromKnown(type, kx.shape, kx.elems), fromKnown(type, ky.shape, ky.elems)], {
    webnn: (c2, [a, x, y]) => c2.b.where(a!, x!, y!),
    fold: ([a, x, y]) => (num(a!) !== 0 ? x! : y!),
    sym: ([a, x, y]) => (a!.constant === undefined ? undefined : a!.constant !== 0 ? x : y),
    outType: () => type,
  });
}

function isInf(c: NodeContext): Val {
  const neg = c.int('detect_negative', 1) !== 0;
  const pos = c.int('detect_positive', 1) !== 0;
  return elementwise(c, [c.in(0)], {
    webnn: (c2, [x]) => {
      const b = c2.b;
      const inf = b.isInfinite(x!);
      if (neg && pos) return inf;
      if (!neg && !pos) return b.logicalAnd(inf, b.logicalNot(inf));
      return b.logicalAnd(inf, pos ? b.greater(x!, like(c2, x!, 0)) : b.lesser(x!, like(c2, x!, 0)));
    },
    fold: ([x]) => {
      const v = num(x!);
      return (v === Infinity && pos) || (v === -Infinity && neg) ? 1 : 0;
    },
    outType: () => BOOL,
  });
}

export const elementwiseOps = family('elementwise', [
  {
    op: 'Add', note: 'add',
    handler: binary('Add', { webnn: (c, [x, y]) => c.b.add(x!, y!), fold: ([x, y], t) => arith('+', x!, y!, t), sym: ([x, y]) => x!.add(y!) }),
  },
  {
    op: 'Sub', note: 'sub',
    handler: binary('Sub', { webnn: (c, [x, y]) => c.b.sub(x!, y!), fold: ([x, y], t) => arith('-', x!, y!, t), sym: ([x, y]) => x!.sub(y!) }),
  },
  {
    op: 'Mul', note: 'mul',
    handler: binary('Mul', { webnn: (c, [x, y]) => c.b.mul(x!, y!), fold: ([x, y], t) => arith('*', x!, y!, t), sym: ([x, y]) => x!.mul(y!) }),
  },
  {
    op: 'Div', note: 'div (integers truncate)',
    handler: binary('Div', {
      webnn: (c, [x, y]) => c.b.div(x!, y!),
      fold: ([x, y], t) => arith('/', x!, y!, t),
      sym: ([x, y], t) => {
        const q = x!.div(y!);
        if (q) return q;
        const a = x!.constant;
        const b = y!.constant;
        if (a === undefined || b === undefined || b === 0) return undefined;
        // Integer division truncates; a float quotient must be whole to stay a SymInt.
        return isFloatType(t) ? (Number.isInteger(a / b) ? symConst(a / b) : undefined) : symConst(Math.trunc(a / b));
      },
    }),
  },
  { op: 'Pow', note: 'pow (the exponent is cast to the base type)', handler: pow },
  { op: 'Mod', since: 10, note: 'computed from div, mul and sub (fmod=0: the divisor\'s sign)', handler: mod },
  {
    op: 'Max', note: 'max, pairwise over the inputs',
    handler: variadic({
      webnn: (c, [x, y]) => c.b.max(x!, y!), fold: ([x, y], t) => arith('max', x!, y!, t),
      sym: ([x, y]) => { const s = x!.sub(y!).sign(); return s === 'pos' || s === 'nonneg' || s === 'zero' ? x : s === 'neg' || s === 'nonpos' ? y : undefined; },
    }),
  },
  {
    op: 'Min', note: 'min, pairwise over the inputs',
    handler: variadic({
      webnn: (c, [x, y]) => c.b.min(x!, y!), fold: ([x, y], t) => arith('min', x!, y!, t),
      sym: ([x, y]) => { const s = x!.sub(y!).sign(); return s === 'pos' || s === 'nonneg' || s === 'zero' ? y : s === 'neg' || s === 'nonpos' ? x : undefined; },
    }),
  },
  {
    op: 'Sum', note: 'add, pairwise over the inputs',
    handler: variadic({ webnn: (c, [x, y]) => c.b.add(x!, y!), fold: ([x, y], t) => arith('+', x!, y!, t), sym: ([x, y]) => x!.add(y!) }),
  },
  {
    op: 'Mean', note: 'add over the inputs, then div',
    handler: variadic({ webnn: (c, [x, y]) => c.b.add(x!, y!), fold: ([x, y], t) => arith('+', x!, y!, t) }, true),
  },
  { op: 'Equal', note: 'equal', handler: binary('Equal', comparison('==', 'equal')) },
  { op: 'Greater', note: 'greater', handler: binary('Greater', comparison('>', 'greater')) },
  { op: 'Less', note: 'lesser', handler: binary('Less', comparison('<', 'lesser')) },
  { op: 'GreaterOrEqual', since: 12, note: 'greaterOrEqual', handler: binary('GreaterOrEqual', comparison('>=', 'greaterOrEqual')) },
  { op: 'LessOrEqual', since: 12, note: 'lesserOrEqual', handler: binary('LessOrEqual', comparison('<=', 'lesserOrEqual')) },
  { op: 'And', note: 'logicalAnd', handler: binary('And', logical('logicalAnd', (a, b) => a && b)) },
  { op: 'Or', note: 'logicalOr', handler: binary('Or', logical('logicalOr', (a, b) => a || b)) },
  { op: 'Xor', note: 'logicalXor', handler: binary('Xor', logical('logicalXor', (a, b) => a !== b)) },
  {
    op: 'Not', note: 'logicalNot',
    handler: (c) => elementwise(c, [c.in(0)], { webnn: (c2, [x]) => c2.b.logicalNot(x!), fold: ([x]) => (num(x!) === 0 ? 1 : 0), outType: () => BOOL }),
  },
  {
    op: 'IsNaN', note: 'isNaN',
    handler: (c) => elementwise(c, [c.in(0)], { webnn: (c2, [x]) => c2.b.isNaN(x!), fold: ([x]) => (Number.isNaN(num(x!)) ? 1 : 0), outType: () => BOOL }),
  },
  { op: 'IsInf', since: 10, note: 'isInfinite (with detect_negative/detect_positive: and a sign test)', handler: isInf },
  { op: 'Where', note: 'where', handler: where },
  {
    op: 'Cast', note: 'cast (to bool: notEqual 0; double travels as float32)',
    handler: (c) => {
      const to = c.int('to') ?? c.fail("attribute 'to' is required");
      return castVal(c, c.in(0), to);
    },
  },
  { op: 'CastLike', since: 15, note: 'cast to the second input\'s type', handler: (c) => castVal(c, c.in(0), c.in(1).type) },
]);
