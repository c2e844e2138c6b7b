const MAX_ERROR_TEXT = 2000;

/** A one-line description of anything thrown, for logs and dead letters. */
export function errorText(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = `${error.name}: ${error.message}`;
  else if (typeof error === 'string') text = error;
  else if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') text = error.message;
  else {
    try {
      text = JSON.stringify(error) ?? String(error);
    } catch {
      text = String(error);
    }
  }
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}...` : text;
}

/** Redis answered NOGROUP: the group (or the whole stream) is gone, e.g. after FLUSHALL. */
export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && /NOGROUP/.test(error.message);
}
