// npm run conformance [-- --data DIR] [--op NAME] [--no-write]
// Replays the WPT WebNN conformance cases through tsnn, prints failures, writes docs/conformance.md, and exits
// non-zero when a result contradicts conformance/expectations.json.
import { existsSync, writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ml } from '../src/index.js';
import { publicOps } from '../src/ops/registry.js';
import { DEFAULT_DATA_DIR, loadCases } from './cases.js';
import { judge, loadExpectations } from './expectations.js';
import { renderReport } from './report.js';
import { runCase, type CaseResult } from './runner.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    op: { type: 'string', multiple: true },
    'no-write': { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

if (!existsSync(values.data!)) {
  console.error(`conformance: no data at ${values.data} (pass --data DIR; the cases live in ../shared/wpt-webnn/conformance)`);
  process.exit(2);
}
let cases = loadCases(values.data!);
if (values.op?.length) cases = cases.filter((c) => c.graph.operators.some((o) => values.op!.includes(o.name)));

const context = await ml.createContext();
const results: CaseResult[] = [];
for (const c of cases) {
  const r = await runCase(context, c);
  results.push(r);
  if (values.verbose || r.status === 'fail') console.log(`${r.status.padEnd(13)} ${r.key}${r.message ? ` — ${r.message}` : ''}`);
}
const expectations = loadExpectations();
const verdict = judge(results, expectations);
const count = (s: string) => results.filter((r) => r.status === s).length;
console.log(`\n${results.length} cases: ${count('pass')} passed, ${count('fail')} failed, ${count('unimplemented')} not implemented`);

if (!values['no-write'] && !values.op?.length) {
  const out = new URL('../docs/conformance.md', import.meta.url).pathname;
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, renderReport(results, expectations, publicOps().length));
  renameSync(tmp, out);
  console.log(`wrote ${out}`);
}
if (verdict.unexpected.length) {
  console.error(`\n${verdict.unexpected.length} result(s) contradict conformance/expectations.json:`);
  for (const u of verdict.unexpected) console.error(`  ${u.result.key}: ${u.why}`);
  process.exit(1);
}
