/** A base class that owns disposables, in the manner of VS Code's own `Disposable`. */

import * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
	private disposables: vscode.Disposable[] = [];
	private _isDisposed = false;

	protected get isDisposed(): boolean {
		return this._isDisposed;
	}

	dispose(): void {
		if (this._isDisposed) {
			return;
		}
		this._isDisposed = true;
		for (const disposable of this.disposables.splice(0)) {
			disposable.dispose();
		}
	}

	/** Owns `value`; something registered after disposal is disposed at once. */
	protected _register<T extends vscode.Disposable>(value: T): T {
		if (this._isDisposed) {
			value.dispose();
		} else {
			this.disposables.push(value);
		}
		return value;
	}
}
