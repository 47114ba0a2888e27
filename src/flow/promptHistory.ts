/**
 * The prompts a user wrote, kept in VS Code's global state: the recent ones, newest first, and the
 * draft, a prompt typed into Generate Video that was never submitted (Esc, a closed window). The
 * next Generate Video starts from the draft, so a prompt is never lost by closing the questions.
 *
 * `videogen.promptHistory` turns this off: then nothing is kept, and what was kept is removed.
 * **Clear Prompt History** removes it on demand.
 */

import * as vscode from 'vscode';
import { settings } from '../host/settings';

const key = 'videogen.prompts';
/** How many prompts are kept. */
const recentPromptLimit = 20;

interface Stored {
	readonly recent: readonly string[];
	readonly draft?: string;
}

export class PromptHistory {
	constructor(private readonly state: vscode.Memento, private readonly enabled: () => boolean = settings.promptHistory) {}

	/** The prompt left unsubmitted last time, or ''. */
	get draft(): string {
		return this.read().draft ?? '';
	}

	/** Recent prompts, newest first, each once. */
	get recent(): readonly string[] {
		return this.read().recent;
	}

	/** How many prompts are kept: the recent ones, and the draft when it is not among them. */
	get size(): number {
		const { recent, draft } = this.read();
		return recent.length + (draft && !recent.includes(draft) ? 1 : 0);
	}

	/** A prompt was submitted: it heads the recent ones and is no longer a draft. */
	submitted(prompt: string): Thenable<void> {
		return this.write(prompt, undefined);
	}

	/** A prompt was typed and left unsubmitted: it is the draft, and among the recent ones. An empty one clears the draft. */
	leftUnsubmitted(prompt: string): Thenable<void> {
		return this.write(prompt, prompt.trim() ? prompt : undefined);
	}

	/** Forgets every prompt kept. */
	clear(): Thenable<void> {
		return this.state.update(key, undefined);
	}

	private read(): Stored {
		const stored = this.enabled() ? this.state.get<Stored>(key) : undefined;
		return { recent: Array.isArray(stored?.recent) ? stored.recent.filter(p => typeof p === 'string') : [], draft: typeof stored?.draft === 'string' ? stored.draft : undefined };
	}

	private write(prompt: string, draft: string | undefined): Thenable<void> {
		if (!this.enabled()) {
			return this.clear();
		}
		const trimmed = prompt.trim();
		const recent = trimmed ? [trimmed, ...this.read().recent.filter(p => p !== trimmed)].slice(0, recentPromptLimit) : this.read().recent;
		return this.state.update(key, { recent, draft: draft?.trim() || undefined } satisfies Stored);
	}
}

/**
 * Clear Prompt History: forgets the recent prompts and the unsubmitted draft, after asking as VS
 * Code's own Clear Command History does. Resolves true when they were removed.
 */
export async function clearPromptHistory(state: vscode.Memento): Promise<boolean> {
	const history = new PromptHistory(state, () => true);
	const count = history.size;
	if (!count) {
		void vscode.window.showInformationMessage(vscode.l10n.t('VideoGen keeps no prompts: the prompt history is empty.'));
		return false;
	}
	const message = count === 1
		? vscode.l10n.t('Clear the 1 prompt VideoGen keeps for Generate Video?')
		: vscode.l10n.t('Clear the {0} prompts VideoGen keeps for Generate Video?', count);
	const clear = vscode.l10n.t('Clear');
	const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: vscode.l10n.t('Recent prompts and an unsubmitted draft are removed. This cannot be undone.') }, clear);
	if (answer !== clear) {
		return false;
	}
	await history.clear();
	vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('VideoGen: prompt history cleared')}`, 4000);
	return true;
}

/** Forgets every prompt kept: `videogen.promptHistory` was turned off. */
export function forgetPrompts(state: vscode.Memento): Thenable<void> {
	return new PromptHistory(state).clear();
}
