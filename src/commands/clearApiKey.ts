/** Clear API Key: removes the key of the configured API host (or of the host given) from SecretStorage. */

import * as vscode from 'vscode';
import { hostOf } from '../core/validation';
import { CommandContext } from './context';
import { originArgument } from './setApiKey';

export async function clearApiKey({ apiKey }: CommandContext, argument?: unknown) {
	const origin = await apiKey.clear(originArgument(argument));
	if (origin) {
		vscode.window.setStatusBarMessage(`$(key) VideoGen: API key for ${hostOf(origin)} removed`, 4000);
	}
}
