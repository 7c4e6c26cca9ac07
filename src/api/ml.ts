// ML (navigator.ml): creates contexts and picks the backend that serves them.
import { selectBackend } from '../backends/registry.js';
import { notSupported } from './errors.js';
import { createContextObject, type MLContext } from './context.js';
import type { MLContextOptions, MLPowerPreference } from './types.js';

const token = Symbol('ML');
const instances = new WeakSet<object>();

/** Whether `value` is an ML object (the brand check of the WebIDL binding). */
export function isML(value: unknown): boolean {
  return typeof value === 'object' && value !== null && instances.has(value);
}

const POWER_PREFERENCES: readonly MLPowerPreference[] = ['default', 'high-performance', 'low-power'];

export class ML {
  /** @internal `navigator.ml` (the exported `ml`) is the ML object; the interface has no constructor. */
  constructor(key: symbol) {
    if (key !== token) throw new TypeError('Illegal constructor: use navigator.ml (or the exported ml)');
    instances.add(this);
  }

  /**
   * Creates a context. onnxruntime's CPU provider serves it unless the options ask for an accelerator
   * (`accelerated: true` given explicitly, `powerPreference: 'high-performance'`, or the older `deviceType: 'gpu'`);
   * then the bundled WebGPU provider is used when a GPU adapter works, and the CPU otherwise
   * (`context.accelerated` tells which).
   */
  async createContext(options: MLContextOptions | null = {}): Promise<MLContext> {
    options ??= {}; // WebIDL reads null as an empty dictionary
    if (typeof options !== 'object') throw new TypeError('createContext: options must be a dictionary');
    const powerPreference = options.powerPreference ?? 'default';
    if (!POWER_PREFERENCES.includes(powerPreference)) {
      throw new TypeError(`createContext: powerPreference '${String(powerPreference)}' is not one of ${POWER_PREFERENCES.join(', ')}`);
    }
    if (options.deviceType !== undefined && !['cpu', 'gpu', 'npu'].includes(options.deviceType)) {
      throw new TypeError(`createContext: deviceType '${String(options.deviceType)}' is not one of cpu, gpu, npu`);
    }
    if (options.execution !== undefined && !['auto', 'worker', 'inline'].includes(options.execution)) {
      throw new TypeError(`createContext: execution '${String(options.execution)}' is not one of auto, worker, inline`);
    }
    const wantsAccelerator = options.deviceType !== undefined
      ? options.deviceType !== 'cpu'
      : options.accelerated === true || (options.accelerated !== false && powerPreference === 'high-performance');
    try {
      const backend = await selectBackend({ accelerated: wantsAccelerator, powerPreference, ...(options.execution ? { execution: options.execution } : {}) });
      return createContextObject({ backend, powerPreference });
    } catch (err) {
      throw notSupported(`createContext: no backend can serve these options: ${(err as Error).message}`);
    }
  }

  get [Symbol.toStringTag](): string {
    return 'ML';
  }
}

/** The ML object (what `navigator.ml` is in a browser). */
export const ml = new ML(token);
