/**
 * Build-time stand-in for `react-devtools-core` (tsup aliases it here): ink imports it only
 * when `DEV=true`, and hedge ships without React DevTools.
 */
const devtools = {
  initialize(): void {},
  connectToDevTools(): void {},
};
export default devtools;
