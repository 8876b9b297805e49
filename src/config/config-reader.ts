import { secondsWithWords } from '../format/human-duration.js';

/**
 * Typed readers for HUSH_* environment values. Each reader records a clear message instead of
 * throwing, so one start reports every bad setting at once.
 */
export class ConfigReader {
  readonly errors: string[] = [];
  readonly seen = new Set<string>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  private raw(name: string): string | undefined {
    this.seen.add(name);
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) {
      this.errors.push(`${name} must be a whole number, got "${value}"`);
      return fallback;
    }
    const n = Number(value);
    if (n < min || n > max) {
      const range = name.endsWith('_SECONDS')
        ? `${secondsWithWords(min)} and ${secondsWithWords(max)}`
        : `${min} and ${max}`;
      this.errors.push(`${name} must be between ${range}, got ${value}`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.errors.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.errors.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }

  fail(message: string): void {
    this.errors.push(message);
  }
}
