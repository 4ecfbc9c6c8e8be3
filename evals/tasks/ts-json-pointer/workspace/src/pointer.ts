/** The value at an RFC 6901 JSON pointer ("" is the whole document); undefined when absent. */
export function getPointer(document: unknown, pointer: string): unknown {
  throw new Error("not implemented");
}
