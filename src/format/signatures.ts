// How each WebNN operator's builder method takes its arguments, as graph files need it: the positional parameters
// in the spec's order (one MLOperand, a sequence<MLOperand>, or a literal value such as an axis, a shape or a data
// type) and the options members that are MLOperands (named by a value in the file). Read from the operators' own
// declarations (src/ops), so a new operator round-trips through graph files with no entry here.
import '../ops/index.js';
import { getOp, publicOps } from '../ops/registry.js';

export type ParamKind = 'operand' | 'operands' | 'value';
export interface Param { readonly name: string; readonly kind: ParamKind }
export interface Signature {
  readonly op: string;
  readonly params: readonly Param[];
  /** Options members whose value is an MLOperand. */
  readonly operandOptions: readonly string[];
}

const signatures = new Map<string, Signature>();

/** The operator's signature, or undefined when the name is not a WebNN operator (internal operators are not). */
export function signatureOf(op: string): Signature | undefined {
  let sig = signatures.get(op);
  if (sig) return sig;
  const def = getOp(op);
  if (!def || def.internal) return undefined;
  const params = def.params.map(({ name, kind }): Param => ({ name, kind: kind === 'operand' || kind === 'operands' ? kind : 'value' }));
  sig = { op, params, operandOptions: def.operandOptions };
  signatures.set(op, sig);
  return sig;
}

export function operatorNames(): string[] {
  return publicOps().map((op) => op.name);
}
