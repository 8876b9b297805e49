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
 * Counts a JSON text's values and nesting on its UTF-8 bytes as they arrive, and says "too much"
 * as soon as the budget is spent: a body of half a million keys is refused at its first chunk,
 * before it is read whole, parsed, NUL-checked or validated. Multi-byte UTF-8 sequences never
 * contain ASCII bytes, so structure can be read byte by byte; strings are skipped with native
 * searches. Malformed JSON is left for the parser to refuse: this only ever says "too much".
 */
export class JsonMeter {
  private values = 0;
  private depth = 0;
  private inString = false;
  /** The previous chunk ended inside a string on an odd run of backslashes. */
  private escapePending = false;
  private verdict: JsonShape = 'ok';

  constructor(private readonly budget: JsonBudget) {}

  /** Reads the next chunk; once a verdict is not 'ok', it stays. */
  feed(bytes: Uint8Array): JsonShape {
    if (this.verdict !== 'ok') return this.verdict;
    let i = 0;
    while (i < bytes.length) {
      if (this.inString) {
        i = this.skipString(bytes, i);
        continue;
      }
      const byte = bytes[i++];
      if (byte === QUOTE) {
        this.inString = true;
        if (++this.values > this.budget.values) return this.refuse('too_many_values');
      } else if (byte === COMMA) {
        if (++this.values > this.budget.values) return this.refuse('too_many_values');
      } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (++this.values > this.budget.values) return this.refuse('too_many_values');
        if (++this.depth > this.budget.depth) return this.refuse('too_deep');
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        this.depth--;
      }
    }
    return 'ok';
  }

  private refuse(verdict: JsonShape): JsonShape {
    this.verdict = verdict;
    return verdict;
  }

  /** Moves past string text from `from`: to just after its closing quote, or to the chunk's end. */
  private skipString(bytes: Uint8Array, from: number): number {
    let start = from;
    if (this.escapePending) {
      this.escapePending = false;
      start++;
    }
    for (let at = start; ; ) {
      const quote = bytes.indexOf(QUOTE, at);
      if (quote === -1) {
        // The string goes on in the next chunk: does this one end on an escaping backslash?
        this.escapePending = backslashesBefore(bytes, bytes.length, start) % 2 === 1;
        return bytes.length;
      }
      // Escaped when an odd number of backslashes precede it.
      if (backslashesBefore(bytes, quote, start) % 2 === 0) {
        this.inString = false;
        return quote + 1;
      }
      at = quote + 1;
    }
  }
}

/** How many backslashes run back from just before `end`, not counting any before `floor`. */
function backslashesBefore(bytes: Uint8Array, end: number, floor: number): number {
  let count = 0;
  while (end - count - 1 >= floor && bytes[end - count - 1] === BACKSLASH) count++;
  return count;
}
