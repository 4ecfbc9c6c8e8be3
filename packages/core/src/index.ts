export {
  coreConfigShape,
  rolesSchema,
  qaSchema,
  sandboxSchema,
  sandboxModeSchema,
  approvalPolicySchema,
} from "./config-schema.js";
