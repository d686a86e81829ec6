/** A labelled form control with its hint or error, wired for screen readers. */
import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { parseAmountInput, type Currency } from '@/lib/amount';
import { cn } from '@/lib/utils';

export function Field({
  label,
  hint,
  error,
  children,
  className,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}) {
  const id = useId();
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn('flex min-w-0 flex-col gap-1.5', className)}>
      <Label htmlFor={id}>{label}</Label>
      {cloneElement(children, {
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': described,
      })}
      {error ? (
        <p id={`${id}-error`} className="text-destructive text-xs">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-muted-foreground text-xs break-all">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const BASE_UNIT: Record<Currency, string> = { SOL: 'lamports', USDC: 'base units (micro-USDC)' };

/**
 * A decimal amount in SOL or USDC; shows the exact base units it stands for, or why it is
 * not an amount (once `showErrors`, e.g. after a submit attempt).
 */
export function AmountField({
  label,
  currency,
  value,
  onChange,
  positive,
  showErrors,
  className,
}: {
  label: string;
  currency: Currency;
  value: string;
  onChange: (text: string) => void;
  positive?: boolean;
  showErrors?: boolean;
  className?: string;
}) {
  const parsed = parseAmountInput(value, currency, { positive });
  const error = !parsed.ok && (showErrors || value !== '') ? parsed.error : null;
  return (
    <Field
      label={`${label} (${currency})`}
      error={error}
      hint={parsed.ok ? `= ${parsed.value.toString()} ${BASE_UNIT[currency]}` : undefined}
      className={className}
    >
      <Input
        inputMode="decimal"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="0.0"
      />
    </Field>
  );
}
