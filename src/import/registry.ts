// The op table assembled from the family files, and lookups into it.
import type { OpMapping } from './table.js';
import { activationOps } from './ops/activation.js';
import { contribOps } from './ops/contrib.js';
import { controlOps } from './ops/control.js';
import { convOps } from './ops/conv.js';
import { elementwiseOps } from './ops/elementwise.js';
import { matmulOps } from './ops/matmul.js';
import { normalizationOps } from './ops/normalization.js';
import { quantizationOps } from './ops/quantization.js';
import { reductionOps } from './ops/reduction.js';
import { rnnOps } from './ops/rnn.js';
import { shapeOps } from './ops/shape.js';

const ALL: readonly OpMapping[] = [
  ...elementwiseOps, ...activationOps, ...shapeOps, ...matmulOps, ...convOps, ...normalizationOps, ...reductionOps,
  ...quantizationOps, ...rnnOps, ...controlOps, ...contribOps,
];

const byKey = new Map<string, OpMapping[]>();
for (const m of ALL) {
  const key = `${m.domain}:${m.op}`;
  const list = byKey.get(key) ?? [];
  list.push(m);
  byKey.set(key, list);
}

/** The mapping for an op at an opset version; with `opset` undefined, any mapping of the op (for messages). */
export function findMapping(domain: string, op: string, opset: number | undefined): OpMapping | undefined {
  const list = byKey.get(`${domain}:${op}`);
  if (!list) return undefined;
  if (opset === undefined) return list[0];
  return list.find((m) => opset >= m.since && (m.until === undefined || opset <= m.until));
}

/** Every mapping, for docs and `--check`. */
export function allMappings(): readonly OpMapping[] {
  return ALL;
}
