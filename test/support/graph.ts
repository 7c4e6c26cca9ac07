// Build a small graph, run it once, read its outputs: the graph helpers the operator and API tests share.
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType, type MLTensor } from '../../src/index.js';
import { count, desc, fromArray, toArray, valuesOf, type TypedArray, type Value } from './values.js';

let shared: Promise<MLContext> | undefined;
/** One MLContext for the helpers below (created on first use); tests that build graphs for them use it too. */
export function context(): Promise<MLContext> {
  shared ??= ml.createContext();
  return shared;
}

/** A positional input of run()/runAll(): its type, shape and values (bigints for 64-bit types). */
export interface Input { dataType: MLOperandDataType; shape: number[]; values: readonly Value[] }
/** An output's shape and exact values (float16 decoded, 64-bit as bigints). */
export interface Result { shape: number[]; data: Value[] }

/** Builds `f` over graph inputs x0, x1, ... made from `inputs`, runs it once, and returns each output. */
export async function runAll(inputs: readonly Input[], f: (b: MLGraphBuilder, ...xs: MLOperand[]) => MLOperand[]): Promise<Result[]> {
  const ctx = await context();
  const b = new MLGraphBuilder(ctx);
  const xs = inputs.map((x, i) => b.input(`x${i}`, { dataType: x.dataType, shape: x.shape }));
  const outs = f(b, ...xs);
  const graph = await b.build(Object.fromEntries(outs.map((o, i) => [`y${i}`, o])));
  const r = await ctx.compute(graph, Object.fromEntries(inputs.map((x, i) => [`x${i}`, toArray(x.values, x.dataType)])));
  graph.destroy();
  return outs.map((o, i) => {
    const y = r[`y${i}`]!;
    return { shape: [...y.shape], data: valuesOf(y.data, o.dataType, count(y.shape)) };
  });
}

/** As runAll, for one output. */
export async function run(inputs: readonly Input[], f: (b: MLGraphBuilder, ...xs: MLOperand[]) => MLOperand): Promise<Result> {
  return (await runAll(inputs, (b, ...xs) => [f(b, ...xs)]))[0]!;
}

/** A named input of runGraph(): its type, shape and values. */
export interface Feed { type: MLOperandDataType; shape: number[]; data: readonly Value[] }
export type GraphOf = (b: MLGraphBuilder, inputs: Record<string, MLOperand>) => MLOperand;

/**
 * Builds `build` over graph inputs named as in `inputs`, runs it once (on `ctx`, or context()), and returns each
 * output's shape and values.
 */
export async function runGraphs(build: (b: MLGraphBuilder, inputs: Record<string, MLOperand>) => MLOperand[],
  inputs: Record<string, Feed>, on?: MLContext): Promise<{ shape: number[]; data: number[] }[]> {
  const ctx = on ?? await context();
  const b = new MLGraphBuilder(ctx);
  const ops: Record<string, MLOperand> = {};
  for (const [name, v] of Object.entries(inputs)) ops[name] = b.input(name, { dataType: v.type, shape: v.shape });
  const outs = build(b, ops);
  const graph = await b.build(Object.fromEntries(outs.map((o, i) => [`y${i}`, o])));
  const feeds = Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, toArray(v.data, v.type)]));
  const r = await ctx.compute(graph, feeds);
  graph.destroy();
  return outs.map((o, i) => ({ shape: [...o.shape] as number[], data: fromArray(r[`y${i}`]!.data, o.dataType) }));
}

/** As runGraphs, for one output; runGraph(ctx, build, inputs) runs on `ctx`. */
export async function runGraph(build: GraphOf, inputs: Record<string, Feed>): Promise<{ shape: number[]; data: number[] }>;
export async function runGraph(ctx: MLContext, build: GraphOf, inputs: Record<string, Feed>): Promise<{ shape: number[]; data: number[] }>;
export async function runGraph(...args: [GraphOf, Record<string, Feed>] | [MLContext, GraphOf, Record<string, Feed>]): Promise<{ shape: number[]; data: number[] }> {
  const [on, build, inputs] = args.length === 3 ? args : [undefined, ...args];
  return (await runGraphs((b, ops) => [build(b, ops)], inputs, on))[0]!;
}

/** Builds the graph of builder `b` (made on context()) with output `y`, runs it on `feeds`, and returns y's values. */
export async function computeOutput(b: MLGraphBuilder, y: MLOperand, feeds: Record<string, TypedArray> = {}): Promise<number[]> {
  const ctx = await context();
  const graph = await b.build({ y });
  const out = (await ctx.compute(graph, feeds)).y!;
  graph.destroy();
  return fromArray(out.data, y.dataType);
}

/** A constant of builder `b` from plain values (encoded as toArray does). */
export const constant = (b: MLGraphBuilder, t: MLOperandDataType, shape: number[], values: readonly Value[]): MLOperand =>
  b.constant(desc(t, shape), toArray(values, t));

let inputs = 0;
/** A graph input of builder `b` with a name no other call gives. */
export const freshInput = (b: MLGraphBuilder, dataType: MLOperandDataType, shape: number[]): MLOperand => b.input(`x${inputs++}`, { dataType, shape });

/** A float32 tensor's values, read through readTensor. */
export async function readF32(ctx: MLContext, t: MLTensor): Promise<number[]> {
  return [...new Float32Array(await ctx.readTensor(t))];
}

/** A builder on `ctx` with one input 'x' of the given type and shape. */
export function withInput(ctx: MLContext, dataType: MLOperandDataType, shape: number[]): { b: MLGraphBuilder; x: MLOperand } {
  const b = new MLGraphBuilder(ctx);
  return { b, x: b.input('x', { dataType, shape }) };
}
