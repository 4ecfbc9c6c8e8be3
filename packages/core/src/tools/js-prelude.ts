/**
 * The API a `js` script starts with, as module source: paths relative to the workspace (the
 * working directory), no shell anywhere. The script's value, its log and the files it wrote are
 * printed after a marker for the host to read; `applyPatch` texts are handed to the host, which
 * applies them with apply_patch's own parser once the script has ended, in order.
 */
export const JS_RESULT_MARKER = "\u0000hedge-js-result ";

export const JS_PRELUDE = `
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { spawnSync } from "node:child_process";
const __root = process.cwd();
const __logs = [];
const __changed = new Set();
const __patches = [];
const __inside = (path) => {
  const full = resolve(__root, path);
  if (full !== __root && !full.startsWith(__root + sep)) throw new Error(path + ": outside the workspace");
  return full;
};
const log = (...values) => { __logs.push(values.map((v) => typeof v === "string" ? v : JSON.stringify(v)).join(" ")); };
console.log = log;
console.error = log;
const read = async (path) => readFileSync(__inside(path), "utf8");
const write = async (path, text) => {
  const full = __inside(path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  __changed.add(relative(__root, full));
};
const __walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
  if (entry.name === ".git" || entry.name === "node_modules") return [];
  const full = join(dir, entry.name);
  return entry.isDirectory() ? __walk(full) : [relative(__root, full)];
});
const __glob = (pattern) => {
  let re = "";
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      re += "(?:.*/)?";
      i += pattern[i + 2] === "/" ? 2 : 1;
      if (pattern[i + 1] === undefined) re += ".*";
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    // A literal character as a one-character class (no escapes in this template string).
    else re += /[A-Za-z0-9_/-]/.test(c) || "^]".includes(c) ? c : "[" + c + "]";
  }
  return new RegExp("^" + re + "$");
};
const list = async (pattern = "**/*") => __walk(__root).filter((path) => __glob(pattern).test(path));
const grep = async (regex, pattern = "**/*") => {
  const re = new RegExp(regex);
  const hits = [];
  for (const path of await list(pattern)) {
    let text;
    try { text = readFileSync(join(__root, path), "utf8"); } catch { continue; }
    text.split("\\n").forEach((line, index) => { if (re.test(line)) hits.push({ path, line: index + 1, text: line }); });
  }
  return hits;
};
const run = async (argv, options = {}) => {
  if (!Array.isArray(argv) || argv.length === 0) throw new Error("run(argv): argv is a non-empty array");
  const result = spawnSync(argv[0], argv.slice(1), { cwd: options.cwd ? __inside(options.cwd) : __root, encoding: "utf8", timeout: options.timeoutMs ?? 60000, maxBuffer: 4 * 1024 * 1024 });
  return { exitCode: result.status ?? (result.error ? 127 : 124), stdout: result.stdout ?? "", stderr: (result.stderr ?? "") + (result.error ? String(result.error.message) : "") };
};
const applyPatch = async (text) => { __patches.push(String(text)); return "queued: applied with apply_patch when the script ends"; };
const __finish = (value, error) => {
  const envelope = { value: value === undefined ? null : value, error: error ? String(error && error.stack || error) : null, logs: __logs, changed: [...__changed], patches: __patches };
  process.stdout.write(${JSON.stringify(JS_RESULT_MARKER)} + JSON.stringify(envelope) + "\\n");
};
`;
