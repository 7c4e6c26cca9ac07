// `tsnn info`: what this installation can do.
import { backendNames } from '../backends/registry.js';
import { bundledProviders, ortVersion } from '../backends/onnxruntime/backend.js';
import { loweredOps } from '../backends/onnxruntime/emitter.js';
import '../backends/onnxruntime/lower.js';
import '../ops/index.js';
import { publicOps } from '../ops/registry.js';
import { SPEC_OPERATORS } from '../ops/spec-operators.js';
import { packageInfo } from './package-info.js';
import { byteLength } from '../api/descriptor.js';
import { DTYPES } from '../graph/dtypes.js';
import { elementCount } from '../graph/shape.js';
import { readGraphFile } from '../format/io.js';
import { isDynamic, type InputDecl } from '../format/model.js';

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
  const implemented = new Set(publicOps().map((o) => o.name).filter((n) => lowered.has(n)));
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

// ---- `tsnn info FILE`: what a graph file holds ----------------------------------------------------------------------

export interface FileInfo {
  name: string;
  version: number;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  ops: Record<string, number>;
  nodes: number;
  constants: number;
  parameters: number;
  parameterBytes: number;
}

export function collectFileInfo(file: string): FileInfo {
  const g = readGraphFile(file);
  const ops: Record<string, number> = {};
  for (const n of g.nodes) ops[n.op] = (ops[n.op] ?? 0) + 1;
  let parameters = 0;
  let parameterBytes = 0;
  for (const c of Object.values(g.consts)) {
    parameters += elementCount(c.shape);
    parameterBytes += byteLength({ dataType: c.dataType, shape: c.shape });
  }
  const type = (d: InputDecl) => `${DTYPES[d.dataType].short}[${d.shape.map((x) => (isDynamic(x) ? `dyn(${JSON.stringify(x.name)}, ${x.maxSize})` : x)).join(', ')}]`;
  return {
    name: g.name,
    version: g.version,
    inputs: Object.fromEntries(Object.entries(g.inputs).map(([n, d]) => [n, type(d)])),
    outputs: { ...g.outputs },
    ops: Object.fromEntries(Object.entries(ops).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    nodes: g.nodes.length,
    constants: Object.keys(g.consts).length,
    parameters,
    parameterBytes,
  };
}

export function formatFileInfo(i: FileInfo): string {
  return [
    `graph "${i.name}" v${i.version}`,
    `inputs: ${Object.entries(i.inputs).map(([n, t]) => `${n}: ${t}`).join(', ') || 'none'}`,
    `outputs: ${Object.entries(i.outputs).map(([n, r]) => (n === r ? n : `${n} = ${r}`)).join(', ') || 'none'}`,
    `nodes: ${i.nodes} (${Object.entries(i.ops).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'})`,
    `constants: ${i.constants}, parameters: ${i.parameters} (${i.parameterBytes} bytes)`,
  ].join('\n');
}
