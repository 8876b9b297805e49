import { describe, expect, it } from 'vitest';
import { type JsonBudget, JsonMeter } from './json-shape.js';

const measureJson = (bytes: Uint8Array, budget: JsonBudget) => new JsonMeter(budget).feed(bytes);

const measure = (text: string, values = 8, depth = 4) =>
  measureJson(Buffer.from(text, 'utf8'), { values, depth });

describe('JsonMeter, fed a whole body', () => {
  it('counts strings, keys, members and containers', () => {
    // {"a":1,"b":[1,2]}: the object, 2 keys, 1 comma, the array, 1 comma = 6 values.
    expect(measure('{"a":1,"b":[1,2]}', 6)).toBe('ok');
    expect(measure('{"a":1,"b":[1,2]}', 5)).toBe('too_many_values');
  });

  it('ignores structure inside strings, escaped quotes and backslashes included', () => {
    expect(measure(JSON.stringify({ secret: `{[,,,"]}\\"\\\\${',{'.repeat(50)}` }), 3)).toBe('ok');
    expect(measure(JSON.stringify({ s: 'a\\' }), 3)).toBe('ok');
    // The object, 3 keys, 3 values, 2 commas.
    expect(measure(JSON.stringify({ s: '\\', t: '\\"', u: 'x' }), 9)).toBe('ok');
    expect(measure(JSON.stringify({ s: '\\', t: '\\"', u: 'x' }), 8)).toBe('too_many_values');
  });

  it('reads structure byte by byte beside multi-byte UTF-8 text', () => {
    // The object, 2 keys, a string, a comma, the array and its string.
    expect(measure(JSON.stringify({ ключ: 'значение, 秘密 🔑', b: ['é'] }), 7)).toBe('ok');
    expect(measure(JSON.stringify({ ключ: 'значение, 秘密 🔑', b: ['é'] }), 6)).toBe('too_many_values');
  });

  it('refuses nesting past the depth', () => {
    expect(measure('[[[[1]]]]', 8, 4)).toBe('ok');
    expect(measure('[[[[[1]]]]]', 8, 4)).toBe('too_deep');
    expect(measure('{"a":{"b":{"c":{"d":{}}}}}', 100, 4)).toBe('too_deep');
  });

  it('stops at the budget on a body of half a million keys', () => {
    const keys = Array.from({ length: 450_000 }, (_, i) => `"k${i}":1`).join(',');
    expect(measureJson(Buffer.from(`{${keys}}`), { values: 32, depth: 16 })).toBe('too_many_values');
  });

  it('leaves malformed JSON to the parser', () => {
    expect(measure('{"unterminated')).toBe('ok');
    expect(measure(']]]]')).toBe('ok');
    expect(measure('')).toBe('ok');
  });
});

describe('JsonMeter, fed in chunks', () => {
  const chunked = (text: string, size: number, values = 8, depth = 4) => {
    const bytes = Buffer.from(text, 'utf8');
    const meter = new JsonMeter({ values, depth });
    let verdict = 'ok';
    for (let i = 0; i < bytes.length; i += size) verdict = meter.feed(bytes.subarray(i, i + size));
    return verdict;
  };

  it('gives the same verdict at every chunk size, escapes split across chunks included', () => {
    const texts = [
      JSON.stringify({ s: 'a\\"b,c', t: '\\\\', u: ['x', { v: '"' }] }),
      JSON.stringify({ secret: `${'\\'.repeat(7)}"{[,]}`, more: [1, 2, 3] }),
      '{"a":{"b":{"c":{"d":{}}}}}',
      JSON.stringify({ ключ: 'значение, 秘密 🔑', b: ['é'] }),
    ];
    for (const text of texts) {
      for (const budget of [4, 6, 7, 8, 12]) {
        const whole = measure(text, budget);
        for (const size of [1, 2, 3, 5, 8])
          expect(chunked(text, size, budget), `${text} / ${budget} / ${size}`).toBe(whole);
      }
    }
  });

  it('refuses at the first chunk that spends the budget, and keeps refusing', () => {
    const meter = new JsonMeter({ values: 32, depth: 16 });
    const keys = Buffer.from(`{${Array.from({ length: 1000 }, (_, i) => `"k${i}":1`).join(',')}}`);
    expect(meter.feed(keys.subarray(0, 500))).toBe('too_many_values');
    expect(meter.feed(Buffer.from('}'))).toBe('too_many_values');
  });
});
