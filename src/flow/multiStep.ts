/**
 * A multi-step quick input, in the shape of VS Code's quickinput sample: each step is a quick pick or
 * an input box in one title bar that counts the steps, with a Back button from the second step on.
 * Esc (or anything else that closes the input) ends the whole flow. One widget shows at a time: the
 * next step replaces the last one without the input closing in between.
 */

import * as vscode from 'vscode';

/** How a step ended: with a value, Back, one of its own buttons, or closed (Esc). */
export type StepResult<T> =
	| { readonly kind: 'value'; readonly value: T }
	| { readonly kind: 'back' }
	| { readonly kind: 'button'; readonly button: vscode.QuickInputButton }
	/** Closed (Esc): `text` is what an input box held then. */
	| { readonly kind: 'closed'; readonly text?: string };

/** Where a step is: its title (`Generate Video: Prompt`) and its place in the flow. */
export interface StepPlace {
	readonly title: string;
	readonly step: number;
	readonly totalSteps: number;
}

export interface PickOptions<T extends vscode.QuickPickItem> {
	readonly items: readonly T[];
	/** The item focused when the step opens. */
	readonly active?: T;
	readonly placeholder?: string;
	readonly buttons?: readonly vscode.QuickInputButton[];
	readonly matchOnDescription?: boolean;
	readonly matchOnDetail?: boolean;
}

export interface InputOptions {
	readonly value: string;
	readonly prompt?: string;
	readonly placeholder?: string;
	/** A message under the box; Enter is refused while it is an error (a string, or severity Error). */
	readonly validate?: (value: string) => string | vscode.InputBoxValidationMessage | undefined;
	readonly buttons?: readonly vscode.QuickInputButton[];
}

export class MultiStepInput implements vscode.Disposable {
	private current: vscode.QuickInput | undefined;

	/** Shows a quick pick for one step; resolves with the accepted item. */
	pick<T extends vscode.QuickPickItem>(place: StepPlace, options: PickOptions<T>): Promise<StepResult<T>> {
		const pick = vscode.window.createQuickPick<T>();
		this.place(pick, place, options.buttons);
		pick.placeholder = options.placeholder;
		pick.matchOnDescription = options.matchOnDescription ?? false;
		pick.matchOnDetail = options.matchOnDetail ?? false;
		pick.items = options.items;
		if (options.active) {
			pick.activeItems = [options.active];
		}
		return this.run(pick, resolve => [
			pick.onDidAccept(() => {
				const [item] = pick.selectedItems.length ? pick.selectedItems : pick.activeItems;
				if (item) {
					resolve({ kind: 'value', value: item });
				}
			}),
		], () => undefined);
	}

	/** Shows an input box for one step; resolves with the accepted text, which `validate` accepts. */
	input(place: StepPlace, options: InputOptions): Promise<StepResult<string>> {
		const box = vscode.window.createInputBox();
		this.place(box, place, options.buttons);
		box.value = options.value;
		box.prompt = options.prompt;
		box.placeholder = options.placeholder;
		const check = (value: string) => options.validate?.(value);
		// A prefilled value is checked once the user changes it, as showInputBox does: no error on an
		// untouched box. A note that is no error (a prompt's length against its limit) shows at once.
		const note = check(box.value);
		box.validationMessage = isError(note) ? undefined : note;
		return this.run(box, resolve => [
			box.onDidChangeValue(value => {
				box.validationMessage = check(value);
			}),
			box.onDidAccept(() => {
				const problem = check(box.value);
				box.validationMessage = problem;
				if (!isError(problem)) {
					resolve({ kind: 'value', value: box.value });
				}
			}),
		], () => box.value);
	}

	/** Closes what shows, e.g. before a file dialog; the next step opens a new input. */
	hide(): void {
		const current = this.current;
		this.current = undefined;
		current?.dispose();
	}

	dispose(): void {
		this.hide();
	}

	private place(input: vscode.QuickInput, place: StepPlace, buttons: readonly vscode.QuickInputButton[] = []): void {
		input.title = place.title;
		input.step = place.step;
		input.totalSteps = place.totalSteps;
		input.ignoreFocusOut = true;
		(input as vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox).buttons = [
			...(place.step > 1 ? [vscode.QuickInputButtons.Back] : []),
			...buttons,
		];
	}

	/** Shows `input` in place of the last step and settles on the first way it ends. */
	private run<T>(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, listen: (resolve: (result: StepResult<T>) => void) => vscode.Disposable[], text: () => string | undefined): Promise<StepResult<T>> {
		return new Promise<StepResult<T>>(resolve => {
			let settled = false;
			const subscriptions: vscode.Disposable[] = [];
			const finish = (result: StepResult<T>) => {
				if (!settled) {
					settled = true;
					subscriptions.forEach(subscription => subscription.dispose());
					resolve(result);
				}
			};
			subscriptions.push(
				...listen(finish),
				input.onDidTriggerButton(button => finish(button === vscode.QuickInputButtons.Back ? { kind: 'back' } : { kind: 'button', button })),
				input.onDidHide(() => {
					if (this.current === input) {
						this.current = undefined;
					}
					finish({ kind: 'closed', text: text() });
				}),
			);
			const previous = this.current;
			this.current = input;
			input.show();
			previous?.dispose();
		});
	}
}

function isError(message: string | vscode.InputBoxValidationMessage | undefined): boolean {
	return typeof message === 'string' ? !!message : message?.severity === vscode.InputBoxValidationSeverity.Error;
}
