// installGlobals(): makes browser-style WebNN code run unchanged in Node.
import { MLGraphBuilder } from './builder.js';
import { MLContext } from './context.js';
import { MLGraph } from './graph.js';
import { ML, ml } from './ml.js';
import { MLOperand } from './operand.js';
import { MLTensor } from './tensor.js';

/** Defines `navigator.ml` and the WebNN interface objects on globalThis (idempotent). */
export function installGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  const classes = { ML, MLContext, MLGraphBuilder, MLGraph, MLOperand, MLTensor };
  for (const [name, value] of Object.entries(classes)) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  }
  let nav = g.navigator as Record<string, unknown> | undefined;
  if (!nav) {
    nav = {};
    Object.defineProperty(g, 'navigator', { value: nav, writable: true, configurable: true, enumerable: false });
  }
  if (nav.ml !== ml) Object.defineProperty(nav, 'ml', { value: ml, writable: false, configurable: true, enumerable: true });
}

declare global {
  // Browser-style globals installed by installGlobals().
  // eslint-disable-next-line no-var
  var MLGraphBuilder: typeof import('./builder.js').MLGraphBuilder;
  // eslint-disable-next-line no-var
  var MLContext: typeof import('./context.js').MLContext;
  // eslint-disable-next-line no-var
  var MLGraph: typeof import('./graph.js').MLGraph;
  // eslint-disable-next-line no-var
  var MLOperand: typeof import('./operand.js').MLOperand;
  // eslint-disable-next-line no-var
  var MLTensor: typeof import('./tensor.js').MLTensor;
  interface Navigator {
    readonly ml: import('./ml.js').ML;
  }
  // eslint-disable-next-line no-var
  var navigator: Navigator;
}
