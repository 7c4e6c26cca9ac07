// The one table of ONNX operator mappings: (domain, op type, opset range) → handler. Each family file under
// src/import/ops/ contributes its entries; the importer, `--check` and docs/import.md all read this table.
import type { NodeContext } from './context.js';
import type { Val } from './values.js';

export type Handler = (c: NodeContext) => Val | (Val | undefined)[];

export interface OpMapping {
  /** ONNX op type. */
  readonly op: string;
  /** '' for the default (ai.onnx) domain. */
  readonly domain: string;
  /** First opset version this handler serves (inclusive). */
  readonly since: number;
  /** Last opset version it serves (inclusive); absent: up to the newest the importer accepts. */
  readonly until?: number;
  readonly handler: Handler;
  /** How it maps, for docs/import.md (one short line). */
  readonly note: string;
  /** Operator family (the file it lives in), for the docs. */
  readonly family: string;
}

export interface MappingInput {
  op: string;
  domain?: string;
  since?: number;
  until?: number;
  note: string;
  handler: Handler;
}

/** Entries of one family. */
export function family(name: string, entries: MappingInput[]): OpMapping[] {
  return entries.map((e) => ({ op: e.op, domain: e.domain ?? '', since: e.since ?? 1, until: e.until, handler: e.handler, note: e.note, family: name }));
}

export const MICROSOFT = 'com.microsoft';

/** The opset range of the default domain the importer accepts. */
export const MIN_OPSET = 9;
export const MAX_OPSET = 21;
/** The com.microsoft contrib domain is versioned 1. */
export const CONTRIB_OPSET = 1;
