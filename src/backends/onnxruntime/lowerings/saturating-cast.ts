// Float → integer cast that saturates. The spec leaves out-of-range values implementation-defined; onnxruntime's
// Cast gives whatever the CPU's conversion does (300 → 44 for int8; NaN → 2^31 for uint32 from float32 but 0 from
// float16). tsnn follows the spec's own cast of a number to an integer type instead: clamp to the type's range,
// NaN → 0; in range, the cast truncates toward zero as the spec's cast table says.
import { intRange, type MLOperandDataType } from '../../../graph/dtypes.js';
import { encodeScalar } from '../../../graph/cast.js';
import type { Emitter } from '../emitter.js';

export function saturatingCast(e: Emitter, x: string, to: MLOperandDataType, output: string): void {
  const f32 = (v: number) => e.initializer('float32', [], encodeScalar('float32', v));
  const { min, max } = intRange(to);
  // Type bounds as float32: the minimum (0 or -2^(bits-1)) is exact; the largest float32 at most the maximum is
  // below it for 32- and 64-bit types, so anything above that float is past the maximum.
  const low = Number(min);
  let high = Math.fround(Number(max));
  if (high > Number(max)) high = nextDown(high);
  const v = e.cast(x, 'float32');
  const clipped = e.cast(e.op('Clip', [v, f32(low), f32(high)]), to);
  const maxValue = e.initializer(to, [], encodeScalar(to, max));
  const isNaN = e.op('IsNaN', [v]);
  const aboveHigh = e.op('Greater', [v, f32(high)]);
  e.castAround(to, e.kernel('Where'), 'int64', [clipped, maxValue, e.initializer(to, [], encodeScalar(to, 0))], [output],
    ([c, m, zero], [out]) => void e.op('Where', [isNaN, zero!, e.op('Where', [aboveHigh, m!, c!])], {}, out));
}

/** The largest float32 below the float32 `x` (x positive and finite). */
function nextDown(x: number): number {
  const bits = new Uint32Array(new Float32Array([x]).buffer);
  bits[0]! -= 1;
  return new Float32Array(bits.buffer)[0]!;
}
