import assert from "node:assert/strict";
import { parseConfig } from "../src/parse.ts";

assert.deepEqual(parseConfig(""), { host: "localhost", port: 8080, timeoutMs: 5000 });
assert.equal(parseConfig("timeoutMs = 250\nport=1").timeoutMs, 250);
console.log("ok");
