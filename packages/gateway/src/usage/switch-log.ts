import type { Store } from "../store/store.js";

/** One move of a pool's traffic from one member to another, and why. */
export interface ProfileSwitch {
  /** Epoch ms. */
  at: number;
  provider: string;
  family: string;
  /** Route ids (`provider:profile:NAME`). */
  from: string;
  to: string;
  fromProfile?: string;
  toProfile?: string;
  reason: string;
}

export const SWITCH_LOG_KEY = "usage:switches";
const KEEP = 100;
const KEEP_MS = 30 * 86_400_000;

/** Appends a switch to the shared log (the newest `KEEP`), atomically across processes. */
export async function appendSwitch(store: Store, change: ProfileSwitch): Promise<void> {
  await store.update<ProfileSwitch[]>(
    SWITCH_LOG_KEY,
    (current) => [...(current ?? []).slice(-(KEEP - 1)), change],
    KEEP_MS,
  );
}

/** The shared switch log, oldest first. */
export async function readSwitches(store: Store): Promise<ProfileSwitch[]> {
  return (await store.get<ProfileSwitch[]>(SWITCH_LOG_KEY)) ?? [];
}
