import { z } from "zod";

/** What `tool_search` ranks: a tool's names, description and parameters. */
export interface SearchableTool {
  qualifiedName: string;
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export const TOOL_SEARCH_NAME = "tool_search";

export const toolSearchParamsSchema = z
  .strictObject({
    query: z.string().min(1).optional().describe("words describing what you want to do"),
    names: z
      .array(z.string().min(1))
      .min(1)
      .max(10)
      .optional()
      .describe("exact tool names from the deferred list"),
    limit: z.number().int().min(1).max(10).default(5).describe("how many tools to load (query)"),
  })
  .refine((params) => (params.query === undefined) !== (params.names === undefined), {
    message: "give exactly one of query or names",
  });
export type ToolSearchParams = z.infer<typeof toolSearchParamsSchema>;

const STOP_WORDS = new Set(
  "the an and or of to in on for with as at by is it its this that from be are into all any".split(
    " ",
  ),
);

/**
 * Words of an identifier or a text: split on `_`, `-`, spaces, punctuation and camelCase,
 * without stop words, a plural `s` taken off (`files` finds `file`).
 */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) =>
      word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word,
    );
}

function parameterText(schema: Record<string, unknown>): string {
  const properties = schema["properties"];
  if (typeof properties !== "object" || properties === null) return "";
  return Object.entries(properties as Record<string, unknown>)
    .map(([name, value]) => {
      const description =
        typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)["description"]
          : undefined;
      return `${name} ${typeof description === "string" ? description : ""}`;
    })
    .join(" ");
}

/** A parameter list a model can call from: `path: string, head?: number`. */
export function parameterSummary(schema: Record<string, unknown>): string {
  const properties = schema["properties"];
  if (typeof properties !== "object" || properties === null) return "";
  const required = Array.isArray(schema["required"]) ? (schema["required"] as unknown[]) : [];
  return Object.entries(properties as Record<string, unknown>)
    .map(([name, value]) => {
      const type =
        typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)["type"]
          : undefined;
      const shown = Array.isArray(type) ? type.join("|") : typeof type === "string" ? type : "any";
      return `${name}${required.includes(name) ? "" : "?"}: ${shown}`;
    })
    .join(", ");
}

const K1 = 1.2;
const B = 0.75;

/**
 * BM25 over each tool's name (counted twice: names say most), description and parameters. Ties
 * keep the tools' order, so a search is the same on every run (resume replays it).
 */
export function searchTools<T extends SearchableTool>(
  tools: readonly T[],
  query: string,
  limit: number,
): T[] {
  const documents = tools.map((tool) => [
    ...words(tool.name),
    ...words(tool.name),
    ...words(tool.description),
    ...words(parameterText(tool.inputSchema)),
  ]);
  const average = documents.reduce((sum, doc) => sum + doc.length, 0) / (documents.length || 1);
  const frequency = new Map<string, number>();
  for (const doc of documents)
    for (const word of new Set(doc)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const terms = [...new Set(words(query))];
  const scored = documents.map((doc, index) => {
    let score = 0;
    for (const term of terms) {
      const count = doc.filter((word) => word === term).length;
      if (count === 0) continue;
      const df = frequency.get(term) ?? 0;
      const idf = Math.log(1 + (documents.length - df + 0.5) / (df + 0.5));
      score += (idf * count * (K1 + 1)) / (count + K1 * (1 - B + (B * doc.length) / average));
    }
    return { index, score };
  });
  return scored
    .filter(({ score }) => score > 0)
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .slice(0, limit)
    .flatMap(({ index }) => {
      const tool = tools[index];
      return tool ? [tool] : [];
    });
}
