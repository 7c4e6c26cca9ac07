// Integer pow by square-and-multiply. onnxruntime's integer Pow goes through double, so int64 powers beyond 2^53
// lose their low bits and overflow saturates; a power is repeated multiplication, so here it wraps as mul() does.
import { DTYPES, type MLOperandDataType } from '../../../graph/dtypes.js';
import { encodeScalar } from '../../../graph/cast.js';
import { str, type Emitter } from '../emitter.js';

/**
 * x^y for integer type `t`, computed in int64 (whose wrapping products agree with every narrower type's modulo
 * 2^bits) and cast into `output`. A negative exponent gives 1 / x^|y| truncated toward zero, with div()'s rule
 * that 1 / 0 is 1.
 */
export function integerPow(e: Emitter, t: MLOperandDataType, x: string, y: string, output: string): void {
  const i64 = (v: number) => e.initializer('int64', [], encodeScalar('int64', v));
  const u64 = (v: number) => e.initializer('uint64', [], encodeScalar('uint64', v));
  const base0 = t === 'int64' ? x : e.cast(x, 'int64');
  const exponent = t === 'int64' ? y : e.cast(y, 'int64');
  // |y| as uint64 (|INT64_MIN| = 2^63 fits), whose bits BitShift can read; uint64 exponents are already there.
  const magnitude = t === 'uint64' ? y : e.cast(DTYPES[t].signed ? e.op('Abs', [exponent]) : exponent, 'uint64');
  let result = e.op('Add', [e.op('Mul', [base0, i64(0)]), i64(1)]); // ones of the base's shape
  let base = base0;
  for (let bit = 0; bit < DTYPES[t].bits; bit++) {
    const set = e.cast(e.op('BitwiseAnd', [e.op('BitShift', [magnitude, u64(bit)], { direction: str('RIGHT') }), u64(1)]), 'bool');
    result = e.op('Where', [set, e.op('Mul', [result, base]), result]);
    if (bit < DTYPES[t].bits - 1) base = e.op('Mul', [base, base]);
  }
  if (DTYPES[t].signed) {
    const reciprocal = e.op('Where', [e.op('Equal', [result, i64(-1)]), i64(-1),
      e.cast(e.op('Or', [e.op('Equal', [result, i64(1)]), e.op('Equal', [result, i64(0)])]), 'int64')]);
    result = e.op('Where', [e.op('Less', [exponent, i64(0)]), reciprocal, result]);
  }
  if (t === 'int64') e.op('Identity', [result], {}, output);
  else e.cast(result, t, output);
}
