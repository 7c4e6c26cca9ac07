// Integers known at import time up to the graph's dynamic dimensions: what the shape subgraphs of exported models
// compute (Shape → Gather → Add → Concat → Reshape). A SymInt is a polynomial over dimension names with integer
// coefficients of either sign (so that `(past + seq) - seq` is `past` again); it becomes a WebNN dimension when its
// coefficients are all non-negative (graph/dims.ts names such as `past + seq`), and a runtime tensor otherwise.
import { canonicalName, isDynamic, parseDim, type Dim } from '../graph/dims.js';

/** monomial ('a*b', '' for the constant term) → coefficient; no zero coefficients are stored. */
export class SymInt {
  private constructor(readonly terms: ReadonlyMap<string, number>) {}

  static of(n: number | bigint): SymInt {
    const v = Number(n);
    return new SymInt(v === 0 ? new Map() : new Map([['', v]]));
  }

  static dim(d: Dim): SymInt {
    if (!isDynamic(d)) return SymInt.of(d);
    return new SymInt(new Map([...parseDim(d.name)].filter(([, c]) => c !== 0)));
  }

  static name(base: string): SymInt {
    return new SymInt(new Map([[base, 1]]));
  }

  /** The value when it does not depend on any dimension. */
  get constant(): number | undefined {
    if (this.terms.size === 0) return 0;
    return this.terms.size === 1 && this.terms.has('') ? this.terms.get('')! : undefined;
  }

  isConstant(): boolean {
    return this.constant !== undefined;
  }

  add(o: SymInt): SymInt {
    const m = new Map(this.terms);
    for (const [k, c] of o.terms) {
      const s = (m.get(k) ?? 0) + c;
      if (s === 0) m.delete(k);
      else m.set(k, s);
    }
    return new SymInt(m);
  }

  neg(): SymInt {
    return new SymInt(new Map([...this.terms].map(([k, c]) => [k, -c])));
  }

  sub(o: SymInt): SymInt {
    return this.add(o.neg());
  }

  mul(o: SymInt): SymInt {
    const m = new Map<string, number>();
    for (const [ka, ca] of this.terms) {
      for (const [kb, cb] of o.terms) {
        const key = [...(ka ? ka.split('*') : []), ...(kb ? kb.split('*') : [])].sort().join('*');
        const s = (m.get(key) ?? 0) + ca * cb;
        if (s === 0) m.delete(key);
        else m.set(key, s);
      }
    }
    return new SymInt(m);
  }

  /**
   * Exact division: by a constant that divides every coefficient, or by a polynomial whose quotient is a single
   * monomial times a constant (e.g. (4*b*seq) / (2*seq) = 2*b). Undefined when not exact in that sense.
   */
  div(o: SymInt): SymInt | undefined {
    const k = o.constant;
    if (k !== undefined) {
      if (k === 0) return undefined;
      if ([...this.terms.values()].some((c) => c % k !== 0)) return undefined;
      return new SymInt(new Map([...this.terms].map(([key, c]) => [key, c / k])));
    }
    if (this.terms.size === 0) return this;
    // Try the quotient this/o as (leading term of this) / (leading term of o), then check by multiplying back.
    const [ka, ca] = [...this.terms][0]!;
    for (const [kb, cb] of o.terms) {
      if (ca % cb !== 0) continue;
      const fa = ka ? ka.split('*') : [];
      const rest = [...fa];
      let ok = true;
      for (const f of kb ? kb.split('*') : []) {
        const at = rest.indexOf(f);
        if (at < 0) { ok = false; break; }
        rest.splice(at, 1);
      }
      if (!ok) continue;
      const q = new SymInt(new Map([[rest.sort().join('*'), ca / cb]]));
      if (q.mul(o).equals(this)) return q;
    }
    return undefined;
  }

  equals(o: SymInt): boolean {
    if (this.terms.size !== o.terms.size) return false;
    for (const [k, c] of this.terms) if (o.terms.get(k) !== c) return false;
    return true;
  }

  /** True when every coefficient is non-negative: the value is ≥ 0 for every size of the dimensions. */
  nonNegative(): boolean {
    return [...this.terms.values()].every((c) => c >= 0);
  }

  /**
   * What is certain about its sign for every size of the dimensions (each ≥ 0): 'zero', 'pos' (> 0), 'nonneg',
   * 'neg', 'nonpos', or undefined when it can take either sign.
   */
  sign(): 'zero' | 'pos' | 'nonneg' | 'neg' | 'nonpos' | undefined {
    if (this.terms.size === 0) return 'zero';
    const k = this.terms.get('') ?? 0;
    if (this.nonNegative()) return k > 0 ? 'pos' : 'nonneg';
    if (this.neg().nonNegative()) return k < 0 ? 'neg' : 'nonpos';
    return undefined;
  }

  /** The base names it depends on. */
  names(): string[] {
    return [...new Set([...this.terms.keys()].flatMap((k) => (k ? k.split('*') : [])))];
  }

  /** Its value for the given sizes (undefined where a name has none). */
  evaluate(sizes: ReadonlyMap<string, number>): number | undefined {
    let total = 0;
    for (const [k, c] of this.terms) {
      let t = c;
      for (const f of k ? k.split('*') : []) {
        const s = sizes.get(f);
        if (s === undefined) return undefined;
        t *= s;
      }
      total += t;
    }
    return total;
  }

  /**
   * As a WebNN dimension with its bound (each name at its maxSize), when it is one: a non-negative constant, or a
   * polynomial with non-negative coefficients. Undefined otherwise (e.g. `seq - 1`).
   */
  toDim(bounds: ReadonlyMap<string, number>): Dim | undefined {
    const k = this.constant;
    if (k !== undefined) return k >= 0 ? k : undefined;
    if (!this.nonNegative()) return undefined;
    const maxSize = this.evaluate(bounds);
    if (maxSize === undefined) return undefined;
    const name = canonicalName(this.text());
    return typeof name === 'number' ? name : { name, maxSize };
  }

  text(): string {
    if (this.terms.size === 0) return '0';
    const keys = [...this.terms.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
    return keys.map((k, i) => {
      const c = this.terms.get(k)!;
      const mag = Math.abs(c);
      const body = k === '' ? String(mag) : mag === 1 ? k : `${mag}*${k}`;
      return i === 0 ? (c < 0 ? `-${body}` : body) : `${c < 0 ? ' - ' : ' + '}${body}`;
    }).join('');
  }

  toString(): string {
    return this.text();
  }
}
