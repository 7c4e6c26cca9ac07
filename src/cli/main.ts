#!/usr/bin/env node
// The tsnn command line. Exit codes: 0 ok, 1 failure (one-line reason on stderr), 2 usage.
import { Command, CommanderError } from 'commander';
import { collectInfo, formatInfo } from './info.js';
import { packageInfo } from './package-info.js';

const program = new Command()
  .name('tsnn')
  .description('WebNN graphs on onnxruntime-node')
  .version(packageInfo().version)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('info')
  .description('version, backends, onnxruntime version and operator coverage')
  .option('--json', 'print as JSON')
  .action((opts: { json?: boolean }) => {
    const report = collectInfo();
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatInfo(report));
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; everything else is a usage error.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(`tsnn: ${(err as Error).message}\n`);
  process.exit(1);
}
