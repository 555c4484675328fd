import { CreateEventSourceBody, EventMappingsBody, UpdateEventSourceBody } from "../../shared/api/event-sources";
import type { RouteDoc } from "../http/openapi";
import { EVENT_BODY_LIMIT } from "./hooks.routes";

/** Event sources (issue 14), spread into ROUTE_DOCS. The ingest endpoint authenticates with the source's secret. */
const admin = "tokens:admin";
export const EVENT_SOURCE_ROUTE_DOCS: RouteDoc[] = [
  {
    method: "get",
    path: "/api/event-sources",
    tag: "event-sources",
    summary: "Event sources (secrets never returned)",
    permission: admin,
  },
  {
    method: "post",
    path: "/api/event-sources",
    tag: "event-sources",
    summary: "Create an event source; the answer holds its secret, shown this once",
    body: CreateEventSourceBody,
    permission: admin,
    ok: 201,
  },
  {
    method: "get",
    path: "/api/event-sources/mappings",
    tag: "event-sources",
    summary: "Track event names → activity types in force, and the unmapped names counted with how many wait",
    permission: admin,
  },
  {
    method: "put",
    path: "/api/event-sources/mappings",
    tag: "event-sources",
    summary: "Map track event names (null type: not imported); held events of newly mapped names are stored",
    body: EventMappingsBody,
    permission: admin,
  },
  {
    method: "patch",
    path: "/api/event-sources/{id}",
    tag: "event-sources",
    summary: "Rename, pause or resume a source",
    body: UpdateEventSourceBody,
    permission: admin,
  },
  {
    method: "post",
    path: "/api/event-sources/{id}/rotate",
    tag: "event-sources",
    summary: "A new secret (shown this once); the old one stops working",
    permission: admin,
  },
  {
    method: "delete",
    path: "/api/event-sources/{id}",
    tag: "event-sources",
    summary: "Delete a source (its activities stay)",
    permission: admin,
    ok: 204,
  },
  {
    method: "post",
    path: "/hooks/events/{sourceId}",
    tag: "event-sources",
    summary:
      "Segment Spec track/page/screen/identify/group or batch from a CDP; X-Signature (t=<unix>,v1=<HMAC-SHA256 of '<t>.<body>'>, or Segment's HMAC-SHA1) or Authorization: Bearer <source secret>; idempotent on messageId",
    maxBodyBytes: EVENT_BODY_LIMIT,
  },
];
