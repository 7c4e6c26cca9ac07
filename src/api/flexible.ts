// Dispatch-time shapes of a graph with dynamic dimensions: binding each name to one size from the input shapes,
// checking every input against its descriptor, and evaluating the output shapes.
import { evaluateDim, isDynamic } from '../graph/dims.js';
import { dimsOf, type OperandDescriptor } from '../graph/ir.js';
import { shapeToString } from '../graph/shape.js';

/** A concrete shape given by the caller, or undefined when `value` is not a sequence of non-negative integers. */
export function concreteShape(value: unknown): number[] | undefined {
  if (!value || typeof value !== 'object' || !(Symbol.iterator in value)) return undefined;
  const shape = [...(value as Iterable<unknown>)];
  return shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0) ? (shape as number[]) : undefined;
}

/**
 * Checks `shape` (the concrete shape of `tensor`, e.g. "input 'x'") against its descriptor: rank, static dimensions
 * equal, each dynamic dimension from 0 to its maxSize, and one size per name (recorded in `sizes`, with the tensor
 * that set it). `caller` prefixes the messages.
 */
export function bindShape(caller: string, tensor: string, desc: OperandDescriptor, shape: readonly number[],
  sizes: Map<string, number>, setBy: Map<string, string>): void {
  const what = `${caller}: ${tensor}`;
  const dims = dimsOf(desc);
  if (shape.length !== dims.length) {
    throw new TypeError(`${what} has shape ${shapeToString(shape)} of rank ${shape.length}; the graph expects rank ${dims.length}`);
  }
  dims.forEach((d, i) => {
    const s = shape[i]!;
    if (!isDynamic(d)) {
      if (s !== d) throw new TypeError(`${what} has shape ${shapeToString(shape)}: dimension ${i} is ${s}, the graph's static size is ${d}`);
      return;
    }
    if (s > d.maxSize) {
      throw new TypeError(`${what} has shape ${shapeToString(shape)}: dimension ${i} ('${d.name}') is ${s}, more than its maxSize ${d.maxSize}`);
    }
    const prior = sizes.get(d.name);
    if (prior !== undefined && prior !== s) {
      throw new TypeError(`${what} has shape ${shapeToString(shape)}: dimension ${i} ('${d.name}') is ${s}, but ${setBy.get(d.name)} gives '${d.name}' the size ${prior}`);
    }
    sizes.set(d.name, s);
    setBy.set(d.name, tensor);
  });
}

/** Each dynamic dimension's size, from the concrete shapes of a graph's inputs (a static input's may be left out). */
export function bindInputs(inputs: ReadonlyMap<string, OperandDescriptor>, shapes: ReadonlyMap<string, readonly number[]>,
  what: string): Map<string, number> {
  const sizes = new Map<string, number>();
  const setBy = new Map<string, string>();
  for (const [name, desc] of inputs) {
    const shape = shapes.get(name) ?? (desc.dims ? undefined : desc.shape);
    if (!shape) throw new TypeError(`${what}: missing the shape of input '${name}'`);
    bindShape(what, `input '${name}'`, desc, shape, sizes, setBy);
  }
  return sizes;
}

/** A descriptor's concrete shape once its dynamic dimensions have sizes. */
export function shapeWith(desc: OperandDescriptor, sizes: ReadonlyMap<string, number>): number[] {
  return dimsOf(desc).map((d) => evaluateDim(d, sizes));
}
