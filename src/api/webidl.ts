// The WebIDL binding layer: gives a class the shape a browser gives a WebIDL interface (Web IDL §3.7), so that code
// written against the spec's IDL — and web-platform-tests' idlharness.js — sees the same objects. Classes keep
// their own code; src/api/interfaces.ts declares each interface's members and applies this to every class.
//
// What an interface gets here:
// - operations and attributes as enumerable own properties of the prototype (class members are not enumerable);
// - the interface object's `length` (0 without a constructor) and a data-property `Symbol.toStringTag`;
// - for every member: the brand check on `this`, then the argument count, then the conversion of each argument
//   (enumerations, `[EnforceRange] unsigned long`, dictionaries member by member in their order, sequences,
//   records, interface types) — all before the member's own steps run, as WebIDL's overload resolution does;
// - promise-returning operations and promise-typed attributes report those errors as a rejected promise.

/** Converts one JavaScript value to an IDL type, or throws the TypeError WebIDL throws; `what` names the value. */
export type Converter = (value: unknown, what: string) => unknown;

export interface OperationSpec {
  /** Required arguments: the shortest overload's (the function's `length`). */
  readonly required: number;
  /** Returns a promise: errors before the steps reject it instead of throwing. */
  readonly promise?: boolean;
  /** Converts the arguments as given (overload resolution included) to what the steps receive. */
  readonly convert?: (args: readonly unknown[]) => unknown[];
  /** Not in the spec's IDL (tsnn's documented extensions); bound the same way. */
  readonly nonStandard?: boolean;
}

export interface AttributeSpec {
  readonly promise?: boolean;
  readonly nonStandard?: boolean;
}

export interface InterfaceSpec {
  readonly name: string;
  /** The brand check: whether `value` is a real instance (internal slots present), not just inheriting the prototype. */
  readonly is: (value: unknown) => boolean;
  /** Arguments of the interface's constructor; absent for interfaces without one (their `length` is 0). */
  readonly constructorLength?: number;
  readonly operations: Readonly<Record<string, OperationSpec>>;
  readonly attributes: Readonly<Record<string, AttributeSpec>>;
}

// ---- conversions (Web IDL §3.2) ----

function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/** Names a value in an error message without running user code that could throw. */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'symbol' || isObject(v)) return typeof v === 'function' ? 'a function' : typeof v === 'symbol' ? 'a symbol' : 'an object';
  return String(v);
}

/**
 * `USVString` as tsnn converts it: ToString, a symbol being a TypeError. Lone surrogates are kept rather than
 * replaced by U+FFFD (DOMString's conversion), so that graph names differing only there stay distinct.
 */
export function usvString(v: unknown, what: string): string {
  if (typeof v === 'symbol') throw new TypeError(`${what} must be a string, not a symbol`);
  return String(v);
}

export function boolean(v: unknown): boolean {
  return Boolean(v);
}

/** ToNumber with WebIDL's errors: bigints and symbols are TypeErrors. */
function toNumber(v: unknown, what: string): number {
  if (typeof v === 'bigint' || typeof v === 'symbol') throw new TypeError(`${what} must be a number, not a ${typeof v}`);
  return Number(v);
}

/** `[EnforceRange] unsigned long`: NaN and infinities fail, fractions truncate toward zero, then 0 … 2^32 − 1. */
export function enforceRangeUnsignedLong(v: unknown, what: string): number {
  const n = toNumber(v, what);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number (got ${show(v)})`);
  const t = Math.trunc(n);
  if (t < 0 || t > 0xffffffff) throw new TypeError(`${what} ${show(v)} is out of the unsigned long range`);
  return t === 0 ? 0 : t; // -0 → +0
}

/** `(bigint or unrestricted double)`, i.e. MLNumber: ToNumeric, so objects convert through valueOf. */
export function mlNumber(v: unknown, what: string): number | bigint {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'symbol') throw new TypeError(`${what} must be a number or bigint, not a symbol`);
  if (isObject(v)) {
    const prim = (v as { valueOf(): unknown }).valueOf();
    if (typeof prim === 'bigint') return prim;
  }
  return toNumber(v, what);
}

/** An enumeration: ToString, then one of `values`; `message` words the error. */
export function enumeration(name: string, values: readonly string[],
  message: (what: string, value: string) => string = (what, v) => `${what} '${v}' is not a valid ${name} (${values.join(', ')})`): Converter {
  return (v, what) => {
    const s = usvString(v, what);
    if (!values.includes(s)) throw new TypeError(message(what, s));
    return s;
  };
}

/** An interface type: a platform object implementing it (`is` is its brand check). */
export function interfaceType(name: string, is: (v: unknown) => boolean): Converter {
  return (v, what) => {
    if (!is(v)) throw new TypeError(`${what} is not an ${name}`);
    return v;
  };
}

const isEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * `record<USVString, T>`: the object's own enumerable keys in their order, each value converted (its converter
 * gets the key as `what`); a null-prototype object, so that keys such as "__proto__" stay plain entries.
 */
export function record(value: Converter): Converter {
  return (v, what) => {
    if (!isObject(v)) throw new TypeError(`${what} must be a record (an object), not ${show(v)}`);
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Reflect.ownKeys(v)) {
      if (!isEnumerable.call(v, key)) continue;
      const name = usvString(key, `${what}: a key`);
      out[name] = value(Reflect.get(v, key), name);
    }
    return out;
  };
}

/** `AllowSharedBufferSource`: an ArrayBuffer, a SharedArrayBuffer or a view on either. */
export function allowSharedBufferSource(v: unknown, what: string): unknown {
  const ok = v instanceof ArrayBuffer || ArrayBuffer.isView(v)
    || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer);
  if (!ok) throw new TypeError(`${what}: expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView`);
  return v;
}

// ---- binding ----

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

/** The function a member's property holds: brand check, argument count, conversions, then `steps`. */
function operationFunction(iface: InterfaceSpec, name: string, spec: OperationSpec, steps: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const call = (self: unknown, args: unknown[]): unknown => {
    if (!iface.is(self)) throw new TypeError(`${name}: 'this' is not an ${iface.name} (${iface.name}.prototype.${name} called on another object)`);
    if (args.length < spec.required) {
      throw new TypeError(`${name}: ${spec.required} argument${plural(spec.required)} required, but only ${args.length} present`);
    }
    const converted = spec.convert ? spec.convert(args) : args;
    return Reflect.apply(steps, self, converted);
  };
  // Method syntax: a function that is not a constructor, named after the member.
  const fn = spec.promise
    ? { [name](this: unknown, ...args: unknown[]) { try { return call(this, args); } catch (e) { return Promise.reject(e); } } }[name]!
    : { [name](this: unknown, ...args: unknown[]) { return call(this, args); } }[name]!;
  Object.defineProperty(fn, 'length', { value: spec.required });
  return fn;
}

function attributeGetter(iface: InterfaceSpec, name: string, spec: AttributeSpec, get: () => unknown): () => unknown {
  const holder = {
    get [name](): unknown {
      if (!iface.is(this)) {
        const err = new TypeError(`${name}: 'this' is not an ${iface.name} (the ${iface.name}.prototype.${name} getter called on another object)`);
        if (spec.promise) return Promise.reject(err);
        throw err;
      }
      return Reflect.apply(get, this, []);
    },
  };
  return Object.getOwnPropertyDescriptor(holder, name)!.get!;
}

/** Replaces the operation `name` of `proto` (a plain method) with its WebIDL form. */
export function bindOperation(proto: object, iface: InterfaceSpec, name: string, spec: OperationSpec): void {
  const desc = Reflect.getOwnPropertyDescriptor(proto, name);
  if (typeof desc?.value !== 'function') throw new Error(`webidl: ${iface.name}.prototype.${name} is not a method`);
  const steps = desc.value as (...args: unknown[]) => unknown;
  Object.defineProperty(proto, name, { value: operationFunction(iface, name, spec, steps), writable: true, enumerable: true, configurable: true });
}

const bound = new WeakSet<object>();

/**
 * Gives `cls` the WebIDL shape of the interface `spec` describes. Every own member of the prototype must be declared
 * in `spec` and every declared member must exist: a member added to a class without a declaration fails here, at
 * load, instead of quietly missing the binding.
 */
export function bindInterface(cls: abstract new (...args: never[]) => unknown, spec: InterfaceSpec, extraOperations: readonly string[] = []): void {
  const proto = cls.prototype as object;
  if (bound.has(proto)) return;
  bound.add(proto);
  if (cls.name !== spec.name) throw new Error(`webidl: class ${cls.name} bound as ${spec.name}`);
  Object.defineProperty(cls, 'length', { value: spec.constructorLength ?? 0 });
  const declared = new Set([...Object.keys(spec.operations), ...Object.keys(spec.attributes), ...extraOperations]);
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor' || key === Symbol.toStringTag) continue;
    if (typeof key === 'symbol' || !declared.has(key)) throw new Error(`webidl: ${spec.name}.prototype.${String(key)} is not declared in src/api/interfaces.ts`);
  }
  for (const [name, op] of Object.entries(spec.operations)) bindOperation(proto, spec, name, op);
  for (const [name, attr] of Object.entries(spec.attributes)) {
    const desc = Reflect.getOwnPropertyDescriptor(proto, name);
    if (!desc?.get || desc.set) throw new Error(`webidl: ${spec.name}.prototype.${name} is not a read-only accessor`);
    Object.defineProperty(proto, name, { get: attributeGetter(spec, name, attr, desc.get), set: undefined, enumerable: true, configurable: true });
  }
  // The class string is a data property of the prototype (the classes' getters are for TypeScript's benefit).
  Object.defineProperty(proto, Symbol.toStringTag, { value: spec.name, writable: false, enumerable: false, configurable: true });
}
