import { useEffect, useState } from "react";

/** The output the size comes from (`process.stdout`). */
export interface SizedOutput {
  columns?: number;
  rows?: number;
  on(event: "resize", listener: () => void): unknown;
  off(event: "resize", listener: () => void): unknown;
}

/** A terminal's size. */
export interface TerminalSize {
  columns: number;
  rows: number;
}

const read = (output: SizedOutput): TerminalSize => ({
  columns: output.columns && output.columns > 0 ? output.columns : 80,
  rows: output.rows && output.rows > 0 ? output.rows : 24,
});

/**
 * The terminal's size, following resizes; a drag that fires many resize events re-lays out once
 * it pauses (50 ms), not at every step.
 */
export function useTerminalSize(output: SizedOutput, debounceMs = 50): TerminalSize {
  const [size, setSize] = useState(() => read(output));
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const onResize = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        setSize((previous) => {
          const next = read(output);
          return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
        });
      }, debounceMs);
    };
    output.on("resize", onResize);
    return () => {
      if (timer) clearTimeout(timer);
      output.off("resize", onResize);
    };
  }, [output, debounceMs]);
  return size;
}
