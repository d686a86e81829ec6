/**
 * The one way to run a consequential action: a button opens a confirmation (optionally with
 * fields), Confirm runs it through useAction (toast + refresh), errors stay visible in the
 * dialog so the admin can correct a field and retry.
 */
import { useState, type ReactNode } from 'react';
import type { QueryKey } from '@tanstack/react-query';
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { useAction } from '@/lib/use-action';

export interface ActionDialogProps<R> {
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel?: string;
  destructive?: boolean;
  variant?: 'default' | 'outline' | 'secondary' | 'destructive';
  disabled?: boolean;
  /** Why the button is disabled (shown as its tooltip). */
  disabledReason?: string;
  /** Form fields, if the action takes input. */
  children?: ReactNode;
  /** False while the fields are invalid. */
  canConfirm?: boolean;
  run: () => Promise<R>;
  success: (result: R) => string;
  invalidate?: QueryKey[];
  onDone?: (result: R) => void;
}

export function ActionDialog<R>(props: ActionDialogProps<R>) {
  const [open, setOpen] = useState(false);
  const action = useAction<void, R>({
    run: props.run,
    success: props.success,
    invalidate: props.invalidate,
    onSuccess: (result) => {
      setOpen(false);
      props.onDone?.(result);
    },
  });
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) action.reset();
      }}
    >
      <AlertDialogTrigger asChild>
        <Button
          variant={props.variant ?? (props.destructive ? 'destructive' : 'default')}
          size="sm"
          disabled={props.disabled}
          title={props.disabled ? props.disabledReason : undefined}
        >
          {props.label}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            action.mutate();
          }}
        >
          <AlertDialogHeader>
            <AlertDialogTitle>{props.title}</AlertDialogTitle>
            <AlertDialogDescription asChild>
              <div>{props.description}</div>
            </AlertDialogDescription>
          </AlertDialogHeader>
          {props.children}
          {action.error && (
            <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-900">
              {action.error.message}
            </p>
          )}
          <AlertDialogFooter>
            <AlertDialogCancel type="button">Cancel</AlertDialogCancel>
            <Button
              type="submit"
              variant={props.destructive ? 'destructive' : 'default'}
              disabled={action.isPending || props.canConfirm === false}
            >
              {action.isPending ? 'Working…' : (props.confirmLabel ?? props.label)}
            </Button>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
