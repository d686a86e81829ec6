/** What an admin can do to a project now: the domain's state machine decides which buttons show. */
import { useState } from 'react';
import { api, unwrap, type Schemas } from '@/api/client';
import { keys } from '@/api/queries';
import { ActionDialog } from '@/components/action-dialog';
import { Field } from '@/components/field';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { displayUsd, parseUsdInput } from '@/lib/amount';
import { allowedEvents, type ProjectStatus } from '../../../../src/domain/utility/project-state';

type Project = Schemas['AdminProject'];
type Review = Schemas['ProjectReview'];
type Decision = Review['decision'];

const refresh = [keys.utility, keys.overview, keys.emails];
const done = (p: { status: string; progress: number }) =>
  `Project is ${p.status.replace(/_/g, ' ')} (${p.progress} %)`;

function ReviewDialog({ project }: { project: Project }) {
  const [decision, setDecision] = useState<Decision>('approve');
  const [assignee, setAssignee] = useState(project.assignedTo ?? '');
  const [estimate, setEstimate] = useState('');
  const [cost, setCost] = useState(
    project.budgetCents ? displayUsd(project.budgetCents).replace(/[$,]/g, '') : '',
  );
  const [words, setWords] = useState('');
  const [toClient, setToClient] = useState('');
  const clientMessage = toClient.trim() || undefined;
  const costCents = parseUsdInput(cost);
  const body: Review | null =
    decision === 'approve'
      ? assignee.trim() && /^\d{4}-\d{2}-\d{2}$/.test(estimate) && costCents.ok
        ? {
            decision,
            assignee: assignee.trim(),
            estimatedCompletion: estimate,
            totalCostCents: costCents.value,
            note: words.trim() || undefined,
            clientMessage,
          }
        : null
      : words.trim()
        ? decision === 'reject'
          ? { decision, reason: words.trim(), clientMessage }
          : { decision, message: words.trim(), clientMessage }
        : null;
  return (
    <ActionDialog
      label="Review"
      title={`Review ${project.projectName}`}
      description="Approve with an assignee, estimate and cost; reject with a reason; or ask the client for more information. The client is e-mailed the message to the client only (a standard sentence if empty); notes and reasons stay here."
      canConfirm={body !== null}
      confirmLabel="Send review"
      run={() =>
        unwrap(
          api.POST('/api/v1/admin/utility/projects/{projectId}/review', {
            params: { path: { projectId: project.projectId } },
            body: body as Review,
          }),
        )
      }
      success={done}
      invalidate={refresh}
    >
      <Field label="Decision">
        <Select value={decision} onValueChange={(v) => setDecision(v as Decision)}>
          <SelectTrigger aria-label="Decision">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="approve">Approve</SelectItem>
            <SelectItem value="reject">Reject</SelectItem>
            <SelectItem value="request_info">Request information</SelectItem>
          </SelectContent>
        </Select>
      </Field>
      {decision === 'approve' && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Assignee">
            <Input value={assignee} onChange={(e) => setAssignee(e.target.value)} maxLength={200} />
          </Field>
          <Field label="Estimated completion">
            <Input type="date" value={estimate} onChange={(e) => setEstimate(e.target.value)} />
          </Field>
          <Field
            label="Total cost (USD)"
            error={cost && !costCents.ok ? costCents.error : null}
            hint={costCents.ok ? displayUsd(costCents.value) : undefined}
          >
            <Input inputMode="decimal" value={cost} onChange={(e) => setCost(e.target.value)} />
          </Field>
        </div>
      )}
      <Field
        label={
          decision === 'approve'
            ? 'Internal note (optional)'
            : decision === 'reject'
              ? 'Reason (internal)'
              : 'What do you need to know? (internal)'
        }
      >
        <Textarea value={words} onChange={(e) => setWords(e.target.value)} rows={3} />
      </Field>
      <Field label="Message to the client (optional)">
        <Textarea value={toClient} onChange={(e) => setToClient(e.target.value)} rows={3} />
      </Field>
    </ActionDialog>
  );
}

function PostUpdateDialog({ project }: { project: Project }) {
  const [message, setMessage] = useState('');
  const [progress, setProgress] = useState(String(project.progress));
  const pct = /^\d{1,3}$/.test(progress) && Number(progress) <= 100 ? Number(progress) : null;
  return (
    <ActionDialog
      label="Post update"
      title="Post an update to the client"
      description="E-mailed to the client and shown on their project page. The first update starts the work."
      canConfirm={message.trim() !== '' && pct !== null}
      confirmLabel="Post update"
      run={() =>
        unwrap(
          api.POST('/api/v1/admin/utility/projects/{projectId}/updates', {
            params: { path: { projectId: project.projectId } },
            body: { message: message.trim(), progress: pct ?? undefined },
          }),
        )
      }
      success={done}
      invalidate={refresh}
      onDone={() => setMessage('')}
    >
      <Field label="Message">
        <Textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={4} />
      </Field>
      <Field label="Progress (%)" error={pct === null ? 'a whole number 0..100' : null}>
        <Input inputMode="numeric" value={progress} onChange={(e) => setProgress(e.target.value)} />
      </Field>
    </ActionDialog>
  );
}

/** A change that takes one text field (or none). */
function SimpleChange({
  project,
  label,
  title,
  description,
  field,
  required,
  destructive,
  withClientMessage,
  send,
}: {
  project: Project;
  label: string;
  title: string;
  description: string;
  field?: string;
  required?: boolean;
  destructive?: boolean;
  /** Also offer a message to the client (the field above is then internal). */
  withClientMessage?: boolean;
  send: (
    projectId: string,
    text: string | undefined,
    clientMessage: string | undefined,
  ) => Promise<{ status: string; progress: number }>;
}) {
  const [text, setText] = useState('');
  const [toClient, setToClient] = useState('');
  return (
    <ActionDialog
      label={label}
      title={title}
      description={description}
      destructive={destructive}
      variant={destructive ? 'destructive' : 'outline'}
      canConfirm={!required || text.trim() !== ''}
      run={() => send(project.projectId, text.trim() || undefined, toClient.trim() || undefined)}
      success={done}
      invalidate={refresh}
    >
      {field && (
        <Field label={field}>
          <Textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} />
        </Field>
      )}
      {withClientMessage && (
        <Field label="Message to the client (optional)">
          <Textarea value={toClient} onChange={(e) => setToClient(e.target.value)} rows={3} />
        </Field>
      )}
    </ActionDialog>
  );
}

const path = (projectId: string) => ({ params: { path: { projectId } } });

export function ProjectActions({ project }: { project: Project }) {
  const allowed = new Set(allowedEvents(project.status as ProjectStatus));
  return (
    <>
      {allowed.has('approve') && <ReviewDialog project={project} />}
      {allowed.has('resume_review') && (
        <SimpleChange
          project={project}
          label="Resume review"
          title="Back to review"
          description="The client answered: the project waits for review again. The client sees only the message to the client."
          field="Internal note (optional)"
          withClientMessage
          send={(id, note, clientMessage) =>
            unwrap(
              api.POST('/api/v1/admin/utility/projects/{projectId}/resume-review', {
                ...path(id),
                body: { note, clientMessage },
              }),
            )
          }
        />
      )}
      {allowed.has('post_update') && <PostUpdateDialog project={project} />}
      {allowed.has('assign') && (
        <SimpleChange
          project={project}
          label="Assign"
          title="Assign the project"
          description={`Now: ${project.assignedTo ?? 'nobody'}.`}
          field="Assignee"
          required
          send={(id, assignee) =>
            unwrap(
              api.POST('/api/v1/admin/utility/projects/{projectId}/assign', {
                ...path(id),
                body: { assignee: assignee ?? '' },
              }),
            )
          }
        />
      )}
      {allowed.has('complete') && (
        <SimpleChange
          project={project}
          label="Complete"
          title="Mark the project completed"
          description="Progress becomes 100 % and the client is told."
          field="Message to the client (optional)"
          send={(id, message) =>
            unwrap(
              api.POST('/api/v1/admin/utility/projects/{projectId}/complete', {
                ...path(id),
                body: { message },
              }),
            )
          }
        />
      )}
      {allowed.has('cancel') && (
        <SimpleChange
          project={project}
          label="Cancel project"
          title="Cancel the project"
          description="The client is told it is cancelled (with the message to the client, if any); the reason stays here. This is final."
          field="Reason (internal)"
          required
          destructive
          withClientMessage
          send={(id, reason, clientMessage) =>
            unwrap(
              api.POST('/api/v1/admin/utility/projects/{projectId}/cancel', {
                ...path(id),
                body: { reason: reason ?? '', clientMessage },
              }),
            )
          }
        />
      )}
    </>
  );
}
