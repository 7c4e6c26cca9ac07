// `tsnn validate FILE`: parses the graph, checks its names and weights, and passes every node through the builder's
// validation (nothing is compiled).
import { replay } from '../format/graph-file.js';
import { cpuContext, openGraph, type WeightOptions } from './common.js';
import { GraphFileError } from '../format/model.js';

export async function validateCommand(file: string, opts: WeightOptions): Promise<void> {
  const { g, weights, close } = openGraph(file, opts);
  try {
    const context = await cpuContext();
    try {
      replay(context, g, weights);
    } finally {
      context.destroy();
    }
  } catch (err) {
    throw err instanceof GraphFileError ? err.inFile(file) : err;
  } finally {
    close();
  }
  console.log(`${file}: ok (${Object.keys(g.inputs).length} inputs, ${Object.keys(g.consts).length} constants, ${g.nodes.length} nodes, ${Object.keys(g.outputs).length} outputs)`);
}
