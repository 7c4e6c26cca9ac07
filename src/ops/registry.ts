// Operator definitions: each WebNN operator is declared once, as one OpDef — its parameters (which drive the
// builder's argument handling, graph-file signatures, the fuzzer and `tsnn info`), its support limits (one table
// that drives both validation and opSupportLimits()), the type of its attributes (the contract with its lowerings)
// and a `create` step that validates arguments the way the spec's algorithm does and infers the output descriptors.
// MLGraphBuilder exposes every public op as a method; backends lower by op name; passes may create internal ops.
import type { Attrs, OperandDescriptor } from '../graph/ir.js';
import type { MLOperandDataType } from '../graph/dtypes.js';
import type { OpContext, OperandRef } from './context.js';

export interface MLRankRange { min: number; max: number }
export interface MLTensorLimits { dataTypes: MLOperandDataType[]; rankRange: MLRankRange }

/**
 * How a positional parameter is taken: one MLOperand, a sequence<MLOperand>, an unsigned long, a
 * sequence<unsigned long> (a shape, which may hold dynamic dimensions), either of those two (split's `splits`), or
 * an MLOperandDataType.
 */
export type ParamKind = 'operand' | 'operands' | 'uint' | 'uints' | 'uintOrUints' | 'dataType';

export interface ParamDecl { readonly name: string; readonly kind: ParamKind }

/**
 * Each operator's attribute type, by operator name: what `create` records in the IR and what its lowerings read.
 * Op family modules add their entries (`declare module './registry.js'`); an operator without an entry has none.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface OpAttrs {}
export type NoAttrs = Record<string, never>;
export type AttrsOf<N extends string> = N extends keyof OpAttrs ? OpAttrs[N] : NoAttrs;

type ArgOf<K extends ParamKind> = K extends 'operand' ? OperandRef : K extends 'operands' ? OperandRef[] : unknown;

/** Positional arguments as `create` receives them: operands resolved and checked, other values as given. */
export type OpArgs<P extends Record<string, ParamKind>> = { readonly [K in keyof P]: ArgOf<P[K]> };

/** The options dictionary as `create` receives it: the declared operand members resolved (null when absent). */
export type OpOptions<O extends string> = Readonly<Record<string, unknown>> & { readonly [K in O]: OperandRef | null };

export interface OpResult<A> {
  /** Operand inputs in the positional order the lowering expects; null for an absent optional operand. */
  inputs: (OperandRef | null)[];
  attrs: A;
  outputs: OperandDescriptor[];
}

interface OpCommon {
  /** The op's MLOpSupportLimits member: parameter name → limits ("output"/"outputs" for results). */
  readonly limits: Readonly<Record<string, MLTensorLimits>>;
  /** True for methods returning sequence<MLOperand> (split, gru, lstm). */
  readonly multipleOutputs?: boolean;
  /**
   * True when `create` handles dynamic dimensions (reads OperandRef.dims, returns c.outputDims). Without it, an
   * operand with a dynamic dimension is a TypeError, so ops written for static shapes stay correct.
   */
  readonly dynamic?: boolean;
  /**
   * An operator that graph passes create for backends that have a fused kernel for it: not a builder method, not in
   * opSupportLimits(), never in a saved graph file.
   */
  readonly internal?: boolean;
}

/** What an op module declares; `create` is typed by the declared parameters and the op's attribute type. */
export interface OpDeclaration<N extends string, P extends Record<string, ParamKind>, O extends string> extends OpCommon {
  readonly name: N;
  /** Positional parameters in the spec's order (the options dictionary follows them). */
  readonly params: P;
  /** Members of the options dictionary that are MLOperands. */
  readonly operandOptions?: readonly O[];
  create(c: OpContext, args: OpArgs<P>, options: OpOptions<O>): OpResult<AttrsOf<N>>;
}

/** A registered operator, as the builder, graph files, passes and tools see it. */
export interface OpDef extends OpCommon {
  readonly name: string;
  readonly params: readonly ParamDecl[];
  readonly operandOptions: readonly string[];
  /** Position of the options dictionary among the method's arguments (= params.length). */
  readonly optionsAt: number;
  /** Validates a call (raw arguments as given to the builder method) and returns what the IR node records. */
  invoke(c: OpContext, args: readonly unknown[]): { inputs: (OperandRef | null)[]; attrs: Attrs; outputs: OperandDescriptor[] };
}

const registry = new Map<string, OpDef>();
const listeners: ((def: OpDef) => void)[] = [];

/** Calls `listener` for every operator defined so far and every one defined later (the builder installs methods). */
export function onOpDefined(listener: (def: OpDef) => void): void {
  listeners.push(listener);
  for (const def of registry.values()) listener(def);
}

export function defineOp<N extends string, P extends Record<string, ParamKind>, O extends string = never>(
  decl: OpDeclaration<N, P, O>,
): OpDef {
  if (registry.has(decl.name)) throw new Error(`operator ${decl.name} defined twice`);
  const params = Object.entries(decl.params).map(([name, kind]): ParamDecl => ({ name, kind }));
  const operandOptions: readonly string[] = decl.operandOptions ?? [];
  const def: OpDef = {
    name: decl.name,
    params,
    operandOptions,
    optionsAt: params.length,
    limits: decl.limits,
    multipleOutputs: decl.multipleOutputs ?? false,
    dynamic: decl.dynamic ?? false,
    internal: decl.internal ?? false,
    invoke(c, raw) {
      // Operands first, in the declared order (positional, then operand options), as the spec's steps validate them.
      const args: Record<string, unknown> = {};
      params.forEach(({ name, kind }, i) => {
        const v = raw[i];
        args[name] = kind === 'operand' ? c.operand(v, name) : kind === 'operands' ? c.operandList(v, name) : v;
      });
      // The caller's dictionary stays untouched: resolved operand members shadow it in an object that inherits the rest.
      const options = Object.create(c.options(raw[params.length])) as Record<string, unknown>;
      for (const name of operandOptions) options[name] = c.optionalOperand(options[name], name);
      const result = decl.create(c, args as OpArgs<P>, options as OpOptions<O>);
      // The attribute types are JSON-like data by construction (numbers, strings, booleans, lists, dimensions).
      return { inputs: result.inputs, attrs: result.attrs as Attrs, outputs: result.outputs };
    },
  };
  registry.set(decl.name, def);
  for (const listener of listeners) listener(def);
  return def;
}

export function getOp(name: string): OpDef | undefined {
  return registry.get(name);
}

/** Every registered operator, internal ones included. */
export function allOps(): OpDef[] {
  return [...registry.values()];
}

/** The operators of the WebNN API: builder methods, opSupportLimits() members, graph-file operators. */
export function publicOps(): OpDef[] {
  return allOps().filter((op) => !op.internal);
}

/** Limits with the given types and rank range. */
export function limits(dataTypes: readonly MLOperandDataType[], min = 0, max?: number): MLTensorLimits {
  return { dataTypes: [...dataTypes], rankRange: { min, max: max ?? Number.MAX_SAFE_INTEGER } };
}
