/**
 * Names a tool may never create or change inside a writable directory in a sandboxed mode:
 * `.git` (history, config and hooks: code that git, and hedge's own git, would run) and `.hedge`
 * (the project config that sets the sandbox itself).
 */
export const PROTECTED_NAMES = [".git", ".hedge"] as const;

/** One of {@link PROTECTED_NAMES}. */
export type ProtectedName = (typeof PROTECTED_NAMES)[number];

// Code points HFS+ ignores in file names (git's is_hfs_dotgit list): ".g\u200Cit" is ".git" there.
const HFS_IGNORED = /[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g;

/**
 * The protected name a path component stands for on some filesystem, if any: compared
 * case-insensitively (`.GIT` is `.git` on case-insensitive filesystems), without the code points
 * HFS+ ignores and without the trailing dots and spaces NTFS drops, like git's own checks.
 */
export function protectedNameOf(component: string): ProtectedName | undefined {
  const folded = component
    .replace(HFS_IGNORED, "")
    .replace(/[. ]+$/, "")
    .toLowerCase();
  return PROTECTED_NAMES.find((name) => name === folded);
}
