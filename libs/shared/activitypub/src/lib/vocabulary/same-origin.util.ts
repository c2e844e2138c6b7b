/**
 * Whether two ids live on the same origin (scheme, host and port). An actor speaks with authority
 * only for ids on its own origin: activities it sends and objects it writes (Mastodon and Lemmy
 * hold remote servers to the same rule). Anything that is not an absolute http(s) URL never matches.
 */
export function sameOrigin(a: string, b: string): boolean {
  const first = originOf(a);
  return first !== undefined && first === originOf(b);
}

function originOf(id: string): string | undefined {
  try {
    const url = new URL(id);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
