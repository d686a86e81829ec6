import { lazy, Suspense } from 'react';
import { Link, Route, Routes } from 'react-router';
import { useAuth } from '@/auth/auth';
import { Layout } from '@/components/layout';
import { PageHeader } from '@/components/page';
import { ErrorState, Loading } from '@/components/states';
import { NotAdminPage, SignInPage } from '@/pages/sign-in';

// One chunk per area: the first paint loads only what the current page needs.
const OverviewPage = lazy(() => import('@/pages/overview'));
const LotteryPage = lazy(() => import('@/pages/lottery/rounds'));
const RoundPage = lazy(() => import('@/pages/lottery/round'));
const RevenuePage = lazy(() => import('@/pages/revenue/distributions'));
const DistributionPage = lazy(() => import('@/pages/revenue/distribution'));
const UtilityPage = lazy(() => import('@/pages/utility/queue'));
const ProjectPage = lazy(() => import('@/pages/utility/project'));
const UsersPage = lazy(() => import('@/pages/users/search'));
const UserPage = lazy(() => import('@/pages/users/user'));

export function App() {
  const { token, me, loading, error } = useAuth();
  if (!token) return <SignInPage />;
  if (loading) return <Loading label="Checking your session" />;
  if (!me) return <div className="p-6">{error ? <ErrorState error={error} /> : <Loading />}</div>;
  if (!me.isAdmin) return <NotAdminPage />;
  return (
    <Layout>
      <Suspense fallback={<Loading label="Loading page" rows={6} />}>
        <Routes>
          <Route index element={<OverviewPage />} />
          <Route path="lottery" element={<LotteryPage />} />
          <Route path="lottery/:roundId" element={<RoundPage />} />
          <Route path="revenue" element={<RevenuePage />} />
          <Route path="revenue/:month" element={<DistributionPage />} />
          <Route path="utility" element={<UtilityPage />} />
          <Route path="utility/:projectId" element={<ProjectPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="users/:wallet" element={<UserPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

function NotFound() {
  return (
    <PageHeader
      title="Page not found"
      description={
        <>
          Nothing lives at this address.{' '}
          <Link to="/" className="underline">
            Back to the overview
          </Link>
          .
        </>
      }
    />
  );
}
