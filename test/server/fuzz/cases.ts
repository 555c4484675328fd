import fc from "fast-check";
import { z } from "zod";
import { MAX_JSON_DEPTH } from "../../../server/http/input-guard";
import { fieldIssues } from "../../../server/http/validate";
import { ActivityInput } from "../../../shared/api/activities";
import { unsafeTextIssues } from "../../../shared/api/text";
import { bidi, type JsonSchema, nested, notJson, objectFor, unstorable, withUnstorableText } from "./generators";
import type { FuzzRoute } from "./routes";

/**
 * One bad request and what must come back. `guard`: refused by the input guard in front of every
 * route, whatever the caller's role (even without a token). `fields`: exactly the fields a 400 names.
 */
/** How often each kind is drawn: body cases reach deepest into validation, so they come most often. */
const WEIGHTS: Record<string, number> = { "query-nul": 1, "param-nul": 1, "param-odd": 1, "too-large": 1, items: 12 };

export interface BadRequest {
  kind: string;
  method: string;
  url: string;
  body?: string;
  guard?: 400 | 413;
  fields?: string[];
  /** Per-item batches: the batch is answered 200 with every item rejected, each naming these fields. */
  items?: string[][];
}

/** Schemas of the arrays that routes validate item by item (RouteDoc `perItem`). */
export const PER_ITEM_SCHEMAS: Record<string, z.ZodType> = { activities: ActivityInput };

const uniq = (xs: string[]) => [...new Set(xs)].sort();

/** The fields a body is refused for, as the server names them; null when the body is acceptable. */
export function expectedBodyFields(body: unknown, schema: z.ZodType, perItem?: string): string[] | null {
  const text = unsafeTextIssues(body, { skipItemsOf: perItem });
  if (text.length) return uniq(text.map((i) => i.field));
  const r = schema.safeParse(body);
  return r.success ? null : uniq(fieldIssues(r.error).map((i) => i.field));
}

function itemFields(item: unknown, schema: z.ZodType): string[] | null {
  const text = unsafeTextIssues(item, { maxIssues: 5 });
  if (text.length) return text.map((i) => i.field);
  const r = schema.safeParse(item);
  return r.success ? null : fieldIssues(r.error).map((i) => i.field);
}

const safeParamValue = (ids: readonly string[]) => fc.constantFrom(...ids, "x", "v-1");
/** Path parameters that take one of a fixed set of values: a body or query case sends a valid one, so its field is named. */
const ENUM_PARAMS: Record<string, readonly string[]> = { crm: ["salesforce", "hubspot"] };
/** What a URL carries of a string: lone surrogates become U+FFFD (as every URL encoder does), then UTF-8. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
const enc = (s: string) => encodeURIComponent(wellFormed(s));

function pathWith(route: FuzzRoute, values: Record<string, string>, raw: Record<string, string> = {}) {
  return route.path.replace(/:(\w+)/g, (_, name: string) => raw[name] ?? enc(values[name] ?? "x"));
}

function paramValues(route: FuzzRoute, ids: readonly string[]) {
  return fc
    .tuple(...route.params.map((p) => (ENUM_PARAMS[p] ? fc.constantFrom(...ENUM_PARAMS[p]) : safeParamValue(ids))))
    .map((vs) => Object.fromEntries(route.params.map((p, i) => [p, vs[i]!])));
}

/** The query object the server sees for `entries` (one value: a string; several: an array). */
function serverQuery(entries: Array<[string, string]>) {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of entries) {
    const cur = out[k];
    out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return out;
}

const asQueryValues = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x)))
    : [typeof v === "string" ? v : JSON.stringify(v)];

/** Every kind of bad request that applies to `route`, weighted; the suite fails for a route with none. */
export function badRequests(route: FuzzRoute, ids: readonly string[]): Array<fc.WeightedArbitrary<BadRequest>> {
  return allBadRequests(route, ids).map((arbitrary) => ({ arbitrary: arbitrary.arb, weight: WEIGHTS[arbitrary.kind] ?? 3 }));
}

function allBadRequests(route: FuzzRoute, ids: readonly string[]): Array<{ kind: string; arb: fc.Arbitrary<BadRequest> }> {
  const { method } = route;
  const out: Array<{ kind: string; arb: fc.Arbitrary<BadRequest> }> = [];
  const add = (kind: string, ...arbs: Array<fc.Arbitrary<BadRequest>>) => {
    for (const arb of arbs) out.push({ kind, arb });
  };
  const queryKeys = Object.keys(route.querySchema?.properties ?? {});
  const params = paramValues(route, ids);

  // A query parameter (known or not) whose value or name holds NUL: refused by the guard.
  add(
    "query-nul",
    fc
      .tuple(params, fc.constantFrom(...queryKeys, "q", "zz"), fc.string({ maxLength: 6 }), fc.boolean())
      .map(([values, key, pre, inKey]) => ({
        kind: "query-nul",
        method,
        url: `${pathWith(route, values)}?${inKey ? `${enc(`${key}\u0000`)}=1` : `${enc(key)}=${enc(`${pre}\u0000`)}`}`,
        guard: 400 as const,
        fields: [inKey ? "(query)" : key],
      })),
  );

  if (route.params.length) {
    // A path parameter holding NUL: refused by the guard, naming the parameter.
    add(
      "param-nul",
      fc
        .tuple(
          params,
          fc.constantFrom(...route.params),
          fc.string({ maxLength: 6 }),
          fc.string({ maxLength: 6 }),
          fc.constantFrom("", "%ED", "%FF%FE"), // a run that does not decode beside one that does
        )
        .map(([values, p, a, b, odd]) => ({
          kind: "param-nul",
          method,
          url: pathWith(route, values, { [p]: `v${enc(a)}%00${enc(b)}z${odd}` }),
          guard: 400 as const,
          fields: [p],
        })),
    );
    // Too long, bidi, an encoded lone surrogate: not found or refused, never a 5xx.
    add(
      "param-odd",
      fc
        .tuple(
          params,
          fc.constantFrom(...route.params),
          fc.oneof(
            fc.integer({ min: 65, max: 400 }).map((n) => enc("i".repeat(n))),
            bidi.map((s) => enc(`v${s}`)),
            fc.constant("%ED%A0%80"),
            fc.constant("%FF%FE"),
            fc.constant("%"),
          ),
        )
        .map(([values, p, raw]) => ({ kind: "param-odd", method, url: pathWith(route, values, { [p]: raw }) })),
    );
  }

  if (route.querySchema && route.doc?.query) {
    const schema = route.doc.query;
    add(
      "query-schema",
      fc
        .tuple(params, objectFor(route.querySchema, route.querySchema, ids) as fc.Arbitrary<Record<string, unknown>>)
        .map(([values, obj]) => {
          const entries = Object.entries(obj).flatMap(([k, v]) =>
            asQueryValues(v).map((x) => [wellFormed(k), wellFormed(x)] as [string, string]),
          );
          const q = serverQuery(entries);
          const text = Object.entries(q).flatMap(([k, v]) =>
            unsafeTextIssues(k).length ? ["(query)"] : unsafeTextIssues(v, { prefix: [k], maxIssues: 1 }).map((i) => i.field),
          );
          const r = schema.safeParse(q);
          const fields = text.length ? uniq(text) : r.success ? null : uniq(fieldIssues(r.error).map((i) => i.field));
          const qs = entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&");
          return { values, qs, fields, text: text.length > 0 };
        })
        .filter((c) => c.fields !== null)
        .map(({ values, qs, fields, text }) => ({
          kind: text ? "query-nul" : "query-schema",
          method,
          url: `${pathWith(route, values)}?${qs}`,
          ...(text ? { guard: 400 as const } : {}),
          // With a body to validate too, which the route checks first is its own business.
          fields: route.bodySchema && !text ? undefined : fields!,
        })),
    );
  }

  if (method !== "GET") {
    // One byte over the route's limit (and a little more): 413 before anything is parsed.
    add(
      "too-large",
      fc.tuple(params, fc.integer({ min: 1, max: 2000 })).map(([values, extra]) => ({
        kind: "too-large",
        method,
        url: pathWith(route, values),
        body: `{"pad":"${" ".repeat(route.maxBodyBytes + extra)}"}`,
        guard: 413 as const,
      })),
    );
  }

  if (route.bodySchema && route.doc?.body) {
    const schema = route.doc.body;
    const shaped = objectFor(route.bodySchema, route.bodySchema, ids);
    const jsonCase = (kind: string, values: Record<string, string>, b: unknown): BadRequest | null => {
      const body = JSON.stringify(b);
      // Judge what the server receives (JSON writes Infinity as null).
      const fields = expectedBodyFields(JSON.parse(body), schema, route.perItem);
      return fields ? { kind, method, url: pathWith(route, values), body, fields } : null;
    };
    // Shaped like the schema, wrong somewhere (types, limits, enums, missing, extra, names…).
    add(
      "body-schema",
      fc
        .tuple(params, shaped)
        .map(([values, b]) => jsonCase("body-schema", values, b))
        .filter((c): c is BadRequest => c !== null),
    );
    // Shaped like the schema with NUL or a lone surrogate in one of its strings or keys.
    add(
      "body-unstorable",
      fc
        .tuple(params, shaped, fc.double({ min: 0, max: 1, noNaN: true }), unstorable)
        .map(([values, b, pick, bad]) => jsonCase("body-unstorable", values, withUnstorableText(b, pick, bad)))
        .filter((c): c is BadRequest => c !== null),
    );
    // Not an object at all.
    add(
      "body-not-object",
      fc
        .tuple(params, fc.oneof(fc.constant(null), fc.constant([]), fc.integer(), fc.string({ maxLength: 5 }), fc.boolean()))
        .map(([values, b]) => jsonCase("body-not-object", values, b))
        .filter((c): c is BadRequest => c !== null),
    );
    // Too deep, or not JSON: refused naming the body.
    add(
      "body-deep",
      fc
        .tuple(params, fc.integer({ min: MAX_JSON_DEPTH, max: MAX_JSON_DEPTH + 200 }), fc.boolean())
        .map(([values, depth, arrays]) => ({
          kind: "body-deep",
          method,
          url: pathWith(route, values),
          body: route.perItem ? `{"${route.perItem}":${nested(depth, {}, arrays)}}` : `{"x":${nested(depth, "deep", arrays)}}`,
          fields: ["(body)"],
        })),
      fc.tuple(params, notJson).map(([values, text]) => ({
        kind: "body-not-json",
        method,
        url: pathWith(route, values),
        body: text,
        fields: ["(body)"],
      })),
    );
  }

  if (route.perItem) {
    const itemSchema = PER_ITEM_SCHEMAS[route.perItem];
    if (!itemSchema) throw new Error(`${method} ${route.path}: no item schema for '${route.perItem}' in PER_ITEM_SCHEMAS`);
    const itemJson = itemSchemaJson(itemSchema);
    const badItem = fc
      .tuple(objectFor(itemJson, itemJson, ids), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), unstorable)
      .map(([item, poison, pick, bad]) => JSON.parse(JSON.stringify(poison ? withUnstorableText(item, pick, bad) : item)))
      .map((item) => ({ item, fields: itemFields(item, itemSchema) }))
      .filter((x): x is { item: unknown; fields: string[] } => x.fields !== null);
    // A batch of bad items: answered 200, every item rejected with the field named, nothing stored.
    add(
      "items",
      fc.tuple(params, fc.array(badItem, { minLength: 1, maxLength: 6 })).map(([values, items]) => ({
        kind: "items",
        method,
        url: pathWith(route, values),
        body: JSON.stringify({ [route.perItem!]: items.map((i) => i.item) }),
        items: items.map((i) => i.fields),
      })),
    );
  }
  return out;
}

const itemSchemaCache = new Map<z.ZodType, JsonSchema>();
function itemSchemaJson(schema: z.ZodType): JsonSchema {
  let s = itemSchemaCache.get(schema);
  if (!s) {
    s = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    itemSchemaCache.set(schema, s);
  }
  return s;
}
