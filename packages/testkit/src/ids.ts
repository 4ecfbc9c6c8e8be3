import { randomBytes, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(length: number): string {
  let out = "";
  for (let index = 0; index < length; index += 1) out += BASE62[randomInt(BASE62.length)];
  return out;
}

function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

/** Ids shaped like the ones each provider hands out. */
export const ids = {
  chatCompletion: (): string => `chatcmpl-${base62(29)}`,
  chatToolCall: (): string => `call_${base62(24)}`,
  systemFingerprint: (): string => `fp_${hex(10)}`,
  response: (): string => `resp_${hex(50)}`,
  responseMessage: (): string => `msg_${hex(50)}`,
  responseFunctionCall: (): string => `fc_${hex(50)}`,
  responseReasoning: (): string => `rs_${hex(50)}`,
  anthropicMessage: (): string => `msg_01${base62(22)}`,
  anthropicToolUse: (): string => `toolu_01${base62(22)}`,
  requestId: (): string => `req_${base62(24)}`,
  thinkingSignature: (): string => randomBytes(48).toString("base64"),
  encryptedReasoning: (): string => `gAAAAA${randomBytes(48).toString("base64")}`,
};

/** Unix time in whole seconds, as `created` fields carry it. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
