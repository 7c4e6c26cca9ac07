// The expectations file: which cases are known not to pass, and why. A listed case that passes is an error,
// so the list never goes stale.
import { readFileSync } from 'node:fs';
import type { CaseResult } from './runner.js';

export interface Expectations {
  /** Operators not implemented yet: all their cases are expected to be 'unimplemented'. */
  unimplementedOperators: string[];
  /** Features not implemented yet (e.g. dynamic dimensions), by case key → reason. */
  knownFailures: Record<string, string>;
}

export const EXPECTATIONS_PATH = new URL('./expectations.json', import.meta.url).pathname;

export function loadExpectations(path = EXPECTATIONS_PATH): Expectations {
  const e = JSON.parse(readFileSync(path, 'utf8')) as Partial<Expectations>;
  return { unimplementedOperators: e.unimplementedOperators ?? [], knownFailures: e.knownFailures ?? {} };
}

export interface Verdict {
  /** Results that contradict the expectations, with what to do about each. */
  unexpected: { result: CaseResult; why: string }[];
}

export function judge(results: CaseResult[], expectations: Expectations): Verdict {
  const unimplementedOps = new Set(expectations.unimplementedOperators);
  const unexpected: Verdict['unexpected'] = [];
  for (const r of results) {
    const known = expectations.knownFailures[r.key];
    const listedOp = unimplementedOps.has(r.operator);
    if (r.status === 'pass') {
      if (known !== undefined) unexpected.push({ result: r, why: 'passes but is listed in knownFailures: remove it from conformance/expectations.json' });
      else if (listedOp) unexpected.push({ result: r, why: `passes but ${r.operator} is listed in unimplementedOperators: remove it from conformance/expectations.json` });
    } else if (known === undefined && !(r.status === 'unimplemented' && r.missing && unimplementedOps.has(r.missing))) {
      unexpected.push({ result: r, why: `${r.status}: ${r.message ?? ''}` });
    }
  }
  return { unexpected };
}
