/** Prompts the UI tests and the demo share. */

const BEAT = 'the camera glides past a lantern-lit market stall where a vendor arranges glowing fruit; ';

/** A storyboard prompt of 3,000 characters. */
export const LONG_PROMPT = `Opening shot: ${Array.from({ length: 40 }, (_, index) => `beat ${index + 1}, ${BEAT}`).join('')}`.slice(0, 3000);
