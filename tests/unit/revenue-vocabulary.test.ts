import {
  claimBatchOf,
  claimPayoutKey,
  claimsOpenAt,
  DISTRIBUTION_STATUSES,
  isPublicDistributionStatus,
  walletClaimPayoutKey,
} from '../../src/domain/revenue/vocabulary';

describe('the "claims open" rule (route and claim activity alike)', () => {
  const now = Date.parse('2026-02-10T12:00:00Z');
  const later = '2026-02-11T00:00:00Z';
  const earlier = '2026-02-10T11:59:59Z';

  it('open before its deadline (or without one) takes claims', () => {
    expect(claimsOpenAt({ status: 'open', claimDeadline: later }, now)).toEqual({ open: true });
    expect(claimsOpenAt({ status: 'open', claimDeadline: null }, now)).toEqual({ open: true });
    expect(claimsOpenAt({ status: 'open', claimDeadline: new Date(later) }, now)).toEqual({ open: true });
  });

  it('closed, or open past its deadline (to the millisecond), is ClaimsClosed', () => {
    expect(claimsOpenAt({ status: 'closed', claimDeadline: later }, now)).toEqual({
      open: false,
      failure: 'ClaimsClosed',
    });
    expect(claimsOpenAt({ status: 'open', claimDeadline: earlier }, now)).toEqual({
      open: false,
      failure: 'ClaimsClosed',
    });
    expect(claimsOpenAt({ status: 'open', claimDeadline: new Date(now).toISOString() }, now)).toMatchObject({
      failure: 'ClaimsClosed',
    });
  });

  it('a cancelled month does not exist for claimants; any other is not open yet', () => {
    expect(claimsOpenAt({ status: 'cancelled', claimDeadline: null }, now)).toMatchObject({
      failure: 'DistributionNotFound',
    });
    for (const status of ['draft', 'snapshotting', 'awaiting_approval'] as const) {
      expect(claimsOpenAt({ status, claimDeadline: null }, now)).toMatchObject({ failure: 'ClaimsNotOpen' });
    }
  });

  it('the public sees open and closed months only; payout keys name month and pass', () => {
    expect(DISTRIBUTION_STATUSES.filter(isPublicDistributionStatus)).toEqual(['open', 'closed']);
    expect(claimPayoutKey('2026-02', 'Mint111')).toBe('claim:2026-02:Mint111');
  });

  it('a claim batch is named by its set of passes, whatever their order; its payout key names month, wallet and batch', () => {
    expect(claimBatchOf(['B', 'A', 'C'])).toBe(claimBatchOf(['C', 'B', 'A']));
    expect(claimBatchOf(['A', 'B'])).not.toBe(claimBatchOf(['A', 'C']));
    expect(claimBatchOf(['A', 'B'])).not.toBe(claimBatchOf(['A']));
    expect(claimBatchOf(['A'])).toMatch(/^[0-9a-f]{16}$/);
    expect(walletClaimPayoutKey('2026-02', 'Wallet1', 'abc')).toBe('claim:2026-02:Wallet1:abc');
    // Within the payout path's key limit for real addresses (44 characters each).
    expect(walletClaimPayoutKey('2026-02', 'W'.repeat(44), claimBatchOf(['A'])).length).toBeLessThanOrEqual(
      120,
    );
  });
});
