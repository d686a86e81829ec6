import type { Opt } from '@mikro-orm/core';
import { EntitySchema } from '@mikro-orm/core';
import { createdAt } from './columns';

export interface ProjectUpdate {
  id: string;
  projectId: string;
  message: string;
  progress?: number | null;
  createdBy?: string | null;
  createdAt: Opt<Date>;
}

export const ProjectUpdateSchema = new EntitySchema<ProjectUpdate>({
  name: 'ProjectUpdate',
  tableName: 'project_updates',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    projectId: {
      kind: 'm:1',
      entity: 'UtilityProject',
      joinColumn: 'project_id',
      mapToPk: true,
      index: 'idx_updates_project',
    },
    message: { type: 'text' },
    progress: { type: 'integer', nullable: true },
    createdBy: { type: 'string', length: 255, nullable: true },
    createdAt: createdAt(),
  },
  checks: [
    {
      name: 'project_updates_progress_check',
      expression: '((progress IS NULL) OR ((progress >= 0) AND (progress <= 100)))',
    },
  ],
});
