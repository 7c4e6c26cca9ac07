// Replays conformance cases through the public WebNN API, the way a browser test does: constants with
// builder.constant, inputs with createTensor + writeTensor, dispatch, readTensor; then checks tolerances.
import { MLGraphBuilder, type MLContext, type MLOperand, type MLTensor } from '../src/index.js';
import { isSubByte, unpackNibbles, viewAs } from '../src/graph/dtypes.js';
import { caseKey, countOf, primaryOperator, toTypedArray, type ConformanceCase } from './cases.js';
import { compareOutput } from './compare.js';

export type CaseStatus = 'pass' | 'fail' | 'unimplemented';
export interface CaseResult {
  key: string;
  operator: string;
  status: CaseStatus;
  message?: string;
  /** For 'unimplemented': the missing operator, if that is the reason. */
  missing?: string;
}

/** A first-class reason a case cannot run yet: an operator tsnn lacks, or a feature (dynamic dimensions). */
function unimplementedReason(c: ConformanceCase, builder: MLGraphBuilder): { message: string; missing?: string } | undefined {
  for (const op of c.graph.operators) {
    if (typeof (builder as unknown as Record<string, unknown>)[op.name] !== 'function') {
      return { message: `operator ${op.name} is not implemented`, missing: op.name };
    }
  }
  return undefined;
}

function resolveArg(value: unknown, operands: Map<string, MLOperand>): unknown {
  // Bigint arguments arrive as "-2n" strings; other strings are operand names or are read as numbers by the API.
  if (typeof value === 'string') return operands.get(value) ?? (/^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value);
  if (Array.isArray(value)) return value.map((v) => resolveArg(v, operands));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveArg(v, operands)]));
  }
  return value;
}

export async function runCase(context: MLContext, c: ConformanceCase): Promise<CaseResult> {
  const key = caseKey(c);
  const operator = primaryOperator(c);
  const builder = new MLGraphBuilder(context);
  const missing = unimplementedReason(c, builder);
  if (missing) return { key, operator, status: 'unimplemented', ...missing };
  const tensors: MLTensor[] = [];
  try {
    const operands = new Map<string, MLOperand>();
    const feeds: [string, MLOperand, ConformanceCase['graph']['inputs'][string]][] = [];
    for (const [name, input] of Object.entries(c.graph.inputs)) {
      if (input.constant) {
        const desc = { dataType: input.descriptor.dataType, shape: input.descriptor.shape as number[] };
        operands.set(name, builder.constant(desc, toTypedArray(input.data, desc.dataType, countOf(desc.shape))));
      } else {
        // The descriptor may have dynamic dimensions ({name, maxSize}); `input.shape` is then the concrete shape.
        const operand = builder.input(name, input.descriptor);
        operands.set(name, operand);
        feeds.push([name, operand, input]);
      }
    }
    for (const op of c.graph.operators) {
      const args = op.arguments.map((a) => resolveArg(Object.values(a)[0], operands));
      const method = (builder as unknown as Record<string, (...a: unknown[]) => MLOperand | MLOperand[]>)[op.name]!;
      const result = method.apply(builder, args);
      if (Array.isArray(op.outputs)) {
        if (!Array.isArray(result)) throw new Error(`${op.name} returned one operand, expected ${op.outputs.length}`);
        op.outputs.forEach((name, i) => operands.set(name, result[i]!));
      } else {
        operands.set(op.outputs, result as MLOperand);
      }
    }
    const outputs: Record<string, MLOperand> = {};
    for (const name of Object.keys(c.graph.expectedOutputs)) {
      const operand = operands.get(name);
      if (!operand) throw new Error(`no operand named ${name}`);
      outputs[name] = operand;
    }
    const graph = await builder.build(outputs);
    const inTensors: Record<string, MLTensor> = {};
    const inShapes: Record<string, number[]> = {};
    for (const [name, operand, input] of feeds) {
      const shape = input.shape ?? (operand.shape as number[]);
      inShapes[name] = shape;
      const t = await context.createTensor({ dataType: operand.dataType, shape, writable: true });
      tensors.push(t);
      context.writeTensor(t, toTypedArray(input.data, operand.dataType, countOf(shape)));
      inTensors[name] = t;
    }
    const outShapes = graph.outputShapes(inShapes);
    const outTensors: Record<string, MLTensor> = {};
    for (const [name, operand] of Object.entries(outputs)) {
      const t = await context.createTensor({ dataType: operand.dataType, shape: outShapes[name]!, readable: true });
      tensors.push(t);
      outTensors[name] = t;
    }
    context.dispatch(graph, inTensors, outTensors);
    const problems: string[] = [];
    for (const [name, expected] of Object.entries(c.graph.expectedOutputs)) {
      const operand = outputs[name]!;
      const dataType = operand.dataType;
      if (dataType !== expected.descriptor.dataType) problems.push(`${name}: data type ${dataType}, expected ${expected.descriptor.dataType}`);
      const shown = JSON.stringify(operand.dimensions);
      if (shown !== JSON.stringify(expected.descriptor.shape)) problems.push(`${name}: shape ${shown}, expected ${JSON.stringify(expected.descriptor.shape)}`);
      if (expected.shape && outShapes[name]!.join() !== expected.shape.join()) {
        problems.push(`${name}: concrete shape [${outShapes[name]}], expected [${expected.shape}]`);
      }
      if (problems.length) continue;
      const bytes = new Uint8Array(await context.readTensor(outTensors[name]!));
      const actual = isSubByte(dataType) ? unpackNibbles(dataType, bytes, countOf(operand.shape)) : viewAs(dataType, bytes);
      const limit = Array.isArray(expected.data) ? Infinity : 1000; // WPT checks 1000 elements of a filled tensor
      const why = compareOutput(actual, expected.data, dataType, c.tolerance, limit);
      if (why) problems.push(`${name}: ${why}`);
    }
    graph.destroy();
    return problems.length ? { key, operator, status: 'fail', message: problems.join('; ') } : { key, operator, status: 'pass' };
  } catch (err) {
    const e = err as Error;
    return { key, operator, status: 'fail', message: `${e.name}: ${e.message}` };
  } finally {
    for (const t of tensors) t.destroy();
  }
}
