// Runs a backend's passes over a graph, in order; each sees the previous one's result.
import type { GraphIR } from '../graph/ir.js';
import { GraphEditor } from './editor.js';
import type { GraphPass } from './pass.js';

export interface OptimizedGraph {
  ir: GraphIR;
  /** Rewrites made per pass (passes that made none are left out). */
  fired: Record<string, number>;
}

export function optimize(ir: GraphIR, passes: readonly GraphPass[]): OptimizedGraph {
  const fired: Record<string, number> = {};
  for (const pass of passes) {
    const editor = new GraphEditor(ir);
    const count = pass.run(editor);
    if (count > 0) {
      fired[pass.name] = (fired[pass.name] ?? 0) + count;
      ir = editor.finish();
    }
  }
  return { ir, fired };
}
