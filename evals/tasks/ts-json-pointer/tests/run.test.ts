import assert from "node:assert/strict";
import { getPointer } from "../src/pointer.ts";

const doc = { foo: ["bar", "baz"], "a/b": 1, "m~n": 8, "": 0 };
assert.equal(getPointer(doc, ""), doc);
assert.equal(getPointer(doc, "/foo/0"), "bar");
assert.equal(getPointer(doc, "/a~1b"), 1);
assert.equal(getPointer(doc, "/m~0n"), 8);
assert.equal(getPointer(doc, "/"), 0);
assert.equal(getPointer(doc, "/nope"), undefined);
assert.equal(getPointer(doc, "/foo/constructor"), undefined);
assert.throws(() => getPointer(doc, "foo"));
console.log("ok");
