// Base64 for the IR's JSON form, without platform APIs (Node's Buffer and browsers' btoa differ; neither is used
// by the platform-neutral core).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map([...ALPHABET].map((ch, i) => [ch, i]));

export function toBase64(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out.push(ALPHABET[n >> 18]!, ALPHABET[(n >> 12) & 63]!, b === undefined ? '=' : ALPHABET[(n >> 6) & 63]!, c === undefined ? '=' : ALPHABET[n & 63]!);
  }
  return out.join('');
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let k = 0;
  for (const ch of clean) {
    const v = VALUES.get(ch);
    if (v === undefined) throw new TypeError(`base64: unexpected character ${JSON.stringify(ch)}`);
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[k++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
