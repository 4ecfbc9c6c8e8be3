export {
  evalResponder,
  taskOfRequest,
  type EvalModelReply,
  type EvalModelRequest,
} from "./responder.js";
export { compileScript, writePatch, type CompiledScript, type ScriptedStep } from "./compile.js";
export { scriptedTaskSchema, type ScriptedTask, type Action } from "./actions-schema.js";
