export { HedgeError, UsageError, isHedgeError } from "./errors.js";
export { credentialsStoreSchema, type CredentialsStoreMode } from "./config-schema.js";
export { probeKeychain, KEYCHAIN_SERVICE, type KeychainProbe } from "./keychain.js";
export { writeFileAtomic } from "./atomic-write.js";
