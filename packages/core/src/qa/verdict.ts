import { z } from "zod";

/**
 * The QA verifier's answer about one turn. `pass`: done as claimed. `add_tasks`: correct so far
 * but incomplete; the tasks join the plan and the executor continues. `block`: the agent claims
 * more than its changes show (or broke something); it continues with the reason.
 */
export const qaVerdictSchema = z
  .strictObject({
    verdict: z
      .enum(["pass", "add_tasks", "block"])
      .describe(
        "pass: the request is done and the final message is accurate. add_tasks: correct so far but work is missing. block: the final message claims something the changes do not support, or the changes are broken.",
      ),
    tasks: z
      .array(z.string().trim().min(1))
      .describe(
        "Concrete missing work, one action per entry, naming the file or function. Empty for pass; at least one for add_tasks.",
      ),
    reason: z
      .string()
      .trim()
      .min(1)
      .describe("One or two sentences to the agent: what is done, what is missing or wrong."),
  })
  .refine((value) => value.verdict !== "add_tasks" || value.tasks.length > 0, {
    message: "add_tasks needs at least one task",
    path: ["tasks"],
  });

/** A validated QA verdict. */
export type QaVerdict = z.infer<typeof qaVerdictSchema>;
