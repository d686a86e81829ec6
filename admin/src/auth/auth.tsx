/**
 * Who is signed in: the token (sessionStorage) and `GET /auth/me`. Signing out revokes the
 * token on the API (`POST /auth/logout`) before forgetting it.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '@/api/client';
import { session, SESSION_ENDED } from '@/lib/session';
import { signInWithWallet, type SolanaProvider } from './wallet';

type Me = Awaited<ReturnType<typeof fetchMe>>;

const fetchMe = () => unwrap(api.GET('/api/v1/auth/me'));

interface AuthState {
  token: string | null;
  me: Me | undefined;
  loading: boolean;
  error: Error | null;
  signIn(wallet: SolanaProvider): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState(session.token);
  const me = useQuery({
    queryKey: ['auth', 'me', token],
    queryFn: fetchMe,
    enabled: token !== null,
    staleTime: 60_000,
    retry: (count, err) => !(err instanceof ApiError && err.status === 401) && count < 2,
  });

  const forget = useCallback(() => {
    session.clear();
    setToken(null);
    queryClient.clear();
  }, [queryClient]);

  // An expired or revoked token (any request answered 401): back to the sign-in page.
  useEffect(() => {
    window.addEventListener(SESSION_ENDED, forget);
    return () => window.removeEventListener(SESSION_ENDED, forget);
  }, [forget]);

  const value = useMemo<AuthState>(
    () => ({
      token,
      me: me.data,
      loading: token !== null && me.isPending,
      error: me.error,
      async signIn(wallet) {
        const fresh = await signInWithWallet(wallet);
        session.save(fresh);
        setToken(fresh);
      },
      async signOut() {
        await unwrap(api.POST('/api/v1/auth/logout')).catch(() => undefined);
        forget();
      },
    }),
    [token, me.data, me.isPending, me.error, forget],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
