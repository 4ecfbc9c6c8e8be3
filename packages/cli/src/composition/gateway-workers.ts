import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { renderSnapshots, type GatewayMetrics, type MetricsSnapshot } from "@hedge/gateway";

/**
 * `hedge gateway serve --workers N`: N processes serve one port (node:cluster hands each new
 * connection to a worker), sharing breakers, cooldowns, usage and keys through the Store as
 * replicas do. The primary only supervises: it forks the workers, reports the address once all
 * listen, replaces a worker that dies, relays shutdown, and adds up `/metrics` across workers.
 */

/** Messages between the primary and its workers. */
type WorkerMessage =
  | { type: "hedge-listening"; port: number; providers: string[] }
  | { type: "hedge-metrics-request"; id: number }
  | { type: "hedge-metrics-collect"; id: number }
  | { type: "hedge-metrics-snapshot"; id: number; snapshot: MetricsSnapshot }
  | { type: "hedge-metrics-result"; id: number; text: string };

/** The worker count: `auto` is one per core; a `memory` store (not shared) gets one. */
export function workerCount(setting: number | "auto", store: string): number {
  if (store === "memory") return 1;
  return setting === "auto" ? availableParallelism() : setting;
}

export const isGatewayWorker = (): boolean => cluster.isWorker;

/**
 * Runs the primary: forks `count` workers (each runs the same command line) and resolves with
 * the port and providers once all of them listen; `stop` ends them.
 */
export async function startWorkers(
  count: number,
  log: (line: string) => void,
): Promise<{ port: number; providers: string[]; stop: () => Promise<void> }> {
  let stopping = false;
  const pending = new Map<
    number,
    { snapshots: MetricsSnapshot[]; from: Worker; timer: NodeJS.Timeout }
  >();
  const finish = (id: number): void => {
    const request = pending.get(id);
    if (!request) return;
    clearTimeout(request.timer);
    pending.delete(id);
    request.from.send({
      type: "hedge-metrics-result",
      id,
      text: renderSnapshots(request.snapshots),
    });
  };
  const listen = (worker: Worker): void => {
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "hedge-metrics-request") {
        const workers = Object.values(cluster.workers ?? {}).filter((each) => each !== undefined);
        pending.set(message.id, {
          snapshots: [],
          from: worker,
          // A worker that does not answer in time is left out rather than holding /metrics.
          timer: setTimeout(() => finish(message.id), 1000),
        });
        for (const each of workers) each.send({ type: "hedge-metrics-collect", id: message.id });
      } else if (message.type === "hedge-metrics-snapshot") {
        const request = pending.get(message.id);
        if (!request) return;
        request.snapshots.push(message.snapshot);
        if (request.snapshots.length >= Object.keys(cluster.workers ?? {}).length)
          finish(message.id);
      }
    });
  };
  const ready = new Promise<{ port: number; providers: string[] }>((resolve, reject) => {
    let listening = 0;
    for (let index = 0; index < count; index += 1) {
      const worker = cluster.fork();
      listen(worker);
      worker.once("exit", (code) => {
        if (listening < count)
          reject(new Error(`a gateway worker exited (${code}) before listening`));
      });
      worker.on("message", (message: WorkerMessage) => {
        if (message.type !== "hedge-listening") return;
        listening += 1;
        if (listening === count) resolve({ port: message.port, providers: message.providers });
      });
    }
  });
  cluster.on("exit", (worker, code, signal) => {
    // A worker told to stop (Ctrl-C reaches the whole process group) is not replaced.
    if (stopping || code === 0 || signal === "SIGINT" || signal === "SIGTERM") return;
    log(`gateway: worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
    listen(cluster.fork());
  });
  const started = await ready;
  return {
    ...started,
    stop: async () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((each) => each !== undefined);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once("exit", () => resolve());
              worker.process.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

/** In a worker: tells the primary its server listens. */
export function announceListening(port: number, providers: readonly string[]): void {
  process.send?.({ type: "hedge-listening", port, providers: [...providers] });
}

/**
 * In a worker: answers the primary's metrics collection, and gives `/metrics` the sum of every
 * worker's numbers (this worker's alone if the primary does not answer).
 */
export function workerMetrics(metrics: GatewayMetrics): () => Promise<string> {
  let next = 0;
  const waiting = new Map<number, (text: string) => void>();
  process.on("message", (message: WorkerMessage) => {
    if (message.type === "hedge-metrics-collect")
      process.send?.({
        type: "hedge-metrics-snapshot",
        id: message.id,
        snapshot: metrics.snapshot(),
      });
    else if (message.type === "hedge-metrics-result") {
      waiting.get(message.id)?.(message.text);
      waiting.delete(message.id);
    }
  });
  return () =>
    new Promise((resolve) => {
      // Ids are per worker; the primary keys requests by id, so make them unique across workers.
      next += 1;
      const id = process.pid * 1_000_000 + next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(metrics.render());
      }, 2000);
      waiting.set(id, (text) => {
        clearTimeout(timer);
        resolve(text);
      });
      process.send?.({ type: "hedge-metrics-request", id });
    });
}
