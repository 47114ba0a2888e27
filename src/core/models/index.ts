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
