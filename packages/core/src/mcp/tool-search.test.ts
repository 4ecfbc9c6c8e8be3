import { describe, expect, it } from "vitest";
import { parameterSummary, searchTools, words } from "./tool-search.js";

const schema = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  required,
});
const tools = [
  {
    qualifiedName: "mcp__fs__read_text_file",
    name: "read_text_file",
    description: "Read the complete contents of a file as text.",
    inputSchema: schema({ path: { type: "string" }, head: { type: "number" } }, ["path"]),
  },
  {
    qualifiedName: "mcp__fs__list_directory",
    name: "list_directory",
    description: "Get a detailed listing of all files and directories in a specified path.",
    inputSchema: schema({ path: { type: "string" } }, ["path"]),
  },
  {
    qualifiedName: "mcp__browser__browser_navigate",
    name: "browser_navigate",
    description: "Navigate to a URL",
    inputSchema: schema({ url: { type: "string", description: "The URL to navigate to" } }, [
      "url",
    ]),
  },
  {
    qualifiedName: "mcp__devtools__takeScreenshot",
    name: "takeScreenshot",
    description: "Capture the page.",
    inputSchema: schema({}),
  },
];

describe("tool_search", () => {
  it("ranks by name, description and parameters", () => {
    expect(searchTools(tools, "list the files in a directory", 2).map((tool) => tool.name)).toEqual(
      ["list_directory", "read_text_file"],
    );
    expect(searchTools(tools, "open a url in the browser", 5).map((tool) => tool.name)).toEqual([
      "browser_navigate",
    ]);
    expect(searchTools(tools, "screenshot", 5).map((tool) => tool.name)).toEqual([
      "takeScreenshot",
    ]);
    expect(searchTools(tools, "kubernetes", 5)).toEqual([]);
  });

  it("splits identifiers on _, - and camelCase", () => {
    expect(words("takeScreenshot get-env read_text_file")).toEqual([
      "take",
      "screenshot",
      "get",
      "env",
      "read",
      "text",
      "file",
    ]);
  });

  it("summarises parameters as the model calls them", () => {
    expect(parameterSummary(tools[0]?.inputSchema ?? {})).toBe("path: string, head?: number");
  });
});
