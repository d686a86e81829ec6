import { useState } from 'react';
import { ActionDialog, type ActionDialogProps } from './action-dialog';
import { Field } from './field';
import { Input } from './ui/input';

/** A destructive action with an optional reason (cancel a round, cancel a distribution). */
export function CancelAction<R>({
  cancel,
  ...props
}: Omit<ActionDialogProps<R>, 'run' | 'destructive' | 'children'> & {
  cancel: (reason: string | undefined) => Promise<R>;
}) {
  const [reason, setReason] = useState('');
  return (
    <ActionDialog {...props} destructive run={() => cancel(reason.trim() || undefined)}>
      <Field label="Reason (optional)">
        <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Field>
    </ActionDialog>
  );
}
