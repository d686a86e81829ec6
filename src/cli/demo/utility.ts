/**
 * A Utility Factory project through the API: a client submits the public form, the admin
 * approves it with an assignee, estimate and cost, posts a progress update and completes it.
 */
import crypto from 'node:crypto';
import { workflowIds } from '../../temporal/workflow-ids';
import { DemoError, type Demo } from './context';

export interface UtilityOutcome {
  projectId: string;
  status: string;
  progress: number;
}

interface ProjectView {
  status: string;
  progress: number;
}

export async function runUtilityProject(demo: Demo): Promise<UtilityOutcome> {
  const tag = crypto.randomBytes(3).toString('hex');
  const submitted = (await demo.expect('submit a project', 201, 'POST', '/utility-factory/project', {
    projectName: `Demo staking dApp ${tag}`,
    email: `demo-${tag}@example.com`,
    package: 'professional',
    services: ['smart-contract', 'website'],
    paymentMethod: 'SOL',
    details: 'A staking dApp for rabbit holders, with a website.',
    timeline: '6 weeks',
    budget: 2500,
  })) as { projectId: string; status: string };
  const { projectId } = submitted;
  const links = { page: `/utility/${projectId}`, workflowId: workflowIds.utilityProject(projectId) };
  demo.step('utility', `submitted project ${projectId}: ${submitted.status}`, links);

  const action = async (what: string, path: string, body: unknown, wanted: string) => {
    const view = (await demo.expect(
      what,
      200,
      'POST',
      `/admin/utility/projects/${projectId}/${path}`,
      body,
      demo.adminToken,
    )) as ProjectView;
    if (view.status !== wanted)
      throw new DemoError(`${what}: project ${projectId} is ${view.status}, not ${wanted}`);
    return view;
  };
  const estimate = new Date(Date.now() + 42 * 24 * 3_600_000).toISOString().slice(0, 10);
  await action(
    'review',
    'review',
    { decision: 'approve', assignee: 'Demo Team', estimatedCompletion: estimate, totalCostCents: '250000' },
    'approved',
  );
  demo.step('utility', `reviewed ${projectId}: approved, Demo Team, done by ${estimate}, $2,500.00`, links);
  const updated = await action(
    'post an update',
    'updates',
    { message: 'Contracts drafted, website on staging', progress: 60 },
    'in_progress',
  );
  demo.step('utility', `update on ${projectId}: in progress, ${updated.progress}%`, links);
  const done = await action('complete', 'complete', { message: 'Delivered' }, 'completed');
  demo.step('utility', `completed ${projectId}: ${done.progress}%`, links);
  return { projectId, status: done.status, progress: done.progress };
}
