import fc from 'fast-check';
import { anyJsonText, oddValue, pathText } from './arbitraries.js';
import { integerFor, type Mode, stringFor } from './field-arbitraries.js';
import type { JsonSchema } from './openapi-routes.js';
import { toJsonText } from './support.js';

/**
 * Arbitraries derived from a route's JSON schema: JSON bodies (as text, so raw literals such as
 * 1e400 survive), form bodies and query strings; `near` ones mostly valid, so requests get past
 * validation into the services, `wild` ones anything, with odd values mixed into every field.
 */

const branches = (schema: JsonSchema) =>
  (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as
    | JsonSchema[]
    | undefined;

/** The schema of an object's free-form entries (a TypeBox Record), if it has them. */
function entrySchema(schema: JsonSchema): JsonSchema | undefined {
  const pattern = schema.patternProperties as Record<string, JsonSchema> | undefined;
  if (pattern) return Object.values(pattern)[0];
  return typeof schema.additionalProperties === 'object'
    ? (schema.additionalProperties as JsonSchema)
    : undefined;
}

const keyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^(org:[a-z]{1,8}|team:[a-z]{1,8}\/[a-z]{1,8}|user:[a-z]{1,8})$/),
  fc.constantFrom(
    '',
    '__proto__',
    'constructor',
    'prototype',
    '\u0000',
    'k'.repeat(129),
    '\ud800',
    'toString',
  ),
);

/** A value of no declared type (a setting's value): numbers near the bounds, booleans, maps. */
const unknownValue = fc.oneof(
  fc
    .constantFrom(0, 1, 10, 60, 100, 1000, 3600, 86_400, 1_048_576, 31_536_000, 315_360_001, true, false)
    .map(String),
  fc
    .constantFrom(
      {},
      { 'org:acme': 'user' },
      { 'team:acme/ops': 'admin' },
      { 'user:x': 'root' },
      { bad: 'user' },
    )
    .map(toJsonText),
  fc.jsonValue({ maxDepth: 2 }).map(toJsonText),
);

/** JSON text for a value of `schema`; mostly well typed, sometimes any odd literal. */
export function jsonFor(
  schema: JsonSchema | undefined,
  field = '',
  depth = 0,
  mode: Mode = 'wild',
): fc.Arbitrary<string> {
  const typed = typedJsonFor(schema ?? {}, field, depth, mode);
  return fc.oneof({ weight: mode === 'near' ? 20 : 5, arbitrary: typed }, { weight: 1, arbitrary: oddValue });
}

function typedJsonFor(schema: JsonSchema, field: string, depth: number, mode: Mode): fc.Arbitrary<string> {
  const anyOf = branches(schema);
  if (anyOf) return fc.oneof(...anyOf.map((branch) => typedJsonFor(branch, field, depth, mode)));
  if (Array.isArray(schema.enum)) {
    return fc.oneof(
      {
        weight: mode === 'near' ? 30 : 4,
        arbitrary: fc.constantFrom(...(schema.enum as unknown[])).map(toJsonText),
      },
      { weight: 1, arbitrary: stringFor({}, field, mode).map(toJsonText) },
    );
  }
  if ('const' in schema) return fc.constant(toJsonText(schema.const));
  switch (schema.type) {
    case 'string':
      return stringFor(schema, field, mode).map(toJsonText);
    case 'integer':
    case 'number':
      return integerFor(schema, mode);
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'null':
      return fc.constant('null');
    case 'array': {
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : 8;
      return fc
        .array(jsonFor(schema.items as JsonSchema, field, depth + 1, mode), {
          maxLength: Math.min(max + 1, 20),
        })
        .map((items) => `[${items.join(',')}]`);
    }
    case 'object':
      return objectFor(schema, depth, mode);
    default:
      return depth === 0 ? anyJsonText.filter((text) => text !== '') : unknownValue;
  }
}

/**
 * The declared fields of an object: `wild` includes each with even odds; `near` always includes
 * the required ones and each optional one only now and then (every field is a chance to fail).
 */
function fieldsOf<T>(
  schema: JsonSchema,
  mode: Mode,
  valueFor: (schema: JsonSchema, key: string) => fc.Arbitrary<T>,
): fc.Arbitrary<[string, T][]> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const fields = Object.entries(properties).map(([key, value]) => {
    const present = valueFor(value, key).map((v): [string, T] | undefined => [key, v]);
    const absent = fc.constant(undefined);
    if (mode === 'wild') return fc.oneof(present, absent);
    if (required.includes(key))
      return fc.oneof({ weight: 30, arbitrary: present }, { weight: 1, arbitrary: absent });
    return fc.oneof({ weight: 1, arbitrary: present }, { weight: 3, arbitrary: absent });
  });
  return fc.tuple(...fields).map((list) => list.filter((entry): entry is [string, T] => entry !== undefined));
}

function objectFor(schema: JsonSchema, depth: number, mode: Mode): fc.Arbitrary<string> {
  const known = fieldsOf(schema, mode, (value, key) => jsonFor(value, key, depth + 1, mode));
  const entries = entrySchema(schema);
  const maxEntries = typeof schema.maxProperties === 'number' ? schema.maxProperties : 8;
  const free = entries
    ? fc.oneof(
        {
          weight: 6,
          arbitrary: fc.array(fc.tuple(keyText, jsonFor(entries, '', depth + 1, mode)), { maxLength: 4 }),
        },
        {
          weight: 1,
          arbitrary: fc.constant(
            Array.from({ length: maxEntries + 1 }, (_, i) => [`k${i}`, '"v"'] as [string, string]),
          ),
        },
      )
    : fc.constant([] as [string, string][]);
  // Unknown fields are rare: a body with one is a plain 400, which teaches little.
  const extra = fc.oneof(
    { weight: mode === 'near' ? 30 : 8, arbitrary: fc.constant([] as [string, string][]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(keyText, oddValue), { minLength: 1, maxLength: 2 }) },
  );
  return fc.tuple(known, free, extra).map(([fields, freeEntries, extraEntries]) => {
    const all = [...fields, ...freeEntries, ...extraEntries];
    return `{${all.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
  });
}

/** A form field's text: what a JSON value of the field would read as, or odd spellings. */
function formValueFor(schema: JsonSchema, field: string, mode: Mode): fc.Arbitrary<string[]> {
  const one = (() => {
    if (schema.type === 'integer' || schema.type === 'number') {
      return fc.oneof(
        { weight: mode === 'near' ? 20 : 2, arbitrary: integerFor(schema, mode) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('', ' 5', '0x10', '1e3', '-0', '3600.0', 'NaN', 'Infinity', '१२'),
        },
      );
    }
    if (schema.type === 'boolean') {
      return fc.oneof(
        { weight: mode === 'near' ? 20 : 2, arbitrary: fc.constantFrom('true', 'false') },
        { weight: 1, arbitrary: fc.constantFrom('1', '0', 'yes', '', 'TRUE') },
      );
    }
    const anyOf = branches(schema);
    const text = anyOf?.find((branch) => branch.type === 'string') ?? schema;
    return stringFor(text, field, mode);
  })();
  return fc.oneof(
    { weight: mode === 'near' ? 20 : 5, arbitrary: one.map((v) => [v]) },
    { weight: 1, arbitrary: fc.array(one, { maxLength: 3 }) },
  );
}

/** A form-encoded body for an object schema: field pairs (repeated fields too), or raw odd text. */
export function formFor(schema: JsonSchema | undefined, mode: Mode = 'wild'): fc.Arbitrary<string> {
  const extras = fc.oneof(
    { weight: mode === 'near' ? 30 : 4, arbitrary: fc.constant([] as [string, string][]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(keyText, fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 2 }),
    },
  );
  const pairs = fieldsOf(schema ?? {}, mode, (value, key) => formValueFor(value, key, mode)).chain((fields) =>
    extras.map((extra) => {
      const list = [...fields.flatMap(([k, vs]) => vs.map((v) => [k, v])), ...extra];
      return list.map(([k, v]) => `${encode(k ?? '')}=${encode(v ?? '')}`).join('&');
    }),
  );
  const raw = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      '',
      '=',
      '&&&',
      '%zz=1',
      'grant_type=%00',
      'a[b]=c',
      '__proto__[x]=1&grant_type=password',
      'constructor=1',
      'grant_type=password&grant_type=password',
      'grant_type=password&username=%FF&password=%C0%AF',
      `grant_type=${'x'.repeat(20_000)}`,
    ),
  );
  return fc.oneof({ weight: mode === 'near' ? 30 : 5, arbitrary: pairs }, { weight: 1, arbitrary: raw });
}

const encode = (text: string) => {
  try {
    return encodeURIComponent(text).replace(/%7B/g, '{').replace(/%7D/g, '}');
  } catch {
    return text;
  }
};

/** A query string for the route's documented parameters, sometimes with unknown or repeated ones. */
export function queryFor(
  params: readonly { name: string; schema: JsonSchema }[],
  mode: Mode = 'wild',
): fc.Arbitrary<string> {
  const names = params.map((p) => p.name);
  const extras = fc.oneof(
    { weight: mode === 'near' ? 30 : 4, arbitrary: fc.constant([] as [string, string][]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(fc.oneof(keyText, fc.constantFrom(...names, 'x')), pathText), {
        minLength: 1,
        maxLength: 2,
      }),
    },
  );
  const pairs = fc
    .record(Object.fromEntries(params.map((p) => [p.name, formValueFor(p.schema, p.name, mode)])), {
      requiredKeys: [],
    })
    .chain((fields) =>
      extras.map((extra) => [
        ...Object.entries(fields).flatMap(([k, vs]) => (vs ?? []).map((v) => [k, v])),
        ...extra,
      ]),
    )
    .chain((list) =>
      fc
        .boolean()
        .map((raw) => list.map(([k, v]) => (raw ? `${k}=${v}` : `${encode(k ?? '')}=${encode(v ?? '')}`))),
    );
  return fc.oneof(
    {
      weight: mode === 'near' ? 30 : 6,
      arbitrary: pairs.map((list) => (list.length > 0 ? `?${list.join('&')}` : '')),
    },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&', '?=', '?%zz', '?a=%00', `?${'a=1&'.repeat(2000)}`) },
  );
}
