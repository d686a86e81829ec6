/**
 * A payout as reconciliations show it beside the record that owes it (a refund, a claim):
 * where it stands, the signature once signed, the amount it sends.
 */
export interface PayoutState {
  status: string;
  signature: string | null;
  amountBaseUnits: string;
}

export function payoutStateOf(status: string, signature: string | null, amount: string | null): PayoutState {
  return { status, signature: signature ?? null, amountBaseUnits: amount ?? '0' };
}
