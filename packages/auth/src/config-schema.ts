import { z } from "zod";

/** Where secrets are kept: the OS keychain, a 0600 file, or the keychain when reachable. */
export const credentialsStoreSchema = z.enum(["auto", "keyring", "file"]);
export type CredentialsStoreMode = z.infer<typeof credentialsStoreSchema>;
