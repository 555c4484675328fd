/**
 * Body limits of the routes that need more than the default (DEFAULT_BODY_LIMIT, 64 KB), sized from
 * their schemas' own maxima with room for UTF-8 and JSON escapes. A new route can instead state
 * `maxBodyBytes` in its RouteDoc. The OpenAPI document and the README list them.
 */
export const ROUTE_BODY_LIMITS: Record<string, number> = {
  /** 10 000 activities with metadata. */
  "post /api/activities": 16 * 1024 * 1024,
  /** 5 000 intent signals. */
  "post /api/intent/signals": 4 * 1024 * 1024,
  /** An HTML body of up to 200 000 and a text body of up to 100 000 characters. */
  "post /api/emails": 2 * 1024 * 1024,
  "patch /api/emails/{id}": 2 * 1024 * 1024,
  /** 30 roles with nested conditions (values up to 200 × 500 characters). */
  "post /api/role-templates": 1024 * 1024,
  "put /api/role-templates/{id}": 1024 * 1024,
  /** Audiences list up to 10 000 account ids. */
  "post /api/accounts/audience-count": 1024 * 1024,
  "post /api/solution-interests/{id}/jobs": 1024 * 1024,
  /** 30 stages, 500 transitions, 50 rules. */
  "post /api/stage-models": 256 * 1024,
  "put /api/stage-models/{id}": 256 * 1024,
  /** 100 keywords, 100 products and a 2 000-character description. */
  "post /api/solution-interests": 256 * 1024,
  "put /api/solution-interests/{id}": 256 * 1024,
  /** Up to 1 000 account ids. */
  "post /api/journeys/{id}/accounts": 128 * 1024,
  /** A batch of Segment Spec messages from a CDP (Segment's own batch limit is 500 KB). */
  "post /hooks/events/{sourceId}": 1024 * 1024,
};

/** Routes whose body has an array validated item by item (bad items are reported, the others stored). */
export const ROUTE_PER_ITEM: Record<string, string> = {
  "post /api/activities": "activities",
};
