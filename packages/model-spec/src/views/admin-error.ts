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
