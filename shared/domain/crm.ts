/** CRMs with a built-in adapter; self-hosted CRMs use `custom:<host>`. */
export const BUILTIN_CRMS = ["salesforce", "hubspot", "dynamics", "pipedrive", "zoho"] as const;
export type BuiltinCrm = (typeof BUILTIN_CRMS)[number];

/** `salesforce` … `zoho`, or `custom:crm.example.org` for a self-hosted CRM. */
export const CRM_PATTERN =
  /^(salesforce|hubspot|dynamics|pipedrive|zoho|custom:[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?)$/;
