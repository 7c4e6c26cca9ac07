// Loads every operator family so that each registers its ops.
import './elementwise.js';
import './activation.js';
import './matmul.js';
import './movement.js';
import './convolution.js';
import './pooling.js';
import './resample.js';

export { allOps, getOp } from './registry.js';
