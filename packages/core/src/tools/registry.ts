import { z } from "zod";
import { toolError, type Tool, type ToolContext, type ToolResult } from "./tool.js";

/** A tool as the model sees it (OpenAI function calling / the gateway's `CanonicalTool`). */
export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object: `type: "object"`, `properties`, `required`, `additionalProperties: false`. */
  parameters: Record<string, unknown>;
}

/** The tools of one agent: definitions for the model, and `call` for the model's tool calls. */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  constructor(tools: readonly Tool[] = []) {
    for (const tool of tools) this.register(tool);
  }

  register(tool: Tool): void {
    if (this.#tools.has(tool.name)) throw new Error(`tool ${tool.name} is registered twice`);
    this.#tools.set(tool.name, tool);
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  names(): string[] {
    return [...this.#tools.keys()];
  }

  /** The definitions to send with a model request, in registration order. */
  definitions(): ToolDefinition[] {
    return [...this.#tools.values()].map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: toModelJsonSchema(tool.parameters),
    }));
  }

  /**
   * Runs one tool call from the model. `argumentsText` is the model's raw JSON arguments.
   * Never throws: bad arguments, unknown tools and unexpected tool crashes come back as data.
   */
  async call(name: string, argumentsText: string, context: ToolContext): Promise<ToolResult> {
    const tool = this.#tools.get(name);
    if (tool === undefined) {
      return toolError(
        "unknown_tool",
        `there is no tool named "${name}"; available tools: ${this.names().join(", ")}`,
      );
    }
    const parsed = parseArguments(tool, argumentsText);
    if (!parsed.ok) return parsed.result;
    if (context.signal.aborted)
      return toolError("aborted", `${name} was not run: the turn was aborted`);
    try {
      return await tool.execute(parsed.params, context);
    } catch (error) {
      // A tool should return failures itself; this keeps an unforeseen crash from ending the turn.
      const message = error instanceof Error ? error.message : String(error);
      return toolError("tool_failed", `${name} failed unexpectedly: ${message}`);
    }
  }
}

function parseArguments(
  tool: Tool,
  argumentsText: string,
): { ok: true; params: unknown } | { ok: false; result: ToolResult } {
  let raw: unknown;
  try {
    raw = argumentsText.trim() === "" ? {} : JSON.parse(argumentsText);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      result: toolError(
        "invalid_arguments",
        `${tool.name}: arguments are not valid JSON (${reason}); send one JSON object`,
      ),
    };
  }
  const parsed = tool.parameters.safeParse(dropNullFields(raw));
  if (!parsed.success) {
    return {
      ok: false,
      result: toolError("invalid_arguments", `${tool.name}: ${formatIssues(parsed.error)}`),
    };
  }
  return { ok: true, params: parsed.data };
}

/** Models in strict function-calling mode send `null` for omitted optional fields. */
function dropNullFields(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== null));
}

/** `command: expected array, received string; timeout_ms: ...` — each issue names its field. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length === 0 ? "arguments" : issue.path.map(String).join(".");
      const message = issue.message.replace(/^Invalid input: /, "");
      return `${field}: ${message}`;
    })
    .join("; ");
}

/** Converted once per schema: a turn sends the same tools with every model request. */
const converted = new WeakMap<z.ZodType, Record<string, unknown>>();

/**
 * The JSON Schema of a parameters schema, in the form OpenAI function calling accepts. The
 * result is shared by every request that sends the tool: read it, never change it.
 */
export function toModelJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const cached = converted.get(schema);
  if (cached) return cached;
  const json = z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" });
  const { $schema: _dropped, ...rest } = json as Record<string, unknown>;
  const result = stripSafeIntegerBounds(rest) as Record<string, unknown>;
  converted.set(schema, result);
  return result;
}

/** zod adds ±MAX_SAFE_INTEGER bounds to every `.int()`; they only add noise for the model. */
function stripSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSafeIntegerBounds);
  if (typeof node !== "object" || node === null) return node;
  const entries = Object.entries(node)
    .filter(
      ([key, value]) =>
        !(key === "minimum" && value === Number.MIN_SAFE_INTEGER) &&
        !(key === "maximum" && value === Number.MAX_SAFE_INTEGER),
    )
    .map(([key, value]) => [key, stripSafeIntegerBounds(value)] as const);
  return Object.fromEntries(entries);
}
