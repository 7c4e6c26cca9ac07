// The browser tests' conformance page module: the Node conformance runner (conformance/runner.ts) bundled with the
// browser entry in place of the Node one (chromium.test.ts bundles it so), run on cases the test hands over.
import { ml } from '../../../src/index.js';
import type { ConformanceCase } from '../../../conformance/cases.js';
import { runCase, type CaseResult } from '../../../conformance/runner.js';

async function runConformance(cases: ConformanceCase[]): Promise<{ backend: string; results: CaseResult[] }> {
  const context = await ml.createContext();
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(context, c));
  return { backend: context.backend, results };
}

(globalThis as { runConformance?: typeof runConformance }).runConformance = runConformance;
