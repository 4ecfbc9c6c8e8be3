import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { EvalTask } from "./task-schema.js";

/**
 * sha256 over the sorted (path relative to the tasks root, sha256 of the bytes) of every file of
 * the selected tasks: two runs with the same hash ran exactly the same tasks.
 */
export function taskSetHash(tasks: readonly EvalTask[]): string {
  const entries: string[] = [];
  for (const task of tasks) {
    const root = join(task.dir, "..");
    for (const file of listFiles(task.dir)) {
      const digest = createHash("sha256").update(readFileSync(file)).digest("hex");
      entries.push(`${relative(root, file)}\0${digest}`);
    }
  }
  entries.sort();
  return createHash("sha256").update(entries.join("\n")).digest("hex");
}

/** Every regular file under `dir`, recursively. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
