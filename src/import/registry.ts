// The op table assembled from the family files, and lookups into it.
import type { OpMapping } from './table.js';
import { elementwiseOps } from './ops/elementwise.js';
import { shapeOps } from './ops/shape.js';

const ALL: readonly OpMapping[] = [...elementwiseOps, ...shapeOps];

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
