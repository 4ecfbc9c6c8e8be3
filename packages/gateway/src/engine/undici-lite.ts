import AgentImpl from "undici/lib/dispatcher/agent.js";
import errorsImpl from "undici/lib/core/errors.js";
import type { Agent as AgentClass, errors as undiciErrors } from "undici";

// Only the parts of undici the gateway uses: its HTTP/1.1 agent and its error classes. undici's
// index loads fetch, cookies, WebSocket, EventSource, mocks and caches too, which cost a
// starting `hedge exec` tens of milliseconds before its first model request. The version is
// pinned in package.json; `undici-lite.test.ts` checks these are undici's own classes.

/** undici's `Agent` (keep-alive pools per origin). */
export const Agent = AgentImpl as typeof AgentClass;

/** undici's error classes (`errors.RequestAbortedError`, …). */
export const errors = errorsImpl as typeof undiciErrors;
