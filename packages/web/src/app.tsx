import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText } from './api/client.js';
import { useSession } from './auth/session.js';
import { LocaleProvider } from './i18n/locale-provider.js';
import { Shell } from './layout/shell.js';
import { allCapabilities, visibleTo } from './layout/capabilities.js';
import NotBuiltPage from './pages/not-built.js';

// One chunk per page: the login screen does not download the chart library or the tables.
const LoginPage = lazy(() => import('./pages/login.js'));
const BUILT: Record<string, React.LazyExoticComponent<() => ReactNode>> = {
  '/': lazy(() => import('./pages/overview.js')),
  '/departments': lazy(() => import('./pages/departments.js')),
  '/people': lazy(() => import('./pages/people.js')),
  '/rooms': lazy(() => import('./pages/rooms.js')),
  '/assets': lazy(() => import('./pages/assets.js')),
  '/ip-attribution': lazy(() => import('./pages/ip-attribution.js')),
  '/indicators': lazy(() => import('./pages/indicators.js')),
  '/signals': lazy(() => import('./pages/signals.js')),
  '/blocklists': lazy(() => import('./pages/blocklists.js')),
  '/hosts': lazy(() => import('./pages/hosts.js')),
  '/after-hours': lazy(() => import('./pages/after-hours.js')),
  '/antivirus': lazy(() => import('./pages/antivirus.js')),
  '/meters': lazy(() => import('./pages/meters.js')),
  '/power-anomalies': lazy(() => import('./pages/power-anomalies.js')),
  '/big-consumers': lazy(() => import('./pages/big-consumers.js')),
  '/audit': lazy(() => import('./pages/audit.js')),
  '/account': lazy(() => import('./pages/account.js')),
};

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers will not change on retry; network blips might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const spinner = <Spin size="large" style={{ display: 'block', marginTop: 120 }} />;

/** Routes below need a session; a user who must change the password is kept on /account. */
function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return spinner;
  if (session.isError) {
    // The server is down or failing: say so rather than pretend the user is signed out.
    return <Result status="warning" title={errorText(session.error)} extra={<Button onClick={() => void session.refetch()}>{t('common.retry')}</Button>} />;
  }
  if (!session.data) {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  if (session.data.mustChangePassword && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return children;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('app.notFound')} extra={<Button href="/">{t('app.backHome')}</Button>} />;
}

function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;
}

function CapabilityRoutes() {
  const session = useSession();
  const role = session.data?.role;
  return (
    <Routes>
      <Route
        element={
          <RequireSession>
            <Shell />
          </RequireSession>
        }
      >
        {allCapabilities().map((c) => {
          const Page = BUILT[c.path];
          const element = role && !visibleTo(c, role) ? <Forbidden /> : Page ? <Page /> : <NotBuiltPage capability={c} />;
          return c.path === '/' ? <Route key={c.path} index element={element} /> : <Route key={c.path} path={c.path} element={element} />;
        })}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <BrowserRouter>
          <Suspense fallback={spinner}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/*" element={<CapabilityRoutes />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </LocaleProvider>
    </QueryClientProvider>
  );
}
