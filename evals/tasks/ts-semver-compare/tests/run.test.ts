import assert from "node:assert/strict";
import { compareVersions } from "../src/semver.ts";

assert.equal(compareVersions("1.10.0", "1.9.2"), 1);
assert.equal(compareVersions("1.2.0", "1.2"), 0);
assert.equal(compareVersions("0.9", "1.0"), -1);
assert.equal(compareVersions("2.0.0", "2.0.0"), 0);
console.log("ok");
