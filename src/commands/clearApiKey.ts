/** Clear API Key: removes the key of the configured API host (or of the host given) from SecretStorage. */

import * as vscode from 'vscode';
import { hostOf } from '../core/validation';
import { CommandContext } from './context';
import { originArgument } from './setApiKey';

export async function clearApiKey({ apiKey }: CommandContext, argument?: unknown) {
	const origin = await apiKey.clear(originArgument(argument));
	if (origin) {
		vscode.window.setStatusBarMessage(`$(key) ${vscode.l10n.t('VideoGen: API key for {0} removed', hostOf(origin))}`, 4000);
	}
}
