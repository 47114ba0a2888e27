/**
 * Generate Video's questions and what starts them, as one bundle (`dist/flow.js`, see esbuild.js)
 * loaded the first time one of these commands runs (src/commands/flowLoader.ts), not at activation.
 *
 * The rule that keeps activation light: outside src/flow, only `import type` reaches into this
 * folder; everything else goes through the loader. ESLint checks it (eslint.config.mjs).
 */

export { editAndGenerateAgain, generateAgain, generateFromImage, generateFromPromptDocument, generateVideo, newPromptDocument } from './generate';
export type { GenerateArgument } from './generate';
export { clearPromptHistory, forgetPrompts } from './promptHistory';
export { selectModel } from './selectModel';
