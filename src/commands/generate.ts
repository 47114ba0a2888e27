/**
 * Generate Video: the model, the images it takes, the prompt and its settings in one multi-step
 * input (src/flow), then the task is saved and submitted and the user gets on with work while the
 * VideoGen view follows it.
 */

import * as vscode from 'vscode';
import type { GenerateArgument } from '../flow';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';

export function generate(context: CommandContext, argument?: unknown) {
	return loadFlow().generateVideo(context, isGenerateArgument(argument) ? argument : undefined);
}

function isGenerateArgument(value: unknown): value is GenerateArgument {
	return !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof vscode.Uri);
}
