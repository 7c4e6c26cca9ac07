// The WebNN interfaces as the spec's IDL declares them, applied to tsnn's classes by the binding layer (webidl.ts):
// each interface's operations (required-argument counts, argument conversions) and attributes, plus tsnn's
// documented non-standard members. Imported once by the entry point (src/core.ts). test/api/webidl.test.ts checks
// this table against the spec's IDL.
import { ALL_DATA_TYPES } from '../graph/dtypes.js';
import { describeValue, opErrorPrefix, toNumber } from '../ops/context.js';
import { onOpDefined, publicOps, type OpDef, type ParamKind } from '../ops/registry.js';
import { isGraphBuilder, MLGraphBuilder } from './builder.js';
import { contextInternals, MLContext } from './context.js';
import { invalidDimension } from './descriptor.js';
import { graphInternals, MLGraph } from './graph.js';
import { isML, ML } from './ml.js';
import { MLOperand, operandInternals } from './operand.js';
import { MLTensor, tensorInternals } from './tensor.js';
import {
  allowSharedBufferSource, bindInterface, bindOperation, boolean, enforceRangeUnsignedLong, enumeration, interfaceType,
  mlNumber, record, usvString, type Converter, type InterfaceSpec, type OperationSpec,
} from './webidl.js';

const isContext = (v: unknown): boolean => contextInternals(v) !== undefined;
const isGraph = (v: unknown): boolean => graphInternals(v) !== undefined;
const isOperand = (v: unknown): boolean => operandInternals(v) !== undefined;
const isTensor = (v: unknown): boolean => tensorInternals(v) !== undefined;

function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

function isIterable(v: unknown): v is Iterable<unknown> {
  return isObject(v) && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/** The TypeErrors conversions raise (as opposed to ones thrown by the caller's own getters or iterators). */
const conversionErrors = new WeakSet<Error>();
function conversionError(message: string): TypeError {
  const err = new TypeError(message);
  conversionErrors.add(err);
  return err;
}

const dataTypeEnum = (list: boolean) =>
  enumeration('MLOperandDataType', ALL_DATA_TYPES, (what, s) => list ? `${what} '${s}' is not one of ${ALL_DATA_TYPES.join(', ')}` : `${what} '${s}' is not an MLOperandDataType`);

/**
 * MLOperandDescriptor (and MLTensorDescriptor, MLGraphBuilder.input()'s descriptor): `dataType` then `shape`, each
 * converted as read. Shape entries are `[EnforceRange] unsigned long`; with `dynamic`, tsnn's {name, maxSize}
 * objects pass through to the steps (flexible inputs), as do objects elsewhere so that the steps can say why.
 */
function operandDescriptor(what: string, value: unknown, extra: readonly { name: string; type: Converter }[] = [], dynamic = false): Record<string, unknown> {
  if (!isObject(value)) throw new TypeError(`${what}: descriptor must be an object with dataType and shape`);
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = { dataType: dataTypeEnum(true)(v.dataType, `${what}: dataType`) };
  const shape = v.shape;
  if (shape === undefined && 'dimensions' in v) throw new TypeError(`${what}: descriptor has 'dimensions'; the spec now calls it 'shape'`);
  if (!isIterable(shape)) throw new TypeError(`${what}: shape must be a sequence of dimensions`);
  const raw = [...shape];
  out.shape = raw.map((d, i) => {
    if (isObject(d)) return d;
    try {
      return enforceRangeUnsignedLong(d, 'dimension');
    } catch {
      throw new TypeError(invalidDimension(what, raw, i, dynamic));
    }
  });
  for (const m of extra) {
    const member = v[m.name];
    if (member !== undefined) out[m.name] = m.type(member, `${what}: ${m.name}`);
  }
  return out;
}

const tensorDescriptorMembers = [{ name: 'readable', type: boolean }, { name: 'writable', type: boolean }];

/** `dispatch()`'s MLNamedTensors arguments (converters made once: dispatch is the hot path). */
const isTensorArgument = interfaceType('MLTensor', isTensor);
const tensorRecords = Object.fromEntries(['input', 'output'].map((role) => [role, record((t, name) => isTensorArgument(t, `dispatch ${role} '${name}': argument`))]));
function namedTensors(value: unknown, role: 'input' | 'output'): unknown {
  if (!isObject(value)) throw new TypeError(`dispatch: ${role}s must be a record of name → MLTensor`);
  return tensorRecords[role]!(value, `dispatch: ${role}s`);
}

const powerPreference = enumeration('MLPowerPreference', ['default', 'high-performance', 'low-power'],
  (what, s) => `${what} '${s}' is not one of default, high-performance, low-power`);
const deviceType = enumeration('MLDeviceType', ['cpu', 'gpu', 'npu'], (what, s) => `${what} '${s}' is not one of cpu, gpu, npu`);
const execution = enumeration('execution', ['auto', 'worker', 'inline'], (what, s) => `${what} '${s}' is not one of auto, worker, inline`);

export const mlInterface: InterfaceSpec = {
  name: 'ML',
  is: isML,
  operations: {
    // createContext(GPUDevice) is the other overload; Node has no GPUDevice, so every argument is the dictionary.
    createContext: {
      required: 0,
      promise: true,
      convert: ([options]) => {
        if (options !== undefined && options !== null && !isObject(options)) throw new TypeError('createContext: options must be a dictionary');
        const o = (options ?? {}) as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        // MLContextOptions' members in lexicographic order (deviceType being tsnn's older spelling and execution
        // tsnn's own), each read once.
        const members: [string, Converter][] = [
          ['accelerated', boolean], ['deviceType', deviceType], ['execution', execution], ['powerPreference', powerPreference],
        ];
        for (const [name, type] of members) {
          const value = o[name];
          if (value !== undefined) out[name] = type(value, `createContext: ${name}`);
        }
        return [out];
      },
    },
  },
  attributes: {},
};

const isGraphArgument = interfaceType('MLGraph', isGraph);

export const contextInterface: InterfaceSpec = {
  name: 'MLContext',
  is: isContext,
  operations: {
    dispatch: {
      required: 3,
      convert: ([graph, inputs, outputs, ...rest]) => [
        isGraphArgument(graph, 'dispatch: argument'), namedTensors(inputs, 'input'), namedTensors(outputs, 'output'), ...rest,
      ],
    },
    createTensor: {
      required: 1,
      promise: true,
      convert: ([descriptor]) => [operandDescriptor('createTensor', descriptor, tensorDescriptorMembers)],
    },
    createConstantTensor: {
      required: 2,
      promise: true,
      convert: ([descriptor, data]) => [operandDescriptor('createConstantTensor', descriptor), allowSharedBufferSource(data, 'createConstantTensor')],
    },
    readTensor: { required: 1, promise: true },
    writeTensor: { required: 2 },
    opSupportLimits: { required: 0 },
    destroy: { required: 0 },
    compute: { required: 2, promise: true, nonStandard: true },
  },
  attributes: {
    accelerated: {},
    lost: { promise: true },
    backend: { nonStandard: true },
    powerPreference: { nonStandard: true },
  },
};

export const graphInterface: InterfaceSpec = {
  name: 'MLGraph',
  is: isGraph,
  operations: {
    destroy: { required: 0 },
    outputShapes: { required: 1, nonStandard: true },
  },
  attributes: {
    inputDescriptors: { nonStandard: true },
    outputDescriptors: { nonStandard: true },
  },
};

export const operandInterface: InterfaceSpec = {
  name: 'MLOperand',
  is: isOperand,
  operations: {},
  attributes: { dataType: {}, shape: {}, dimensions: { nonStandard: true } },
};

export const tensorInterface: InterfaceSpec = {
  name: 'MLTensor',
  is: isTensor,
  operations: { destroy: { required: 0 } },
  attributes: { dataType: {}, shape: {}, readable: {}, writable: {}, constant: {} },
};

const scalarDataType = dataTypeEnum(false);
const operandArgument = interfaceType('MLOperand', isOperand);

export const builderInterface: InterfaceSpec = {
  name: 'MLGraphBuilder',
  is: isGraphBuilder,
  constructorLength: 1,
  operations: {
    input: {
      required: 2,
      convert: ([name, descriptor]) => {
        const n = usvString(name, 'input: name');
        return [n, operandDescriptor(`input '${n}'`, descriptor, [], true)];
      },
    },
    // Overloads: constant(MLTensor); constant(MLOperandDescriptor, AllowSharedBufferSource);
    // constant(MLOperandDataType, MLNumber) — told apart by the count, then by whether the first is an object.
    constant: {
      required: 1,
      convert: (args) => {
        if (args.length === 1) return [interfaceType('MLTensor', isTensor)(args[0], 'constant: argument')];
        const [first, second] = args;
        if (first === undefined || first === null || isObject(first)) {
          return [operandDescriptor('constant', first), allowSharedBufferSource(second, 'constant')];
        }
        return [scalarDataType(first, 'constant: dataType'), mlNumber(second, 'constant: value')];
      },
    },
    build: {
      required: 1,
      promise: true,
      convert: ([outputs]) => {
        if (!isObject(outputs)) throw new TypeError('build: outputs must be a record of name → MLOperand');
        return [record((v, name) => {
          if (!isOperand(v)) throw new TypeError(`build: output '${name}' is not an MLOperand of this builder`);
          return v;
        })(outputs, 'build: outputs')];
      },
    },
  },
  attributes: {},
};

// ---- operator methods: their arguments converted as their OpDef declares them ----

function paramConverter(kind: ParamKind): Converter {
  // As OpContext.uint: a conversion that throws (a symbol, a bigint, a throwing valueOf) is the operator's TypeError.
  const uint: Converter = (v, what) => {
    const n = toNumber(v);
    if (!Number.isFinite(n)) throw conversionError(`${what} must be a finite number (got ${describeValue(v)})`);
    const t = Math.trunc(n);
    if (t < 0 || t > 0xffffffff) throw conversionError(`${what} ${describeValue(v)} is out of the unsigned long range`);
    return t === 0 ? 0 : t;
  };
  // Shape entries may be tsnn's dynamic dimensions {name, maxSize}, which the op's steps check.
  const dim: Converter = (v, what) => (isObject(v) ? v : uint(v, what));
  const uints: Converter = (v, name) => {
    if (!isIterable(v)) throw conversionError(`${name} must be a sequence of unsigned long`);
    return [...v].map((x, i) => dim(x, `${name}[${i}]`));
  };
  const operand: Converter = (v, what) => {
    if (v === undefined) throw conversionError(`argument '${what}' is required`);
    if (!isOperand(v)) throw conversionError(`argument '${what}' is not an MLOperand of this builder`);
    return operandArgument(v, what);
  };
  switch (kind) {
    case 'operand': return operand;
    case 'operands': return (v, what) => {
      if (!isIterable(v)) throw conversionError(`argument '${what}' must be a sequence of MLOperand`);
      return [...v].map((x) => operand(x, what));
    };
    case 'uint': return uint;
    case 'uints': return uints;
    // (unsigned long or sequence<unsigned long>): a sequence when the value is iterable.
    case 'uintOrUints': return (v, what) => (isIterable(v) ? uints(v, what) : uint(v, what));
    case 'dataType': return (v, what) => {
      const s = typeof v === 'symbol' ? undefined : describeValue(v);
      if (s === undefined || !(ALL_DATA_TYPES as readonly string[]).includes(s)) {
        throw conversionError(`${what} '${s ?? typeof v}' is not an MLOperandDataType (${ALL_DATA_TYPES.join(', ')})`);
      }
      return s;
    };
  }
}

/** An operator's label, read only to name it in a conversion error. */
function labelOf(options: unknown): string {
  const label = isObject(options) ? (options as { label?: unknown }).label : undefined;
  return label === undefined || typeof label === 'symbol' ? '' : String(label);
}

export function operatorSpec(def: OpDef): OperationSpec {
  const converters = def.params.map((p) => paramConverter(p.kind));
  return {
    required: def.optionsAt,
    convert: (args) => {
      try {
        const out = args.map((a, i) => (i < converters.length ? converters[i]!(a, def.params[i]!.name) : a));
        const options = args[def.optionsAt];
        if (options !== undefined && options !== null && !isObject(options)) throw conversionError('options must be a dictionary');
        return out;
      } catch (err) {
        if (!(err instanceof TypeError) || !conversionErrors.has(err)) throw err;
        throw new TypeError(`${opErrorPrefix(def.name, labelOf(args[def.optionsAt]))}: ${err.message}`);
      }
    },
  };
}

/** Every interface, in the spec's order. */
export const interfaces: readonly InterfaceSpec[] = [mlInterface, contextInterface, graphInterface, operandInterface, tensorInterface, builderInterface];

bindInterface(ML, mlInterface);
bindInterface(MLContext, contextInterface);
bindInterface(MLGraph, graphInterface);
bindInterface(MLOperand, operandInterface);
bindInterface(MLTensor, tensorInterface);
// The builder installs a method per public operator (now and for operators defined later); each is bound here.
onOpDefined((def) => {
  if (!def.internal) bindOperation(MLGraphBuilder.prototype, builderInterface, def.name, operatorSpec(def));
});
bindInterface(MLGraphBuilder, builderInterface, publicOps().map((d) => d.name));
