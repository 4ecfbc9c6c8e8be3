import { z } from "zod";

/** How hedge's admin API (`/hedge/v1/*`) answers a failure. */
export const adminErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
  }),
});
/** How hedge's admin API (`/hedge/v1/*`) answers a failure. */
export type AdminErrorBody = z.infer<typeof adminErrorBodySchema>;

/** The path prefix of hedge's own admin API on a gateway. */
export const ADMIN_API_PREFIX = "/hedge/v1/";

/**
 * Set on every answer of hedge's admin API, errors included: a 404 without it comes from a
 * gateway that does not serve the API at all (another product, an older hedge).
 */
export const ADMIN_API_HEADER = "x-hedge-admin";
export const ADMIN_API_VERSION = "v1";
