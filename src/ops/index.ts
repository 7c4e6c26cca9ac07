// Loads every operator family so that each registers its ops.
import './elementwise.js';
import './activation.js';
import './matmul.js';
import './movement.js';
import './recurrent.js';
import './reduction.js';
import './shaping.js';
import './normalization.js';
import './gather.js';
import './quantization.js';
import './logical.js';
import './where.js';
import './convolution.js';
import './pooling.js';
import './resample.js';

import './internal.js';
export { allOps, getOp, publicOps } from './registry.js';
