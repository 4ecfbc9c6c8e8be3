import { describe, expect, it } from "vitest";
import { configCredentials } from "../engine/credentials.js";
import { resolveProvider } from "./resolve.js";

describe("a preset's conventional key variable", () => {
  const env = { ANTHROPIC_API_KEY: "sk-ant-env-0000000001" };
  const secretsFor = (id: string, config: Parameters<typeof resolveProvider>[1]): unknown[] =>
    configCredentials(env)
      .credentialsFor(resolveProvider(id, config))
      .map((credential) => credential.secret);

  it("serves the preset's own table, wherever the user points it", () => {
    expect(secretsFor("anthropic", {})).toEqual([env.ANTHROPIC_API_KEY]);
    expect(secretsFor("anthropic", { base_url: "http://127.0.0.1:9100/v1" })).toEqual([
      env.ANTHROPIC_API_KEY,
    ]);
    expect(secretsFor("claude", { type: "anthropic" })).toEqual([env.ANTHROPIC_API_KEY]);
  });

  it("never goes to another table of its type at another endpoint unless that table names it", () => {
    expect(
      secretsFor("anthropic2", { type: "anthropic", base_url: "https://proxy.example.com/v1" }),
    ).toEqual([]);
    expect(
      secretsFor("anthropic2", {
        type: "anthropic",
        base_url: "https://proxy.example.com/v1",
        api_key_env: "ANTHROPIC_API_KEY",
      }),
    ).toEqual([env.ANTHROPIC_API_KEY]);
  });
});
