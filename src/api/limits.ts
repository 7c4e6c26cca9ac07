// The limits an operator has on a given backend: its own (src/ops), narrowed by the backend's profile where the
// backend cannot run all of them. One table per (profile, operator), shared by validation and opSupportLimits().
import type { BackendProfile } from '../backends/backend.js';
import { MAX_RANK } from '../graph/shape.js';
import type { MLTensorLimits, OpDef } from '../ops/registry.js';

const cache = new WeakMap<BackendProfile, Map<string, Readonly<Record<string, MLTensorLimits>>>>();

export function operatorLimits(profile: BackendProfile, def: OpDef): Readonly<Record<string, MLTensorLimits>> {
  let table = cache.get(profile);
  if (!table) cache.set(profile, (table = new Map()));
  let limits = table.get(def.name);
  if (!limits) {
    limits = Object.fromEntries(Object.entries(def.limits).map(([param, own]) => {
      const l = profile.narrowLimits ? profile.narrowLimits(def.name, param, own) : own;
      return [param, { dataTypes: [...l.dataTypes], rankRange: { min: l.rankRange.min, max: Math.min(l.rankRange.max, MAX_RANK) } }];
    }));
    table.set(def.name, limits);
  }
  return limits;
}
