import type { Socket } from "node:net";
import { MAX_LINE_BYTES } from "./protocol.js";

/** Calls `onLine` for each newline-terminated line; ends the socket on an over-long line. */
export function readLines(
  socket: Socket,
  onLine: (line: string) => void,
  onTooLong: () => void,
): void {
  let buffer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
        buffer = "";
        onTooLong();
        return;
      }
      if (line.trim()) onLine(line);
      newline = buffer.indexOf("\n");
    }
    if (Buffer.byteLength(buffer) > MAX_LINE_BYTES) {
      buffer = "";
      onTooLong();
    }
  });
}
