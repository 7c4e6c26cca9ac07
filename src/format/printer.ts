// GraphFile → the .webnn text form, canonically: operands positional, every other argument as name=value, so
// parsing the printed text gives back the same GraphFile.
import { DTYPES } from '../graph/dtypes.js';
import { GraphFileError, IDENT, SAVE_ID_COMMENT, isDynamic, type Dim, type GraphFile, type NodeDecl, type Value } from './model.js';
import { signatureOf } from './signatures.js';

function name(n: string, what: string): string {
  if (!IDENT.test(n) || ['true', 'false', 'null', 'Infinity', 'NaN'].includes(n)) {
    throw new GraphFileError(`${what} '${n}' cannot be written in the .webnn text form (names are letters, digits, _ / . $, not starting with a digit); save as .json instead`);
  }
  return n;
}

/**
 * A number as the parser reads it back: digits alone are an integer (a bigint beyond 2^53), so a double that is
 * an integer beyond 2^53 (2.5e20) is written with an exponent to stay a double.
 */
export function printNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Object.is(n, -0)) return '-0';
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? n.toExponential() : String(n);
}

export function printValue(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return printNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${printValue(x)}`).join(', ')}}`;
}

function dim(d: Dim): string {
  return isDynamic(d) ? `dyn(${JSON.stringify(d.name)}, ${d.maxSize})` : String(d);
}

function type(dataType: keyof typeof DTYPES, shape: readonly Dim[]): string {
  return `${DTYPES[dataType].short}[${shape.map(dim).join(', ')}]`;
}

function call(node: NodeDecl): string {
  const sig = signatureOf(node.op);
  if (!sig) throw new GraphFileError(`node '${node.id}': unknown operator '${node.op}'`);
  const args: string[] = [];
  const single = sig.params.filter((p) => p.kind === 'operand').length;
  let next = 0;
  for (const p of sig.params) {
    if (p.kind === 'operand' && next < node.inputs.length) args.push(name(node.inputs[next++]!, 'operand'));
    if (p.kind === 'operands') {
      const count = node.inputs.length - single;
      args.push(`[${node.inputs.slice(next, next + count).map((n) => name(n, 'operand')).join(', ')}]`);
      next += count;
    }
  }
  for (const [k, v] of Object.entries(node.options)) {
    const operandOption = sig.operandOptions.includes(k) && typeof v === 'string';
    args.push(`${name(k, 'option')}=${operandOption ? name(v, 'operand') : printValue(v)}`);
  }
  return `${node.op}(${args.join(', ')})`;
}

export function printWebnn(g: GraphFile): string {
  const out: string[] = [];
  // A comment, so that other readers of the format skip it; parseWebnn reads it back from the first line.
  if (g.saveId !== undefined) out.push(`${SAVE_ID_COMMENT}${g.saveId}`);
  out.push(`webnn_graph ${JSON.stringify(g.name)} v${g.version}${g.quantized ? ' @quantized' : ''} {`);
  out.push('  inputs {');
  for (const [n, d] of Object.entries(g.inputs)) out.push(`    ${name(n, 'input')}: ${type(d.dataType, d.shape)};`);
  out.push('  }', '  consts {');
  for (const [n, c] of Object.entries(g.consts)) {
    const init = c.init.kind === 'weights' ? `@weights(${JSON.stringify(c.init.ref)})`
      : c.init.kind === 'scalar' ? `@scalar(${printNumber(c.init.value)})`
        : `@bytes([${c.init.bytes.join(', ')}])`;
    out.push(`    ${name(n, 'constant')}: ${type(c.dataType, c.shape)} ${init};`);
  }
  out.push('  }', '  nodes {');
  for (const node of g.nodes) {
    const lhs = node.outputs ? `[${node.outputs.map((o) => name(o, 'value')).join(', ')}]` : name(node.id, 'value');
    out.push(`    ${lhs} = ${call(node)};`);
  }
  out.push('  }');
  const outs = Object.entries(g.outputs).map(([n, ref]) => (n === ref ? `${name(n, 'output')};` : `${name(n, 'output')} = ${name(ref, 'value')};`));
  out.push(`  outputs { ${outs.join(' ')} }`.replace('{  }', '{}'), '}', '');
  return out.join('\n');
}
