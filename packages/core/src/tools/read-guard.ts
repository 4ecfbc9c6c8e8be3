import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { isInside, resolveExistingPrefix } from "./paths.js";
import { toolError, type ToolResult } from "./tool.js";

/**
 * Where credentials usually live (`~` is the user's home): hidden from sandboxed commands and
 * refused by the read tools, like `$HEDGE_HOME` and the vendor CLI homes of profiles.
 */
export const DEFAULT_DENY_READ = [
  "~/.ssh",
  "~/.aws",
  "~/.config/gcloud",
  "~/.netrc",
  "~/.docker/config.json",
  "~/.kube",
  "~/.gnupg",
  "~/.git-credentials",
  "~/.config/gh",
  "~/.azure",
] as const;

/**
 * Refused by the read tools on top of the deny list. They run inside hedge's own process, so
 * `/proc/self/environ`, `/proc/self/mem`, `/proc/<pid>/cmdline` and the rest describe hedge
 * itself (its environment holds keys) or the user's other processes, and `/dev/fd/N` is one of
 * hedge's open files; none of it is project data. Sandboxed commands have a /proc of their own.
 */
export const PROCESS_PATHS = ["/proc", "/dev/fd"] as const;

/**
 * Sockets that hand secrets to whoever connects, masked like the files: the D-Bus session bus
 * (the OS keychain, where hedge keeps profile keys, answers there), the ssh agent, and the
 * user's runtime directory (`$XDG_RUNTIME_DIR`: keyring, gpg-agent, docker and podman sockets).
 * Abstract sockets need no mask: without network the sandbox has its own namespace for them.
 */
export function secretSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const uid = process.getuid?.();
  const runtime = env["XDG_RUNTIME_DIR"] || (uid === undefined ? undefined : `/run/user/${uid}`);
  const bus = (env["DBUS_SESSION_BUS_ADDRESS"] ?? "").split(";").flatMap((address) => {
    const path = /^unix:(?:.*,)?path=([^,]+)/.exec(address)?.[1];
    return path === undefined ? [] : [decodeURIComponent(path)];
  });
  const agent = env["SSH_AUTH_SOCK"];
  return [...(runtime ? [runtime] : []), ...bus, ...(agent ? [agent] : [])].filter((path) =>
    path.startsWith("/"),
  );
}

/** `~` and `~/...` against `home`; other paths resolved to absolute. */
export function expandHome(path: string, home = homedir()): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return resolve(path);
}

/**
 * The deny list a tool host enforces: the defaults, the secret sockets of `env` and `extra`, `~`
 * expanded, each path both as written and with symlinks resolved (a denied `~/.ssh` that links
 * elsewhere hides both).
 */
export function resolveDenyRead(
  extra: readonly string[],
  home = homedir(),
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const paths = new Set<string>();
  for (const path of [...DEFAULT_DENY_READ, ...secretSockets(env), ...extra]) {
    const absolute = expandHome(path, home);
    paths.add(absolute);
    try {
      paths.add(realpathSync(absolute));
    } catch {
      // Not there (yet): the path as written is still refused.
    }
  }
  return [...paths];
}

/** The first root (workspace, cwd, writable root) that lies inside a denied path, if any. */
export function findHiddenRoot(
  roots: readonly string[],
  denyRead: readonly string[],
): { root: string; denied: string } | undefined {
  for (const root of roots) {
    const forms = [resolve(root), ...realpathOrEmpty(root)];
    const denied = denyRead.find((path) => forms.some((form) => isInside(form, path)));
    if (denied !== undefined) return { root, denied };
  }
  return undefined;
}

/** Where a read tool may look: a path that is not denied, and what inside it is. */
export interface ReadScope {
  /** The requested path, absolute (symlinks not resolved). */
  path: string;
  /** Whether an entry found under `path` by a walk that does not follow symlinks is denied. */
  denies: (entry: string) => boolean;
  /** Denied paths inside the scope, relative to `path` with `/` separators (to exclude from a search). */
  deniedInside: string[];
}

/**
 * Checks a path a tool was asked for (read_file, list_dir, grep, and apply_patch, which reads what
 * it updates and could move a file out): refused when it lies in a denied path or under /proc, as
 * written or after resolving every symlink (a workspace link to `~/.ssh/id_rsa` is refused).
 */
export async function openReadScope(
  requested: string,
  cwd: string,
  denyRead: readonly string[],
): Promise<{ ok: true; scope: ReadScope } | { ok: false; result: ToolResult }> {
  const denied = [...denyRead, ...PROCESS_PATHS];
  const path = resolve(cwd, requested);
  // A path that does not exist yet (a file a patch adds) is checked where it would be created.
  const real = await resolveExistingPrefix(path);
  for (const form of real === undefined ? [path] : [path, real]) {
    const within = denied.find((root) => isInside(form, root));
    if (within !== undefined) return { ok: false, result: refusal(requested, within) };
  }
  const bases = real === undefined || real === path ? [path] : [path, real];
  const isDenied = (entry: string): boolean => denied.some((root) => isInside(entry, root));
  return {
    ok: true,
    scope: {
      path,
      // A walk that does not follow symlinks finds under `real` exactly what it finds under `path`.
      denies: (entry) =>
        isDenied(entry) || (real !== undefined && isDenied(join(real, relative(path, entry)))),
      deniedInside: [
        ...new Set(
          bases.flatMap((base) =>
            denied
              .filter((root) => root !== base && isInside(root, base))
              .map((root) => relative(base, root).split(sep).join("/")),
          ),
        ),
      ],
    },
  };
}

function refusal(requested: string, root: string): ToolResult {
  if ((PROCESS_PATHS as readonly string[]).includes(root)) {
    return toolError(
      "path_denied",
      `${requested}: ${root} is not readable with hedge's file tools (it would show hedge's own process: its environment, memory and open files); run the command with shell, which has a /proc of its own`,
    );
  }
  return toolError(
    "path_denied",
    `${requested}: inside ${root}, where credentials are kept; hedge's tools may not read or change it`,
  );
}

function realpathOrEmpty(path: string): string[] {
  try {
    return [realpathSync(path)];
  } catch {
    return [];
  }
}
