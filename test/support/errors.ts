// Assertions for the errors tests expect: plain TypeErrors (not DOMExceptions), by message.
import assert from 'node:assert/strict';

/** For assert.throws: a plain TypeError whose message matches `message`. */
export function typeError(message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  };
}

/** For assert.throws: a plain TypeError whose message starts with "op [label]: " and matches `message`. */
export function opTypeError(op: string, label: string, message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${op} [${label}]: `), `message "${err.message}" does not name ${op} [${label}]`);
    assert.match(err.message, message);
    return true;
  };
}
