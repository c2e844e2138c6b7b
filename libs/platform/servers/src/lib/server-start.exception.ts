/** A server process failed to start; carries the tail of its log for diagnosis. */
export class ServerStartException extends Error {
  constructor(
    readonly server: string,
    reason: string,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(`${server} failed to start: ${reason}\n--- last lines of ${logFile} ---\n${logTail}`);
    this.name = 'ServerStartException';
  }
}
