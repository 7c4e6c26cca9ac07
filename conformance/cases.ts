// Reading the web-platform-tests WebNN conformance cases (../shared/wpt-webnn/conformance/*.json, format in its
// README) and turning their encoded values into typed arrays.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DTYPES, packNibbles, type MLOperandDataType, type TypedArray } from '../src/graph/dtypes.js';
import { toFloat16Bits } from '../src/graph/float16.js';

export type Dim = number | { name: string; maxSize: number };
export interface CaseDescriptor { dataType: MLOperandDataType; shape: Dim[] }
export interface CaseTensor { data: unknown; descriptor: CaseDescriptor; constant?: boolean; shape?: number[] }
export interface CaseOperator { name: string; arguments: Record<string, unknown>[]; outputs: string | string[] }
export interface ConformanceCase {
  file: string;
  name: string;
  graph: { inputs: Record<string, CaseTensor>; operators: CaseOperator[]; expectedOutputs: Record<string, CaseTensor> };
  tolerance: { metricType: 'ULP' | 'ATOL'; value: number };
}

export const DEFAULT_DATA_DIR = new URL('../../shared/wpt-webnn/conformance/', import.meta.url).pathname;

export function loadCases(dir: string): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { tests: Omit<ConformanceCase, 'file'>[] };
    for (const t of json.tests) cases.push({ file: file.replace(/\.json$/, ''), ...t });
  }
  return cases;
}

/** Case key used in the expectations file and reports. */
export function caseKey(c: ConformanceCase): string {
  return `${c.file} :: ${c.name}`;
}

/** The operator a case is counted under: the last operator it calls (the one producing the checked output). */
export function primaryOperator(c: ConformanceCase): string {
  return c.graph.operators[c.graph.operators.length - 1]!.name;
}

export function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === '-0') return -0;
  if (typeof v === 'string') return Number(v.replace(/n$/, ''));
  throw new TypeError(`cannot read ${JSON.stringify(v)} as a number`);
}

export function decodeBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string') return BigInt(v.replace(/n$/, ''));
  throw new TypeError(`cannot read ${JSON.stringify(v)} as a 64-bit integer`);
}

/** Element count of a concrete shape. */
export function countOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The case's values as the typed array the WebNN API takes for `dataType` (float16 as bit patterns). */
export function toTypedArray(data: unknown, dataType: MLOperandDataType, count: number): TypedArray {
  const d = DTYPES[dataType];
  const values = Array.isArray(data) ? data : Array.from({ length: count }, () => data);
  if (values.length !== count) throw new Error(`data has ${values.length} values, shape needs ${count}`);
  // The cases list int4/uint4 data as element values; the API takes them packed.
  if (d.bits < 8) return packNibbles(values.map(decodeNumber));
  const out = new d.array(count);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (d.big) (out as BigInt64Array)[i] = decodeBigInt(v);
    else if (dataType === 'float16') (out as Uint16Array)[i] = toFloat16Bits(decodeNumber(v));
    else (out as Float32Array)[i] = decodeNumber(v);
  }
  return out;
}
