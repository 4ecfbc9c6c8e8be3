import { useSyncExternalStore } from "react";
import type { TuiController, TuiSnapshot } from "../runtime/tui-controller.js";

/** The controller's current snapshot; the component re-renders when it changes. */
export function useTuiSnapshot(controller: TuiController): TuiSnapshot {
  return useSyncExternalStore(controller.subscribe, controller.getSnapshot, controller.getSnapshot);
}
