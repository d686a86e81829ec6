/**
 * The OpenAPI document of every route module, built without starting anything: the modules
 * register their paths on a throwaway router, and no handler or middleware ever runs, so the
 * clients in the deps are never used. The admin dashboard's typed client is generated from
 * this (src/cli/admin-api-schema.ts); the running API serves the same at /openapi.json.
 */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { Redis } from 'ioredis';
import { loadConfig } from '../config';
import type { Orm } from '../db/orm';
import { createLogger } from '../logger';
import { API_BASE, type AppDeps, type RouteModule } from './app';
import { buildOpenApiDocument, createRegistry } from './openapi';
import { allRouteModules } from './routes';

/** A client that must not be used (routes mounted only to document them, or to serve public reads). */
export function unused<T>(name: string): T {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (prop === 'then') return undefined;
        throw new Error(`${name}.${String(prop)} was used where no ${name} client is available`);
      },
    },
  ) as T;
}

export function apiDocument(routeModules: RouteModule[] = allRouteModules) {
  // Fixed settings, so the document (and the client generated from it) never depends on the machine.
  const config = loadConfig({ NODE_ENV: 'development', JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent' });
  const deps: AppDeps = {
    config,
    logger: createLogger('silent'),
    orm: unused<Orm>('orm'),
    // Rate limiters inspect their client when built; a lazy one never connects.
    redis: new Redis({ lazyConnect: true }),
    temporal: unused<Client>('temporal'),
    probes: {},
  };
  const registry = createRegistry();
  for (const mount of routeModules) mount({ deps, registry, router: Router(), basePath: API_BASE });
  return buildOpenApiDocument(registry, config.appUrl);
}
