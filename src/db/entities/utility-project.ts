import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { PROJECT_STATUSES, type ProjectStatus } from '../../domain/utility/project-state';
import { PACKAGES, type Package } from '../../domain/utility/submission';
import { address, baseUnits, createdAt, updatedAt } from './columns';

export interface UtilityProject {
  /** Unguessable: it is the only key a client needs to read its project's status. */
  id: string;
  projectName: string;
  email: string;
  contactWallet?: string | null;
  package: Package;
  services: string[];
  paymentMethod: string;
  /** The client's stated budget in US cents. */
  budgetCents?: bigint | null;
  timeline?: string | null;
  details: string;
  status: ProjectStatus;
  progress: number;
  assignedTo?: string | null;
  estimatedCompletion?: string | null;
  actualCompletion?: string | null;
  totalCostCents?: bigint | null;
  statusReason?: string | null;
  /** Hash of the normalised submission + client, for duplicate protection. */
  submissionFingerprint: string;
  createdAt: Opt<Date>;
  updatedAt: Opt<Date>;
}

const cents = () => ({ ...baseUnits(), nullable: true }) as const;

export const UtilityProjectSchema = new EntitySchema<UtilityProject>({
  name: 'UtilityProject',
  tableName: 'utility_projects',
  properties: {
    id: { type: 'string', length: 50, primary: true },
    projectName: { type: 'string', length: 255 },
    email: { type: 'string', length: 255, index: 'idx_projects_email' },
    contactWallet: { ...address(), nullable: true },
    package: { enum: true, items: () => PACKAGES },
    services: { type: 'json' },
    paymentMethod: { type: 'string', length: 50 },
    budgetCents: cents(),
    timeline: { type: 'string', length: 100, nullable: true },
    details: { type: 'text' },
    status: {
      enum: true,
      items: () => PROJECT_STATUSES,
      defaultRaw: `'pending_review'`,
      index: 'idx_projects_status',
    },
    progress: { type: 'integer', defaultRaw: '0' },
    assignedTo: { type: 'string', length: 255, nullable: true },
    estimatedCompletion: { type: 'date', nullable: true },
    actualCompletion: { type: 'date', nullable: true },
    totalCostCents: cents(),
    statusReason: { type: 'text', nullable: true },
    submissionFingerprint: { type: 'string', length: 64, index: 'idx_projects_fingerprint' },
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  checks: [
    { name: 'utility_projects_progress_check', expression: '((progress >= 0) AND (progress <= 100))' },
  ],
});
