import { z } from "zod";
import type { createApp } from "../../../server/app";
import { ROUTE_DOCS, type RouteDoc, routeInputRules } from "../../../server/http/openapi";
import type { JsonSchema } from "./generators";

export interface FuzzRoute {
  method: string;
  /** Hono form, `/api/groups/:id`. */
  path: string;
  params: string[];
  doc: RouteDoc | null;
  maxBodyBytes: number;
  perItem: string | undefined;
  bodySchema: JsonSchema | null;
  querySchema: JsonSchema | null;
}

const toHono = (p: string) => p.replace(/\{(\w+)\}/g, ":$1");
const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as JsonSchema;

/**
 * Every route the app serves (Hono's own route table, so a route added later is in it), with what the
 * suite knows of its input from its RouteDoc. `missing` lists the `/api` routes without a RouteDoc:
 * the suite has no generator for their bodies and query strings and fails.
 */
export function fuzzRoutes(app: ReturnType<typeof createApp>): { routes: FuzzRoute[]; missing: string[] } {
  const rules = routeInputRules();
  const docs = new Map(ROUTE_DOCS.map((d, i) => [`${d.method.toUpperCase()} ${toHono(d.path)}`, { doc: d, rule: rules[i]! }]));
  const seen = new Set<string>();
  const routes: FuzzRoute[] = [];
  const missing: string[] = [];
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const known = docs.get(key);
    const api = r.path.startsWith("/api/") && !["/api/openapi.json", "/api/docs"].includes(r.path);
    if (api && !known) missing.push(key);
    routes.push({
      method: r.method,
      path: r.path,
      params: [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!),
      doc: known?.doc ?? null,
      maxBodyBytes: known?.rule.maxBodyBytes ?? 64 * 1024,
      perItem: known?.rule.perItem,
      bodySchema: known?.doc.body ? jsonSchema(known.doc.body) : null,
      querySchema: known?.doc.query ? jsonSchema(known.doc.query) : null,
    });
  }
  return { routes, missing };
}
