/**
 * Tells the user, once, when a video is ready or a task or download failed. The words are in
 * src/notices, loaded the first time there is something to tell.
 */

import * as vscode from 'vscode';
import { VideoActions } from '../core/videoActions';
import { TaskService } from '../host/taskService';
import { loadNotices } from './noticesLoader';

export function registerNotifications(service: TaskService, actions: VideoActions): vscode.Disposable {
	return vscode.Disposable.from(
		service.onDidFinish(task => loadNotices().onFinished(task)),
		service.onDidSaveVideo(task => loadNotices().onSaved(task, actions)),
		service.onDidFailDownload(({ task, error }) => loadNotices().onDownloadFailed(task, error)),
		service.onDidRejectPolling(error => void loadNotices().showApiError(error)),
		// The store says so once per spell of failed writes: again only after one has succeeded.
		service.onDidChangeSaveState(failure => failure && loadNotices().onSaveFailed(failure)),
	);
}
