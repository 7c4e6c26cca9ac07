// DOMException helpers for the spec's named errors (TypeError is thrown directly).
export function invalidState(message: string): DOMException {
  return new DOMException(message, 'InvalidStateError');
}
export function notSupported(message: string): DOMException {
  return new DOMException(message, 'NotSupportedError');
}
export function operationError(message: string): DOMException {
  return new DOMException(message, 'OperationError');
}
export function unknownError(message: string): DOMException {
  return new DOMException(message, 'UnknownError');
}
