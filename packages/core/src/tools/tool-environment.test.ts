import { describe, expect, it } from "vitest";
import { shellEnvironmentPolicySchema } from "../config-schema.js";
import { SecretRedactor } from "./redact.js";
import { buildToolEnvironment } from "./tool-environment.js";

const parent: NodeJS.ProcessEnv = {
  HOME: "/home/u",
  PATH: "/usr/bin:/bin",
  USER: "u",
  LANG: "C.UTF-8",
  LC_CTYPE: "C.UTF-8",
  EDITOR: "vim",
  CI: "1",
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
  GITHUB_TOKEN: "ghp-example",
  db_password: "hunter22",
  Client_Secret: "s3cr3t",
  UNDEFINED_ONE: undefined,
};

const policy = (input: Record<string, unknown> = {}) => shellEnvironmentPolicySchema.parse(input);
const none = { variables: [], redactor: new SecretRedactor() };
const names = (env: Record<string, string>): string[] => Object.keys(env).sort();

describe("buildToolEnvironment ([shell_environment_policy])", () => {
  it("by default keeps only the core variables (home, path, user, locale)", () => {
    expect(buildToolEnvironment(parent, policy(), none)).toEqual({
      HOME: "/home/u",
      PATH: "/usr/bin:/bin",
      USER: "u",
      LANG: "C.UTF-8",
      LC_CTYPE: "C.UTF-8",
    });
  });

  it("inherit = all starts from everything, minus the default excludes", () => {
    expect(names(buildToolEnvironment(parent, policy({ inherit: "all" }), none))).toEqual([
      "AWS_REGION",
      "CI",
      "EDITOR",
      "HOME",
      "LANG",
      "LC_CTYPE",
      "PATH",
      "USER",
    ]);
  });

  it("inherit = none starts empty", () => {
    expect(buildToolEnvironment(parent, policy({ inherit: "none" }), none)).toEqual({});
  });

  it("drops *KEY*, *SECRET*, *TOKEN*, *PASSWORD* in any case unless ignore_default_excludes", () => {
    const all = buildToolEnvironment(parent, policy({ inherit: "all" }), none);
    for (const name of ["AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "db_password", "Client_Secret"]) {
      expect(all).not.toHaveProperty(name);
    }
    const ignored = buildToolEnvironment(
      parent,
      policy({ inherit: "all", ignore_default_excludes: true }),
      none,
    );
    expect(ignored).toMatchObject({
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      GITHUB_TOKEN: "ghp-example",
      db_password: "hunter22",
      Client_Secret: "s3cr3t",
    });
  });

  it("exclude drops names matching case-insensitive globs", () => {
    const env = buildToolEnvironment(
      parent,
      policy({ inherit: "all", exclude: ["aws_*", "?I"] }),
      none,
    );
    expect(names(env)).toEqual(["EDITOR", "HOME", "LANG", "LC_CTYPE", "PATH", "USER"]);
  });

  it("set adds and overrides variables", () => {
    const env = buildToolEnvironment(
      parent,
      policy({ set: { CI: "true", PATH: "/opt/bin" } }),
      none,
    );
    expect(env).toMatchObject({ CI: "true", PATH: "/opt/bin", HOME: "/home/u" });
  });

  it("include_only keeps only matching names, set ones included", () => {
    const env = buildToolEnvironment(
      parent,
      policy({ inherit: "all", set: { EXTRA: "1", LC_ALL: "C" }, include_only: ["path", "LC_*"] }),
      none,
    );
    expect(env).toEqual({ PATH: "/usr/bin:/bin", LC_CTYPE: "C.UTF-8", LC_ALL: "C" });
  });

  it("never passes hedge's key variables or a value holding one of its secrets, whatever the policy", () => {
    const held = {
      variables: ["LAB_ACCESS", "HEDGE_GATEWAY_KEY"],
      redactor: new SecretRedactor(["gw-secret-0123456789"]),
    };
    const env = buildToolEnvironment(
      {
        ...parent,
        LAB_ACCESS: "lab-secret-0123456789",
        lab_access: "lab-secret-0123456789",
        HEDGE_GATEWAY_KEY: "gw-secret-0123456789",
        COPY_OF_IT: "Bearer gw-secret-0123456789",
      },
      policy({
        inherit: "all",
        ignore_default_excludes: true,
        set: { HEDGE_GATEWAY_KEY: "set-by-user-01234", MINE: "gw-secret-0123456789" },
        include_only: ["*"],
      }),
      held,
    );
    expect(names(env).filter((name) => !(name in parent))).toEqual([]);
  });
});
