import { afterEach, describe, expect, it } from "vitest";
import { labProvider, startHarness, type Harness } from "./routing-harness.js";

// Pass-through forwards the client's bytes: only the model's value changes. Routing reads the
// body as JSON.parse does (the last of duplicate keys), and the upstream must never be sent a
// body it could read otherwise (a first duplicate some parsers keep).

let harness: Harness<"lab"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function gateway(): Promise<Harness<"lab">> {
  harness = await startHarness({
    upstreams: ["lab"],
    providers: (urls) => ({ lab: labProvider(urls.lab) }),
    aliases: { m: "lab/m" },
  });
  harness.up.lab.push({ text: "ok", repeat: true });
  return harness;
}

async function send(h: Harness<"lab">, text: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: text,
  });
  return { status: response.status, body: await response.text() };
}

const lastSent = (h: Harness<"lab">): string => h.up.lab.requests.at(-1)?.rawBody ?? "";

describe("pass-through request bodies", () => {
  it("reach the upstream byte for byte, only the model's value replaced", async () => {
    const h = await gateway();
    const text =
      '{ "model" : "lab/m" ,\n "messages": [ {"role":"user","content":"say \\"model\\": \\u00e9"} ],' +
      ' "seed": 12345678901234567890, "temperature": 1.0, "metadata": {"model": "lab/other"} }';
    expect((await send(h, text)).status).toBe(200);
    expect(lastSent(h)).toBe(text.replace('"lab/m"', '"m"'));
  });

  it("send one value for a repeated model or stream: the one routing read", async () => {
    const h = await gateway();
    const messages = '"messages":[{"role":"user","content":"hi"}]';
    expect((await send(h, `{"model":"lab/other",${messages},"model":"m"}`)).status).toBe(200);
    expect(lastSent(h).match(/"model"/g)).toHaveLength(1);
    expect(JSON.parse(lastSent(h))).toMatchObject({ model: "m" });
    const streamTwice = `{"model":"m","stream":true,${messages},"stream":false}`;
    const answer = await send(h, streamTwice);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ object: "chat.completion" });
    expect(lastSent(h).match(/"stream"/g)).toHaveLength(1);
    expect(JSON.parse(lastSent(h))).toMatchObject({ stream: false });
  });

  it("route on an escaped model key, and never on a model nested or quoted in the body", async () => {
    const h = await gateway();
    const nested =
      '{"metadata":{"model":"nowhere/x"},"messages":[{"role":"user","content":"\\"model\\":\\"nowhere/x\\""}],"mod\\u0065l":"lab/m"}';
    expect((await send(h, nested)).status).toBe(200);
    expect(JSON.parse(lastSent(h))).toMatchObject({ model: "m", metadata: { model: "nowhere/x" } });
  });

  it("are refused as before when they are not JSON, not an object or have no messages", async () => {
    const h = await gateway();
    const refused = async (text: string): Promise<string> => {
      const answer = await send(h, text);
      expect(answer.status).toBe(400);
      return (JSON.parse(answer.body) as { error: { message: string } }).error.message;
    };
    const messages = '"messages":[{"role":"user","content":"hi"}]';
    for (const text of [
      `{"model":"lab/m",${messages},}`,
      `{"model":"lab/m",${messages}} {}`,
      `{"model":"lab/m","messages":[{"role":"user","content":"a\tb"}]}`,
      `{"model":"lab/m",${messages},"seed":01}`,
      `\ufeff{"model":"lab/m",${messages}}`,
    ])
      expect(await refused(text)).toBe("the request body is not valid JSON");
    expect(await refused(`[{"model":"lab/m",${messages}}]`)).toBe(
      "the request body must be a JSON object",
    );
    expect(await refused('{"model":"lab/m","messages":"hi"}')).toBe(
      "messages must be an array of messages",
    );
    expect(h.up.lab.requests).toHaveLength(0);
  });
});
