import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const files = readdirSync("src").filter((file) => file.endsWith(".ts"));
assert.equal(files.length, 12);
for (const file of files) {
  const text = readFileSync(`src/${file}`, "utf8");
  assert.ok(text.startsWith("// SPDX-License-Identifier: Apache-2.0\n// Copyright 2026 Example Corp.\n"), file);
  assert.ok(!text.includes("All rights reserved"), file);
  const name = file.replace(".ts", "");
  const module = await import(`../src/${file}`);
  assert.equal(module[name], name);
}
console.log("ok");
