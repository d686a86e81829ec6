/** toActivityFailure: chain errors as ApplicationFailures; expected waits are BENIGN. */
import {
  ApplicationFailure,
  ApplicationFailureCategory,
  DefaultFailureConverter,
  defaultPayloadConverter,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  EXPECTED_WAIT_CHAIN_CODES,
  PERMANENT_CHAIN_CODES,
  TRANSIENT_CHAIN_CODES,
  chainError,
  toActivityFailure,
} from '../../src/chain/errors';

const failureOf = (code: Parameters<typeof chainError>[0]) => {
  const failure = toActivityFailure(chainError(code, `${code}: slot 42`, { slot: 42 }));
  if (!(failure instanceof ApplicationFailure)) throw new Error('not an ApplicationFailure');
  return failure;
};

describe('toActivityFailure', () => {
  it.each(EXPECTED_WAIT_CHAIN_CODES)('%s (the chain not there yet) is a retryable BENIGN failure', (code) => {
    const failure = failureOf(code);
    expect(failure.type).toBe(code);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.category).toBe(ApplicationFailureCategory.BENIGN);
    // ...and it reaches the server as BENIGN.
    const proto = new DefaultFailureConverter().errorToFailure(failure, defaultPayloadConverter);
    expect(proto.applicationFailureInfo?.category).toBe(
      temporal.api.enums.v1.ApplicationErrorCategory.APPLICATION_ERROR_CATEGORY_BENIGN,
    );
  });

  it('an unreachable RPC is retryable but not benign; permanent codes are non-retryable, not benign', () => {
    const rpc = failureOf('RpcUnavailable');
    expect(rpc.nonRetryable).toBe(false);
    expect(rpc.category).toBeUndefined();
    for (const code of PERMANENT_CHAIN_CODES) {
      const failure = failureOf(code);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.category).toBeUndefined();
    }
    expect(TRANSIENT_CHAIN_CODES).toEqual(expect.arrayContaining([...EXPECTED_WAIT_CHAIN_CODES]));
  });

  it('leaves other errors unchanged', () => {
    const err = new Error('boom');
    expect(toActivityFailure(err)).toBe(err);
  });
});
