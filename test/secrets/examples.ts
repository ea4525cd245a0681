/**
 * Made-up secrets in the shapes of real ones, built at run time so that no token-shaped string
 * is committed. Deterministic: the same example every run.
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const BASE64 = `${ALNUM}+/`;
export const URLSAFE = `${ALNUM}_-`;
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

let state = 0x5eed;
/** `length` characters of `alphabet`, from a fixed pseudo-random sequence. */
export function fake(length: number, alphabet = ALNUM): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    text += alphabet[(state >>> 16) % alphabet.length];
  }
  return text;
}

/** A PEM block of `label` with a body of made-up base64. */
export function pem(label: string, headers = ''): string {
  const lines = Array.from({ length: 4 }, () => fake(64, BASE64));
  return `-----BEGIN ${label}-----\n${headers}${lines.join('\n')}\n-----END ${label}-----\n`;
}

export const uuid = (): string =>
  `${fake(8, HEX)}-${fake(4, HEX)}-${fake(4, HEX)}-${fake(4, HEX)}-${fake(12, HEX)}`;
