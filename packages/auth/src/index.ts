export { credentialsStoreSchema, type CredentialsStoreMode } from "./config-schema.js";
export {
  probeKeychain,
  KEYCHAIN_SERVICE,
  KEYCHAIN_OPTIONS,
  type KeychainProbe,
} from "./keychain.js";
export { writeFileAtomic } from "./atomic-write.js";
export { withFileLock, type LockOptions } from "./lock.js";
export {
  PROFILE_NAME_PATTERN,
  profileNameSchema,
  profileKindSchema,
  profilesFileSchema,
  type Profile,
  type ProfileKind,
  type ProfileRecord,
  type ProfilesFile,
  type SecretLocation,
} from "./profile-schema.js";
export { profilesPath, readProfilesFile } from "./profiles-file.js";
export { parseTomlText, readTomlFile, type TomlFileErrors } from "./toml-file.js";
export { RESERVED_KEYS, formatKeyPath, reservedKeyPath } from "./key-path.js";
export {
  assertProfileName,
  listProfiles,
  getProfile,
  saveProfile,
  profileExistsError,
  removeProfile,
  switchProfile,
  touchProfile,
  readProfileSecret,
  cliLoginHome,
  type NewProfile,
  type SavedProfile,
  type RemovedProfile,
} from "./profiles.js";
export {
  keyringStore,
  fileStore,
  storeAt,
  credentialsFilePath,
  type SecretStore,
} from "./secret-store.js";
export { selectSecretStore, type SelectStoreOptions } from "./store-select.js";
export { loadProfilePools, type PoolMember, type LoadPoolsOptions } from "./pools.js";
export { maskSecret, maskUrlCredentials, redactUrlPassword } from "./mask.js";
export {
  CLI_LOGIN_VENDORS,
  GATEWAY_PROVIDER,
  hasLoginFile,
  type CliLoginVendor,
} from "./cli-login.js";
export { profileVariables, execEnvironment } from "./exec-env.js";
export { VENDOR_IDENTITY_VARIABLES } from "./vendor-identity.js";
export { assertSecretText, readSecret, type SecretInput } from "./secret-input.js";
