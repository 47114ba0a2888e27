// ESLint for the whole repository (`npm run lint`, part of `npm test`).
// Beyond typescript-eslint's recommended rules, two rules keep the layers apart:
//   - src/core knows nothing of VS Code: it never imports `vscode`;
//   - outside src/core/net, src/core/models, src/flow, src/player and src/notices, only `import type`
//     reaches into them, so activation loads neither the HTTP stack, the model catalogue, Generate
//     Video's questions, the player's page and Save a Copy, nor the words of the notifications (their
//     loaders require them on first use);
//   - the command files are loaded when a command first runs: only src/commands/handlers.ts and the
//     command files themselves import them, the rest only `import type`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const httpStackOnlyAsTypes = {
	patterns: [{
		group: ['**/core/net/*', '**/core/net'],
		allowTypeImports: true,
		message: 'Only `import type` reaches into src/core/net from outside it; load the HTTP stack through src/host/httpStackLoader.ts.',
	}, {
		group: ['**/core/models/*', '**/core/models', './models', './models/*'],
		allowTypeImports: true,
		message: 'Only `import type` reaches into src/core/models from outside it; load the catalogue through src/core/modelsLoader.ts.',
	}, {
		group: ['**/flow/*', '**/flow'],
		allowTypeImports: true,
		message: 'Only `import type` reaches into src/flow from outside it; load the flow through src/commands/flowLoader.ts.',
	}, {
		group: ['**/player/*', '**/player'],
		allowTypeImports: true,
		message: 'Only `import type` reaches into src/player from outside it; load it through src/views/playerLoader.ts.',
	}, {
		group: ['**/notices/*', '**/notices'],
		allowTypeImports: true,
		message: 'Only `import type` reaches into src/notices from outside it; load it through src/views/noticesLoader.ts.',
	}],
};

/** In src/commands, what activation loads; every other file there is a command's work, loaded on first use. */
const commandsAtActivation = ['./context', './taskArgument', './flowLoader', './handlersLoader'];
const commandsOnlyAsTypes = {
	group: ['./*', ...commandsAtActivation.map(file => `!${file}`)],
	allowTypeImports: true,
	message: 'What a command does loads on first use: only `import type` of it here; src/commands/handlers.ts lists the commands.',
};

export default tseslint.config(
	{ ignores: ['out/**', 'dist/**', 'media/dist/**', 'node_modules/**', '.vscode-test/**', '.harness/**', 'bench/.work/**', 'demo-output/**'] },
	js.configs.recommended,
	...tseslint.configs.recommended.map(config => ({ ...config, files: ['**/*.ts'] })),
	{
		files: ['**/*.ts'],
		languageOptions: {
			parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
		},
		rules: {
			eqeqeq: ['error', 'always'],
			curly: 'error',
		},
	},
	{
		files: ['src/**/*.ts'],
		ignores: ['src/core/net/**', 'src/core/models/**', 'src/flow/**', 'src/player/**', 'src/notices/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', httpStackOnlyAsTypes],
		},
	},
	{
		files: ['src/commands/index.ts', ...commandsAtActivation.map(file => `src/commands/${file.slice(2)}.ts`)],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: [...httpStackOnlyAsTypes.patterns, commandsOnlyAsTypes] }],
		},
	},
	{
		// Outside src/commands, only what activation loads of it.
		files: ['src/**/*.ts'],
		ignores: ['src/commands/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: [...httpStackOnlyAsTypes.patterns, {
				group: ['**/commands/*', ...['index', ...commandsAtActivation.map(file => file.slice(2))].map(file => `!**/commands/${file}`)],
				allowTypeImports: true,
				message: 'What a command does loads on first use: only `import type` of it here.',
			}] }],
		},
	},
	{
		// The flow is a bundle of its own: it may import itself, but the HTTP stack and the catalogue only through their loaders.
		files: ['src/flow/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: httpStackOnlyAsTypes.patterns.filter((_, i) => i !== 2) }],
		},
	},
	{
		// So are the player and the notices: each may import itself, and the other parts only through their loaders.
		files: ['src/player/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: httpStackOnlyAsTypes.patterns.filter((_, i) => i !== 3) }],
		},
	},
	{
		files: ['src/notices/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: httpStackOnlyAsTypes.patterns.filter((_, i) => i !== 4) }],
		},
	},
	{
		files: ['src/core/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', {
				...httpStackOnlyAsTypes,
				paths: [{ name: 'vscode', message: 'src/core knows nothing of VS Code; put VS Code code in src/host, src/views or src/commands.' }],
			}],
		},
	},
	{
		files: ['src/core/net/**/*.ts', 'src/core/models/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', {
				paths: [{ name: 'vscode', message: 'src/core knows nothing of VS Code.' }],
			}],
		},
	},
	{
		// The build script is plain CommonJS, run by Node as it is.
		files: ['**/*.js'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' },
		},
	},
);
