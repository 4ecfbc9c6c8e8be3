/**
 * What a repository's own configuration (`.git/config`, its `include.path`/`includeIf` files,
 * `config.worktree`, `.gitattributes`, `.git/info/attributes`) can make git execute, and the
 * overrides hedge puts on every git command it runs itself so that none of it runs.
 *
 * The repository is untrusted (a cloned project, or a model that changed files), the user's
 * global config is trusted: nothing here skips the global or system config (no
 * `GIT_CONFIG_NOSYSTEM`); overrides are command-line config, which outranks every file.
 *
 * Researched for the commands hedge runs (`rev-parse`, `add` into a temporary index,
 * `write-tree`, `mktree`, `diff`, `config`) and for those a later caller is likely to add
 * (`status`, `ls-files`, `worktree`, `log`, `show`):
 * - `core.fsmonitor`: a hook program run by every command that refreshes the index (`add`,
 *   `status`, `diff` against the worktree).
 * - Hooks: `core.hooksPath` (or `.git/hooks`) run on index writes (`post-index-change` fires on
 *   `git add`), checkouts and commits; since git 2.54 also `hook.<name>.command` from config.
 * - Filter drivers (`filter.<driver>.clean|smudge|process`, chosen by `.gitattributes`): `git
 *   add` runs clean filters, checkouts run smudge filters.
 * - Diff drivers: `diff.external`, `diff.<driver>.command` (`--no-ext-diff`),
 *   `diff.<driver>.textconv` (`--no-textconv`); `diff.submodule=diff` runs a child diff in each
 *   submodule's worktree.
 * - Pager and editors (`core.pager`, `pager.<cmd>`, `core.editor`, `sequence.editor`).
 * - Anything that fetches: a partial clone lazily fetches missing blobs from its promisor remote,
 *   and a transport can run programs (`ext::` URLs, `core.sshCommand`, `remote.*.uploadpack`,
 *   `core.gitProxy`, remote helpers, credential helpers, `core.askPass`). All transports are
 *   refused (`protocol.*.allow=never`) and lazy fetching is off (`GIT_NO_LAZY_FETCH`).
 * - Automatic maintenance (`gc.auto`), signature checks (`log.showSignature` runs
 *   `gpg.program`), signing.
 * - `core.worktree` would let the repository point the snapshot at any directory (a user's
 *   `~/.ssh`) whose files then reach the QA model: hedge names the worktree itself.
 * Aliases cannot shadow built-in commands, so they need nothing.
 */

// Values of `--config-env` overrides (`--config-env=KEY=VARIABLE` reads the value from VARIABLE).
const EMPTY = "HEDGE_GIT_EMPTY";
const NEVER = "HEDGE_GIT_NEVER";
const FALSE = "HEDGE_GIT_FALSE";

/** Overrides for keys with fixed names, as `-c` arguments. */
export const STATIC_OVERRIDES: readonly string[] = [
  "core.fsmonitor=false",
  "core.hooksPath=/dev/null",
  "core.pager=cat",
  "core.editor=:",
  "sequence.editor=:",
  "core.askPass=",
  "credential.helper=",
  "diff.submodule=short",
  "submodule.recurse=false",
  "protocol.allow=never",
  // A per-protocol policy outranks protocol.allow: every protocol git knows, refused by name.
  ...["ext", "file", "ssh", "git", "http", "https", "ftp", "ftps", "fd"].map(
    (name) => `protocol.${name}.allow=never`,
  ),
  "gc.auto=0",
  "maintenance.auto=false",
  "log.showSignature=false",
  "commit.gpgSign=false",
  "tag.gpgSign=false",
];

/** Environment for every hedge git command (values win over the caller's environment). */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_PAGER: "cat",
  GIT_EDITOR: ":",
  GIT_SEQUENCE_EDITOR: ":",
  GIT_TERMINAL_PROMPT: "0",
  // Reading never rewrites the user's index (no stat refresh written back).
  GIT_OPTIONAL_LOCKS: "0",
  // git >= 2.44: a partial clone does not fetch missing objects (older git: transports refused).
  GIT_NO_LAZY_FETCH: "1",
  [EMPTY]: "",
  [NEVER]: "never",
  [FALSE]: "false",
};

/**
 * Inherited variables that would point git at another repository, index, object store or
 * worktree than the one hedge names (set when hedge runs from a git hook, for instance), or
 * make it run an external diff.
 */
export const DROPPED_ENV: readonly string[] = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
  "GIT_EXTERNAL_DIFF",
];

/**
 * Keys whose names include a name the repository chooses (a driver, a hook, a protocol, a URL):
 * they cannot be listed in advance, so hedge reads which ones are defined (`git config`, which
 * runs nothing) and overrides each. Matched against git's canonical key (section and key
 * lower-cased, subsection as written).
 */
export const NAMED_KEYS_PATTERN =
  "^(filter\\..+\\.(clean|smudge|process)|diff\\..+\\.(command|textconv)|merge\\..+\\.driver|hook\\..+\\.(command|event)|protocol\\..+\\.allow|credential\\..+\\.helper)$";

/**
 * `--config-env` arguments that neutralise the keys listed by `git config --null --name-only
 * --get-regexp NAMED_KEYS_PATTERN`. `--config-env` splits at the last `=`, so a driver whose
 * name contains `=` (which `-c` would misread) is overridden too.
 */
export function namedKeyOverrides(listing: string): string[] {
  const overrides = new Set<string>();
  const add = (key: string, value: string): void => {
    overrides.add(`--config-env=${key}=${value}`);
  };
  for (const key of listing.split("\0")) {
    const [, section, name, variable] = /^([a-z]+)\.(.+)\.([a-z]+)$/s.exec(key) ?? [];
    if (section === undefined || name === undefined || variable === undefined) continue;
    const base = `${section}.${name}`;
    if (section === "filter") {
      add(`${base}.${variable}`, EMPTY);
      add(`${base}.required`, FALSE);
    } else if (section === "hook") {
      // git >= 2.54: `enabled=false` switches a configured hook off; an empty `event` also
      // empties its event list.
      add(`${base}.enabled`, FALSE);
      add(`${base}.event`, EMPTY);
    } else if (section === "protocol") {
      add(`${base}.allow`, NEVER);
    } else {
      add(`${base}.${variable}`, EMPTY);
    }
  }
  return [...overrides];
}
