import { existsSync, readFileSync } from "node:fs";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { parseTomlText, writeFileAtomic } from "@hedge/auth";
import { stringify as stringifyToml } from "smol-toml";
import { EXIT } from "../exit-codes.js";
import { foldCodexAliases } from "../config/codex-aliases.js";
import { describeIssue } from "../config/describe-issue.js";
import { configSchema } from "../config/schema.js";

const tomlErrors = {
  invalid: (message: string) =>
    new HedgeError("config_invalid", message, { exitCode: EXIT.config }),
};

/** The user's config file text, and its data (empty when the file does not exist yet). */
function readConfig(file: string): { text: string; data: Record<string, unknown> } {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  return { text, data: parseTomlText(text, file, tomlErrors) };
}

/** Writes `text` when it still parses and validates as a whole; else the old file stays. */
function writeValidated(file: string, text: string): void {
  const data = foldCodexAliases(parseTomlText(text, file, tomlErrors));
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(issue ? describeIssue(issue, data, configSchema) : "invalid config", {
      hint: "nothing was written; fix the flags and try again",
    });
  }
  writeFileAtomic(file, text, 0o600);
}

function serversOf(data: Record<string, unknown>): Record<string, unknown> {
  const servers = data["mcp_servers"];
  return typeof servers === "object" && servers !== null
    ? (servers as Record<string, unknown>)
    : {};
}

/**
 * Appends `[mcp_servers.NAME]` to the user's config: the rest of the file (comments, order) is
 * kept byte for byte, and nothing is written unless the whole file still validates.
 */
export function addServerToConfig(
  file: string,
  name: string,
  table: Record<string, unknown>,
): void {
  const { text, data } = readConfig(file);
  if (Object.hasOwn(serversOf(data), name)) {
    throw new UsageError(`mcp server ${name} is already configured in ${file}`, {
      hint: `remove it first (hedge mcp remove ${name}) or choose another name`,
    });
  }
  const section = stringifyToml({ mcp_servers: { [name]: table } });
  const separator = text === "" || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  writeValidated(file, `${text}${separator}${section.trimEnd()}\n`);
}

const HEADER = /^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$/;

/** Whether a table header names `mcp_servers.NAME` or one of its sub-tables. */
function ownsHeader(header: string, name: string): boolean {
  const path = header.split(".").map((part) => part.trim().replace(/^"(.*)"$/, "$1"));
  return path[0] === "mcp_servers" && path[1] === name;
}

/**
 * Removes `[mcp_servers.NAME]` (and its sub-tables) from the user's config, keeping every other
 * line. A server written inline (`mcp_servers = { ... }`) is left for the user to edit.
 */
export function removeServerFromConfig(file: string, name: string): void {
  const { text, data } = readConfig(file);
  if (!Object.hasOwn(serversOf(data), name)) {
    throw new UsageError(`no mcp server named ${name} in ${file}`, {
      hint: "hedge mcp list shows the configured servers",
    });
  }
  const kept: string[] = [];
  let inside = false;
  let removed = false;
  for (const line of text.split("\n")) {
    const header = HEADER.exec(line)?.[1];
    if (header !== undefined && !line.trim().startsWith("[[")) {
      inside = ownsHeader(header, name);
      removed ||= inside;
    }
    if (!inside) kept.push(line);
  }
  if (!removed) {
    throw new UsageError(
      `mcp server ${name} is not written as a [mcp_servers.${name}] table in ${file}`,
      {
        hint: "edit the file by hand to remove it",
      },
    );
  }
  writeValidated(file, kept.join("\n").replace(/\n{3,}/g, "\n\n"));
}
