import { DomainError } from '../../src/domain/errors';

/** The code of the DomainError `run` throws; fails the test if it throws nothing or something else. */
export function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}
