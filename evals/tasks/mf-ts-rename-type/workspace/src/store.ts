import type { UserRecord } from "./types.ts";

const records = new Map<string, UserRecord>();

export function save(record: UserRecord): void {
  records.set(record.id, record);
}

export function find(id: string): UserRecord | undefined {
  return records.get(id);
}
