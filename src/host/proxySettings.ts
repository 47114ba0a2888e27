/**
 * VS Code's proxy and certificate settings, as VideoGen's requests need them (src/core/net/proxy.ts
 * says what each does). Read when each request is made, never cached, so that a change applies to
 * the next request without a reload. VS Code's own settings, not VideoGen's: they hold the user's
 * proxy for every extension.
 */

import * as vscode from 'vscode';
import type { ProxySettings } from '../core/net/proxy';

export function readProxySettings(): ProxySettings {
	const http = vscode.workspace.getConfiguration('http');
	const noProxy = http.get<unknown>('noProxy');
	return {
		proxy: stringSetting(http.get<unknown>('proxy')) ?? '',
		noProxy: Array.isArray(noProxy) ? noProxy.filter((entry): entry is string => typeof entry === 'string') : [],
		proxyStrictSSL: http.get<unknown>('proxyStrictSSL') !== false,
		proxyAuthorization: stringSetting(http.get<unknown>('proxyAuthorization')),
		systemCertificates: http.get<unknown>('systemCertificates') !== false,
		env: process.env,
	};
}

function stringSetting(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
