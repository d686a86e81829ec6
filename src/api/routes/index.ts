import type { RouteModule } from '../app';
import { authRoutes } from './auth';
import { userRoutes } from './users';
import { adminUserRoutes } from './admin-users';

/** Every domain's routes, mounted under /api/v1 in this order. */
export const allRouteModules: RouteModule[] = [authRoutes, userRoutes, adminUserRoutes];
