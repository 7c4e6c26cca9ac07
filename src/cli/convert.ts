// `tsnn convert FILE --to webnn|json|onnx`: between the text and JSON forms (weights untouched), or to an ONNX
// model (built first, so it is validated; large weights as external data).
import { basename, extname } from 'node:path';
import { buildGraphFile, orderNodes } from '../format/graph-file.js';
import { printGraph, readGraphFile, stemOf } from '../format/io.js';
import { GraphFileError } from '../format/model.js';
import { exportOnnx } from '../format/onnx-export.js';
import { writeFileAtomically } from '../format/atomic.js';
import { cpuContext, openGraph, UsageError, type WeightOptions } from './common.js';

const TARGETS = ['webnn', 'json', 'onnx'] as const;
type Target = (typeof TARGETS)[number];

export async function convertCommand(file: string, opts: WeightOptions & { to: string; output?: string }): Promise<void> {
  if (!(TARGETS as readonly string[]).includes(opts.to)) throw new UsageError(`--to must be one of ${TARGETS.join(', ')}, not '${opts.to}'`);
  const to = opts.to as Target;
  const out = opts.output ?? `${stemOf(file)}.${to}`;
  if (out !== '-' && !opts.output && out === file) throw new UsageError(`converting ${file} to ${to} would overwrite it: give -o`);
  if (to === 'onnx') {
    if (out === '-') throw new UsageError('ONNX output needs a file: give -o FILE.onnx');
    const { g, weights, close } = openGraph(file, opts);
    const context = await cpuContext();
    try {
      const graph = await buildGraphFile(context, g, weights);
      const r = exportOnnx(graph, out, { name: g.name });
      console.log(`wrote ${r.model}${r.data ? ` and ${r.data} (${r.externalTensors} tensors as external data)` : ''}`);
    } catch (err) {
      throw err instanceof GraphFileError ? err.inFile(file) : err;
    } finally {
      close();
      context.destroy();
    }
    return;
  }
  const g = readGraphFile(file);
  try {
    orderNodes(g);
  } catch (err) {
    throw err instanceof GraphFileError ? err.inFile(file) : err;
  }
  if (to === 'webnn' && opts.output === undefined && extname(file) === '.webnn') throw new UsageError('the file is already .webnn: give -o');
  const text = printGraph(g, to);
  if (out === '-') process.stdout.write(text);
  else {
    writeFileAtomically(out, text);
    console.log(`wrote ${out}${basename(stemOf(out)) !== basename(stemOf(file)) ? ' (its weights keep their names; pass --weights/--manifest when loading it)' : ''}`);
  }
}
