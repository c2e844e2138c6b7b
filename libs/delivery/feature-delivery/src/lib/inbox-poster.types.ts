/** What a delivery worker needs from an HTTP client (SafeHttpClient satisfies it). */
export interface InboxPoster {
  post(
    url: string,
    options: { headers: Readonly<Record<string, string>>; body: string; timeoutMs?: number; maxBytes?: number },
  ): Promise<{ status: number; headers: Readonly<Record<string, string>> }>;
}
