// ESLint for the whole repository (`npm run lint`, part of `npm test`).
// Beyond typescript-eslint's recommended rules, two rules keep the layers apart:
//   - src/core knows nothing of VS Code: it never imports `vscode`;
//   - outside src/core/net, src/core/models, src/flow, the player panel, the gallery, the tooltips, a damaged task list's repair, the errors' words, the
//     notifications' words (src/notices) and what the commands do, only `import type` reaches into
//     them, so activation loads none of them (their loaders require them on first use).
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
		group: ['**/views/playerPanel', './playerPanel', '**/views/playerActions', './playerActions'],
		allowTypeImports: true,
		message: 'Only `import type` reaches the player panel from outside it; src/views/players.ts loads it when a player opens.',
	}, {
		group: ['**/views/galleryView', './galleryView'],
		allowTypeImports: true,
		message: 'Only `import type` reaches the gallery from outside it; src/views/gallery.ts loads it when the Gallery view is first shown.',
	}, {
		group: ['**/views/taskTooltip', './taskTooltip'],
		allowTypeImports: true,
		message: 'Only `import type` reaches the tooltips from outside them; src/views/taskTree.ts loads them on the first hover.',
	}, {
		group: ['**/core/taskListRepair', './taskListRepair'],
		allowTypeImports: true,
		message: 'Only `import type` reaches the task list\'s repair; src/core/taskStore.ts loads it when a saved record fails its check.',
	}, {
		group: ['**/core/lease', './lease'],
		allowTypeImports: true,
		message: 'Only `import type` reaches the polling lease from the extension; src/core/taskEngine.ts loads it when a task first needs it.',
	}, {
		group: ['**/core/errorText', './errorText'],
		allowTypeImports: true,
		message: 'Only `import type` reaches the errors\' words; src/core/errors.ts loads them when an error is made.',
	}, {
		group: ['**/notices/*', '**/notices'],
		allowTypeImports: true,
		message: 'Only `import type` reaches into src/notices from outside it; load it through src/views/noticesLoader.ts.',
	}, {
		group: ['**/flow/*', '**/flow'],
		allowTypeImports: true,
		message: 'Only `import type` reaches into src/flow from outside it; load the flow through src/commands/flowLoader.ts.',
	}],
};
/** The patterns without the one for the part a file belongs to (it may import itself). */
const exceptFor = part => httpStackOnlyAsTypes.patterns.filter(pattern => !pattern.group.includes(part));

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
		// Outside src/commands, only what activation loads of it.
		files: ['src/**/*.ts'],
		ignores: ['src/core/net/**', 'src/core/models/**', 'src/flow/**', 'src/notices/**', 'src/views/playerPanel.ts', 'src/views/playerActions.ts', 'src/core/errorText.ts', 'src/commands/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: [...httpStackOnlyAsTypes.patterns, {
				group: ['**/commands/*', ...['index', ...commandsAtActivation.map(file => file.slice(2))].map(file => `!**/commands/${file}`)],
				allowTypeImports: true,
				message: 'What a command does loads on first use: only `import type` of it here.',
			}] }],
		},
	},
	{
		// src/commands: index.ts and what it needs are loaded at activation, the command files when the first command runs.
		files: ['src/commands/index.ts', ...commandsAtActivation.map(file => `src/commands/${file.slice(2)}.ts`)],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: [...httpStackOnlyAsTypes.patterns, commandsOnlyAsTypes] }],
		},
	},
	{
		files: ['src/commands/**/*.ts'],
		ignores: ['src/commands/index.ts', ...commandsAtActivation.map(file => `src/commands/${file.slice(2)}.ts`)],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', httpStackOnlyAsTypes],
		},
	},
	{
		// The flow is a bundle of its own: it may import itself, but the HTTP stack and the catalogue only through their loaders.
		files: ['src/flow/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: httpStackOnlyAsTypes.patterns.slice(0, 2) }],
		},
	},
	{
		// So are the notifications' words.
		files: ['src/notices/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: exceptFor('**/notices') }],
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
