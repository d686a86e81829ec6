/** Every analytics event type, in one place (the admin activity log filters by these). */
export const ANALYTICS_EVENT_TYPES = [
  'auth.sign_in',
  'auth.sign_out',
  'user.profile_updated',
  'lottery.purchase',
  'lottery.purchase_rejected',
  'lottery.burn',
  'lottery.late_payment',
  'lottery.round_created',
  'lottery.draw',
  'lottery.prize_paid',
  'revenue.distribution_created',
  'revenue.distribution_approved',
  'revenue.claim_paid',
  'utility.project_submitted',
  'utility.status_changed',
  'utility.update_posted',
  'email.sent',
  'email.failed',
] as const;

export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];
