// matmul → ONNX MatMul (same numpy batch-broadcast semantics for rank ≥ 2).
import { defineLowering } from '../emitter.js';

defineLowering('matmul', (n, e) => void e.node('MatMul', n.inputs, n.outputs));
