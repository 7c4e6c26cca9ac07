// Two graphs for the crash-safety tests: the same inputs, constant names, types and shapes (so that any mix of
// their files passes every layout check), different operators and weights, and results that tell every mix apart.
import { MLGraphBuilder, type MLContext, type MLGraph } from '../../src/index.js';

/** 1 MiB per constant: saving takes long enough for a stop or kill to land inside it. */
export const N = 1 << 18;
const desc = { dataType: 'float32', shape: [N] } as const;

/**
 * A: y = x * 2 + 10, B: y = (x + 5) * 3. At x = 1: A gives 12, B gives 18; A's operators with B's weights give 8, B's
 * operators with A's weights 30. A mix computes a plausible number without any error of its own, which is why
 * files from different saves must be refused.
 */
export async function buildSavePair(ctx: MLContext): Promise<{ a: MLGraph; b: MLGraph }> {
  const fill = (v: number) => new Float32Array(N).fill(v);
  const ba = new MLGraphBuilder(ctx);
  const xa = ba.input('x', desc);
  const a = await ba.build({ y: ba.add(ba.mul(xa, ba.constant(desc, fill(2))), ba.constant(desc, fill(10))) });
  const bb = new MLGraphBuilder(ctx);
  const xb = bb.input('x', desc);
  const b = await bb.build({ y: bb.mul(bb.add(xb, bb.constant(desc, fill(5))), bb.constant(desc, fill(3))) });
  return { a, b };
}

export const RESULT_A = 12;
export const RESULT_B = 18;
