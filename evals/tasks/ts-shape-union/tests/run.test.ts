import assert from "node:assert/strict";
import { area } from "../src/shapes.ts";

assert.equal(area({ kind: "square", side: 3 }), 9);
assert.ok(Math.abs(area({ kind: "circle", radius: 1 }) - Math.PI) < 1e-9);
console.log("ok");
