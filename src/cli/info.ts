// `tsnn info`: what this installation can do.
import { backendNames } from '../backends/index.js';
import { bundledProviders, ortVersion } from '../backends/onnxruntime/backend.js';
import { loweredOps } from '../backends/onnxruntime/emitter.js';
import '../backends/onnxruntime/lower.js';
import '../ops/index.js';
import { allOps } from '../ops/registry.js';
import { SPEC_OPERATORS } from '../ops/spec-operators.js';
import { packageInfo } from './package-info.js';

export interface InfoReport {
  version: string;
  node: string;
  backends: { name: string; providers?: string[] }[];
  onnxruntime: string;
  operators: { implemented: number; total: number; missing: string[] };
}

export function collectInfo(): InfoReport {
  const lowered = new Set(loweredOps());
  // An operator counts as implemented when it validates (src/ops) and the backend lowers it.
  const implemented = new Set(allOps().map((o) => o.name).filter((n) => lowered.has(n)));
  return {
    version: packageInfo().version,
    node: process.version,
    backends: backendNames().map((name) => (name === 'onnxruntime' ? { name, providers: bundledProviders() } : { name })),
    onnxruntime: ortVersion,
    operators: {
      implemented: SPEC_OPERATORS.filter((o) => implemented.has(o)).length,
      total: SPEC_OPERATORS.length,
      missing: SPEC_OPERATORS.filter((o) => !implemented.has(o)),
    },
  };
}

export function formatInfo(r: InfoReport): string {
  return [
    `tsnn ${r.version} (node ${r.node})`,
    `backends: ${r.backends.map((b) => (b.providers ? `${b.name} [${b.providers.join(', ')}]` : b.name)).join(', ')}`,
    `onnxruntime-node: ${r.onnxruntime}`,
    `operators implemented: ${r.operators.implemented} / ${r.operators.total}`,
    ...(r.operators.missing.length ? [`not yet: ${r.operators.missing.join(' ')}`] : []),
  ].join('\n');
}
