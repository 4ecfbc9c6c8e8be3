import { z } from "zod";

/** The tags a task may carry: its kind, its language(s), and whether it spans several files. */
export const TASK_TAGS = [
  "bugfix",
  "feature",
  "refactor",
  "multi-file",
  "python",
  "ts",
  "shell",
] as const;
/** One of {@link TASK_TAGS}. */
export type TaskTag = (typeof TASK_TAGS)[number];

const relativePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), {
    message: "expected a path inside the workspace",
  });

/** `evals/tasks/<id>/task.toml`. Unknown keys are refused: a misspelt key is a silent bug. */
export const taskFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected lower-case letters, digits and dashes"),
  title: z.string().min(1),
  tags: z.array(z.enum(TASK_TAGS)).min(1),
  prompt: z.string().min(1),
  /** Files the agent is told it may edit; edits elsewhere are recorded. */
  editable: z.array(relativePath).min(1),
  /** argv lists, run in order without a shell; every one must exit 0. */
  test: z.array(z.array(z.string()).min(1)).min(1),
  test_env: z.record(z.string(), z.string()).default({}),
  timeout_sec: z.number().positive().max(600).default(60),
});
/** A parsed `task.toml`. */
export type TaskFile = z.infer<typeof taskFileSchema>;

/** A task as loaded: its file, where it lives, and what its scripted model does (when present). */
export interface EvalTask extends TaskFile {
  /** Absolute `evals/tasks/<id>`. */
  dir: string;
  workspaceDir: string;
  testsDir: string;
  /** `scripted.json`, when the task has one (the CI model). */
  scriptedFile: string | undefined;
}
