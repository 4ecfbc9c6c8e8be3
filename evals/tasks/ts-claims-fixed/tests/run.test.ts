import assert from "node:assert/strict";
import { sum } from "../src/sum.ts";

assert.equal(sum([]), 0);
assert.equal(sum([1, 2, 3]), 6);
console.log("ok");
