/** The character offset of a 1-based line and column in a text, clamped to the text. */
export function offsetOf(text: string, line: number, col = 1): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf("\n", offset);
  const lineLength = (end === -1 ? text.length : end) - offset;
  return offset + Math.min(Math.max(col - 1, 0), lineLength);
}

export function lineCount(text: string): number {
  let count = 1;
  for (const char of text) if (char === "\n") count += 1;
  return count;
}
