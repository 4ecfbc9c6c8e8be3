// A minimal, fast OpenAI-compatible upstream for gateway benchmarks: fixed Chat Completions
// answers (JSON or SSE) from prebuilt buffers, and a request counter at GET /count so each run
// can prove it really reached the upstream. `FAIL_RATE` (0..1) answers that share with 503.
// `RATE_LIMIT_HEADERS` picks the rate-limit headers every answer carries, as a hosted provider
// sends them: `openai` (the default), `anthropic` (API and subscription `unified-*` sets) or
// `none` (no provider answers like that; kept to compare with earlier figures).
import { createServer, type OutgoingHttpHeaders } from "node:http";
import { rateLimitHeaders, type HeaderSet } from "./rate-limit-headers.js";

const failRate = Number(process.env["FAIL_RATE"] ?? 0);
const headerSet = (process.env["RATE_LIMIT_HEADERS"] ?? "openai") as HeaderSet;
const completion = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "bench-model",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "ok" },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  }),
);
const chunk = (delta: object, finish: string | null): string =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "bench-model", choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;
const stream = Buffer.from(
  chunk({ role: "assistant", content: "" }, null) +
    chunk({ content: "ok" }, null) +
    chunk({}, "stop") +
    `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "bench-model", choices: [], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } })}\n\n` +
    "data: [DONE]\n\n",
);
const failure = Buffer.from(
  JSON.stringify({
    error: { message: "injected failure", type: "server_error", param: null, code: null },
  }),
);

let count = 0;
/** Requests seen per key (the Authorization header), so remaining counts go down per key. */
const perKey = new Map<string, number>();
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/count") {
    res.end(String(count));
    return;
  }
  const parts: Buffer[] = [];
  req.on("data", (part: Buffer) => parts.push(part));
  req.on("end", () => {
    count += 1;
    const key = req.headers["authorization"] ?? "";
    const seen = (perKey.get(key) ?? 0) + 1;
    perKey.set(key, seen);
    const limits = rateLimitHeaders(headerSet, seen, Date.now());
    if (failRate > 0 && Math.random() < failRate) {
      res.writeHead(503, { "content-type": "application/json", ...limits });
      res.end(failure);
      return;
    }
    const streaming = Buffer.concat(parts).includes('"stream":true');
    const headers: OutgoingHttpHeaders = {
      "content-type": streaming ? "text/event-stream" : "application/json",
      ...limits,
    };
    res.writeHead(200, headers);
    res.end(streaming ? stream : completion);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env["PORT"] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
