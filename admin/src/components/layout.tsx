import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import {
  FactoryIcon,
  LayoutDashboardIcon,
  LogOutIcon,
  TicketIcon,
  UsersIcon,
  WalletIcon,
} from 'lucide-react';
import { useAuth } from '@/auth/auth';
import { Button } from '@/components/ui/button';
import { cn, shortKey } from '@/lib/utils';

const NAV = [
  { to: '/', label: 'Overview', icon: LayoutDashboardIcon, end: true },
  { to: '/lottery', label: 'Lottery', icon: TicketIcon },
  { to: '/revenue', label: 'Revenue Pass', icon: WalletIcon },
  { to: '/utility', label: 'Utility Factory', icon: FactoryIcon },
  { to: '/users', label: 'Users', icon: UsersIcon },
];

/** Sidebar on wide screens, a top bar on tablets; the signed-in wallet and sign-out on both. */
export function Layout({ children }: { children: ReactNode }) {
  const { me, signOut } = useAuth();
  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[15rem_1fr]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <aside className="bg-sidebar text-sidebar-foreground">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 lg:sticky lg:top-0 lg:h-screen lg:flex-col lg:flex-nowrap lg:items-stretch lg:px-3 lg:py-5">
          <div className="flex items-center gap-2 px-2 lg:mb-4">
            <img src="/admin/favicon.svg" alt="" className="size-7" />
            <span className="font-semibold">Stoned Rabbits</span>
          </div>
          <nav aria-label="Main" className="flex flex-wrap gap-1 lg:flex-col">
            {NAV.map(({ to, label, icon: Icon, end }) => (
              <NavLink
                key={to}
                to={to}
                end={end}
                className={({ isActive }) =>
                  cn(
                    'flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium outline-none hover:bg-white/10 focus-visible:ring-2 focus-visible:ring-white/60',
                    isActive && 'bg-white/15 text-white',
                  )
                }
              >
                <Icon className="size-4" aria-hidden />
                {label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2 px-2 text-xs lg:mt-auto lg:ml-0 lg:flex-col lg:items-stretch">
            <span title={me?.walletAddress} className="font-mono opacity-80">
              Admin {shortKey(me?.walletAddress, 6)}
            </span>
            <Button size="sm" variant="secondary" onClick={() => void signOut()}>
              <LogOutIcon aria-hidden />
              Sign out
            </Button>
          </div>
        </div>
      </aside>
      <main id="main" className="mx-auto flex w-full max-w-7xl min-w-0 flex-col gap-6 p-4 md:p-6">
        {children}
      </main>
    </div>
  );
}
