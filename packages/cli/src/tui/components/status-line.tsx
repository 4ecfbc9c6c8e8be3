import { Text } from "ink";
import type { ReactNode } from "react";
import {
  formatStatusLine,
  STATUS_SEPARATOR,
  statusFields,
  type StatusInput,
  type StatusTone,
} from "../state/status-model.js";
import type { StyleRole } from "../theme.js";
import { useTheme } from "./theme-context.js";

export interface StatusLineProps {
  status: StatusInput;
  width: number;
}

const TONE_ROLES: Record<StatusTone, StyleRole> = {
  model: "model",
  muted: "muted",
  normal: "text",
  good: "success",
  warning: "warning",
  danger: "error",
};

/**
 * One row under the composer: the executor's model and why, context left, tokens and $, the
 * active profile's headroom with its reset countdown, the roles at work. Fields shorten, then
 * drop, in a fixed order to fit the width; it never wraps.
 */
export function StatusLine({ status, width }: StatusLineProps): ReactNode {
  const theme = useTheme();
  const fields = formatStatusLine(statusFields(status), width);
  return (
    <Text wrap="truncate-end">
      {fields.map((field, index) => (
        <Text key={field.key}>
          {index > 0 ? <Text {...theme.style("muted")}>{STATUS_SEPARATOR}</Text> : null}
          <Text {...theme.style(TONE_ROLES[field.tone])}>{field.text}</Text>
        </Text>
      ))}
    </Text>
  );
}
