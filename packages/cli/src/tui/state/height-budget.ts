/**
 * How many terminal rows each block of the live area may use. ink reprints the whole session
 * (clear screen + every `<Static>` line) whenever its live output reaches the terminal's height,
 * so the live area must stay below it: the blocks share `rows - 1` rows. Every block first gets a
 * small minimum, in priority order, then what it wants up to its cap; the live tail (the
 * streaming answer, running commands) takes what is left. Each component clips itself to the
 * height it is given.
 */

/** Rows each block would like (its whole height, chrome included). */
export interface LiveDemand {
  /** The composer: text lines + border (2) + hint line (1). */
  composer: number;
  /** The open overlay: approval prompt, slash popup or picker (0 when none). */
  overlay: number;
  /** The pending-input preview (0 when nothing waits). */
  preview: number;
  /** The role panel: one row per active role plus the expanded row's output. */
  roles: number;
  /** The live tail: the live cells' lines. */
  tail: number;
}

/** Rows granted; their sum is at most `rows - 1`. */
export interface LiveBudget extends LiveDemand {
  status: number;
}

/** The composer's chrome: a border above and below, and the hint line. */
export const COMPOSER_CHROME = 3;
/** Caps: a block never takes more, whatever it wants. */
export const CAPS = { composer: 8 + COMPOSER_CHROME, overlay: 14, preview: 10, roles: 14 } as const;
/** Under this many rows the role panel is one summary line. */
export const SMALL_TERMINAL_ROWS = 15;
const MINIMUM = {
  composer: COMPOSER_CHROME + 1,
  overlay: 5,
  roles: 1,
  tail: 3,
  preview: 2,
} as const;

/** Splits `rows - 1` rows among the live blocks (see the module comment). */
export function budgetLiveArea(rows: number, demand: LiveDemand): LiveBudget {
  let left = Math.max(0, Math.floor(rows) - 1);
  const take = (want: number): number => {
    const granted = Math.max(0, Math.min(left, Math.floor(want)));
    left -= granted;
    return granted;
  };
  const want = {
    composer: Math.min(demand.composer, CAPS.composer),
    overlay: Math.min(demand.overlay, CAPS.overlay),
    preview: Math.min(demand.preview, CAPS.preview),
    roles:
      rows < SMALL_TERMINAL_ROWS ? Math.min(demand.roles, 1) : Math.min(demand.roles, CAPS.roles),
    tail: Math.max(0, demand.tail),
  };
  const budget: LiveBudget = {
    status: take(1),
    composer: 0,
    overlay: 0,
    preview: 0,
    roles: 0,
    tail: 0,
  };
  // Minimums, most important first: typing, then what asks for an answer, then the stream.
  budget.composer = take(Math.min(want.composer, MINIMUM.composer));
  budget.overlay = take(Math.min(want.overlay, MINIMUM.overlay));
  budget.tail = take(Math.min(want.tail, MINIMUM.tail));
  budget.roles = take(Math.min(want.roles, MINIMUM.roles));
  budget.preview = take(Math.min(want.preview, MINIMUM.preview));
  // Then each up to what it wants, in the same order; the tail takes the rest.
  budget.overlay += take(want.overlay - budget.overlay);
  budget.composer += take(want.composer - budget.composer);
  budget.roles += take(want.roles - budget.roles);
  budget.preview += take(want.preview - budget.preview);
  budget.tail += take(want.tail - budget.tail);
  return budget;
}
