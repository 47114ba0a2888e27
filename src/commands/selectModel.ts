/** Select Model: Generate Video's default model, from the catalogue or any id the API serves, into `videogen.model`. */

import { loadFlow } from './flowLoader';

export function selectModel() {
	return loadFlow().selectModel();
}
