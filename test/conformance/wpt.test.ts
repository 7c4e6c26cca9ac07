// Replays the W3C WPT WebNN conformance cases (../shared/wpt-webnn/conformance) through the public API.
// Every case must pass unless conformance/expectations.json lists it (or its operator as unimplemented);
// a listed case that passes fails too, so the list stays true. Skips, saying so, when the data is absent, except
// under CI (CI set, as CI systems do): there missing data fails the run, so a lost data path cannot pass unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ml } from '../../src/index.js';
import { DEFAULT_DATA_DIR, loadCases } from '../../conformance/cases.js';
import { judge, loadExpectations } from '../../conformance/expectations.js';
import { runCase, type CaseResult } from '../../conformance/runner.js';

const dataDir = process.env.TSNN_WPT_DIR ?? DEFAULT_DATA_DIR;
const haveData = existsSync(dataDir);
const ci = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());

test('WPT WebNN conformance cases', { skip: haveData || ci ? false : `no conformance data at ${dataDir} (it lives in ../shared/wpt-webnn)` }, async (t) => {
  assert.ok(haveData, `no conformance data at ${dataDir} (it lives in ../shared/wpt-webnn, or set TSNN_WPT_DIR); CI=${process.env.CI} requires it`);
  const cases = loadCases(dataDir);
  assert.ok(cases.length > 0, 'the data directory holds cases');
  const context = await ml.createContext();
  const expectations = loadExpectations();
  const byFile = new Map<string, typeof cases>();
  for (const c of cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  const all: CaseResult[] = [];
  for (const [file, fileCases] of byFile) {
    await t.test(file, async () => {
      const results: CaseResult[] = [];
      for (const c of fileCases) results.push(await runCase(context, c));
      all.push(...results);
      const { unexpected } = judge(results, expectations);
      assert.deepEqual(unexpected.map((u) => `${u.result.key}: ${u.why}`), []);
    });
  }
  const passed = all.filter((r) => r.status === 'pass').length;
  t.diagnostic(`${all.length} cases: ${passed} passed, ${all.filter((r) => r.status === 'fail').length} failed, ${all.filter((r) => r.status === 'unimplemented').length} not implemented`);
  assert.ok(passed > 0);
});
