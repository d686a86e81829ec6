import type { RouteModule } from '../app';
import { authRoutes } from './auth';
import { userRoutes } from './users';
import { adminUserRoutes } from './admin-users';
import { adminEmailRoutes } from './admin-emails';
import { adminOverviewRoutes } from './admin-overview';
import { lotteryRoutes } from './lottery';
import { adminLotteryRoutes } from './admin-lottery';
import { utilityRoutes } from './utility';
import { adminUtilityRoutes } from './admin-utility';
import { revenueRoutes } from './revenue';
import { adminRevenueRoutes } from './admin-revenue';

/** Every domain's routes, mounted under /api/v1 in this order. */
export const allRouteModules: RouteModule[] = [
  authRoutes,
  userRoutes,
  adminUserRoutes,
  adminEmailRoutes,
  adminOverviewRoutes,
  lotteryRoutes,
  adminLotteryRoutes,
  utilityRoutes,
  adminUtilityRoutes,
  revenueRoutes,
  adminRevenueRoutes,
];
