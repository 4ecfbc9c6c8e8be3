import { Box, Text } from "ink";
import type { ReactNode } from "react";
import type { StyledLine } from "../layout/styled-text.js";
import { showControls } from "../state/sanitize.js";
import { useTheme } from "./theme-context.js";

/**
 * Rows laid out by the layout functions, one `<Text>` per row. Rows already fit their width,
 * so ink never wraps them and the block is exactly `lines.length` rows high.
 */
export function StyledLines({ lines }: { lines: readonly StyledLine[] }): ReactNode {
  return (
    <Box flexDirection="column">
      {lines.map((line, index) => (
        <Row key={index} line={line} />
      ))}
    </Box>
  );
}

/**
 * One laid-out row. Its text is shown with control characters as symbols: the layouts clean
 * untrusted text already, and this is the last guard before the terminal.
 */
export function Row({ line }: { line: StyledLine }): ReactNode {
  const theme = useTheme();
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((part, index) => (
        <Text key={index} {...(part.role ? theme.style(part.role) : {})}>
          {showControls(part.text)}
        </Text>
      ))}
    </Text>
  );
}
