import fc from "fast-check";

/** The JSON Schema subset zod's `toJSONSchema` writes for Quorum's request schemas. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

/** Text no database can store: NUL and lone surrogates, anywhere in a string. */
export const unstorable = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom("\u0000", "\uD800", "\uDFFF", "\uDBFF", "\uDC00", "\u0000\u0000"),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, bad, b]) => `${a}${bad}${b}`);

const BIDI = [
  "\u202A",
  "\u202B",
  "\u202C",
  "\u202D",
  "\u202E",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u200E",
  "\u200F",
  "\u061C",
];
/** Bidirectional controls and other control characters (refused in names, allowed in free text). */
export const bidi = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...BIDI, "\u0007", "\u001B", "\u009B"), fc.string({ maxLength: 6 }))
  .map(([a, c, b]) => `${a}${c}${b}`);

/** Numbers at and past every edge a column or a schema has. */
export const edgeNumber = fc.constantFrom(
  -1,
  -0.5,
  0,
  0.5,
  101,
  1001,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  1e21,
  1e308,
  -1e308,
  5e-324,
);

const anyScalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);

/** A value of a JSON type the property does not take (most of the time: the oracle decides). */
const wrongType = fc.oneof(
  anyScalar,
  fc.constant([]),
  fc.constant({}),
  fc.array(anyScalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), anyScalar, { maxKeys: 3 }),
);

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, "");
  return root.$defs?.[name] ?? {};
}

const typesOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/**
 * A value shaped like `schema` that is often, not always, wrong: the right type with values past its
 * limits (too long, out of range, not in the enum), the wrong type, or text that is not storable or
 * not a good name. The oracle (the route's own schema and the text rules) decides whether it is bad.
 */
export function valueFor(schemaIn: JsonSchema, root: JsonSchema, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(schemaIn, root);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => valueFor(a, root, ids, depth)));
  if (depth > 3) return anyScalar;
  if (schema.enum)
    return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: wrongType });
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), wrongType);
  const types = typesOf(schema);
  const options: Array<fc.Arbitrary<unknown>> = [wrongType];
  if (types.includes("string")) {
    const max = schema.maxLength ?? 200;
    options.push(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(...(ids.length ? ids : ["x"])),
      fc.constant(""),
      fc.constant("   "),
      fc.constant("x".repeat(Math.min(max + 1, 60_000))),
      unstorable,
      bidi,
      fc.constantFrom("2026-11-23T09:00:00Z", "not a date", "acme.com", "a@b.c", "salesforce"),
    );
  }
  if (types.includes("number") || types.includes("integer")) options.push(edgeNumber, fc.integer({ min: -5, max: 120 }));
  if (types.includes("boolean")) options.push(fc.boolean());
  if (types.includes("null")) options.push(fc.constant(null));
  if (types.includes("array")) {
    const item = schema.items ? valueFor(schema.items, root, ids, depth + 1) : anyScalar;
    options.push(fc.array(item, { maxLength: 3 }));
    if (schema.maxItems !== undefined && schema.maxItems <= 100)
      options.push(fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 }));
  }
  if (types.includes("object") || schema.properties) options.push(objectFor(schema, root, ids, depth + 1));
  return fc.oneof(...options);
}

/** An object with some of the schema's properties (required ones usually present) and now and then an extra one. */
export function objectFor(schema: JsonSchema, root: JsonSchema, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const entries = props.map(([key, s]) =>
    fc.tuple(fc.constant(key), fc.double({ min: 0, max: 1, noNaN: true }), valueFor(s, root, ids, depth)),
  );
  const extra =
    schema.additionalProperties && typeof schema.additionalProperties === "object"
      ? fc.dictionary(
          schema.propertyNames?.maxLength
            ? fc.oneof(fc.string({ maxLength: 8 }), fc.constant("k".repeat(schema.propertyNames.maxLength + 1)))
            : fc.string({ maxLength: 8 }),
          valueFor(schema.additionalProperties, root, ids, depth),
          { maxKeys: 4 },
        )
      : fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), anyScalar, { maxKeys: 2 }), { nil: {} });
  return fc.tuple(fc.tuple(...entries), extra).map(([chosen, more]) => {
    const out: Record<string, unknown> = { ...(more as Record<string, unknown>) };
    for (const [key, p, value] of chosen) if (p < (required.has(key) ? 0.85 : 0.5)) out[key] = value;
    return out;
  });
}

/** Paths to every string and key of a JSON value (where unstorable text can be put). */
function textSlots(value: unknown, path: Array<string | number> = []): Array<{ path: Array<string | number>; key: boolean }> {
  if (typeof value === "string") return [{ path, key: false }];
  if (Array.isArray(value)) return value.flatMap((v, i) => textSlots(v, [...path, i]));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [{ path: [...path, k], key: true }, ...textSlots(v, [...path, k])]);
  return [];
}

/** `value` with unstorable text put into one of its strings or keys (or a new field when it has none). */
export function withUnstorableText(value: unknown, pick: number, bad: string): unknown {
  const copy = structuredClone(value);
  const slots = textSlots(copy);
  if (!slots.length || typeof copy !== "object" || copy === null) return { [`x${bad}`]: bad };
  const slot = slots[Math.floor(pick * slots.length) % slots.length]!;
  const parentPath = slot.path.slice(0, -1);
  const last = slot.path.at(-1)!;
  let parent: any = copy;
  for (const p of parentPath) parent = parent[p];
  if (slot.key) {
    parent[`${String(last)}${bad}`] = parent[last];
    delete parent[last];
  } else parent[last] = `${parent[last]}${bad}`;
  return copy;
}

/** A body nested `depth` levels deep (arrays or objects). */
export function nested(depth: number, inner: unknown, arrays: boolean): string {
  const open = arrays ? "[" : '{"a":';
  const close = arrays ? "]" : "}";
  return `${open.repeat(depth)}${JSON.stringify(inner)}${close.repeat(depth)}`;
}

/** Text that is not JSON, or JSON cut short. */
export const notJson = fc.oneof(
  fc.constantFrom("{", '{"name":', "name=Acme", "[1,2", '{"a":1,}', "{'a':1}", "undefined", "NaN", '{"a":01}', '"\\x00"'),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return s.trim() !== "";
    }
  }),
);
