import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open-store.js";
import { startRedisServer, type RedisServer } from "@hedge/testkit";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const hammer = join(packageDir, "test", "fixtures", "store", "hammer.ts");
const opener = join(packageDir, "test", "fixtures", "store", "opener.ts");
const PER_PROCESS = 150;

let redis: RedisServer | undefined;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "hedge-store-processes-"));
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis?.stop();
  rmSync(home, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  output: () => string;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

/** `node --import tsx hammer.ts`, resolved from the package so the workspace's tsx is used. */
function startHammer(spec: string, storeHome: string): Child {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", hammer, spec, storeHome, String(PER_PROCESS)],
    {
      cwd: packageDir,
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready\n")) resolve();
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) =>
      reject(new Error(`hammer exited (${code}) before ready:\n${output}`)),
    );
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { process: child, output: () => output, ready, exited };
}

/** Two processes open the store, then start writing together on one "go". */
async function hammerTwice(spec: string, storeHome: string): Promise<void> {
  const children = [startHammer(spec, storeHome), startHammer(spec, storeHome)];
  try {
    await Promise.all(children.map((child) => child.ready));
    for (const child of children) child.process.stdin?.write("go\n");
    const codes = await Promise.all(children.map((child) => child.exited));
    codes.forEach((code, index) => expect(code, children[index]?.output()).toBe(0));
  } finally {
    for (const child of children) if (child.process.exitCode === null) child.process.kill();
  }
}

describe("two processes on one store lose no update", () => {
  it("on one SQLite file", async () => {
    await hammerTwice("sqlite", home);
    const store = await openStore("sqlite", { home });
    try {
      expect(await store.get("hits")).toBe(2 * PER_PROCESS);
      const doc = await store.get<{ n: number; writers: number[] }>("doc");
      expect(doc?.n).toBe(2 * PER_PROCESS);
      expect(doc?.writers).toHaveLength(2);
    } finally {
      await store.close();
    }
  });

  it("on one Redis", async () => {
    if (redis === undefined) throw new Error("redis-server did not start (see beforeAll)");
    await hammerTwice(redis.url, home);
    const store = await openStore(redis.url, { home });
    try {
      expect(await store.get("hits")).toBe(2 * PER_PROCESS);
      const doc = await store.get<{ n: number; writers: number[] }>("doc");
      expect(doc?.n).toBe(2 * PER_PROCESS);
      expect(doc?.writers).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});

describe("processes starting together on a fresh home", () => {
  it("all open the SQLite store (none fails as locked while another creates it)", async () => {
    const openers = [0, 1, 2].map(() => startOpener());
    try {
      await Promise.all(openers.map((opener) => opener.next()));
      const failures: string[] = [];
      for (let round = 0; round < 20; round++) {
        const freshHome = mkdtempSync(join(home, "fresh-"));
        const answers = openers.map((opener) => opener.next());
        for (const opener of openers) opener.child.stdin?.write(`${freshHome}\n`);
        for (const answer of await Promise.all(answers)) if (answer !== "ok") failures.push(answer);
      }
      expect(failures).toEqual([]);
    } finally {
      for (const opener of openers) opener.child.kill();
    }
  });
});

/** An opener child and a way to await its next output line. */
function startOpener(): { child: ChildProcess; next: () => Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", opener], {
    cwd: packageDir,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let buffered = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter === undefined) lines.push(line);
      else waiter(line);
    }
  });
  child.once("exit", (code) => {
    for (const waiter of waiting.splice(0)) waiter(`exited (${code})`);
  });
  const next = () => {
    const line = lines.shift();
    return line === undefined
      ? new Promise<string>((resolve) => waiting.push(resolve))
      : Promise.resolve(line);
  };
  return { child, next };
}

describe("a corrupt state.db", () => {
  it("fails with one clear line naming the file, and leaves the file as it was", async () => {
    const corruptHome = mkdtempSync(join(tmpdir(), "hedge-store-corrupt-"));
    try {
      const path = join(corruptHome, "state.db");
      const content = Buffer.from("this is not a database\n".repeat(200));
      writeFileSync(path, content, { mode: 0o600 });
      const before = statSync(path);

      const error: unknown = await openStore("sqlite", { home: corruptHome }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: "HedgeError", code: "store_corrupt" });
      const message = (error as Error).message;
      expect(message).toContain(path);
      expect(message).not.toContain("\n");
      expect((error as { hint?: string }).hint).toContain(path);

      expect(readFileSync(path).equals(content)).toBe(true);
      expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    } finally {
      rmSync(corruptHome, { recursive: true, force: true });
    }
  });
});
