/**
 * The API speaks snake_case (src/http/schemas/*.ts); TypeScript code reads camelCase. These turn one
 * into the other at the top level only, in the types and at run time alike, so a client type is the
 * schema's `Static` renamed rather than a second declaration that could drift from it. Nested objects
 * (a receipt's timeline entries) keep the API's names, in the type as on the wire.
 */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** `T` with camelCase top-level names: `{ views_left?: number }` → `{ readonly viewsLeft?: number }`. */
export type CamelKeys<T> = { readonly [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

/** The inverse, for request bodies written in camelCase. */
export type SnakeKeys<T> = { [K in keyof T as K extends string ? SnakeCase<K> : K]: T[K] };

export function camelKeys<T extends object>(json: T): CamelKeys<T> {
  const entries = Object.entries(json).map(([k, v]) => [
    k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
    v,
  ]);
  return Object.fromEntries(entries) as CamelKeys<T>;
}

export function snakeKeys<T extends object>(value: T): SnakeKeys<T> {
  const entries = Object.entries(value).map(([k, v]) => [
    k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    v,
  ]);
  return Object.fromEntries(entries) as SnakeKeys<T>;
}
