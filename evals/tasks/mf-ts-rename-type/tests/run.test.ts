import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { save, find, format, type Account } from "../src/index.ts";

const account: Account = { id: "1", email: "a@example.com" };
save(account);
assert.equal(format(find("1")!), "1 <a@example.com>");
for (const file of ["types", "store", "format", "index"]) {
  assert.ok(!readFileSync(`src/${file}.ts`, "utf8").includes("UserRecord"), file);
}
assert.ok(readFileSync("src/types.ts", "utf8").includes("interface Account"));
console.log("ok");
