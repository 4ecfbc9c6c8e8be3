import { randomBytes } from "node:crypto";

/** A fresh id in a wire's style, e.g. `newWireId("msg_")`; used when the upstream sent none. */
export function newWireId(prefix: string): string {
  return prefix + randomBytes(12).toString("hex");
}
