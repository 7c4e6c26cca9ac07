// Graph passes: IR → IR rewrites between pruning and compilation (src/api/builder.ts build()). A pass works on a
// GraphEditor (consumer index, constant values, node replacement) and reports how many rewrites it made. Passes
// never change what a graph computes beyond the tolerance their tests state; the graph a user built stays as it
// was for saving (graph files never contain internal operators).
import type { GraphEditor } from './editor.js';

export interface GraphPass {
  /** Short name, reported per graph (e.g. 'rmsNormalization'). */
  readonly name: string;
  /** Rewrites `g` in place; returns the number of rewrites made. */
  run(g: GraphEditor): number;
}
