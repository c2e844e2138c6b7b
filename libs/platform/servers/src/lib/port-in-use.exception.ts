/** The port a server was told to use is taken by another program. */
export class PortInUseException extends Error {
  constructor(
    readonly port: number,
    readonly server: string,
  ) {
    super(`Cannot start ${server}: port ${port} on 127.0.0.1 is already in use by another program`);
    this.name = 'PortInUseException';
  }
}
