// Operator definitions: each WebNN operator is one OpDef — its support limits (one table that drives both validation
// and opSupportLimits()) and a `create` step that validates arguments the way the spec's algorithm does and infers
// the output descriptors. MLGraphBuilder exposes every registered op as a method; backends lower by op name.
import type { Attrs, OperandDescriptor } from '../graph/ir.js';
import type { MLOperandDataType } from '../graph/dtypes.js';
import type { OpContext, OperandRef } from './context.js';

export interface MLRankRange { min: number; max: number }
export interface MLTensorLimits { dataTypes: MLOperandDataType[]; rankRange: MLRankRange }

export interface OpResult {
  /** Operand inputs in the positional order the lowering expects; null for an absent optional operand. */
  inputs: (OperandRef | null)[];
  attrs?: Attrs;
  outputs: OperandDescriptor[];
}

export interface OpDef {
  readonly name: string;
  /** Position of the options dictionary among the method's arguments (where `label` is read from). */
  readonly optionsAt: number;
  /** The op's MLOpSupportLimits member: parameter name → limits ("output"/"outputs" for results). */
  readonly limits: Readonly<Record<string, MLTensorLimits>>;
  /** True for methods returning sequence<MLOperand> (split, gru, lstm). */
  readonly multipleOutputs?: boolean;
  /**
   * True when `create` handles dynamic dimensions (reads OperandRef.dims, returns c.outputDims). Without it, an
   * operand with a dynamic dimension is a TypeError, so ops written for static shapes stay correct.
   */
  readonly dynamic?: boolean;
  create(c: OpContext, args: readonly unknown[]): OpResult;
}

const registry = new Map<string, OpDef>();

export function defineOp(def: OpDef): OpDef {
  if (registry.has(def.name)) throw new Error(`operator ${def.name} defined twice`);
  registry.set(def.name, def);
  return def;
}

export function getOp(name: string): OpDef | undefined {
  return registry.get(name);
}

export function allOps(): OpDef[] {
  return [...registry.values()];
}

/** Limits with the given types and rank range. */
export function limits(dataTypes: readonly MLOperandDataType[], min = 0, max?: number): MLTensorLimits {
  return { dataTypes: [...dataTypes], rankRange: { min, max: max ?? Number.MAX_SAFE_INTEGER } };
}
