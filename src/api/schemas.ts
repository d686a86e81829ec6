/**
 * Request field schemas shared by every route: one zod schema per kind of value, each built
 * on the domain's one check (src/domain/values.ts), so a route, an entity and the dashboard
 * refuse the same things with the same words.
 */
import { z } from 'zod';
import {
  addressProblem,
  baseUnitsProblem,
  monthProblem,
  signatureProblem,
  type Problem,
} from '../domain/values';
import { roundIdProblem } from '../domain/lottery/vocabulary';

/** A string schema that refuses whatever `problem` names, with its message. */
const checkedText = (problem: (value: unknown) => Problem, fallback: string) =>
  z.string({ error: fallback }).superRefine((value, ctx) => {
    const found = problem(value);
    // Fatal: a refinement chained after this one (e.g. "positive") never sees text it refused.
    if (found) ctx.addIssue({ code: 'custom', message: found, continue: false });
  });

export const walletAddress = checkedText(addressProblem, 'must be a base58 Solana address').meta({
  description: 'Base58 ed25519 public key (32 bytes)',
  example: '9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM',
});
export const mintAddress = checkedText(addressProblem, 'must be a base58 mint address');
export const txSignature = checkedText(signatureProblem, 'must be a base58 transaction signature').meta({
  description: 'Base58 ed25519 signature (64 bytes)',
});

/** Base units as a decimal string of an unsigned integer (never a float), at most u64::MAX. */
export const baseUnitsString = checkedText(baseUnitsProblem, 'must be base units as a string').meta({
  description: 'Base units (lamports, USDC micro-units) as a decimal integer string',
  example: '1500000',
});
/** Base units that must be more than zero (prices). */
export const positiveBaseUnits = baseUnitsString.refine((v) => !/^0$/.test(v), 'must be positive');

export const month = checkedText(monthProblem, 'must be a month as YYYY-MM').meta({ example: '2026-02' });

export const pagination = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const email = z.email().max(255);

/** A lottery round id (src/domain/lottery/vocabulary.ts). */
export const roundId = checkedText(roundIdProblem, 'must be a round id').meta({ example: 'round-2026-02' });
