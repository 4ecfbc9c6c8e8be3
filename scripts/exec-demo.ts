// npm run exec-demo — hedge's main job on a machine with no model yet: `hedge exec` fixes a
// failing test in a throwaway git repository, inside the bubblewrap sandbox, with the model played
// by hedge's scripted upstream (a local server speaking the OpenAI API). Point hedge at a real
// model afterwards (README). The parts live in scripts/demo/.
import { runExecDemo } from "./demo/run.js";

process.exitCode = await runExecDemo({ write: (text) => process.stdout.write(text) });
