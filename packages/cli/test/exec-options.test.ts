import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, parseJsonl, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

// A 1x1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

describe("hedge exec options", () => {
  it("--output-schema asks the model for that JSON schema", async () => {
    fixture = await execFixture();
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const schemaFile = join(fixture.home.path, "schema.json");
    writeFileSync(schemaFile, JSON.stringify(schema));
    fixture.upstream.push({ text: '{"ok":true}' });
    const run = await runHedge(["exec", "--output-schema", schemaFile, "report"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"ok":true}\n');
    expect(fixture.upstream.requests[0]?.body).toMatchObject({
      response_format: { type: "json_schema", json_schema: { schema } },
    });
  });

  it("--image attaches the picture to the prompt", async () => {
    fixture = await execFixture();
    const image = join(fixture.home.path, "shot.png");
    writeFileSync(image, PNG);
    fixture.upstream.push({ text: "A tiny image." });
    const run = await runHedge(["exec", "--image", image, "what is this?"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(0);
    expect(JSON.stringify(fixture.upstream.requests[0]?.body)).toContain(
      `data:image/png;base64,${PNG.toString("base64")}`,
    );
  });

  it("bad option values get one line and exit 2", async () => {
    fixture = await execFixture();
    const sandbox = await runHedge(["exec", "-s", "yolo", "x"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(sandbox.code).toBe(2);
    expect(sandbox.stderr.split("\n")[0]).toBe(
      'hedge: --sandbox expects one of read-only, workspace-write, danger-full-access, got "yolo"',
    );
    const image = await runHedge(["exec", "--image", "nope.bmp", "x"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(image.code).toBe(2);
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("compacts the conversation instead of failing when it outgrows the model's window", async () => {
    fixture = await execFixture(["model_context_window = 1500"]);
    fixture.upstream.push(
      {
        toolCalls: [
          {
            name: "shell",
            arguments: { command: ["node", "-e", "console.log('y'.repeat(6000))"] },
          },
        ],
      },
      { toolCalls: [{ name: "shell", arguments: { command: ["echo", "short"] } }] },
      { text: "Summary: the user asked to print a long line; it was printed." },
      { text: "Done after compaction." },
    );
    const run = await runHedge(["exec", "--json", "print a long line"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(0);
    const events = parseJsonl(run.stdout);
    expect(
      events.some((event) => (event["item"] as { type?: string } | undefined)?.type === "notice"),
    ).toBe(true);
    const last = JSON.stringify(fixture.upstream.requests.at(-1)?.body);
    expect(last).toContain("Summary: the user asked to print a long line");
    expect(last).not.toContain("y".repeat(6000));
    // The latest step stays verbatim, with its call and result paired.
    expect(last).toContain("short");
    expect(events.at(-2)).toMatchObject({
      item: { type: "agent_message", text: "Done after compaction." },
    });
  });
});
