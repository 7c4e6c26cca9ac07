// The `axes` option shared by the reductions and reverse: absent means every axis, present must name distinct
// axes of the input (the spec's "calculate reduction output sizes" and reverse() steps).
import { shapeToString } from '../graph/shape.js';
import type { OpContext } from './context.js';

export function axesOption(c: OpContext, value: unknown, rank: number): number[] {
  if (value === undefined) return Array.from({ length: rank }, (_, i) => i);
  const axes = c.uintList(value, 'axes');
  for (const a of axes) if (a >= rank) c.fail(`axes ${shapeToString(axes)} has axis ${a}, which is not less than the input rank ${rank}`);
  if (new Set(axes).size !== axes.length) c.fail(`axes ${shapeToString(axes)} has duplicate values`);
  return axes;
}

