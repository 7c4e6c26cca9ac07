// Asking for an accelerator: WebGPU when an adapter works, else the CPU — and, either way, nothing written to the
// program's stderr (the probe runs in a child process, whose native warnings, e.g. a missing Vulkan library, are
// dropped).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('an accelerated context says which device serves it and writes nothing to stderr', () => {
  const script = `
    import { ml } from './src/index.js';
    const ctx = await ml.createContext({ accelerated: true });
    console.log(JSON.stringify({ accelerated: ctx.accelerated, backend: ctx.backend }));
    ctx.destroy();
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const { accelerated, backend } = JSON.parse(r.stdout) as { accelerated: boolean; backend: string };
  if (accelerated) assert.match(backend, /\(webgpu\)$/);
  else assert.match(backend, /\(cpu; webgpu unavailable: .+\)$/);
});
