// MLOperand: a handle to an operand of one builder's graph.
import type { MLOperandDataType } from '../graph/dtypes.js';
import { dimsOf, type OperandDescriptor } from '../graph/ir.js';
import type { MLDimension } from './types.js';

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
  readonly #shape: readonly MLDimension[];

  /** @internal Operands are created by MLGraphBuilder methods only. */
  constructor(key: symbol, state: OperandInternals) {
    if (key !== token) throw new TypeError('Illegal constructor: MLOperands come from MLGraphBuilder methods');
    this.#dataType = state.desc.dataType;
    this.#shape = Object.freeze(dimsOf(state.desc).map((d) => (typeof d === 'number' ? d : Object.freeze({ ...d }))));
    internals.set(this, state);
  }

  get dataType(): MLOperandDataType {
    return this.#dataType;
  }

  /**
   * The operand's dimensions. A dynamic dimension (flexible inputs) appears as a frozen {name, maxSize} object; the
   * TypeScript type stays `number[]` so that code written for static shapes compiles unchanged. Code that handles
   * dynamic dimensions reads `dimensions`, which is typed as such.
   */
  get shape(): readonly number[] {
    return this.#shape as readonly number[];
  }

  /** Non-standard: `shape` with its real type, dynamic dimensions as {name, maxSize}. */
  get dimensions(): readonly MLDimension[] {
    return this.#shape;
  }

  get [Symbol.toStringTag](): string {
    return 'MLOperand';
  }
}

export function createOperand(state: OperandInternals): MLOperand {
  return new MLOperand(token, state);
}
