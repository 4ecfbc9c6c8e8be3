export type { UserRecord } from "./types.ts";
export { save, find } from "./store.ts";
export { format } from "./format.ts";
