// GraphIR → ONNX ModelProto. Each IR node goes through its op's lowering; graph inputs keep their names and
// graph outputs are produced under theirs, so onnxruntime feeds and fetches use the WebNN names.
import { DTYPES, isSubByte } from '../../graph/dtypes.js';
import { dimsOf, type GraphIR, type OperandDescriptor } from '../../graph/ir.js';
import { isDynamic } from '../../graph/dims.js';
import { Emitter, getLowering, type DimSource, type LoweringNode } from './emitter.js';
import type { OnnxModel, OnnxValueInfo } from '../../onnx/schema.js';
import { boundaryDescriptor, graphConstant, packOutput, unpackInput } from './subbyte.js';
import { CPU_PROFILE, type OrtProfile } from './profiles.js';
import './lowerings/index.js';

export const OPSET = 21;
export const IR_VERSION = 10;

export class LoweringError extends Error {}

/**
 * A graph input/output's type as the ONNX model declares it: sub-byte types as their packed bytes (always static);
 * dynamic dimensions become symbolic (dim_param) under their WebNN names.
 */
function valueInfo(name: string, desc: OperandDescriptor): OnnxValueInfo {
  if (isSubByte(desc.dataType)) {
    const packed = boundaryDescriptor(desc);
    return { name, type: { tensorType: { elemType: DTYPES[packed.dataType].onnx, shape: { dim: packed.shape.map((d) => ({ dimValue: d })) } } } };
  }
  const dim = dimsOf(desc).map((d) => (isDynamic(d) ? { dimParam: d.name } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: DTYPES[desc.dataType].onnx, shape: { dim } } } };
}

/** For each dynamic dimension name, the first graph input axis that carries it. */
function dimSources(ir: GraphIR, onnxName: (input: string) => string): Map<string, DimSource> {
  const sources = new Map<string, DimSource>();
  for (const input of ir.inputs) {
    dimsOf(ir.operands[input.operand]!.desc).forEach((d, axis) => {
      if (isDynamic(d) && !sources.has(d.name)) sources.set(d.name, { value: onnxName(input.name), axis });
    });
  }
  return sources;
}

/** A prefix for internal value names that no graph input or output name starts with. */
function internalPrefix(ir: GraphIR): string {
  const names = [...ir.inputs, ...ir.outputs].map((x) => x.name);
  let prefix = 'tsnn:';
  while (names.some((n) => n.startsWith(prefix))) prefix += '_';
  return prefix;
}

export interface LoweredModel {
  model: OnnxModel;
  /** WebNN input name → ONNX input name (they differ only where the WebNN name cannot be an ONNX name). */
  inputNames: Map<string, string>;
  /** WebNN output name → ONNX output name (they differ where an output shares an input's name, or as above). */
  outputNames: Map<string, string>;
}

/**
 * Whether a WebNN name can be used as an ONNX value name as it is: onnxruntime's C API ends names at a NUL, and
 * protobuf strings must be UTF-8 (a lone surrogate would be replaced, and two names could collide), and
 * onnxruntime-node takes feeds and fetches as plain objects, where a '__proto__' key would set the prototype.
 */
function isOnnxSafeName(name: string): boolean {
  return name !== '__proto__' && !name.includes('\0') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name);
}

export function lowerToOnnx(ir: GraphIR, graphName = 'tsnn', profile: OrtProfile = CPU_PROFILE): LoweredModel {
  const prefix = internalPrefix(ir);
  const inputNames = new Map(ir.inputs.map((i, k) => [i.name, isOnnxSafeName(i.name) ? i.name : `${prefix}in${k}`]));
  const onnxInput = (name: string) => inputNames.get(name)!;
  const e = new Emitter(prefix, dimSources(ir, onnxInput), profile);
  const names = new Map<number, string>();
  // Sub-byte inputs arrive packed; their unpacked value gets an internal name (unpacked below).
  for (const input of ir.inputs) {
    names.set(input.operand, isSubByte(ir.operands[input.operand]!.desc.dataType) ? `${prefix}v${input.operand}` : onnxInput(input.name));
  }
  const onnxInputNames = new Set(inputNames.values());
  const outputNames = new Map<string, string>();
  ir.outputs.forEach((out, k) => {
    const onnx = !isOnnxSafeName(out.name) ? `${prefix}out${k}` : onnxInputNames.has(out.name) ? `${prefix}out:${out.name}` : out.name;
    outputNames.set(out.name, onnx);
  });
  // The first output name of an operand becomes its value name; further names get an Identity (sub-byte outputs
  // all get a packing step instead).
  const extraOutputs: { name: string; operand: number }[] = [];
  for (const out of ir.outputs) {
    if (names.has(out.operand) || isSubByte(ir.operands[out.operand]!.desc.dataType)) extraOutputs.push(out);
    else names.set(out.operand, outputNames.get(out.name)!);
  }
  const nameOf = (id: number): string => {
    let n = names.get(id);
    if (n === undefined) names.set(id, (n = `${prefix}v${id}`));
    return n;
  };

  for (const [id, bytes] of ir.constants) {
    const op = ir.operands[id]!;
    const c = graphConstant(op.desc, bytes);
    e.initializer(c.dataType, op.desc.shape, c.bytes, nameOf(id));
  }
  for (const input of ir.inputs) {
    const desc = ir.operands[input.operand]!.desc;
    if (isSubByte(desc.dataType)) unpackInput(e, onnxInput(input.name), desc, nameOf(input.operand));
  }
  for (const [id, external] of ir.externalConstants ?? []) {
    const op = ir.operands[id]!;
    e.initializer(op.desc.dataType, op.desc.shape, new Uint8Array(0), nameOf(id));
    e.initializers[e.initializers.length - 1]!.external = external;
  }

  for (const node of ir.nodes) {
    const lowering = getLowering(node.op);
    if (!lowering) throw new LoweringError(`the onnxruntime backend has no lowering for operator '${node.op}'`);
    const inputOps = node.inputs.map((i) => (i === null ? null : ir.operands[i]!));
    const outputOps = node.outputs.map((o) => ir.operands[o]!);
    const ln: LoweringNode<unknown> = {
      op: node.op,
      label: node.label,
      attrs: node.attrs,
      inputs: node.inputs.map((i) => (i === null ? null : nameOf(i))),
      inputTypes: inputOps.map((o) => o?.desc.dataType ?? null),
      inputShapes: inputOps.map((o) => o?.desc.shape ?? null),
      outputs: node.outputs.map(nameOf),
      outputTypes: outputOps.map((o) => o.desc.dataType),
      outputShapes: outputOps.map((o) => o.desc.shape),
      inputDims: inputOps.map((o) => (o ? dimsOf(o.desc) : null)),
      outputDims: outputOps.map((o) => dimsOf(o.desc)),
    };
    lowering(ln, e);
  }
  for (const out of extraOutputs) {
    const desc = ir.operands[out.operand]!.desc;
    if (isSubByte(desc.dataType)) packOutput(e, nameOf(out.operand), desc, outputNames.get(out.name)!);
    else e.node('Identity', [nameOf(out.operand)], [outputNames.get(out.name)!]);
  }

  const model: OnnxModel = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'tsnn',
    producerVersion: '0.1.0',
    graph: {
      name: graphName,
      node: e.nodes,
      initializer: e.initializers,
      input: ir.inputs.map((i) => valueInfo(onnxInput(i.name), ir.operands[i.operand]!.desc)),
      output: ir.outputs.map((o) => valueInfo(outputNames.get(o.name)!, ir.operands[o.operand]!.desc)),
    },
  };
  return { model, inputNames, outputNames };
}
