// Shape arithmetic shared by the operators: broadcasting, element counts, dimension checks.

/** Largest dimension and element count tsnn accepts (the spec's "valid dimension": within `long`). */
export const MAX_DIMENSION = 2 ** 31 - 1;
/** Largest rank tsnn accepts; reported in opSupportLimits. */
export const MAX_RANK = 8;
/**
 * Largest tensor in bytes. Equal to the largest element count, so that a tensor of 1-byte elements can reach it: with
 * a larger limit, shapes derived from maxTensorByteLength (as WPT builds them) would hit the element-count rule first.
 */
export const MAX_TENSOR_BYTE_LENGTH = MAX_DIMENSION;

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function isValidDimension(d: unknown): d is number {
  return typeof d === 'number' && Number.isInteger(d) && d > 0 && d <= MAX_DIMENSION;
}

export function shapeToString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
