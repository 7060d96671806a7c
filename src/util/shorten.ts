/**
 * Text the user wrote, shortened for a message: its first line, at most `max` characters, with
 * "..." when anything was left out. Messages quote at most this much of a file, never all of it.
 */
export function shorten(text: string, max = 80): string {
  const firstLine = text.split(/\r\n|\r|\n/, 1)[0]!;
  const cut = firstLine.length > max ? firstLine.slice(0, max - 3) : firstLine;
  const more = cut.length < firstLine.length || text.slice(firstLine.length).trim() !== '';
  return more ? `${cut}...` : cut;
}

/** `shorten`, in double quotes with JSON escapes (so control characters stay visible). */
export function quoteShort(text: string, max = 80): string {
  return JSON.stringify(shorten(text, max));
}
