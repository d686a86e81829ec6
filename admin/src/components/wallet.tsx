import { Link } from 'react-router';
import { shortKey } from '@/lib/utils';

/** A wallet as a short link to its user page; the full address in the tooltip. */
export function WalletLink({ address, chars = 6 }: { address: string | null | undefined; chars?: number }) {
  if (!address) return <>—</>;
  return (
    <Link
      to={`/users/${address}`}
      title={address}
      className="font-mono text-xs underline-offset-4 hover:underline"
    >
      {shortKey(address, chars)}
    </Link>
  );
}

/** A signature or mint: shortened, full value in the tooltip. */
export function Key({ value, chars = 6 }: { value: string | null | undefined; chars?: number }) {
  return (
    <span className="font-mono text-xs" title={value ?? undefined}>
      {shortKey(value, chars)}
    </span>
  );
}
