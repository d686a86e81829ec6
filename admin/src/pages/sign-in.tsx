import { useState } from 'react';
import { ShieldAlertIcon, WalletIcon } from 'lucide-react';
import { useAuth } from '@/auth/auth';
import { findWallet } from '@/auth/wallet';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { shortKey } from '@/lib/utils';

function Centered({ children }: { children: React.ReactNode }) {
  return <main className="flex min-h-screen items-center justify-center p-4">{children}</main>;
}

export function SignInPage() {
  const { signIn } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const wallet = findWallet();
  return (
    <Centered>
      <Card className="w-full max-w-md">
        <CardHeader>
          <div className="flex flex-col gap-1.5">
            <h1 className="text-xl leading-none font-semibold">Stoned Rabbits admin</h1>
            <CardDescription>
              Sign in with an admin wallet: it signs a one-time Sign-In-With-Solana message; no transaction is
              sent.
            </CardDescription>
          </div>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {wallet ? (
            <Button
              size="lg"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                setError(null);
                signIn(wallet)
                  .catch((err: Error) => setError(err.message))
                  .finally(() => setBusy(false));
              }}
            >
              <WalletIcon aria-hidden />
              {busy ? 'Waiting for the wallet…' : 'Sign in with wallet'}
            </Button>
          ) : (
            <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
              No Solana wallet found in this browser. Install or unlock Phantom (or another wallet that offers
              <code className="mx-1">signMessage</code>) and reload.
            </p>
          )}
          {error && (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900">
              Sign-in failed: {error}
            </p>
          )}
        </CardContent>
      </Card>
    </Centered>
  );
}

export function NotAdminPage() {
  const { me, signOut } = useAuth();
  return (
    <Centered>
      <Card className="w-full max-w-md">
        <CardHeader>
          <div className="flex flex-col gap-1.5">
            <h1 className="flex items-center gap-2 text-xl leading-none font-semibold">
              <ShieldAlertIcon className="text-destructive size-5" aria-hidden />
              Not an admin
            </h1>
            <CardDescription>
              Wallet{' '}
              <span className="font-mono" title={me?.walletAddress}>
                {shortKey(me?.walletAddress, 8)}
              </span>{' '}
              signed in, but it is not on this deployment's admin list (<code>ADMIN_WALLETS</code>). Sign out
              and use an admin wallet, or ask an operator to add this one.
            </CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          <Button variant="outline" onClick={() => void signOut()}>
            Sign out
          </Button>
        </CardContent>
      </Card>
    </Centered>
  );
}
