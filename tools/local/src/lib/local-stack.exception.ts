/** A problem the person running `npm start` can fix; main prints the message alone (no stack). */
export class LocalStackException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStackException';
  }
}
