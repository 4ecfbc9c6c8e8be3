import type { Intent } from "./keymap.js";
import { clamp } from "./session-helpers.js";
import type { PickerChoice, PickerState, Reduction, SessionState } from "./session-state.js";

/** The picker's items that match its filter (case-insensitive, label or description). */
export function pickerMatches(picker: PickerState): readonly PickerChoice[] {
  const filter = picker.filter.trim().toLowerCase();
  if (!filter) return picker.items;
  return picker.items.filter((item) =>
    `${item.label} ${item.description ?? ""}`.toLowerCase().includes(filter),
  );
}

/** A picker opens on the choice in use (else the first). */
export function openPicker(
  state: SessionState,
  picker: Omit<PickerState, "selected" | "filter">,
): SessionState {
  const current = picker.items.findIndex((item) => item.current === true);
  return { ...state, picker: { ...picker, selected: Math.max(0, current), filter: "" } };
}

/**
 * Keys while a picker shows: Up/Down select, printable keys and Backspace edit the filter, Enter
 * (or Tab) runs `/command VALUE` and closes it, Esc closes it. Other keys do nothing: the
 * composer underneath keeps its text.
 */
export function pickerIntent(state: SessionState, intent: Intent): Reduction {
  const picker = state.picker;
  if (!picker) return { state, effects: [] };
  const matches = pickerMatches(picker);
  const withPicker = (next: PickerState | null): Reduction => ({
    state: { ...state, picker: next },
    effects: [],
  });
  switch (intent.type) {
    case "interrupt":
      return withPicker(null);
    case "up":
    case "down":
      if (matches.length === 0) return { state, effects: [] };
      return withPicker({
        ...picker,
        selected: clamp(picker.selected + (intent.type === "up" ? -1 : 1), matches.length),
      });
    case "insert":
    case "paste":
      return withPicker({ ...picker, filter: picker.filter + intent.text, selected: 0 });
    case "edit":
      if (intent.command !== "backspace") return { state, effects: [] };
      return withPicker({ ...picker, filter: picker.filter.slice(0, -1), selected: 0 });
    case "submit":
    case "queue": {
      const chosen = matches[picker.selected];
      if (!chosen) return { state, effects: [] };
      return {
        state: { ...state, picker: null },
        effects: [{ type: "slash", name: picker.command, args: chosen.value }],
      };
    }
    default:
      return { state, effects: [] };
  }
}
