/** The server's bulk limit (shared/api/common.ts MAX_BULK_MEMBERS), repeated here so the panel bundle does not pull in zod. */
export const MAX_BULK_MEMBERS = 50;
