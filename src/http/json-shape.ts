/** How much structure a JSON body may have before it is parsed. */
export interface JsonBudget {
  /** Strings (keys included), objects, arrays and array or object members. */
  readonly values: number;
  readonly depth: number;
}

export type JsonShape = 'ok' | 'too_many_values' | 'too_deep';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Counts a JSON text's values and nesting on its UTF-8 bytes, stopping as soon as the budget is
 * spent, so a body with half a million keys costs a scan of its bytes instead of JSON.parse, the
 * NUL check and validation of every key. Multi-byte UTF-8 sequences never contain ASCII bytes, so
 * structure can be read byte by byte; strings are skipped with native searches. Malformed JSON is
 * left for the parser to refuse: this only ever says "too much".
 */
export function measureJson(bytes: Uint8Array, budget: JsonBudget): JsonShape {
  let values = 0;
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      if (++values > budget.values) return 'too_many_values';
      i = closingQuote(bytes, i + 1);
    } else if (byte === COMMA) {
      if (++values > budget.values) return 'too_many_values';
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++values > budget.values) return 'too_many_values';
      if (++depth > budget.depth) return 'too_deep';
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return 'ok';
}

/** The index of the quote that ends a string whose text starts at `from` (or the end). */
function closingQuote(bytes: Uint8Array, from: number): number {
  let at = from;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, at);
    if (quote === -1) return bytes.length;
    // Escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (quote - slashes - 1 >= from && bytes[quote - slashes - 1] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote;
    at = quote + 1;
  }
}
