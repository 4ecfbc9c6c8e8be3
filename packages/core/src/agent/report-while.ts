/**
 * Runs `work` and yields what it reports while it runs, as it comes (a tool's command starting
 * and its output, a model call's route and text), then returns its result (or throws its error).
 * A generator cannot yield inside an `await`; this lets the agent loop stream progress anyway.
 */
export async function* reportWhile<E, T>(
  work: (report: (event: E) => void) => Promise<T>,
): AsyncGenerator<E, T> {
  const queue: E[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  const running = work((event) => {
    queue.push(event);
    wake?.();
  });
  const settle = (): void => {
    settled = true;
    wake?.();
  };
  running.then(settle, settle);
  for (;;) {
    for (let event = queue.shift(); event !== undefined; event = queue.shift()) yield event;
    if (settled) return await running;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
}
