import type { RouteModule } from '../app';

/** Every domain's routes, mounted under /api/v1 in this order. */
export const allRouteModules: RouteModule[] = [];
