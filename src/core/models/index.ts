/**
 * The model catalogue and what reads it, as one bundle (`dist/models.js`, see esbuild.js) that is
 * loaded the first time a model is looked up (src/core/modelsLoader.ts), not at activation.
 *
 * The rule that keeps activation light: outside src/core/models, only `import type` reaches into
 * this folder; everything else goes through the loader. ESLint checks it (eslint.config.mjs).
 */

export * from './catalogue';
export * from './choices';
export * from './submitBody';

// Reading a prompt document, and its length against the model's limit: the CodeLens over one
// (src/views/promptLens.ts, registered at activation) needs them only once a document is one.
export { parsePromptDocument, promptDocumentRequest } from '../promptDocument';
export { generateLensTitle } from '../promptLength';
