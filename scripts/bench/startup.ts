// pnpm bench:startup — whole-process wall time of `hedge --version` and `hedge --help`
// (spawn to exit), several runs after warm-up, reported as median / p90 / min.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { machine, printTable, quantile } from "./table.js";

const bin = fileURLToPath(new URL("../../packages/cli/dist/hedge.js", import.meta.url));
if (!existsSync(bin)) {
  console.error("bench:startup: packages/cli/dist/hedge.js is missing; run `npm run setup` first");
  process.exit(1);
}
const runs = Number(process.env["BENCH_RUNS"] ?? 30);
const cases: { name: string; args: string[] }[] = [
  { name: "hedge --version", args: ["--version"] },
  { name: "hedge --help", args: ["--help"] },
];

const rows = cases.map(({ name, args }) => {
  for (let warm = 0; warm < 3; warm += 1) spawnSync(process.execPath, [bin, ...args]);
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bin, ...args], { stdio: "ignore" });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return [
    name,
    String(runs),
    quantile(times, 0.5).toFixed(1),
    quantile(times, 0.9).toFixed(1),
    (times[0] ?? 0).toFixed(1),
  ];
});

console.log(`machine: ${machine()}`);
printTable(["command", "runs", "median ms", "p90 ms", "min ms"], rows);
