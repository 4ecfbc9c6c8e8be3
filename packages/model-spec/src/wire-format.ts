/** The wire format a provider endpoint (or a client) speaks. */
export type WireFormat = "chat" | "responses" | "messages";
