import type { UsageReportView } from "@hedge/model-spec";

/** Tokens and $ the gateway recorded for one run's key. */
export interface GatewayUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  calls: number;
}

/**
 * A gateway opened for one `--via-gateway` run: its URL and a key made for this run only
 * (models scope). `close` revokes the key, then reads what the gateway recorded for it.
 */
export interface RunGateway {
  url: string;
  /** The plain key: it goes into the vendor CLI's environment and nowhere else. */
  key: string;
  keyId: string;
  close(): Promise<GatewayUsage>;
}

/** No gateway to point a run at: one line and what to do. */
export interface GatewayMissing {
  missing: string;
  hint: string;
}

/**
 * What the daemon may ask of hedge's model side. The CLI's composition root implements it (the
 * daemon never imports the gateway): the usage view comes from ModelClient, run keys from the
 * gateway's key store.
 */
export interface AgentAccess {
  /** hedge's usage view (`hedge usage --json`): headroom and cooldowns per profile. */
  usage(): Promise<UsageReportView>;
  /** A gateway and a fresh key for run `runId`, or why there is none. */
  openGateway(runId: string): Promise<RunGateway | GatewayMissing>;
  /** Revokes every run key left by a daemon that died mid-run (called at start, none in use). */
  sweepRunKeys(): Promise<void>;
}
