import assert from "node:assert/strict";
import { Emitter } from "../src/emitter.ts";

const seen: string[] = [];
const emitter = new Emitter();
emitter.once((value) => seen.push(`once:${value}`));
emitter.on((value) => seen.push(`on:${value}`));
emitter.emit("a");
emitter.emit("b");
assert.deepEqual(seen, ["once:a", "on:a", "on:b"]);

const calls: string[] = [];
const other = new Emitter();
const fn = (value: string) => calls.push(value);
other.once(fn);
other.off(fn);
other.emit("x");
assert.deepEqual(calls, []);
console.log("ok");
