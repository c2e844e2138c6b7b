/** What a delivery worker needs from an HTTP client (SafeHttpClient satisfies it). */
export interface InboxPoster {
  post(
    url: string,
    options: {
      headers: Readonly<Record<string, string>>;
      body: string;
      timeoutMs?: number;
      maxBytes?: number;
      /** Only the status and headers matter: the body is drained (up to maxBytes), never buffered. */
      discardBody?: boolean;
    },
  ): Promise<{ status: number; headers: Readonly<Record<string, string>> }>;
}
