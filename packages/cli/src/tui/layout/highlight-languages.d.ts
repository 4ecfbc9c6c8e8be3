// highlight.js ships types for its main entry only; each grammar module exports one LanguageFn.
declare module "highlight.js/lib/languages/*" {
  import type { LanguageFn } from "highlight.js";
  const grammar: LanguageFn;
  export default grammar;
}
