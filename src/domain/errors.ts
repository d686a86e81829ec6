/**
 * The one error shape of the pure domain: a stable machine-readable `code` plus a message
 * a human (or an API client) can act on. The API maps codes to HTTP statuses; activities
 * wrap them in non-retryable `ApplicationFailure`s with the code as the failure type.
 */
export class DomainError<Code extends string = string> extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    readonly code: Code,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;
