import { describe, expect, it } from "vitest";
import { droppedFieldLogger } from "./dropped-log.js";

describe("droppedFieldLogger", () => {
  it("logs each kind of dropped field once per wire pair, indexes blanked", () => {
    const lines: string[] = [];
    const note = droppedFieldLogger((line) => lines.push(line));
    note("responses", "messages", ["tools[9] (web_search)", "client_metadata"]);
    note("responses", "messages", ["tools[10] (web_search)", "client_metadata"]);
    note("responses", "chat", ["tools[9] (web_search)"]);
    note("messages", "chat", []);
    expect(lines).toEqual([
      "gateway: responses -> messages translation dropped tools[] (web_search), client_metadata",
      "gateway: responses -> chat translation dropped tools[] (web_search)",
    ]);
  });
});
