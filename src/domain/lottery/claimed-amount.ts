/**
 * The client's `amountPaid` is a label, checked against what the chain shows and never
 * trusted: a disagreement is answered with the chain's figure.
 */
import { formatAmount, type Currency } from '../money';

export interface AmountMismatch {
  message: string;
  details: { currency: Currency; claimedBaseUnits: string; paidBaseUnits: string };
}

/** The mismatch between what the client said it paid and what the chain shows, if any. */
export function claimedAmountMismatch(
  claimedBaseUnits: bigint | null,
  paidBaseUnits: bigint,
  currency: Currency,
): AmountMismatch | undefined {
  if (claimedBaseUnits === null || claimedBaseUnits === paidBaseUnits) return undefined;
  const fmt = (v: bigint) => `${formatAmount(v, currency)} ${currency}`;
  return {
    message: `amountPaid ${fmt(claimedBaseUnits)} disagrees with the chain, which shows ${fmt(paidBaseUnits)} paid`,
    details: {
      currency,
      claimedBaseUnits: claimedBaseUnits.toString(),
      paidBaseUnits: paidBaseUnits.toString(),
    },
  };
}
