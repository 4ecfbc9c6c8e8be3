import type { UserRecord } from "./types.ts";

export function format(record: UserRecord): string {
  return `${record.id} <${record.email}>`;
}
