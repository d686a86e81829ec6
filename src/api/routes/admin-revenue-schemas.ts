/**
 * Response schemas of the admin Revenue Pass routes (admin-revenue.ts): documentation for
 * /openapi.json and the dashboard's generated client. Shapes follow `distributionBody`
 * (revenue.ts), the workflow's `DistributionState` and the read models in src/db/revenue.ts.
 */
import { z } from 'zod';
import { CURRENCY_CODES } from '../../domain/money';

const text = z.string();
const nullableText = z.string().nullable();
const displayNumber = z
  .number()
  .nullable()
  .meta({ description: 'Whole units (display); exact value beside it' });

const ApprovalSchema = z.object({ wallet: text, at: text });

export const DistributionSchema = z
  .object({
    month: text,
    status: text,
    currency: z.enum(CURRENCY_CODES),
    totalRevenue: displayNumber,
    totalRevenueBaseUnits: text,
    shareBps: z.number().int(),
    distributionAmount: displayNumber,
    distributionAmountBaseUnits: text,
    perPassAmount: displayNumber,
    perPassAmountBaseUnits: nullableText,
    dustBaseUnits: nullableText,
    passCount: z.number().int().nullable(),
    sources: z.array(z.object({ name: text, amount: displayNumber, amountBaseUnits: text })),
    distributionDate: nullableText,
    claimDeadline: nullableText,
    closedAt: nullableText,
    transactionSignature: nullableText,
    snapshotSlot: z.number().int().nullable(),
    claimedCount: z.number().int(),
    unclaimedBaseUnits: nullableText,
    approvals: z.array(ApprovalSchema),
  })
  .meta({ id: 'AdminRevenueDistribution' });

const distributionState = z.object({
  month: text,
  status: text,
  currency: z.enum(CURRENCY_CODES),
  totalRevenueBaseUnits: text,
  distributionAmountBaseUnits: text,
  perPassAmountBaseUnits: nullableText,
  dustBaseUnits: nullableText,
  passCount: z.number().int().nullable(),
  snapshot: z.object({
    slot: z.number().int().nullable(),
    done: z.number().int().meta({ description: 'Pass mints resolved so far' }),
    total: z.number().int().meta({ description: 'Pass mints listed when the snapshot started' }),
    holders: z.number().int(),
  }),
  approvals: z.array(ApprovalSchema),
  approvalsRequired: z.number().int(),
  fundingSignature: nullableText,
  claimDeadline: nullableText,
  closeRequested: z.boolean(),
  unclaimedBaseUnits: nullableText,
  cancelReason: nullableText,
});
export const DistributionStateSchema = distributionState.meta({
  id: 'RevenueDistributionState',
  description: "The distribution workflow's state (query `status`)",
});

export const DistributionDetailSchema = DistributionSchema.partial()
  .extend({
    month: text,
    workflowId: text,
    snapshotDone: z.number().int().optional(),
    // Not the registered schema: zod-to-openapi would make that component itself nullable.
    workflow: distributionState.nullable().meta({
      description: 'Live state; null once the run has ended',
    }),
  })
  .meta({ id: 'AdminRevenueDistributionDetail' });

export const PassClaimsSchema = z
  .object({
    month: text,
    snapshotSlot: z.number().int().nullable(),
    snapshotDone: z.number().int(),
    passes: z.array(
      z.object({
        passMint: text,
        ownerWallet: text,
        tokenAccount: nullableText,
        claimStatus: text,
        amountBaseUnits: nullableText,
        transactionSignature: nullableText,
        claimedAt: nullableText,
        paidAt: nullableText,
      }),
    ),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'AdminRevenuePassClaims' });

export const CreatedDistributionSchema = z.looseObject({ workflowId: text, month: text });

export const PassImportSchema = z.object({
  collection: text,
  received: z.number().int(),
  added: z.number().int(),
  alreadyListed: z.number().int(),
  otherCollection: z.array(text),
});
