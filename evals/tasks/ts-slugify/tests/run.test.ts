import assert from "node:assert/strict";
import { slugify } from "../src/slug.ts";

assert.equal(slugify("Crème Brûlée"), "creme-brulee");
assert.equal(slugify("  Hello,   World!  "), "hello-world");
assert.equal(slugify("ﬁle №5"), "file-no5");
assert.equal(slugify("---"), "");
console.log("ok");
