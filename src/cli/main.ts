#!/usr/bin/env node
// The tsnn command line. Exit codes: 0 ok, 1 failure (one-line reason on stderr), 2 usage.
import { Command, CommanderError } from 'commander';
import { GraphFileError } from '../format/model.js';
import { UsageError, weightOptions } from './common.js';
import { convertCommand } from './convert.js';
import { collectFileInfo, collectInfo, formatFileInfo, formatInfo } from './info.js';
import { importCommand } from './import.js';
import { generateCommand } from './generate.js';
import { ModelLoadError } from '../llm/model.js';
import { collectOnnxInfo, formatOnnxInfo } from './onnx-info.js';
import { OnnxImportError } from '../import/importer.js';
import { packageInfo } from './package-info.js';
import { packWeightsCommand } from './pack-weights.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import { viewCommand } from './view.js';

const program = new Command()
  .name('tsnn')
  .description('WebNN graphs on onnxruntime-node')
  .version(packageInfo().version)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('info [file]')
  .description('with FILE: a graph file\'s (or an ONNX model\'s) inputs, outputs, operators and parameters; without: version, backends, onnxruntime version and operator coverage')
  .option('--json', 'print as JSON')
  .action((file: string | undefined, opts: { json?: boolean }) => {
    if (file && file.toLowerCase().endsWith('.onnx')) {
      const onnx = collectOnnxInfo(file);
      console.log(opts.json ? JSON.stringify(onnx, null, 2) : formatOnnxInfo(onnx));
      return;
    }
    const report = file ? collectFileInfo(file) : collectInfo();
    const text = file ? formatFileInfo(report as ReturnType<typeof collectFileInfo>) : formatInfo(report as ReturnType<typeof collectInfo>);
    console.log(opts.json ? JSON.stringify(report, null, 2) : text);
  });

const validate = program
  .command('validate <file>')
  .description('parse a .webnn or .json graph and validate every node and its weights')
  .action((file: string, opts) => validateCommand(file, opts));
weightOptions(validate);

const convert = program
  .command('convert <file>')
  .description('convert a graph to the text form, the JSON form or an ONNX model')
  .requiredOption('--to <format>', 'webnn, json or onnx')
  .option('-o, --output <file>', 'output path (- for stdout); default <stem>.<format> beside the graph')
  .action((file: string, opts) => convertCommand(file, opts));
weightOptions(convert);

const run = program
  .command('run <file>')
  .description('build a graph and run it once on the given inputs')
  .option('-i, --input <name=value...>', 'an input from a .npy file, a .json array or a number (repeatable)')
  .option('--output-dir <dir>', 'write each output as DIR/<name>.npy')
  .action((file: string, opts) => runCommand(file, opts));
weightOptions(run);

const collect = (v: string, prev: string[] = []) => [...prev, v];
program
  .command('import <model>')
  .description('convert an ONNX model to a WebNN graph file, with its weights and manifest beside it')
  .option('-o, --output <file>', 'the graph file (.webnn or .json); default <stem>.webnn beside the model')
  .option('--dim <name=N>', 'fix a symbolic dimension to N (repeatable)', collect)
  .option('--max <name=N>', 'bound of a symbolic dimension (default 2048; repeatable)', collect)
  .option('--value <input=v>', 'freeze an input to a value: a number, true/false or a JSON array (repeatable)', collect)
  .option('--check', 'list every node that cannot be translated (op type, domain, why) instead of converting')
  .option('--no-progress', 'no progress line on stderr')
  .action(async (model: string, opts) => {
    const code = await importCommand(model, opts);
    if (code !== 0) process.exitCode = code;
  });

program
  .command('generate')
  .description('generate text with a decoder-only language model (a Hugging Face folder with onnx/model.onnx, or a converted .webnn graph)')
  .requiredOption('--model <dir>', 'the model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) or a .webnn graph')
  .option('--prompt <text>', 'the prompt')
  .option('--max-new-tokens <n>', 'new tokens at most (default 128)')
  .option('--temperature <t>', 'sampling temperature (default 0: greedy)')
  .option('--top-k <k>', 'sample from the k most likely tokens')
  .option('--top-p <p>', 'sample from the most likely tokens whose probabilities reach p')
  .option('--repetition-penalty <r>', 'penalise tokens already in the sequence (> 1)')
  .option('--seed <s>', 'seed of the sampling generator (default 0)')
  .option('--stop <text>', 'stop when the text contains this (repeatable)', collect)
  .option('--chat', "apply the model's chat template; without --prompt, each line of stdin is a user turn")
  .option('--system <text>', 'a system message for --chat')
  .option('--compare-ort', "check greedy tokens one by one against onnxruntime-node running the original ONNX; exit 1 at the first difference")
  .option('--max-length <n>', 'the most tokens a conversation may hold (default 2048)')
  .option('--ignore-eos', 'keep generating after an end-of-sequence token')
  .option('--no-progress', 'no progress or model line on stderr')
  .action(async (opts) => {
    const code = await generateCommand(opts);
    if (code !== 0) process.exitCode = code;
  });

const view = program
  .command('view <file>')
  .description('draw a graph (.webnn, .json or an ONNX model) as one self-contained HTML page: operators, shapes on the edges, search, zoom')
  .option('-o, --output <file>', 'the HTML file; default <stem>.html beside the graph')
  .option('--part-size <n>', 'about how many nodes the viewer lays out together (default 120)')
  .option('--dim <name=N>', 'ONNX models: fix a symbolic dimension to N (repeatable)', collect)
  .option('--max <name=N>', 'ONNX models: bound of a symbolic dimension (default 64 here; repeatable)', collect)
  .action((file: string, opts) => viewCommand(file, opts));
weightOptions(view);

program
  .command('pack-weights <tensors...>')
  .description('pack tensors (name=file.npy, file.npy, file.safetensors) into a weights file and its manifest')
  .requiredOption('--out <file>', 'the weights file to write')
  .option('--manifest <file>', 'the manifest to write; default <stem>.manifest.json beside --out')
  .action((tensors: string[], opts: { out: string; manifest?: string }) => packWeightsCommand(tensors, opts));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; everything else is a usage error.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
  if (err instanceof UsageError) {
    process.stderr.write(`tsnn: ${oneLine(err.message)}\n`);
    process.exit(2);
  }
  const message = err instanceof GraphFileError || err instanceof OnnxImportError || err instanceof ModelLoadError ? err.message : `tsnn: ${(err as Error).message}`;
  process.stderr.write(`${oneLine(message)}\n`);
  process.exit(1);
}
