/**
 * The one error type that crosses the wire. Every refusal a client, an operator or a content
 * author sees carries a stable machine code and a sentence a person can act on.
 */
export class KotoError extends Error {
  readonly code: string;
  /** HTTP status when the error reaches the HTTP edge. */
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(`${code}: ${message}`);
    this.name = "KotoError";
    this.code = code;
    this.status = status;
  }

  /** The sentence without the code prefix. */
  get detail(): string {
    return this.message.slice(this.code.length + 2);
  }

  toWire(): { code: string; message: string } {
    return { code: this.code, message: this.detail };
  }
}

export function isKotoError(value: unknown): value is KotoError {
  return value instanceof KotoError;
}
