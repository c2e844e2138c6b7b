/** A publication refused before anything was queued; `problems` lists every reason. */
export class InvalidOutboundActivityException extends Error {
  constructor(
    readonly index: number,
    readonly problems: readonly string[],
  ) {
    super(`outbound activity #${index} refused: ${problems.join('; ')}`);
    this.name = 'InvalidOutboundActivityException';
  }
}
