import { describe, expect, it } from 'vitest';
import { newPublicId, newToken, parseToken } from './tokens.js';

describe('tokens', () => {
  it('are 32 random bytes as 43 base64url characters, hashed for storage', () => {
    const token = newToken();
    expect(token.text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token.bytes).toHaveLength(32);
    expect(token.hash).not.toContain(token.text);
    expect(newToken().text).not.toBe(token.text);
  });

  it('parse back to the same hash', () => {
    const token = newToken();
    expect(parseToken(token.text)?.hash).toBe(token.hash);
  });

  it('reject anything that cannot be one of ours', () => {
    expect(parseToken('')).toBeUndefined();
    expect(parseToken('short')).toBeUndefined();
    expect(parseToken(`${newToken().text}A`)).toBeUndefined();
    expect(parseToken('!'.repeat(43))).toBeUndefined();
    // Same bytes, non-canonical last character: one token has exactly one text.
    const text = newToken().text;
    const last = text.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[(alphabet.indexOf(last) ^ 1) % 64] ?? 'A';
    expect(parseToken(text.slice(0, -1) + sibling)).toBeUndefined();
  });

  it('public ids are random and unrelated to tokens', () => {
    expect(newPublicId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newPublicId()).not.toBe(newPublicId());
  });
});
