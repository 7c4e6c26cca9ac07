// Backend registry. The API layer asks for a backend by options only; each entry point registers the backends of
// its platform (src/index.ts: onnxruntime-node), so the API layer imports no backend itself.
import type { Backend, BackendFactory, BackendOptions } from './backend.js';

const factories: BackendFactory[] = [];

/** Adds a backend; the latest registered is asked first. Registering the same factory twice has no effect. */
export function registerBackend(factory: BackendFactory): void {
  if (!factories.includes(factory)) factories.unshift(factory);
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
