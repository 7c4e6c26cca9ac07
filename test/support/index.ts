// The helpers the tests share; harnesses for one kind of test live beside this file (flexible.ts for dynamic
// dimensions, limits.ts for opSupportLimits() truth, wpt.ts for WPT-style validation tables, cli.ts for the CLI).
export * from './values.js';
export * from './errors.js';
export * from './graph.js';
