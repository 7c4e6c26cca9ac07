// Validators for assert.throws/rejects: the spec's error classes (a plain TypeError, not a DOMException, or a
// DOMException of a given name) with messages that say what went wrong.
import assert from 'node:assert/strict';

function show(err: unknown): string {
  if (err instanceof Error || err instanceof DOMException) return `${err.constructor.name} ${err.name}: ${err.message}`;
  return String(err);
}

/** A plain TypeError whose message matches `message`. */
export function typeError(message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${show(err)}`);
    assert.match(err.message, message);
    return true;
  };
}

/** A plain TypeError whose message starts with "op [label]: " and matches `message`. */
export function opTypeError(op: string, label: string, message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${show(err)}`);
    assert.ok(err.message.startsWith(`${op} [${label}]: `), `message "${err.message}" does not name ${op} [${label}]`);
    assert.match(err.message, message);
    return true;
  };
}

/** A DOMException named `name` whose message matches `message`. */
export function domException(name: string, message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof DOMException, `expected a DOMException ${name}, got ${show(err)}`);
    assert.equal(err.name, name, `expected ${name}, got ${show(err)}`);
    assert.match(err.message, message);
    return true;
  };
}

/** Asserts `fn` throws a TypeError whose message is `message` (a string: exactly) or matches it (a RegExp). */
export function throwsType(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TypeError, `expected a TypeError, got ${show(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}
