import assert from "node:assert/strict";
import { displayName } from "../src/name.ts";

assert.equal(displayName({ first: "Ada", last: "Lovelace" }), "Ada LOVELACE");
assert.equal(displayName({ first: "Plato" }), "Plato");
assert.equal(displayName({ first: "Cher", last: null }), "Cher");
console.log("ok");
