import assert from "node:assert/strict";
import { daysBetween } from "../src/days.ts";

assert.deepEqual(daysBetween("2026-11-01", "2026-11-03"), ["2026-11-01", "2026-11-02", "2026-11-03"]);
assert.deepEqual(daysBetween("2026-03-07", "2026-03-09"), ["2026-03-07", "2026-03-08", "2026-03-09"]);
assert.deepEqual(daysBetween("2026-01-31", "2026-02-01"), ["2026-01-31", "2026-02-01"]);
console.log("ok");
