import { statSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { probeKeychain } from "../src/keychain.js";
import {
  credentialsFilePath,
  fileStore,
  keyringStore,
  type SecretStore,
} from "../src/secret-store.js";
import { uniqueName, useTempHomes } from "./helpers.js";

const keychain = await probeKeychain();
const home = useTempHomes();

const stores: { name: string; open: () => SecretStore }[] = [
  { name: "keyring (real Secret Service)", open: keyringStore },
  { name: "file", open: () => fileStore(home()) },
];

it("has a real Secret Service to test against (started by the test setup)", () => {
  expect(keychain).toMatchObject({ reachable: true });
});

// One behavioural suite, run against the OS keychain and against the 0600 file.
describe.each(stores)("secret store: $name", ({ open }) => {
  it("stores, reads, replaces and deletes a secret by profile name", async () => {
    const store = open();
    const name = uniqueName("store");
    expect(await store.get(name)).toBeUndefined();
    await store.set(name, "sk-first-0000000000001111");
    expect(await store.get(name)).toBe("sk-first-0000000000001111");
    await store.set(name, "sk-second-000000000002222");
    expect(await store.get(name)).toBe("sk-second-000000000002222");
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeUndefined();
    expect(await store.delete(name)).toBe(false);
  });

  it("keeps profiles apart", async () => {
    const store = open();
    const [a, b] = [uniqueName("a"), uniqueName("b")];
    await store.set(a, "secret-a-0000000000000000");
    await store.set(b, "secret-b-0000000000000000");
    expect(await store.get(a)).toBe("secret-a-0000000000000000");
    expect(await store.get(b)).toBe("secret-b-0000000000000000");
    await store.delete(a);
    expect(await store.get(b)).toBe("secret-b-0000000000000000");
    await store.delete(b);
  });

  it("stores secrets with unicode and symbols intact", async () => {
    const store = open();
    const name = uniqueName("odd");
    const secret = 'k3y with spaces, "quotes", ünïcödé and = signs';
    await store.set(name, secret);
    expect(await store.get(name)).toBe(secret);
    await store.delete(name);
  });
});

describe("file store", () => {
  it("writes credentials.json with mode 0600 inside a 0700 directory", async () => {
    const dir = home();
    await fileStore(dir).set("work", "sk-test-abcdefgh12345678");
    const file = credentialsFilePath(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
  });

  it("never quotes a corrupt file's content in its error", async () => {
    const dir = home();
    const store = fileStore(dir);
    await store.set("work", "sk-secret-value-1234");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      credentialsFilePath(dir),
      '{"version":1,"secrets":{"work":"sk-secret-value-1234"',
    );
    const error = await store.get("work").catch((caught: unknown) => caught);
    expect(String(error)).toContain("is not valid JSON");
    expect(String(error)).not.toContain("sk-secret");
  });
});
