// Loads every lowering family so that each registers its lowerings.
import './elementwise.js';
import './activation.js';
import './matmul.js';
import './movement.js';
import './convolution.js';
import './pooling.js';
import './resample.js';
