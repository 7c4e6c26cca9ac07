// A set that can be iterated but does not keep its members alive: a context must reach all its live tensors and
// graphs to destroy them, without holding on to those the program has dropped.
export class IterableWeakSet<T extends object> {
  readonly #refs = new Set<WeakRef<T>>();
  readonly #refOf = new WeakMap<T, WeakRef<T>>();
  readonly #registry = new FinalizationRegistry<WeakRef<T>>((ref) => this.#refs.delete(ref));

  add(value: T): void {
    if (this.#refOf.has(value)) return;
    const ref = new WeakRef(value);
    this.#refs.add(ref);
    this.#refOf.set(value, ref);
    this.#registry.register(value, ref, ref);
  }

  delete(value: T): void {
    const ref = this.#refOf.get(value);
    if (!ref) return;
    this.#refs.delete(ref);
    this.#refOf.delete(value);
    this.#registry.unregister(ref);
  }

  get size(): number {
    return this.#refs.size;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const ref of [...this.#refs]) {
      const value = ref.deref();
      if (value) yield value;
    }
  }

  clear(): void {
    for (const value of this) this.delete(value);
  }
}
