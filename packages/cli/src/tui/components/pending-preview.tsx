import type { ReactNode } from "react";
import { layoutPending, type PendingItem } from "../layout/pending-layout.js";
import { StyledLines } from "./styled-lines.js";

export interface PendingPreviewProps {
  /** The thread's open inputs (`Thread.pending()` / the input store's rows), in order. */
  items: readonly PendingItem[];
  width: number;
  /** Rows it may use (height budget). */
  maxHeight: number;
}

/** What waits to be sent: steers, steers that missed the turn, queued follow-ups. */
export function PendingPreview({ items, width, maxHeight }: PendingPreviewProps): ReactNode {
  const lines = layoutPending(items, width, maxHeight);
  return lines.length > 0 ? <StyledLines lines={lines} /> : null;
}
