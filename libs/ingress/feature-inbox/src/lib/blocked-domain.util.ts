/** The blocked domain `url`'s host falls under (itself or a parent domain), if any. */
export function isBlockedDomain(url: string, blocked: readonly string[]): string | undefined {
  if (blocked.length === 0 || !URL.canParse(url)) return undefined;
  const { host, hostname } = new URL(url);
  const names = [host.toLowerCase(), hostname.toLowerCase()];
  return blocked.find((domain) => names.some((name) => name === domain || name.endsWith(`.${domain}`)));
}
