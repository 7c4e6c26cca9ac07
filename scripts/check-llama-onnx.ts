// Checks a folder written by scripts/export-llama.py from JavaScript: the tokenizer in @huggingface/tokenizers
// and the ONNX decoder in onnxruntime-node (past length 0 and > 0, chunked prefill, left padding) against the
// eager PyTorch numbers of its reference.json. Exit code 1 on any mismatch.
//   node --import tsx scripts/check-llama-onnx.ts DIR
import { checkFolder, readJson, type LlamaReference } from '../test/support/llama-reference.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node --import tsx scripts/check-llama-onnx.ts MODEL_DIR');
  process.exit(2);
}
const ref = readJson<LlamaReference>(dir, 'reference.json');
const t0 = performance.now();
const r = await checkFolder(dir);
const tol = ref.tolerance;
const checks: [string, boolean, string][] = [
  ['tokenizer encodes the prompt to prompt_ids', JSON.stringify(r.tokenizerIds) === JSON.stringify(ref.prompt_ids), `${r.tokenizerIds.length} ids`],
  ['tokenizer decodes prompt_ids to the prompt', r.tokenizerText === ref.prompt, JSON.stringify(r.tokenizerText.slice(0, 60))],
  ['tokenizer decodes the greedy ids as Python does', r.greedyText === ref.greedy.text, JSON.stringify(r.greedyText.slice(0, 60))],
  ['prefill logits (past 0)', r.prefillDiff <= tol, `max |diff| ${r.prefillDiff.toExponential(2)}`],
  ['first decode step logits (past > 0)', r.decodeDiff <= tol, `max |diff| ${r.decodeDiff.toExponential(2)}`],
  ['greedy ids with the KV cache', JSON.stringify(r.greedy) === JSON.stringify(ref.greedy.new_ids), `${r.greedy.length} tokens`],
  ['prompt in two chunks (past > 0, several tokens)', r.chunkedDiff <= tol, `max |diff| ${r.chunkedDiff.toExponential(2)}`],
  ['left padding in a batch of 2', r.paddedDiff <= tol, `max |diff| ${r.paddedDiff.toExponential(2)}`],
];
let failed = 0;
for (const [name, ok, detail] of checks) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  if (!ok) failed++;
}
console.log(`${failed ? 'FAILED' : 'all checks passed'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
process.exit(failed ? 1 : 0);
