// Control flow: an If whose condition is known when the model is imported (a constant, a shape test, or an input
// frozen with --value) is replaced by the branch it takes; otherwise the import stops naming the inputs the
// condition depends on.
import type { NodeContext } from '../context.js';
import { knownOf } from '../fold.js';
import { family } from '../table.js';
import type { Val } from '../values.js';

function ifOp(c: NodeContext): Val[] {
  const k = knownOf(c.in(0));
  const known = k && k.elems.length === 1 && (typeof k.elems[0] === 'number' || typeof k.elems[0] === 'bigint');
  if (!known) {
    const inputs = c.core.inputsFeeding(c.node.input[0]!);
    const hint = inputs.length
      ? `it depends on input${inputs.length > 1 ? 's' : ''} ${inputs.map((i) => `'${i}'`).join(', ')}; freeze ${inputs.length > 1 ? 'them' : 'it'} with --value ${inputs[0]}=...`
      : 'it is computed when the model runs';
    return c.fail(`the condition is not known when the model is imported (${hint})`);
  }
  const taken = Number(k.elems[0]) !== 0 ? 'then_branch' : 'else_branch';
  const branch = c.graphAttr(taken) ?? c.fail(`${taken} is missing`);
  const outs = c.core.runSubgraph(branch, taken);
  if (outs.length !== c.node.output.length) c.fail(`${taken} has ${outs.length} outputs, the node ${c.node.output.length}`);
  return outs;
}

export const controlOps = family('control', [
  { op: 'If', note: 'replaced by the branch taken when the condition is known at import time (--value freezes inputs)', handler: ifOp },
]);
