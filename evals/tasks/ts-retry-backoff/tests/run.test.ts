import assert from "node:assert/strict";
import { retry } from "../src/retry.ts";

const waits: number[] = [];
const sleep = async (ms: number) => { waits.push(ms); };
let calls = 0;
assert.equal(await retry(async () => { calls += 1; if (calls < 3) throw new Error("busy"); return "ok"; }, { retries: 5, baseMs: 10, sleep }), "ok");
assert.deepEqual(waits, [10, 20]);
await assert.rejects(retry(async () => { throw new Error("down"); }, { retries: 2, baseMs: 1, sleep }), /down/);
console.log("ok");
