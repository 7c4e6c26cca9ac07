// MLOperand: a handle to an operand of one builder's graph.
import type { MLOperandDataType } from '../graph/dtypes.js';
import type { OperandDescriptor } from '../graph/ir.js';

export interface OperandInternals {
  readonly builder: object;
  readonly id: number;
  readonly desc: OperandDescriptor;
}

const internals = new WeakMap<MLOperand, OperandInternals>();

/** Internal state of an MLOperand, or undefined for anything else. */
export function operandInternals(value: unknown): OperandInternals | undefined {
  return typeof value === 'object' && value !== null ? internals.get(value as MLOperand) : undefined;
}

const token = Symbol('MLOperand');

export class MLOperand {
  readonly #dataType: MLOperandDataType;
  readonly #shape: readonly number[];

  /** @internal Operands are created by MLGraphBuilder methods only. */
  constructor(key: symbol, state: OperandInternals) {
    if (key !== token) throw new TypeError('Illegal constructor: MLOperands come from MLGraphBuilder methods');
    this.#dataType = state.desc.dataType;
    this.#shape = Object.freeze([...state.desc.shape]);
    internals.set(this, state);
  }

  get dataType(): MLOperandDataType {
    return this.#dataType;
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  get [Symbol.toStringTag](): string {
    return 'MLOperand';
  }
}

export function createOperand(state: OperandInternals): MLOperand {
  return new MLOperand(token, state);
}
