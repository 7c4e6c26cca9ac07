// WebIDL conformance of every interface and member of the spec's IDL (test/api/data/webnn.idl, the spec's IDL
// blocks): the shape web-platform-tests' idlharness.js checks (enumerable members, lengths, names, illegal
// constructors, brand checks, argument counts before the steps, promise members that reject) and what it does
// not reach (Symbol.toStringTag, [EnforceRange], dictionary conversion order, the globals). The members come from
// the IDL, so a member the spec adds and tsnn lacks — or one tsnn adds without declaring — fails here.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, type IDLRootType, type OperationMemberType, type AttributeMemberType, type Argument as IDLArgument } from 'webidl2';
import { installGlobals, ml, ML, MLContext, MLGraph, MLGraphBuilder, MLOperand, MLTensor } from '../../src/index.js';
import { getOp, publicOps, type ParamKind } from '../../src/ops/registry.js';
import { interfaces } from '../../src/api/interfaces.js';
import { bindInterface } from '../../src/api/webidl.js';

const ast: IDLRootType[] = parse(readFileSync(new URL('./data/webnn.idl', import.meta.url), 'utf8'));

interface IdlOperation { name: string; overloads: OperationMemberType[]; required: number; promise: boolean }
interface IdlInterface {
  name: string;
  constructorArgs?: number;
  operations: Map<string, IdlOperation>;
  attributes: Map<string, AttributeMemberType>;
}

const required = (args: readonly IDLArgument[]) => args.filter((a) => !a.optional && !a.variadic).length;

/** The spec's interfaces with their partial interfaces merged, overloads grouped. */
function idlInterfaces(): Map<string, IdlInterface> {
  const out = new Map<string, IdlInterface>();
  for (const def of ast) {
    if (def.type !== 'interface') continue;
    let i = out.get(def.name);
    if (!i) out.set(def.name, (i = { name: def.name, operations: new Map(), attributes: new Map() }));
    for (const m of def.members) {
      if (m.type === 'constructor') i.constructorArgs = required(m.arguments);
      else if (m.type === 'attribute') i.attributes.set(m.name, m);
      else if (m.type === 'operation' && m.name) {
        const op = i.operations.get(m.name) ?? { name: m.name, overloads: [], required: Infinity, promise: false };
        op.overloads.push(m);
        op.required = Math.min(op.required, required(m.arguments));
        op.promise = m.idlType?.generic === 'Promise';
        i.operations.set(m.name, op);
      }
    }
  }
  return out;
}

const IDL = idlInterfaces();
const classes: Record<string, abstract new (...a: never[]) => unknown> = { ML, MLContext, MLGraph, MLOperand, MLTensor, MLGraphBuilder };

/** tsnn's documented non-standard members (README), the only members beyond the spec's. */
const NON_STANDARD: Record<string, string[]> = {
  ML: [],
  MLContext: ['backend', 'compute', 'powerPreference'],
  MLGraph: ['inputDescriptors', 'outputDescriptors', 'outputShapes'],
  MLOperand: ['dimensions'],
  MLTensor: [],
  MLGraphBuilder: [],
};

const f32 = (shape: number[]) => ({ dataType: 'float32', shape }) as const;

/** One live instance of every interface, and "dead" ones whose steps would throw InvalidStateError. */
let live: Record<string, object>;
let dead: Record<string, object>;
before(async () => {
  const context = await ml.createContext();
  const builder = new MLGraphBuilder(context);
  const input = builder.input('x', f32([2]));
  const graph = await builder.build({ y: builder.relu(input) });
  const tensor = await context.createTensor({ ...f32([2]), readable: true, writable: true });
  live = { ML: ml, MLContext: context, MLGraph: graph, MLOperand: input, MLTensor: tensor, MLGraphBuilder: new MLGraphBuilder(context) };
  const lostContext = await ml.createContext();
  const lostBuilder = new MLGraphBuilder(lostContext);
  const lostGraph = await lostBuilder.build({ y: lostBuilder.relu(lostBuilder.input('x', f32([2]))) });
  lostContext.destroy();
  // A builder that has built: every builder method's steps start with an InvalidStateError.
  dead = { ML: ml, MLContext: lostContext, MLGraph: lostGraph, MLOperand: input, MLTensor: tensor, MLGraphBuilder: builder };
});

/** Calls `f`; a sync throw and a rejected promise both count as the error. */
async function outcome(f: () => unknown): Promise<{ threw: boolean; value?: unknown; error?: unknown }> {
  try {
    const value = f();
    if (value instanceof Promise) {
      try {
        return { threw: false, value: await value };
      } catch (error) {
        return { threw: false, error };
      }
    }
    return { threw: false, value };
  } catch (error) {
    return { threw: true, error };
  }
}

function isPlainTypeError(e: unknown): e is TypeError {
  return e instanceof TypeError && Object.getPrototypeOf(e) === TypeError.prototype;
}

test('the spec declares the interfaces tsnn binds, and they are the exports and globals', () => {
  assert.deepEqual([...IDL.keys()].sort(), Object.keys(classes).sort());
  assert.deepEqual(interfaces.map((i) => i.name).sort(), Object.keys(classes).sort());
  installGlobals();
  const g = globalThis as Record<string, unknown>;
  for (const name of Object.keys(classes)) {
    if (name === 'ML') continue; // not a global in this Node entry: navigator.ml is the instance
    assert.equal(g[name], classes[name], name);
    // Interface objects on the global: writable, configurable, not enumerable (Web IDL §3.7.1).
    assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, name), { value: classes[name], writable: true, enumerable: false, configurable: true }, name);
  }
  // [SameObject] readonly attribute ML ml.
  assert.equal(globalThis.navigator.ml, ml);
  assert.equal(globalThis.navigator.ml, globalThis.navigator.ml);
});

for (const [name, idl] of IDL) {
  describe(`interface ${name}`, () => {
    const cls = classes[name]!;
    const proto = cls.prototype as Record<PropertyKey, unknown>;

    test('interface object: length, name, prototype, illegal constructor', () => {
      assert.equal(cls.length, idl.constructorArgs ?? 0);
      assert.equal(cls.name, name);
      assert.equal(Object.getPrototypeOf(cls), Function.prototype);
      assert.deepEqual(Object.getOwnPropertyDescriptor(cls, 'prototype'), { value: proto, writable: false, enumerable: false, configurable: false });
      assert.deepEqual(Object.getOwnPropertyDescriptor(proto, 'constructor'), { value: cls, writable: true, enumerable: false, configurable: true });
      assert.deepEqual(Object.getOwnPropertyDescriptor(cls, 'length'), { value: idl.constructorArgs ?? 0, writable: false, enumerable: false, configurable: true });
      const C = cls as unknown as new (...a: unknown[]) => unknown;
      // Called without new: a TypeError, for every interface (a constructor too needs `new`).
      assert.throws(() => (C as unknown as (...a: unknown[]) => unknown)(), isPlainTypeError);
      assert.throws(() => (C as unknown as (...a: unknown[]) => unknown)(live[name === 'MLGraphBuilder' ? 'MLContext' : name]), isPlainTypeError);
      assert.throws(() => new C(), isPlainTypeError); // no constructor, or too few arguments
      if (idl.constructorArgs === undefined) {
        assert.throws(() => new C(Symbol(name)), (e: unknown) => isPlainTypeError(e) && /Illegal constructor/.test(e.message));
      }
    });

    test('Symbol.toStringTag and the class string', () => {
      assert.deepEqual(Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag), { value: name, writable: false, enumerable: false, configurable: true });
      assert.equal(Object.prototype.toString.call(live[name]), `[object ${name}]`);
    });

    test('members: the spec\'s, plus only the documented non-standard ones', () => {
      const own = Reflect.ownKeys(proto).filter((k) => k !== 'constructor' && k !== Symbol.toStringTag).map(String).sort();
      const spec = [...idl.operations.keys(), ...idl.attributes.keys()];
      assert.deepEqual(own.filter((k) => !spec.includes(k)), NON_STANDARD[name]);
      assert.deepEqual(spec.filter((k) => !own.includes(k)), [], `${name} lacks members of the spec`);
      // The binding's declarations agree: non-standard members are flagged as such, spec members are not.
      const decl = interfaces.find((i) => i.name === name)!;
      const flagged = Object.entries({ ...decl.operations, ...decl.attributes }).filter(([, m]) => m.nonStandard).map(([k]) => k).sort();
      assert.deepEqual(flagged, NON_STANDARD[name]);
    });

    for (const [opName, op] of idl.operations) {
      test(`operation ${opName}: property, length, brand check, argument count first`, async () => {
        const desc = Object.getOwnPropertyDescriptor(proto, opName)!;
        assert.equal(typeof desc.value, 'function');
        assert.deepEqual({ ...desc, value: undefined }, { value: undefined, writable: true, enumerable: true, configurable: true });
        const fn = desc.value as (...a: unknown[]) => unknown;
        assert.equal(fn.name, opName);
        assert.equal(fn.length, op.required);
        assert.deepEqual(Object.getOwnPropertyDescriptor(fn, 'length'), { value: op.required, writable: false, enumerable: false, configurable: true });
        assert.throws(() => new (fn as unknown as new () => unknown)(), TypeError, 'an operation is not a constructor');
        // Brand check: a plain object and an object inheriting the prototype are not instances.
        for (const self of [{}, Object.create(proto), live[name === 'MLContext' ? 'MLGraph' : 'MLContext']]) {
          const r = await outcome(() => fn.call(self));
          assert.equal(r.threw, !op.promise, op.promise ? 'a promise operation rejects instead of throwing' : 'throws');
          assert.ok(isPlainTypeError(r.error) && r.error.message.includes(name), `${String(r.error)} names ${name}`);
        }
        // Too few arguments: a TypeError even where the steps would throw InvalidStateError (a lost context, a
        // builder that has built).
        if (op.required > 0) {
          for (const self of [live[name], dead[name]]) {
            const r = await outcome(() => fn.call(self, ...Array.from({ length: op.required - 1 }, () => live.MLOperand)));
            assert.equal(r.threw, !op.promise);
            assert.ok(isPlainTypeError(r.error) && /argument/.test(r.error.message), String(r.error));
          }
        }
      });
    }

    for (const [attrName, attr] of idl.attributes) {
      test(`attribute ${attrName}: accessor, brand check, value`, async () => {
        const desc = Object.getOwnPropertyDescriptor(proto, attrName)!;
        assert.equal(desc.set, undefined, 'readonly');
        assert.equal(desc.enumerable, true);
        assert.equal(desc.configurable, true);
        const get = desc.get!;
        assert.equal(get.name, `get ${attrName}`);
        assert.equal(get.length, 0);
        const promise = attr.idlType.generic === 'Promise';
        for (const self of [{}, Object.create(proto), undefined]) {
          const r = await outcome(() => get.call(self));
          assert.equal(r.threw, !promise, promise ? 'a promise attribute rejects instead of throwing' : 'throws');
          assert.ok(isPlainTypeError(r.error) && r.error.message.includes(name), String(r.error));
        }
        const value = (live[name] as Record<string, unknown>)[attrName];
        const type = attr.idlType.generic || attr.idlType.idlType;
        if (type === 'boolean') assert.equal(typeof value, 'boolean');
        else if (type === 'Promise') assert.ok(value instanceof Promise);
        else if (type === 'FrozenArray') assert.ok(Array.isArray(value) && Object.isFrozen(value));
        else if (type === 'MLOperandDataType') assert.equal(value, 'float32');
        else assert.fail(`no value check for ${String(type)}`);
      });
    }
  });
}

// The IDL types of operator parameters, as OpDef kinds.
function kindOf(arg: IDLArgument): ParamKind | undefined {
  const t = arg.idlType;
  const enforced = (x: { extAttrs: readonly { name: string }[] }) => x.extAttrs.some((a) => a.name === 'EnforceRange');
  if (t.union) {
    const names = (t.idlType as { idlType: unknown; generic: string }[]).map((u) => u.generic || u.idlType).join(' or ');
    return names === 'unsigned long or sequence' ? 'uintOrUints' : undefined;
  }
  if (t.generic === 'sequence') {
    const inner = (t.idlType as { idlType: string; extAttrs: { name: string }[] }[])[0]!;
    if (inner.idlType === 'MLOperand') return 'operands';
    if (inner.idlType === 'unsigned long' && enforced(inner)) return 'uints';
    return undefined;
  }
  if (t.idlType === 'MLOperand') return 'operand';
  if (t.idlType === 'MLOperandDataType') return 'dataType';
  if (t.idlType === 'unsigned long' && enforced(arg)) return 'uint';
  return undefined;
}

/**
 * The two `unsigned long` parameters the spec's IDL leaves without [EnforceRange] (every other one has it); tsnn
 * converts them with [EnforceRange] too — stricter: NaN or -1 is a TypeError instead of wrapping to 0 or 2^32 − 1.
 */
const LACKS_ENFORCE_RANGE: Record<string, ParamKind> = { 'cumulativeSum.axis': 'uint', 'tile.repetitions': 'uints' };

describe('operators', () => {
  const builderOps = [...IDL.get('MLGraphBuilder')!.operations.values()].filter((o) => !['input', 'constant', 'build'].includes(o.name));

  test('tsnn declares exactly the spec\'s operators', () => {
    assert.deepEqual(publicOps().map((d) => d.name).sort(), builderOps.map((o) => o.name).sort());
  });

  test('each OpDef declares the IDL\'s positional parameters (names, kinds) and the options dictionary after them', () => {
    for (const op of builderOps) {
      assert.equal(op.overloads.length, 1, op.name);
      const args = op.overloads[0]!.arguments;
      const def = getOp(op.name)!;
      const positional = args.filter((a) => !a.optional);
      const expected = positional.map((a) => [a.name, kindOf(a) ?? LACKS_ENFORCE_RANGE[`${op.name}.${a.name}`]]);
      assert.deepEqual(def.params.map((p) => [p.name, p.kind]), expected, op.name);
      assert.equal(def.optionsAt, positional.length, op.name);
      // What follows is the one optional dictionary of options.
      assert.deepEqual(args.slice(positional.length).map((a) => a.optional), [true], op.name);
    }
  });

  test('[EnforceRange] unsigned long arguments: NaN, infinities and out-of-range values are TypeErrors, before the state check', () => {
    const b = live.MLGraphBuilder as MLGraphBuilder;
    const built = dead.MLGraphBuilder as MLGraphBuilder;
    const x = b.input('e', f32([2, 2]));
    const valid: Record<ParamKind, () => unknown> = { operand: () => x, operands: () => [x], uint: () => 0, uints: () => [0], uintOrUints: () => 1, dataType: () => 'float32' };
    let checked = 0;
    for (const def of publicOps()) {
      def.params.forEach((p, i) => {
        if (p.kind !== 'uint' && p.kind !== 'uints') return;
        for (const bad of [-1, 2 ** 32, NaN, Infinity, -Infinity, 1n, Symbol('s')]) {
          const args = def.params.map((q, j) => (j === i ? (p.kind === 'uints' ? [bad] : bad) : valid[q.kind]()));
          const method = (self: MLGraphBuilder) => (self as unknown as Record<string, (...a: unknown[]) => unknown>)[def.name]!.apply(self, args);
          assert.throws(() => method(b), (e: unknown) => isPlainTypeError(e) && e.message.startsWith(`${def.name}: ${p.name}`), `${def.name}(${p.name}=${String(bad)})`);
          // On a builder that has built, the conversion error still comes first.
          assert.throws(() => method(built), (e: unknown) => isPlainTypeError(e) && e.message.startsWith(`${def.name}: ${p.name}`), `${def.name} built`);
        }
        checked++;
      });
    }
    const idlCount = builderOps.flatMap((o) => o.overloads[0]!.arguments).filter((a) => a.idlType.idlType === 'unsigned long'
      || (a.idlType.generic === 'sequence' && (a.idlType.idlType as { idlType: string }[])[0]!.idlType === 'unsigned long')).length;
    assert.equal(checked, idlCount, 'every unsigned long and sequence<unsigned long> parameter checked');
    // In range: fractions truncate toward zero, -0.5 is 0.
    assert.deepEqual(b.split(b.input('s', f32([4])), 2.9).map((o) => o.shape), [[2], [2]]);
    assert.deepEqual(b.softmax(x, 1.5).shape, [2, 2]);
    assert.deepEqual(b.concat([x, x], -0.5).shape, [4, 2]);
  });

  test('an argument of the wrong type is a TypeError before the state check (a builder that has built)', () => {
    const built = dead.MLGraphBuilder as unknown as Record<string, (...a: unknown[]) => unknown>;
    assert.throws(() => built.add!({}, {}), (e: unknown) => isPlainTypeError(e) && /^add: argument 'a' is not an MLOperand/.test(e.message));
    assert.throws(() => built.cast!(live.MLOperand, 'float64'), (e: unknown) => isPlainTypeError(e) && /^cast: dataType 'float64'/.test(e.message));
    assert.throws(() => built.relu!(live.MLOperand, 7), (e: unknown) => isPlainTypeError(e) && /^relu: options must be a dictionary/.test(e.message));
    assert.throws(() => built.concat!(7, 0), (e: unknown) => isPlainTypeError(e) && /^concat: argument 'inputs' must be a sequence/.test(e.message));
    // With arguments that convert, the steps run and report the state.
    assert.throws(() => built.relu!(live.MLOperand), (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError');
  });
});

describe('dictionaries, sequences and records convert before the steps, members in WebIDL order', () => {
  /** A dictionary whose member reads are logged (getters on an object, as WebIDL reads them). */
  function logged(members: Record<string, unknown>, log: string[]): object {
    const o = {};
    for (const [k, v] of Object.entries(members)) Object.defineProperty(o, k, { get: () => (log.push(k), v), enumerable: true });
    return o;
  }

  /** The IDL's member order of a dictionary: inherited members first, each dictionary's sorted by name. */
  function idlOrder(name: string): string[] {
    const dicts = ast.filter((d): d is Extract<IDLRootType, { type: 'dictionary' }> => d.type === 'dictionary' && d.name === name);
    const own = dicts.flatMap((d) => d.members.map((m) => m.name)).sort();
    const parent = dicts.find((d) => d.inheritance)?.inheritance;
    return [...(parent ? idlOrder(parent) : []), ...own];
  }

  test('MLTensorDescriptor in createTensor()', async () => {
    const log: string[] = [];
    const t = await (live.MLContext as MLContext).createTensor(logged({ dataType: 'float32', shape: [2], readable: true, writable: false }, log) as never);
    assert.deepEqual(idlOrder('MLTensorDescriptor'), ['dataType', 'shape', 'readable', 'writable']);
    assert.deepEqual(log, idlOrder('MLTensorDescriptor'));
    assert.equal(t.readable, true);
  });

  test('MLOperandDescriptor in createConstantTensor(), input() and constant()', async () => {
    const ctx = live.MLContext as MLContext;
    const b = live.MLGraphBuilder as MLGraphBuilder;
    for (const call of [
      (d: object) => ctx.createConstantTensor(d as never, new Float32Array(2)),
      (d: object) => b.input(`d${Math.random()}`, d as never),
      (d: object) => b.constant(d as never, new Float32Array(2)),
    ]) {
      const log: string[] = [];
      await call(logged({ shape: [2], dataType: 'float32' }, log));
      assert.deepEqual(log, idlOrder('MLOperandDescriptor'));
    }
  });

  test('MLContextOptions in createContext(), and a bad member rejects', async () => {
    const log: string[] = [];
    const c = await ml.createContext(logged({ powerPreference: 'low-power', accelerated: false }, log) as never);
    assert.deepEqual(log, idlOrder('MLContextOptions'));
    assert.deepEqual(log, ['accelerated', 'powerPreference']);
    c.destroy();
    const r = await outcome(() => ml.createContext({ powerPreference: 'fastest' } as never));
    assert.ok(!r.threw && isPlainTypeError(r.error) && /powerPreference 'fastest'/.test(r.error.message));
  });

  test('on a lost context, a bad descriptor is a TypeError before the InvalidStateError of the steps', async () => {
    const lost = dead.MLContext as MLContext;
    await assert.rejects(lost.createTensor({ dataType: 'float32', shape: [-1] }), isPlainTypeError);
    await assert.rejects(lost.createTensor({ dataType: 'complex', shape: [1] } as never), isPlainTypeError);
    await assert.rejects(lost.createTensor(f32([1])), (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError');
  });

  test('dispatch(): records of MLTensor convert before the destroyed-graph check', () => {
    const ctx = dead.MLContext as MLContext;
    const graph = dead.MLGraph as MLGraph;
    assert.throws(() => ctx.dispatch(graph, { x: 1 } as never, {}), (e: unknown) => isPlainTypeError(e) && /not an MLTensor/.test(e.message));
    assert.throws(() => ctx.dispatch(graph, {}, {}), (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError');
  });

  test('constant() overloads: by the argument count, then by whether the first argument is an object', () => {
    const b = live.MLGraphBuilder as MLGraphBuilder;
    const one = b.constant('float32', 1.5);
    assert.deepEqual([one.dataType, one.shape], ['float32', []]);
    // (dataType, value): the value is an MLNumber, converted with ToNumeric (valueOf included).
    assert.deepEqual(b.constant('int32', { valueOf: () => 3 } as never).shape, []);
    // One argument: only constant(MLTensor) takes one; a descriptor alone is a TypeError.
    assert.throws(() => (b.constant as (a: unknown) => unknown)(f32([1])), (e: unknown) => isPlainTypeError(e) && /not an MLTensor/.test(e.message));
    assert.throws(() => b.constant('float64' as never, 1), (e: unknown) => isPlainTypeError(e) && /^constant: dataType 'float64' is not an MLOperandDataType$/.test(e.message));
  });
});

test('the binding refuses a class member that its interface does not declare', () => {
  class MLExample {
    declared(): number { return 1; }
    undeclared(): number { return 2; }
  }
  assert.throws(() => bindInterface(MLExample, { name: 'MLExample', is: () => true, operations: { declared: { required: 0 } }, attributes: {} }),
    /MLExample\.prototype\.undeclared is not declared/);
});
