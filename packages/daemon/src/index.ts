export { startDaemon, type DaemonHandle, type DaemonOptions } from "./daemon.js";
export { SqliteLedger, ledgerPath } from "./ledger/sqlite-ledger.js";
export type { Ledger, ListRunsOptions } from "./ledger/ledger.js";
export { LocalLedger } from "./ledger/local-ledger.js";
export { RedisLedger } from "./ledger/redis-ledger.js";
export { openLedger } from "./ledger/open-ledger.js";
export { RUN_ID_PATTERN } from "./ledger/ids.js";
export type {
  AdapterName,
  Loop,
  LoopSpec,
  LoopState,
  Run,
  RunStatus,
  RunTrigger,
} from "./ledger/types.js";
export type {
  AgentAccess,
  GatewayMissing,
  GatewayUsage,
  RunGateway,
} from "./adapters/agent-access.js";
export { buildLoopSpec, type LoopAddInput } from "./loop-spec.js";
export { callDaemon, DaemonClient, DaemonDownError } from "./ipc/daemon-client.js";
export { socketPath, infoPath, lockPath } from "./ipc/paths.js";
export { statusSchema, type DaemonStatus } from "./ipc/protocol.js";
export { runLogPath } from "./run/run-executor.js";
export {
  systemdUnit,
  launchAgentPlist,
  serviceFilePath,
  LAUNCH_AGENT_LABEL,
  type ServiceSpec,
} from "./service/service-files.js";
export { queueHookRuns } from "./hooks.js";
export { nextSlotAfter } from "./schedule/slots.js";
