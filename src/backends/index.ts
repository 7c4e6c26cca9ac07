// Backend registry. The API layer asks for a backend by options only; new backends register here.
import type { Backend, BackendFactory, BackendOptions } from './backend.js';
import { onnxruntimeFactory } from './onnxruntime/backend.js';

const factories: BackendFactory[] = [onnxruntimeFactory];

export function registerBackend(factory: BackendFactory): void {
  factories.unshift(factory);
}

export function backendNames(): string[] {
  return factories.map((f) => f.name);
}

/** The first registered backend that accepts the options. */
export async function selectBackend(options: BackendOptions): Promise<Backend> {
  const errors: string[] = [];
  for (const f of factories) {
    try {
      return await f.create(options);
    } catch (err) {
      errors.push(`${f.name}: ${(err as Error).message}`);
    }
  }
  throw new Error(errors.join('; ') || 'no backends registered');
}
