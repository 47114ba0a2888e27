/**
 * A minimal stand-in for the `vscode` module, for the benchmark only: just what `activate()` and
 * the task tree touch. VS Code itself is not what the benchmark measures; the extension's own code
 * is, so this module is loaded before any timer starts and its size is never counted.
 *
 * Everything is inert: commands are remembered and can be run, UI calls resolve to "dismissed".
 */

import * as path from 'path';

type Listener<T> = (value: T) => unknown;

export class Disposable {
	static from(...items: ({ dispose(): unknown } | undefined)[]): Disposable {
		return new Disposable(() => items.forEach(item => item?.dispose()));
	}

	constructor(private readonly callOnDispose?: () => unknown) { }

	dispose(): void {
		this.callOnDispose?.();
	}
}

export class EventEmitter<T> {
	private listeners = new Set<Listener<T>>();

	readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
		const bound: Listener<T> = thisArg ? listener.bind(thisArg) : listener;
		this.listeners.add(bound);
		const disposable = new Disposable(() => this.listeners.delete(bound));
		disposables?.push(disposable);
		return disposable;
	};

	fire(value: T): void {
		for (const listener of [...this.listeners]) {
			listener(value);
		}
	}

	dispose(): void {
		this.listeners.clear();
	}
}

export class Uri {
	private constructor(readonly scheme: string, readonly path: string) { }

	static file(fsPath: string): Uri {
		return new Uri('file', path.resolve(fsPath));
	}

	static parse(value: string): Uri {
		const url = new URL(value);
		return new Uri(url.protocol.replace(/:$/, ''), decodeURIComponent(url.pathname));
	}

	static from(components: { scheme: string; path?: string }): Uri {
		return new Uri(components.scheme, components.path ?? '');
	}

	static joinPath(base: Uri, ...segments: string[]): Uri {
		return new Uri(base.scheme, path.posix.join(base.path, ...segments));
	}

	get fsPath(): string {
		return this.path;
	}

	with(change: { scheme?: string; path?: string }): Uri {
		return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
	}

	toString(): string {
		return `${this.scheme}://${this.path}`;
	}
}

export class ThemeColor {
	constructor(readonly id: string) { }
}

export class ThemeIcon {
	static readonly File = new ThemeIcon('file');
	static readonly Folder = new ThemeIcon('folder');
	constructor(readonly id: string, readonly color?: ThemeColor) { }
}

export class MarkdownString {
	isTrusted = false;
	supportHtml = false;

	constructor(public value = '', readonly supportThemeIcons = false) { }

	appendText(text: string): this {
		this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
		return this;
	}

	appendMarkdown(text: string): this {
		this.value += text;
		return this;
	}

	appendCodeblock(code: string, language = ''): this {
		this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
		return this;
	}
}

export class FileDecoration {
	propagate?: boolean;
	constructor(readonly badge?: string, readonly tooltip?: string, readonly color?: ThemeColor) { }
}

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }

export class TreeItem {
	id?: string;
	description?: string | boolean;
	tooltip?: string | MarkdownString;
	iconPath?: unknown;
	contextValue?: string;
	resourceUri?: Uri;
	command?: unknown;
	accessibilityInformation?: unknown;

	constructor(public label: string, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) { }
}

export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1, Two = 2, Three = 3 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum LogLevel { Off = 0, Trace = 1, Debug = 2, Info = 3, Warning = 4, Error = 5 }
export enum ExtensionMode { Production = 1, Development = 2, Test = 3 }

const dismissed = () => Promise.resolve(undefined);
const registered = new Map<string, (...args: unknown[]) => unknown>();

/** Settings the benchmark sets, as `section.key` → value; the rest read as unset (defaults apply). */
export const configuration = new Map<string, unknown>();
const onDidChangeConfiguration = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

export const commands = {
	registerCommand(id: string, callback: (...args: unknown[]) => unknown): Disposable {
		registered.set(id, callback);
		return new Disposable(() => registered.delete(id));
	},
	executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
		const callback = registered.get(id);
		return callback ? Promise.resolve().then(() => callback(...args)) : Promise.resolve(undefined);
	},
	getCommands: () => Promise.resolve([...registered.keys()]),
};

function outputChannel(name: string) {
	const lines: string[] = [];
	const line = (level: string) => (message: string) => void lines.push(`[${level}] ${message}`);
	return {
		name, lines, logLevel: LogLevel.Info,
		onDidChangeLogLevel: new EventEmitter<LogLevel>().event,
		trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: (message: unknown) => void lines.push(`[error] ${String(message)}`),
		append: (text: string) => void lines.push(text), appendLine: (text: string) => void lines.push(text), replace: () => undefined,
		clear: () => void (lines.length = 0), show: () => undefined, hide: () => undefined, dispose: () => undefined,
	};
}

/** The tree data providers the extension registered, by view id, so the benchmark can call them as VS Code does. */
export const treeDataProviders = new Map<string, unknown>();

export const window = {
	activeTextEditor: undefined,
	visibleTextEditors: [] as unknown[],
	onDidChangeActiveTextEditor: new EventEmitter<unknown>().event,
	createOutputChannel: outputChannel,
	createTreeView: (id: string, options: { treeDataProvider: unknown }) => (treeDataProviders.set(id, options.treeDataProvider), {
		treeDataProvider: options.treeDataProvider,
		badge: undefined as unknown, message: undefined as unknown, title: undefined as unknown, description: undefined as unknown,
		visible: true, selection: [] as unknown[],
		onDidChangeVisibility: new EventEmitter<unknown>().event,
		onDidChangeSelection: new EventEmitter<unknown>().event,
		onDidExpandElement: new EventEmitter<unknown>().event,
		onDidCollapseElement: new EventEmitter<unknown>().event,
		reveal: dismissed,
		dispose: () => undefined,
	}),
	createStatusBarItem: (id?: string) => ({
		id, name: undefined as unknown, text: '', tooltip: undefined as unknown, command: undefined as unknown, visible: false,
		show() { this.visible = true; }, hide() { this.visible = false; }, dispose: () => undefined,
	}),
	registerWebviewPanelSerializer: () => new Disposable(),
	registerWebviewViewProvider: () => new Disposable(),
	registerTreeDataProvider: () => new Disposable(),
	registerFileDecorationProvider: () => new Disposable(),
	showInformationMessage: dismissed,
	showWarningMessage: dismissed,
	showErrorMessage: dismissed,
	showQuickPick: dismissed,
	showInputBox: dismissed,
	setStatusBarMessage: () => new Disposable(),
	withProgress: <R>(_options: unknown, task: (progress: { report(value: unknown): void }, token: unknown) => Thenable<R>) =>
		task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: new EventEmitter<unknown>().event }),
	createWebviewPanel: () => {
		throw new Error('the benchmark stand-in for vscode opens no webview');
	},
};

export const workspace = {
	workspaceFolders: undefined,
	getConfiguration: (section = '') => ({
		get: <T>(key: string, fallback?: T): T | undefined => {
			const full = section ? `${section}.${key}` : key;
			return configuration.has(full) ? configuration.get(full) as T : fallback;
		},
		has: (key: string) => configuration.has(section ? `${section}.${key}` : key),
		inspect: () => undefined,
		update: (key: string, value: unknown) => {
			configuration.set(section ? `${section}.${key}` : key, value);
			return Promise.resolve();
		},
	}),
	onDidChangeConfiguration: onDidChangeConfiguration.event,
};

export enum UIKind { Desktop = 1, Web = 2 }

export enum ExtensionKind { UI = 1, Workspace = 2 }

/** The desktop app's local window, which the benchmark stands for. */
export const env = {
	appName: 'Visual Studio Code',
	uiKind: UIKind.Desktop,
	remoteName: undefined,
	language: 'en',
	machineId: 'benchmark-machine',
	sessionId: 'benchmark-session',
	uriScheme: 'vscode',
	clipboard: { readText: () => Promise.resolve(''), writeText: () => Promise.resolve() },
	openExternal: () => Promise.resolve(true),
};

export const languages = {
	registerCodeLensProvider: () => new Disposable(),
};

export const extensions = { getExtension: () => undefined, all: [] };

/**
 * VS Code's translator with no bundle loaded, as in an English window: the message with its `{0}`
 * placeholders filled in. activate() installs it for src/core too.
 */
export const l10n = {
	t: (message: string | { message: string }, ...args: unknown[]): string => {
		const text = typeof message === 'string' ? message : message.message;
		const values = args.length === 1 && args[0] && typeof args[0] === 'object' ? args[0] as Record<string, unknown> : args;
		return text.replace(/\{(\w+)\}/g, (whole, key: string) => key in values ? String((values as Record<string, unknown>)[key]) : whole);
	},
	bundle: undefined,
	uri: undefined,
};

/** The secret storage of a window with no key set. */
export function secretStorage() {
	const secrets = new Map<string, string>();
	const changed = new EventEmitter<{ key: string }>();
	return {
		get: (key: string) => Promise.resolve(secrets.get(key)),
		store: (key: string, value: string) => {
			secrets.set(key, value);
			changed.fire({ key });
			return Promise.resolve();
		},
		delete: (key: string) => {
			secrets.delete(key);
			changed.fire({ key });
			return Promise.resolve();
		},
		onDidChange: changed.event,
	};
}

function memento() {
	const values = new Map<string, unknown>();
	return {
		keys: () => [...values.keys()],
		get: <T>(key: string, fallback?: T) => (values.has(key) ? values.get(key) as T : fallback),
		update: (key: string, value: unknown) => {
			values.set(key, value);
			return Promise.resolve();
		},
		setKeysForSync: () => undefined,
	};
}

/** An `ExtensionContext` with real folders: the extension's own and a global storage folder. */
export function extensionContext(extensionPath: string, globalStoragePath: string) {
	return {
		subscriptions: [] as { dispose(): unknown }[],
		extensionPath,
		extensionUri: Uri.file(extensionPath),
		globalStorageUri: Uri.file(globalStoragePath),
		globalStoragePath,
		storageUri: undefined,
		logUri: Uri.file(path.join(globalStoragePath, 'log')),
		extensionMode: ExtensionMode.Production,
		secrets: secretStorage(),
		globalState: memento(),
		workspaceState: memento(),
		environmentVariableCollection: undefined,
		asAbsolutePath: (relative: string) => path.join(extensionPath, relative),
		extension: { id: 'videogen.videogen', extensionUri: Uri.file(extensionPath), extensionPath, extensionKind: ExtensionKind.Workspace, isActive: true, packageJSON: {} },
	};
}
